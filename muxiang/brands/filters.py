import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.brands.choices import BrandServiceKind, BrandTier, TrademarkStatus
from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, ProductSeries, SeriesProduct
from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter


class BrandFilterSet(django_filters.FilterSet):
    """Search, and a date range on the record's own date (``date_field``)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
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


class BrandFilter(BrandFilterSet):
    tier = ChoiceFilter(label=_("品牌层级"), choices=BrandTier.choices)
    trademark_status = ChoiceFilter(label=_("商标状态"), choices=TrademarkStatus.choices)
    search_fields = ("name", "industry", "owner__name", "trademark_number")

    class Meta:
        model = Brand
        fields = ["q", "tier", "trademark_status", "since", "until"]


class BrandMemberFilter(BrandFilterSet):
    current = YesNoFilter(label=_("仍为成员"), method="still_member")
    search_fields = ("organisation__name", "authorisation_number", "products")

    class Meta:
        model = BrandMember
        fields = ["q", "current", "since", "until"]

    def still_member(self, queryset, name, value):
        return queryset.filter(left_on__isnull=value)


class BrandServiceFilter(BrandFilterSet):
    kind = ChoiceFilter(label=_("服务类型"), choices=BrandServiceKind.choices)
    search_fields = ("number", "member__organisation__name", "content")

    class Meta:
        model = BrandService
        fields = ["q", "kind", "since", "until"]


class ProductSeriesFilter(BrandFilterSet):
    brand = ModelChoiceFilter(label=_("所属品牌"), queryset=Brand.objects.all())
    search_fields = ("code", "name", "description")

    class Meta:
        model = ProductSeries
        fields = ["q", "brand", "since", "until"]


class SeriesProductFilter(BrandFilterSet):
    series = ModelChoiceFilter(label=_("产品系列"), queryset=ProductSeries.objects.all())
    search_fields = ("product__name", "product__code", "selling_points")

    class Meta:
        model = SeriesProduct
        fields = ["q", "series", "since", "until"]


class PackagingRunFilter(BrandFilterSet):
    series = ModelChoiceFilter(label=_("产品系列"), queryset=ProductSeries.objects.all())
    search_fields = ("number", "design", "supplier", "invoice_number")

    class Meta:
        model = PackagingRun
        fields = ["q", "series", "since", "until"]
