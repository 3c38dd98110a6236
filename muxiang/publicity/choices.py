from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleChannel(models.TextChoices):
    """Where a 宣传文章 was published. The contract names 微信公众平台 "等" channels: the list is open,
    so anything else is 其他 with the account named."""

    WECHAT = "wechat", _("微信公众号")
    WEBSITE = "website", _("网站")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    TOUTIAO = "toutiao", _("今日头条")
    OTHER = "other", _("其他")


class MediaLevel(models.TextChoices):
    """The rank of the outlet that covered the programme (合同 1.1 三: 国家级、省级、市级媒体)."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    # Kept apart: the contract does not count county media, but the operator records them anyway.
    COUNTY = "county", _("县级")


class VideoKind(models.TextChoices):
    """What a published video is: training videos (合同 3) and promotional films (合同 1.1, 2.3)."""

    TRAINING = "training", _("培训视频")
    PROMO = "promo", _("宣传片")
    BRAND_PROMO = "brand_promo", _("区域品牌宣传片")
    LIVE_REPLAY = "live_replay", _("直播回放")
    OTHER = "other", _("其他")
