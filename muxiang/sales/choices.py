from django.db import models
from django.utils.translation import gettext_lazy as _


class SalesChannel(models.TextChoices):
    """The sales channels the contract names (2.5): the list is open (等), these are its eight."""

    FARM_MARKET = "farm_market", _("农贸农批")
    SUPERMARKET = "supermarket", _("商超")
    COMMUNITY_CHAIN = "community_chain", _("社区连锁")
    WELFARE_PROCUREMENT = "welfare_procurement", _("福利集采")
    ECOMMERCE = "ecommerce", _("传统电商")
    GROUP_BUYING = "group_buying", _("社区团购")
    SOCIAL_MEDIA = "social_media", _("自媒体电商")
    SPECIAL = "special", _("特殊渠道")


# Channels whose sales are made online when a row does not say.
ONLINE_CHANNELS = {SalesChannel.ECOMMERCE, SalesChannel.GROUP_BUYING, SalesChannel.SOCIAL_MEDIA}


class SaleMode(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")


class BuyerKind(models.TextChoices):
    CONSUMER = "consumer", _("个人消费者")
    BUSINESS = "business", _("企业/商户")
    INSTITUTION = "institution", _("机关事业单位")
    OTHER = "other", _("其他")
