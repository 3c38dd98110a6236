from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchKind(models.TextChoices):
    """What the batch's date is: crops and processed goods are produced, livestock is slaughtered."""

    PRODUCTION = "production", _("生产")
    SLAUGHTER = "slaughter", _("屠宰")
    HARVEST = "harvest", _("采收")


class CertificateKind(models.TextChoices):
    """The papers that vouch for a batch; the scanned file is attached as evidence."""

    INSPECTION_REPORT = "inspection_report", _("检测报告")
    COMPLIANCE_CERTIFICATE = "compliance_certificate", _("承诺达标合格证")
    QUARANTINE_CERTIFICATE = "quarantine_certificate", _("动物检疫合格证明")


class EventStep(models.TextChoices):
    """The business step of a trace event (EPCIS ``bizStep``: the *why*)."""

    RAISING = "raising", _("养殖/种植")
    HARVESTING = "harvesting", _("采收")
    SLAUGHTERING = "slaughtering", _("屠宰")
    INSPECTING = "inspecting", _("检验检测")
    PROCESSING = "processing", _("加工")
    PACKING = "packing", _("包装赋码")
    STORING = "storing", _("仓储")
    SHIPPING = "shipping", _("发货")
    RECEIVING = "receiving", _("收货")
    RETAIL = "retail", _("零售上架")


class CodeState(models.TextChoices):
    """A code's life: issued (printed, not yet on a product) → bound to a batch → voided."""

    ISSUED = "issued", _("已发码")
    BOUND = "bound", _("已绑定")
    VOIDED = "voided", _("已作废")


class ScanOutcome(models.TextChoices):
    SHOWN = "shown", _("正常展示")
    UNBOUND = "unbound", _("未绑定")
    VOIDED = "voided", _("已作废")
    UNKNOWN = "unknown", _("无此码")


class AnomalyRule(models.TextChoices):
    """The rules that put a code (or a client guessing codes) in the review queue."""

    TOO_MANY_SCANS = "too_many_scans", _("扫码次数过多")
    FAR_APART = "far_apart", _("短时间内异地扫码")
    BEFORE_BINDING = "before_binding", _("绑定前被扫码")
    AFTER_VOIDING = "after_voiding", _("作废后被扫码")
    GUESSING = "guessing", _("同一来源大量扫无效码")


class AlertState(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("已排除")
    CONFIRMED = "confirmed", _("已确认异常")
