from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import SoftDeleteModel
from muxiang.reports.choices import ReportKind, ReportStatus


def report_upload_to(instance, filename):
    return f"reports/{instance.contract_id}/{instance.kind}/{filename}"


def _user(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


class Report(SoftDeleteModel):
    """A 报告 to the client: the monthly work report (4.3), a data analysis report on the trade
    network (2.2), a training analysis (3) or the yearly online-merchant statistics (3).

    Its figures come from the records, never typed: building the report computes them by
    aggregates, keeps them as a JSON snapshot with its SHA-256 and renders the PDF and the .xlsx
    from that snapshot. The operator writes the rest (problems met, next month's plan, the
    training adjustments) in the draft. Rebuilding a draft refreshes the snapshot; submitting
    freezes it; the client's supervisor approves (the report then counts toward its contract
    target and never changes again; a correction is a new version) or returns it with a reason.
    """

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("合同"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("报告类型"), max_length=12, choices=ReportKind.choices)
    period = models.CharField(
        _("报告期间"),
        max_length=30,
        help_text=_("月份 2026-10；年份 2026；阶段 phase-1 或 2026-01-01..2026-06-30"),
    )
    period_label = models.CharField(_("期间"), max_length=60, editable=False)
    period_start = models.DateField(_("期间开始"), editable=False)
    period_end = models.DateField(_("期间结束"), editable=False)
    version = models.PositiveSmallIntegerField(_("版本"), default=1, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    # What the operator writes; which of them a kind shows is in ``services.TEXT_FIELDS``.
    problems = models.TextField(_("存在的问题"), blank=True)
    plan = models.TextField(_("下月工作计划"), blank=True)
    adjustments = models.TextField(_("下期培训方案调整建议"), blank=True)
    remarks = models.TextField(_("说明"), blank=True)
    text_updated_at = models.DateTimeField(_("文字修改时间"), null=True, blank=True, editable=False)

    snapshot = models.JSONField(_("数据快照"), null=True, blank=True, editable=False)
    snapshot_sha256 = models.CharField(_("快照 SHA-256"), max_length=64, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True, editable=False)
    xlsx = models.FileField(_("Excel"), upload_to=report_upload_to, blank=True, editable=False)
    built_at = models.DateTimeField(_("生成时间"), null=True, blank=True, editable=False)
    built_by = _user(_("生成人"))
    created_by = _user(_("起草人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    submitted_by = _user(_("提交人"))
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True, editable=False)
    approved_by = _user(_("审定人"))
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True, editable=False)
    returned_by = _user(_("退回人"))
    return_reason = models.TextField(_("退回原因"), blank=True, editable=False)

    class Meta:
        ordering = ["-period_start", "kind", "-version", "-id"]
        verbose_name = pgettext_lazy("singular", "工作报告")
        verbose_name_plural = _("工作报告")
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["contract", "kind", "period_start"], name="reports_contract_kind_start")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "period", "version"],
                condition=Q(deleted_at__isnull=True),
                name="reports_one_version_per_period",
                violation_error_message=_("该合同该期间的此类报告已有此版本"),
            )
        ]

    def __str__(self):
        version = f" v{self.version}" if self.version > 1 else ""
        return f"{self.period_label} {self.get_kind_display()}{version}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    def assert_writable(self) -> None:
        """Only a draft may be deleted (or restored): a submitted report is with the client, an
        approved one counts toward the contract and never changes."""
        if self.status != ReportStatus.DRAFT:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("只有草稿可以删除；已提交或已审定的报告不能删除"))

    @property
    def is_stale(self) -> bool:
        """Built before its text was last changed: the files do not say what the draft says."""
        return bool(self.built_at and self.text_updated_at and self.text_updated_at > self.built_at)
