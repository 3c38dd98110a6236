from django.db import models
from django.utils.translation import gettext_lazy as _


class TransactionKind(models.TextChoices):
    """What a line of a premium station's transaction ledger (交易额账目) records."""

    PROXY_BUYING = "proxy_buying", _("代买")
    PROXY_SELLING = "proxy_selling", _("代卖")
    TRADE = "trade", _("商贸流通")
    SERVICE = "service", _("便民服务")
    OTHER = "other", _("其他")


class InspectionKind(models.TextChoices):
    """What a visit to a station did; one visit may do several."""

    GUIDANCE = "guidance", _("一对一指导")
    PATROL = "patrol", _("站点巡查")
    ASSET_COUNT = "asset_count", _("固定资产盘点")


class AssetCountResult(models.TextChoices):
    """What the counter found of one registered asset."""

    FOUND = "found", _("在位完好")
    DAMAGED = "damaged", _("在位损坏")
    MISSING = "missing", _("缺失")


class TrainingTopic(models.TextChoices):
    """What a station-manager training covered (contract 1.2 一)."""

    STATION_BUSINESS = "station_business", _("站点业务")
    ONLINE_SHOP = "online_shop", _("上行店铺指导")
    DATA_REPORTING = "data_reporting", _("数据报送")
    APP = "app", _("智慧乡村APP")  # no space: the import splits multiple choices on spaces
    OTHER = "other", _("其他")


class TrainingFormat(models.TextChoices):
    OFFLINE = "offline", _("集中培训")
    ONLINE = "online", _("线上培训")
    ON_SITE = "on_site", _("现场培训")


class Award(models.TextChoices):
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")
    EXCELLENCE = "excellence", _("优秀奖")


class ReportCell(models.TextChoices):
    """One day of one station on the completeness grid."""

    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("补报")
    MISSING = "missing", _("缺报")
    CLOSED = "closed", _("未营业")
    FUTURE = "future", _("未到")
