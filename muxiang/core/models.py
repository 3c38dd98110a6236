"""Shared bases of every ledger record: audit trail, soft delete and evidence files."""

import copy
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muxiang.core import audit, rollups
from muxiang.core.choices import ChangeAction, EvidenceKind


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
        if len(values) == len(cls._meta.concrete_fields):
            # Keep what was loaded so that save() can tell what changed without another query. Only
            # the raw values: the snapshot is built if the record is saved, which most never are
            # (an import compares 100,000 of them). JSON values are copied because they can be
            # changed in place.
            loaded = list(values)
            for index in cls._audit_json_positions():
                loaded[index] = copy.deepcopy(loaded[index])
            instance._audit_loaded_values = loaded
        return instance

    @classmethod
    def _audit_json_positions(cls) -> list[int]:
        if "_audit_json_cache" not in cls.__dict__:
            cls._audit_json_cache = [
                i for i, f in enumerate(cls._meta.concrete_fields) if isinstance(f, models.JSONField)
            ]
        return cls._audit_json_cache

    def _audit_before(self) -> dict | None:
        if getattr(self, "_audit_saved", None) is not None:
            return self._audit_saved
        values = getattr(self, "_audit_loaded_values", None)
        if values is None:
            return None
        return {
            f.attname: audit.to_json(value)
            for f, value in zip(self._meta.concrete_fields, values, strict=True)
            if f.attname not in audit.AUDIT_SKIP
        }

    def save(self, *args, **kwargs):
        adding = self._state.adding
        before = None if adding else self._audit_before()
        if not adding and before is None and self.pk:
            fresh = type(self)._base_manager.filter(pk=self.pk).first()
            before = audit.snapshot(fresh) if fresh else None
        # A rollup this record feeds is refreshed for the keys it held before and holds after.
        watched = rollups.watched_fields(type(self)) if rollups.sources_of(type(self)) else None
        stored = []
        if watched and len(watched) > 1 and not adding and self.pk:
            stored = rollups.stored_rows(type(self), [self.pk], watched)
        super().save(*args, **kwargs)
        after = audit.snapshot(self)
        if adding or before != after:
            audit.record_change(self, ChangeAction.CREATE if adding else ChangeAction.UPDATE, before, after)
        self._audit_saved = after
        if watched:
            row = rollups.row_of(self, watched)
            # The record's own id stands for "saved": the rollups it refreshes on every save.
            changed = {"id", *(name for name in watched if stored[0][name] != row[name])} if stored else None
            rollups.touched(type(self), [*stored, row], changed)

    def delete(self, *args, **kwargs):
        before = audit.snapshot(self)
        change = audit.build_change(self, ChangeAction.PURGE, before, None)
        watched = rollups.watched_fields(type(self)) if rollups.sources_of(type(self)) else None
        row = rollups.row_of(self, watched) if watched else None
        result = super().delete(*args, **kwargs)
        change.save()
        if row:
            rollups.touched(type(self), [row])
        return result


class SoftDeleteQuerySet(models.QuerySet):
    """Bulk writes of ledger records refresh the rollups the rows feed (``core.rollups``): soft
    delete and restore are updates, imports update with ``bulk_update``."""

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)

    def _watched_attnames(self, names) -> set[str]:
        if not rollups.sources_of(self.model):
            return set()
        attnames = {self.model._meta.get_field(name).attname for name in names}
        return attnames & (rollups.watched_fields(self.model) - {"id"})

    def update(self, **kwargs):
        changed = self._watched_attnames(kwargs)
        if not changed:
            return super().update(**kwargs)
        watched = rollups.watched_fields(self.model)
        with transaction.atomic(using=self.db):
            before = list(self.values(*watched))
            count = super().update(**kwargs)
            after = rollups.stored_rows(self.model, [row["id"] for row in before], watched)
            rollups.touched(self.model, before + after, changed)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        if not rollups.sources_of(self.model):
            return super().bulk_create(objs, *args, **kwargs)
        watched = rollups.watched_fields(self.model)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            rollups.touched(self.model, [rollups.row_of(obj, watched) for obj in created])
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        changed = self._watched_attnames(fields)
        if not changed:
            return super().bulk_update(objs, fields, *args, **kwargs)
        objs = list(objs)
        watched = rollups.watched_fields(self.model)
        with transaction.atomic(using=self.db):
            before = rollups.stored_rows(self.model, [obj.pk for obj in objs], watched)
            count = super().bulk_update(objs, fields, *args, **kwargs)
            rollups.touched(self.model, before + [rollups.row_of(obj, watched) for obj in objs], changed)
        return count

    bulk_update.alters_data = True

    def delete(self):
        if not rollups.sources_of(self.model):
            return super().delete()
        watched = rollups.watched_fields(self.model)
        with transaction.atomic(using=self.db):
            before = list(self.values(*watched))
            result = super().delete()
            rollups.touched(self.model, before)
        return result

    delete.alters_data = True


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

    # Not indexed: entries are written in time order, so the newest-first list reads the primary
    # key backwards; an index on the time would be paid on each of 100,000 entries of an import.
    time = models.DateTimeField(_("时间"), default=timezone.now)
    # Not indexed: the trail is searched by user name; the index would be paid on every entry.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
        db_index=False,
    )
    user_name = models.CharField(_("用户名"), max_length=150)
    request_id = models.UUIDField(_("请求编号"), default=uuid.uuid4)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=20, default="web")
    action = models.CharField(_("操作"), max_length=20, choices=ChangeAction.choices)
    # Indexed through the (content_type, object_id) index below; every extra index is paid on each
    # of the 100,000 entries of a large import.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT, db_index=False
    )
    object_id = models.BigIntegerField(_("记录编号"))
    object_repr = models.CharField(_("记录"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
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
    # What the file shows (照片, 签到表 …): a target that requires a sign-in sheet is not met by a
    # photo. Chosen on upload, else inferred from the file type (``services.infer_evidence_kind``).
    kind = models.CharField(_("材料类型"), max_length=20, choices=EvidenceKind.choices, default="other")
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
        # Covering the "does this record carry a file of this kind" probe every metric makes per
        # record (core.services.with_evidence): the lookup never reads the table itself.
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "kind", "deleted_at"],
                name="core_evidence_record_kind_idx",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


class EvidenceMarked(models.Model):
    """A record whose contract targets may require evidence: it keeps a mark of the evidence it
    carries, so that a figure over 60,000 sales tests a column instead of probing the evidence
    table once per sale (``core.services.with_evidence``). ``evidence_mask`` has the bit
    (``choices.EVIDENCE_BITS``) of every kind of live evidence file the record has; it is a rollup
    (``core.rollups``, refreshed by every write of an evidence row and every save of the record)."""

    evidence_mask = models.IntegerField(_("佐证材料标记"), default=0, editable=False)

    class Meta:
        abstract = True


class SiteState(models.Model):
    """Installation-wide facts, such as whether the demo data set is loaded (shown on every page)."""

    key = models.CharField(max_length=50, unique=True)
    value = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("系统状态")

    def __str__(self):
        return self.key
