from django.db import models
from django.utils.translation import gettext_lazy as _


class FunctionalAreaKind(models.TextChoices):
    """The nine functions of the service centre (第二条 1.1, the "9" of "9+1")."""

    SALES_SERVICE = "sales_service", _("农产品销售服务中心")
    MARKETING = "marketing", _("产品营销中心")
    SUPPLY_CHAIN = "supply_chain", _("供应链管理中心")
    WAREHOUSING = "warehousing", _("仓储物流管理中心")
    STATION_MANAGEMENT = "station_management", _("镇村电商服务站点管理中心")
    TRAINING = "training", _("电子商务培训中心")
    LIVE_STREAMING = "live_streaming", _("公共直播基地")
    INCUBATION = "incubation", _("创业孵化基地")
    RECEPTION = "reception", _("服务接待区")


class EventKind(models.TextChoices):
    SALON = "salon", _("电商沙龙")
    SEMINAR = "seminar", _("电商研讨会")
    TRAINING = "training", _("培训会")
    MATCHMAKING = "matchmaking", _("产销对接会")
    BRAND_LAUNCH = "brand_launch", _("品牌发布会")
    LIVE_STREAM = "live_stream", _("直播活动")
    OTHER = "other", _("其他")


class IncubationKind(models.TextChoices):
    """The kinds of 常态化孵化服务 the contract names (第二条 1.1 四)."""

    PRODUCT_GUIDANCE = "product_guidance", _("产品指导")
    BRAND_BUILDING = "brand_building", _("品牌培育")
    MARKETING_PLAN = "marketing_plan", _("营销策划")
    DATA_ANALYSIS = "data_analysis", _("数据分析")
    SHOP_OPERATION = "shop_operation", _("店铺运营指导")


class RecipientKind(models.TextChoices):
    """Who received an incubation service: an organisation (企业, 合作社 …) or a person. The
    ``kinds`` parameter of ``centre.incubated_recipients`` takes these values."""

    ENTERPRISE = "enterprise", _("企业")
    PERSON = "person", _("个人")


class SurveySubject(models.TextChoices):
    STATION = "station", _("站点")
    BRAND = "brand", _("品牌")
    SUPPLY_CHAIN = "supply_chain", _("供应链")
    OTHER = "other", _("其他")


class PlanStatus(models.TextChoices):
    """Where the improvement plan that follows a field survey stands."""

    PLANNED = "planned", _("待实施")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
