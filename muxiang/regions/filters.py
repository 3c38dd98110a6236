import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter
from muxiang.regions.choices import RegionLevel
from muxiang.regions.models import Region


class RegionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    level = ChoiceFilter(label=_("级别"), choices=RegionLevel.choices)
    parent = ModelChoiceFilter(label=_("上级"), queryset=Region.objects.exclude(level="village"))
    exited_poverty = YesNoFilter(label=_("出列村"))

    class Meta:
        model = Region
        fields = ["q", "level", "parent", "exited_poverty"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(code__startswith=value) | Q(path__icontains=value)
        )
