import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract
from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter
from muxiang.publicity.choices import ArticleChannel, MediaLevel, VideoKind
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, MediaCoverage, Video
from muxiang.regions.models import Region


class PublicityFilterSet(django_filters.FilterSet):
    """Search, contract and a date range on the record's own date (``date_field``)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())
    since = django_filters.DateFilter(label=_("起始日期"), method="from_day")
    until = django_filters.DateFilter(label=_("截止日期"), method="to_day")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    def from_day(self, queryset, name, value):
        return queryset.filter(**{f"{self._meta.model.date_field}__gte": value})

    def to_day(self, queryset, name, value):
        return queryset.filter(**{f"{self._meta.model.date_field}__lte": value})


class ArticleFilter(PublicityFilterSet):
    channel = ChoiceFilter(label=_("发布渠道"), choices=ArticleChannel.choices)
    promotes_brand = YesNoFilter(label=_("区域公共品牌宣传"))
    search_fields = ("title", "account", "url", "notes")

    class Meta:
        model = Article
        fields = ["q", "contract", "channel", "promotes_brand", "since", "until"]


class MediaCoverageFilter(PublicityFilterSet):
    level = ChoiceFilter(label=_("媒体级别"), choices=MediaLevel.choices)
    promotes_brand = YesNoFilter(label=_("区域公共品牌宣传"))
    search_fields = ("outlet", "title", "url")

    class Meta:
        model = MediaCoverage
        fields = ["q", "contract", "level", "promotes_brand", "since", "until"]


class BillboardFilter(PublicityFilterSet):
    region = ModelChoiceFilter(
        label=_("所在镇村"), queryset=Region.objects.exclude(level="county"), method="in_region"
    )
    search_fields = ("number", "place", "content")

    class Meta:
        model = Billboard
        fields = ["q", "contract", "region", "since", "until"]

    def in_region(self, queryset, name, value):
        # A town holds its villages: the boards of 海流图镇 include those of its villages.
        return queryset.filter(region__in=Region.objects.within(value))


class BrochureDistributionFilter(BillboardFilter):
    search_fields = ("number", "title", "place", "audience")

    class Meta:
        model = BrochureDistribution
        fields = ["q", "contract", "region", "since", "until"]


class VideoFilter(PublicityFilterSet):
    kind = ChoiceFilter(label=_("视频类别"), choices=VideoKind.choices)
    promotes_brand = YesNoFilter(label=_("区域公共品牌宣传"))
    search_fields = ("title", "platform", "url")

    class Meta:
        model = Video
        fields = ["q", "contract", "kind", "promotes_brand", "since", "until"]
