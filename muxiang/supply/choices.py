from django.db import models
from django.utils.translation import gettext_lazy as _


class WarehouseKind(models.TextChoices):
    """Where stock is kept: the county warehouse (县级仓储配送中心) or a station acting as a stock
    point for its villages (站点前置仓)."""

    COUNTY = "county", _("县级仓库")
    STATION = "station", _("站点库存点")


class MovementKind(models.TextChoices):
    """Why stock moved. Every movement is signed: receipts and transfers in add, deliveries and
    transfers out take away, count adjustments and reversals go either way."""

    RECEIPT = "receipt", _("采购入库")
    DELIVERY = "delivery", _("配送出库")
    TRANSFER_OUT = "transfer_out", _("调拨出库")
    TRANSFER_IN = "transfer_in", _("调拨入库")
    ADJUSTMENT = "adjustment", _("盘点调整")
    REVERSAL = "reversal", _("冲销")


class SystematicServiceKind(models.TextChoices):
    """The systematic services 2.1 二 names for local enterprises, cooperatives and large growers."""

    BRAND_REGISTRATION = "brand_registration", _("品牌注册")
    BRAND_BUILDING = "brand_building", _("品牌培育")
    TESTING = "testing", _("检测认证")
    MARKETING_PLAN = "marketing_plan", _("网络营销策划")
    MARKETING = "marketing", _("线上线下营销")
    MATCHMAKING = "matchmaking", _("产销对接活动")
    OTHER = "other", _("其他")


# The organisations 2.1 二 serves systematically: local enterprises, cooperatives or large growers
# (a family farm is a grower too). Online merchants, post offices … are client businesses of 2.1 一.
SYSTEMATIC_RECIPIENT_KINDS = ("enterprise", "cooperative", "large_grower", "family_farm")
