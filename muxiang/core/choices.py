from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    RESTORE = "restore", _("恢复")
    PURGE = "purge", _("彻底删除")


class EvidenceKind(models.TextChoices):
    """What an evidence file shows. A contract target names the kinds a record needs to count
    (``evidence = ["notice", "photo", "sign_in_sheet"]``); these are the words it may use."""

    PHOTO = "photo", _("照片")
    SIGN_IN_SHEET = "sign_in_sheet", _("签到表")
    NOTICE = "notice", _("通知")
    DOCUMENT = "document", _("文件资料")
    SCREENSHOT = "screenshot", _("截图")
    WORK_ORDER = "work_order", _("服务工单")
    LEDGER = "ledger", _("台账")
    INVOICE = "invoice", _("发票")
    SALES_PROOF = "sales_proof", _("销售证明")
    VIDEO = "video", _("视频")
    OTHER = "other", _("其他")


# The bit of each kind in a record's ``evidence_mask`` (``core.models.EvidenceMarked``). Stored in
# the database: a kind added later takes the next free bit; renumbering existing kinds needs
# ``muxiang rollups rebuild``.
EVIDENCE_BITS = {
    EvidenceKind.PHOTO: 1 << 0,
    EvidenceKind.SIGN_IN_SHEET: 1 << 1,
    EvidenceKind.NOTICE: 1 << 2,
    EvidenceKind.DOCUMENT: 1 << 3,
    EvidenceKind.SCREENSHOT: 1 << 4,
    EvidenceKind.WORK_ORDER: 1 << 5,
    EvidenceKind.LEDGER: 1 << 6,
    EvidenceKind.INVOICE: 1 << 7,
    EvidenceKind.SALES_PROOF: 1 << 8,
    EvidenceKind.VIDEO: 1 << 9,
    EvidenceKind.OTHER: 1 << 10,
}
