from django.db import models
from django.utils.translation import gettext_lazy as _


class BrandTier(models.TextChoices):
    """The three tiers of the contract's brand system (第二条 2.3): one regional public brand that
    tells the banner's story, three industry brands, and the enterprise brands incubated in them."""

    REGIONAL = "regional", _("区域公共品牌")
    INDUSTRY = "industry", _("产业品牌")
    ENTERPRISE = "enterprise", _("企业品牌")


class TrademarkStatus(models.TextChoices):
    """Where the brand's trademark registration (商标注册) stands."""

    NONE = "none", _("未申请")
    APPLIED = "applied", _("申请中")
    REGISTERED = "registered", _("已注册")
    REJECTED = "rejected", _("被驳回")


class BrandServiceKind(models.TextChoices):
    """What the operator did for a member enterprise of the regional brand (品牌建设与孵化服务)."""

    BRAND_BUILDING = "brand_building", _("品牌建设")
    INCUBATION = "incubation", _("品牌孵化")
    DESIGN = "design", _("设计服务")
    MARKETING = "marketing", _("营销推广")
    TRAINING = "training", _("培训指导")
    CERTIFICATION = "certification", _("认证申报")
    OTHER = "other", _("其他")
