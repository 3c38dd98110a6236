"""Shared bases of every ledger record: audit trail, soft delete and evidence files."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muxiang.core import audit
from muxiang.core.choices import ChangeAction


class AuditedModel(models.Model):
    """A record whose every create, update and delete lands in the audit trail."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # Field names whose values are personal data: masked in history shown to roles without access.
    sensitive_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Keep what was loaded so that save() can tell what changed without another query.
        instance._audit_loaded = (
            audit.snapshot(instance) if len(values) == len(cls._meta.concrete_fields) else None
        )
        return instance

    def save(self, *args, **kwargs):
        adding = self._state.adding
        before = None if adding else getattr(self, "_audit_loaded", None)
        if not adding and before is None and self.pk:
            fresh = type(self)._base_manager.filter(pk=self.pk).first()
            before = audit.snapshot(fresh) if fresh else None
        super().save(*args, **kwargs)
        after = audit.snapshot(self)
        if adding or before != after:
            audit.record_change(self, ChangeAction.CREATE if adding else ChangeAction.UPDATE, before, after)
        self._audit_loaded = after

    def delete(self, *args, **kwargs):
        before = audit.snapshot(self)
        change = audit.build_change(self, ChangeAction.PURGE, before, None)
        result = super().delete(*args, **kwargs)
        change.save()
        return result


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class AliveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """The default manager: soft-deleted records are out of every list, count and lookup."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(AuditedModel):
    """A ledger record: deleting marks it, restoring brings it back; only an admin purges it."""

    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, db_index=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = AliveManager()
    all_objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ObjectChange(models.Model):
    """One entry of the audit trail: a create, update, delete, restore or purge of a record."""

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    user_name = models.CharField(_("用户名"), max_length=150)
    request_id = models.UUIDField(_("请求编号"), default=uuid.uuid4, db_index=True)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=20, default="web")
    action = models.CharField(_("操作"), max_length=20, choices=ChangeAction.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT)
    object_id = models.BigIntegerField(_("记录编号"))
    object_repr = models.CharField(_("记录"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_change_object_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> dict:
        return audit.diff(self.before, self.after)


def evidence_upload_to(instance, filename):
    # The stored name is the hash, so that two uploads of the same bytes never overwrite each other's
    # meaning and the original name (kept in the row) cannot inject a path.
    now = timezone.now()
    return f"evidence/{now:%Y/%m}/{instance.sha256}{instance.extension}"


class Evidence(SoftDeleteModel):
    """A file that proves a piece of work: a photo, a scanned sign-in sheet, a PDF, a spreadsheet."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField(db_index=True)
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    mime_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(max_length=10, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_evidence_record_idx")]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


class SiteState(models.Model):
    """Installation-wide facts, such as whether the demo data set is loaded (shown on every page)."""

    key = models.CharField(max_length=50, unique=True)
    value = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("系统状态")

    def __str__(self):
        return self.key
