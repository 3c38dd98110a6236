"""Record-level services shared by every ledger: soft delete, restore, purge, and evidence files."""

import contextlib
import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core import audit, permissions
from muxiang.core.choices import ChangeAction, EvidenceKind
from muxiang.core.models import Evidence


@contextlib.contextmanager
def acting_as(by):
    """The audit trail takes its user from the request; a task or command calling a service has no
    request, so the entry would say "system" although the service was told who acts."""
    ctx = audit.current_context()
    if by is None or getattr(ctx.user, "is_authenticated", False):
        yield
        return
    with audit.change_context(user=by, source=ctx.source, remote_addr=ctx.remote_addr) as inner:
        inner.request_id = ctx.request_id
        yield


def _assert_writable(record) -> None:
    """A record may refuse to be deleted or restored (a dated record of an accepted, frozen phase):
    it says so by raising ValidationError from ``assert_writable``."""
    check = getattr(record, "assert_writable", None)
    if check is not None:
        check()


@transaction.atomic
def soft_delete_record(record, by) -> None:
    if not permissions.can_delete(by, record):
        raise PermissionDenied(_("您没有删除此记录的权限"))
    if record.deleted_at:
        return
    _assert_writable(record)
    with acting_as(by):
        before = audit.snapshot(record)
        type(record).all_objects.filter(pk=record.pk).update(deleted_at=timezone.now(), deleted_by=by)
        record.refresh_from_db()
        audit.record_change(record, ChangeAction.DELETE, before, audit.snapshot(record))


@transaction.atomic
def restore_record(record, by) -> None:
    if not permissions.can_delete(by, record):
        raise PermissionDenied(_("您没有恢复此记录的权限"))
    if not record.deleted_at:
        return
    _assert_writable(record)
    with acting_as(by):
        before = audit.snapshot(record)
        type(record).all_objects.filter(pk=record.pk).update(deleted_at=None, deleted_by=None)
        record.refresh_from_db()
        audit.record_change(record, ChangeAction.RESTORE, before, audit.snapshot(record))


@transaction.atomic
def purge_record(record, by) -> None:
    """Remove a soft-deleted record for good; its audit history stays."""
    if not permissions.can_purge(by):
        raise PermissionDenied(_("只有运营方管理员可以彻底删除记录"))
    if not record.deleted_at:
        raise ValidationError(_("请先删除该记录，再彻底删除"))
    with acting_as(by):
        record.delete()


# What evidence may be: photos, scans, PDFs, office files, short videos, CSV/text. Detected from the
# bytes, never trusted from the file name.
EVIDENCE_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.ms-excel": ".xls",
    "application/msword": ".doc",
    "video/mp4": ".mp4",
    "text/csv": ".csv",
    "text/plain": ".txt",
}


def detect_content_type(head: bytes, name: str) -> str:
    """The file's type from its first bytes; text is told apart from binary by decoding it."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" in head:
        return "application/octet-stream"
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample: retry without the tail.
            try:
                head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return "text/csv" if name.lower().endswith(".csv") else "text/plain"
    return "application/octet-stream"


def infer_evidence_kind(mime: str) -> str:
    """The kind of a file uploaded without one: photos and videos by their type, else a document."""
    if mime.startswith("image/"):
        return EvidenceKind.PHOTO
    if mime.startswith("video/"):
        return EvidenceKind.VIDEO
    return EvidenceKind.DOCUMENT


@transaction.atomic
def attach_evidence(record, upload, by, description: str = "", kind: str = "") -> Evidence:
    """Store ``upload`` as evidence of ``record``, with its SHA-256, size and detected type, and
    what it shows (``kind``, one of ``EvidenceKind``; inferred from the type when not given)."""
    if kind and kind not in EvidenceKind.values:
        raise ValidationError(_("未知的材料类型：%(k)s") % {"k": kind})
    if not permissions.can_change(by, record):
        raise PermissionDenied(_("您没有为此记录上传佐证材料的权限"))
    name = getattr(upload, "name", "file")
    size = upload.size
    if size == 0:
        raise ValidationError(_("文件「%(name)s」是空文件") % {"name": name})
    if size > settings.EVIDENCE_MAX_BYTES:
        # In readable units: "超过上限 0 MB" told nobody anything when the limit was below 1 MB.
        raise ValidationError(
            _("文件「%(name)s」大小为 %(size)s，超过上限 %(max)s")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(8192)
    mime = detect_content_type(head, name)
    if mime not in EVIDENCE_TYPES:
        raise ValidationError(
            _(
                "文件「%(name)s」的实际类型为 %(mime)s，不在允许范围内（照片、PDF、Office 文档、CSV、MP4 视频）"
            )
            % {"name": name, "mime": mime}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    evidence = Evidence(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        object_id=record.pk,
        original_name=name[:255],
        description=description[:300],
        sha256=digest.hexdigest(),
        size=size,
        mime_type=mime,
        extension=EVIDENCE_TYPES[mime],
        kind=kind or infer_evidence_kind(mime),
        uploaded_by=by,
    )
    upload.seek(0)
    evidence.file.save(evidence_upload_name(evidence), upload, save=False)
    with acting_as(by):
        evidence.save()
    return evidence


def evidence_upload_name(evidence: Evidence) -> str:
    return f"{evidence.sha256}{evidence.extension}"


def evidence_for(record):
    return Evidence.objects.filter(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True), object_id=record.pk
    ).select_related("uploaded_by")


def evidence_by_record(model, pks) -> dict[int, list[Evidence]]:
    """The evidence of many records of one model, oldest first, in one query: {record pk: [files]}."""
    found: dict[int, list[Evidence]] = {}
    if not pks:
        return found
    files = Evidence.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
        object_id__in=list(pks),
    ).select_related("uploaded_by")
    for evidence in files.order_by("created_at", "pk"):
        found.setdefault(evidence.object_id, []).append(evidence)
    return found


def with_evidence(queryset, kinds=None):
    """Only the records that carry their evidence: what a contract target that requires evidence
    may count. ``kinds`` is the target's list: a record needs a (not deleted) file of every kind
    named, where "a|b" accepts either; without kinds, any file will do.

    A record that keeps its evidence mark (``EvidenceMarked``) is tested on its own row: the bits of
    the single kinds all set, each "a|b" with one of its bits set; for the others, one EXISTS per
    kind and row, answered from the evidence index."""
    from django.db.models import Exists, F, OuterRef

    from muxiang.core.choices import EVIDENCE_BITS
    from muxiang.core.models import EvidenceMarked

    requirements = [k for k in (kinds or ()) if isinstance(k, str) and k]
    if issubclass(queryset.model, EvidenceMarked):
        if not requirements:
            return queryset.filter(evidence_mask__gt=0)
        every = 0
        alternatives = []
        for requirement in requirements:
            bits = 0
            for kind in requirement.split("|"):
                bits |= EVIDENCE_BITS.get(kind, 0)
            if "|" in requirement:
                alternatives.append(bits)
            elif not bits:
                return queryset.none()  # a kind no file can have
            else:
                every |= bits
        if every:
            queryset = queryset.alias(_evidence_all=F("evidence_mask").bitand(every)).filter(
                _evidence_all=every
            )
        for n, bits in enumerate(alternatives):
            name = f"_evidence_any{n}"
            queryset = queryset.alias(**{name: F("evidence_mask").bitand(bits)}).filter(**{f"{name}__gt": 0})
        return queryset
    content_type = ContentType.objects.get_for_model(queryset.model, for_concrete_model=True)
    files = Evidence.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
    if not requirements:
        return queryset.filter(Exists(files))
    for requirement in requirements:
        queryset = queryset.filter(Exists(files.filter(kind__in=requirement.split("|"))))
    return queryset


def missing_evidence_kinds(evidence: list[Evidence], kinds) -> list[str]:
    """Which of a target's required kinds (see ``with_evidence``) a record's files do not show, as
    labels: ["签到表", "通知"]; with no kinds named, ["佐证材料"] when there is no file at all."""
    have = {e.kind for e in evidence}
    requirements = [k for k in (kinds or ()) if isinstance(k, str) and k]
    if not requirements:
        return [] if evidence else [str(_("佐证材料"))]
    labels = dict(EvidenceKind.choices)
    return [
        "或".join(str(labels.get(k, k)) for k in requirement.split("|"))
        for requirement in requirements
        if not have.intersection(requirement.split("|"))
    ]


@dataclass
class EvidenceCheck:
    evidence: Evidence
    status: str  # "ok", "missing", "changed"


def verify_evidence_files(queryset=None):
    """Re-hash every stored evidence file; yield those that went missing or changed."""
    from django.core.files.storage import default_storage

    queryset = queryset if queryset is not None else Evidence.all_objects.all()
    for evidence in queryset.iterator(chunk_size=500):
        if not default_storage.exists(evidence.file.name):
            yield EvidenceCheck(evidence, "missing")
            continue
        digest = hashlib.sha256()
        with default_storage.open(evidence.file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        yield EvidenceCheck(evidence, "ok" if digest.hexdigest() == evidence.sha256 else "changed")


def store_bytes_as_evidence(
    record, data: bytes, name: str, by, description: str = "", kind: str = ""
) -> Evidence:
    """For services that generate evidence (reports, signed sheets) rather than receive an upload."""
    upload = ContentFile(data, name=name)
    return attach_evidence(record, upload, by, description, kind)
