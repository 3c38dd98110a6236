from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.jobs.choices import FINISHED_STATES, JobState


class Job(models.Model):
    """A piece of long work run by the background worker (an acceptance dossier, a label sheet, a
    large import or export, a push to the ministry platform): who asked for it, how far it has
    got, and the file it produced. Not a ledger record: it holds no figure of the contract, only
    the way to one, so it is neither audited nor soft-deleted."""

    kind = models.CharField(_("任务类型"), max_length=60)
    title = models.CharField(_("任务"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    # The file the job reads (a large ledger upload), kept until the job has read it.
    source = models.FileField(_("上传文件"), upload_to="jobs/uploads/%Y/%m/", blank=True, max_length=300)
    result = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("文件名"), max_length=200, blank=True)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = pgettext_lazy("singular", "后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="jobs_job_creator_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def percent(self) -> int | None:
        """How far the job has got, in whole percent; None while its size is unknown."""
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
