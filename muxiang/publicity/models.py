"""Publicity (公共宣传) records: what the operator published or put up to make the programme and the
region's public brand known (contract 1.1 三, 2.3 二 and 3 六).

Every record is dated programme work under a contract (``ContractRecord``): its date places it in a
phase, and an accepted phase freezes it. None of them belongs to a station, so station managers see
none of them (``core.permissions.scope``); the operator writes them, the client and the auditor read.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from muxiang.contracts.records import ContractRecord
from muxiang.core.models import EvidenceMarked
from muxiang.publicity.choices import ArticleChannel, MediaLevel, VideoKind

# A WeChat article's address carries its __biz, mid, idx, sn and chksm parameters: well over 200
# characters when copied from the phone.
URL_LENGTH = 500

validate_web_url = URLValidator(
    schemes=["http", "https"], message=gettext_lazy("请填写以 http:// 或 https:// 开头的完整网址")
)


def not_in_future(value):
    # Publicity is recorded once it has happened: a future date is a typing error.
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


def web_url_field(**kwargs):
    return models.CharField(
        gettext_lazy("链接"),
        max_length=URL_LENGTH,
        unique=True,
        validators=[validate_web_url],
        help_text=gettext_lazy("发布页面的网址，以 http:// 或 https:// 开头；同一链接只登记一次"),
        **kwargs,
    )


def count_field(label, message):
    """Reads or views: a figure copied from the channel's back end, never negative."""
    return models.PositiveIntegerField(label, default=0, validators=[MinValueValidator(0, message=message)])


class PublicityRecord(ContractRecord):
    """What every publicity record shares: a unique natural key that also counts soft-deleted rows
    (the database index does; the form's own uniqueness check reads only live ones) and a place in
    the region tree that is a town or village, never the county as a whole."""

    unique_key_field = ""

    class Meta:
        abstract = True

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        key = getattr(self, self.unique_key_field, "") if self.unique_key_field else ""
        if key and self.unique_key_field not in errors:
            problem = self.key_taken(key)
            if problem:
                errors[self.unique_key_field] = [problem]
        region = getattr(self, "region", None)
        if region is not None and region.level == "county":
            errors["region"] = [_("请选择到镇/苏木或村/嘎查")]
        if errors:
            raise ValidationError(errors)

    def key_taken(self, key: str) -> str | None:
        other = type(self).all_objects.filter(**{self.unique_key_field: key}).exclude(pk=self.pk).first()
        if other is None:
            return None
        if other.deleted_at:
            return _("「%(k)s」已登记在已删除的记录「%(r)s」中，请先在回收站恢复") % {"k": key, "r": other}
        return _("「%(k)s」已登记：%(r)s") % {"k": key, "r": other}


class Article(PublicityRecord, EvidenceMarked):
    """A 宣传文章: a high-quality article about the programme published on a WeChat official account
    (微信公众号) or another channel (合同 1.1 三: 450 over the contract). Its reads (阅读量) are read
    off the channel's back end and typed in; they grow after publication, so the figure is updated
    later, each update an audit entry. An article marked 区域公共品牌宣传 is one of the 30 brand
    promotions of 2.3 二 and its reads count toward the 100,000 reads there."""

    title = models.CharField(gettext_lazy("标题"), max_length=200)
    channel = models.CharField(
        gettext_lazy("发布渠道"), max_length=20, choices=ArticleChannel.choices, default=ArticleChannel.WECHAT
    )
    account = models.CharField(
        gettext_lazy("公众号/账号名称"),
        max_length=100,
        blank=True,
        help_text=gettext_lazy("如：乌拉特中旗电商"),
    )
    url = web_url_field()
    published_on = models.DateField(gettext_lazy("发布日期"), validators=[not_in_future])
    reads = count_field(gettext_lazy("阅读量"), message=gettext_lazy("阅读量不能为负数"))
    promotes_brand = models.BooleanField(
        gettext_lazy("区域公共品牌宣传"),
        default=False,
        help_text=gettext_lazy("计入合同 2.3 品牌宣传次数与阅读量"),
    )
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "published_on"
    unique_key_field = "url"

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = pgettext_lazy("singular", "宣传文章")
        verbose_name_plural = gettext_lazy("宣传文章")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "published_on"], name="publicity_article_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("publicity:article-detail", args=[self.pk])


class MediaCoverage(PublicityRecord, EvidenceMarked):
    """A 媒体宣传: a national, provincial or city outlet (国家级、省级、市级媒体) reporting on the
    programme (合同 1.1 三: 10 over the contract). County outlets are recorded too but the contract
    target counts only the three upper levels (its ``levels`` parameter)."""

    level = models.CharField(gettext_lazy("媒体级别"), max_length=20, choices=MediaLevel.choices)
    outlet = models.CharField(
        gettext_lazy("媒体名称"), max_length=100, help_text=gettext_lazy("如：内蒙古日报")
    )
    title = models.CharField(gettext_lazy("报道标题"), max_length=200)
    published_on = models.DateField(gettext_lazy("发布日期"), validators=[not_in_future])
    url = web_url_field()
    promotes_brand = models.BooleanField(
        gettext_lazy("区域公共品牌宣传"), default=False, help_text=gettext_lazy("计入合同 2.3 品牌宣传次数")
    )
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "published_on"
    unique_key_field = "url"

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = pgettext_lazy("singular", "媒体宣传")
        verbose_name_plural = gettext_lazy("媒体宣传")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "published_on"], name="publicity_coverage_date")]

    def __str__(self):
        return f"{self.outlet}：{self.title}"

    def get_absolute_url(self):
        return reverse("publicity:coverage-detail", args=[self.pk])


class Billboard(PublicityRecord, EvidenceMarked):
    """A 户外宣传牌: an outdoor board promoting the programme at a motorway exit, a main street of
    the banner or the public service centre (合同 1.1 三). Boards stay up once installed; its photo
    is the evidence. Numbered GGP-001, GGP-002 … when the number is left blank."""

    number = models.CharField(
        gettext_lazy("编号"), max_length=30, unique=True, help_text=gettext_lazy("留空则自动编号（GGP-001）")
    )
    place = models.CharField(
        gettext_lazy("设置地点"), max_length=200, help_text=gettext_lazy("如：G7 高速海流图出口")
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=gettext_lazy("所在镇村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    installed_on = models.DateField(gettext_lazy("安装日期"), validators=[not_in_future])
    size = models.CharField(
        gettext_lazy("尺寸"), max_length=50, blank=True, help_text=gettext_lazy("如：6m×3m")
    )
    content = models.CharField(gettext_lazy("宣传内容"), max_length=300, blank=True)
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "installed_on"
    unique_key_field = "number"
    number_prefix = "GGP-"

    class Meta:
        ordering = ["number"]
        verbose_name = pgettext_lazy("singular", "户外宣传牌")
        verbose_name_plural = gettext_lazy("户外宣传牌")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "installed_on"], name="publicity_billboard_date")]

    def __str__(self):
        return f"{self.number} {self.place}"

    def get_absolute_url(self):
        return reverse("publicity:billboard-detail", args=[self.pk])


class BrochureDistribution(PublicityRecord, EvidenceMarked):
    """A 宣传彩页发放: pages of an e-commerce brochure handed out at one place on one day (合同 3 六:
    12,000 pages over the contract). The figure is pages, not copies: a four-page leaflet given to
    100 people is 400 pages. Numbered CY-001 … when the number is left blank."""

    number = models.CharField(
        gettext_lazy("编号"), max_length=30, unique=True, help_text=gettext_lazy("留空则自动编号（CY-001）")
    )
    title = models.CharField(gettext_lazy("彩页名称"), max_length=200)
    pages = models.PositiveIntegerField(
        gettext_lazy("发放页数"), validators=[MinValueValidator(1, message=gettext_lazy("发放页数应大于 0"))]
    )
    place = models.CharField(gettext_lazy("发放地点"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=gettext_lazy("所在镇村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    distributed_on = models.DateField(gettext_lazy("发放日期"), validators=[not_in_future])
    audience = models.CharField(
        gettext_lazy("发放对象"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy("如：赶集牧民、合作社社员"),
    )
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "distributed_on"
    unique_key_field = "number"
    number_prefix = "CY-"

    class Meta:
        ordering = ["-distributed_on", "-id"]
        verbose_name = pgettext_lazy("singular", "宣传彩页发放")
        verbose_name_plural = gettext_lazy("宣传彩页发放")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "distributed_on"], name="publicity_brochure_date")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("publicity:brochure-detail", args=[self.pk])


class Video(PublicityRecord, EvidenceMarked):
    """A video published on one platform: a training video (合同 3, free to watch), a promotional
    film, the region's brand film (区域品牌宣传片, 合同 2.3 二: one film shown on at least five media)
    or a live-stream replay. One row per publication: the same film on five platforms is five rows
    with the same title, which is how its showings are counted. A 区域品牌宣传片 promotes the brand
    by definition, so it is always marked 区域公共品牌宣传."""

    title = models.CharField(gettext_lazy("视频标题"), max_length=200)
    kind = models.CharField(gettext_lazy("视频类别"), max_length=20, choices=VideoKind.choices)
    platform = models.CharField(
        gettext_lazy("发布平台"), max_length=100, help_text=gettext_lazy("如：微信视频号、抖音、学习强国")
    )
    url = web_url_field()
    published_on = models.DateField(gettext_lazy("发布日期"), validators=[not_in_future])
    views = count_field(gettext_lazy("播放量"), message=gettext_lazy("播放量不能为负数"))
    promotes_brand = models.BooleanField(
        gettext_lazy("区域公共品牌宣传"),
        default=False,
        help_text=gettext_lazy("计入合同 2.3 品牌宣传次数与阅读量"),
    )
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "published_on"
    unique_key_field = "url"

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = pgettext_lazy("singular", "视频发布")
        verbose_name_plural = gettext_lazy("视频发布")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "published_on"], name="publicity_video_date")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=VideoKind.BRAND_PROMO) | models.Q(promotes_brand=True),
                name="publicity_brand_film_promotes_brand",
                violation_error_message=gettext_lazy("区域品牌宣传片总是计入区域公共品牌宣传"),
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.platform}）"

    def get_absolute_url(self):
        return reverse("publicity:video-detail", args=[self.pk])

    def clean(self):
        if self.kind == VideoKind.BRAND_PROMO:
            self.promotes_brand = True
        super().clean()
