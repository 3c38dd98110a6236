from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryKind(models.TextChoices):
    """What the ministry platform (商务部业务系统统一平台) receives: every station's trade data of a day,
    and the project's data of a month."""

    DAILY = "daily", _("站点交易数据（每日）")
    MONTHLY = "monthly", _("项目数据（每月）")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待报送")
    SENDING = "sending", _("报送中")
    RETRYING = "retrying", _("失败待重试")
    DELIVERED = "delivered", _("已报送")


class TransportKind(models.TextChoices):
    """How a delivery reaches the platform: a file for manual upload, or the platform's HTTP API."""

    FILE = "file", _("文件导出（手工上传）")
    HTTP = "http", _("接口推送")


class AttemptOutcome(models.TextChoices):
    OK = "ok", _("成功")
    FAILED = "failed", _("失败")
