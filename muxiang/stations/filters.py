import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter
from muxiang.regions.models import Region
from muxiang.stations.choices import StationLevel, StationStatus
from muxiang.stations.models import Station


class StationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    level = ChoiceFilter(label=_("级别"), choices=StationLevel.choices)
    status = ChoiceFilter(label=_("状态"), choices=StationStatus.choices)
    town = ModelChoiceFilter(label=_("镇/苏木"), queryset=Region.objects.towns(), method="in_town")
    is_premium = YesNoFilter(label=_("精品站点"))

    class Meta:
        model = Station
        fields = ["q", "level", "status", "town", "is_premium"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value)
        )

    def in_town(self, queryset, name, town):
        return queryset.in_region(town)
