from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetMode(models.TextChoices):
    PER_PHASE = "per_phase", _("按阶段计")
    CUMULATIVE = "cumulative", _("累计")
    LEVEL = "level", _("保持水平")


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("不少于")
    AT_MOST = "at_most", _("不多于")


class PaymentTrigger(models.TextChoices):
    SIGNING = "signing", _("签订合同")
    ACCEPTANCE = "acceptance", _("阶段验收")


class ProgressStatus(models.TextChoices):
    MET = "met", _("已达标")
    ON_TRACK = "on_track", _("进度正常")
    AT_RISK = "at_risk", _("有风险")
    BEHIND = "behind", _("落后")
    NOT_STARTED = "not_started", _("未开始")
    NOT_MEASURABLE = "not_measurable", _("暂无法计量")


class AcceptanceState(models.TextChoices):
    OPEN = "open", _("未申请")
    REQUESTED = "requested", _("已申请验收")
    ACCEPTED = "accepted", _("已验收")
    RETURNED = "returned", _("已退回")


class PaymentState(models.TextChoices):
    NOT_DUE = "not_due", _("未到期")
    DUE = "due", _("应付")
    PAID = "paid", _("已付")


class ChecklistState(models.TextChoices):
    MET = "met", _("已满足")
    NOT_MET = "not_met", _("未满足")
    NOT_MEASURABLE = "not_measurable", _("暂无法计量")
