from django.db import models
from django.utils.translation import gettext_lazy as _


class StationLevel(models.TextChoices):
    TOWN = "town", _("镇级站点")
    VILLAGE = "village", _("村级站点")


class StationStatus(models.TextChoices):
    PLANNED = "planned", _("筹建中")
    ACTIVE = "active", _("运营中")
    SUSPENDED = "suspended", _("暂停")
    CLOSED = "closed", _("已关闭")


class StationService(models.TextChoices):
    PROXY_BUYING = "proxy_buying", _("代买")
    PROXY_SELLING = "proxy_selling", _("代卖")
    PARCELS = "parcels", _("快递收发")
    PAYMENTS = "payments", _("便民缴费")
    TOP_UPS = "top_ups", _("话费充值")
    CASH = "cash", _("小额取款")
    TRAINING = "training", _("电商培训")
    LIVE_STREAMING = "live_streaming", _("直播带货")
    TRADE_OUTLET = "trade_outlet", _("商贸流通")
