import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ModelChoiceFilter, YesNoFilter
from muxiang.standards.models import StandardAdoption, StandardVersion, TradeStandard


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class TradeStandardFilter(SearchFilterSet):
    search_fields = ("title", "industry", "issuer")

    class Meta:
        model = TradeStandard
        fields = ["q"]


class StandardVersionFilter(SearchFilterSet):
    standard = ModelChoiceFilter(label=_("标准"), queryset=TradeStandard.objects.all())
    is_current = YesNoFilter(label=_("现行版本"))
    search_fields = ("number", "version", "changes")

    class Meta:
        model = StandardVersion
        fields = ["q", "standard", "is_current"]


class StandardAdoptionFilter(SearchFilterSet):
    standard = ModelChoiceFilter(label=_("标准"), queryset=TradeStandard.objects.all())
    search_fields = ("organisation__name", "products")

    class Meta:
        model = StandardAdoption
        fields = ["q", "standard"]
