import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter
from muxiang.network.choices import OutletKind, OutletStatus
from muxiang.network.models import Outlet
from muxiang.organisations.models import Organisation
from muxiang.regions.models import Region


class OutletFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("网点类型"), choices=OutletKind.choices)
    status = ChoiceFilter(label=_("状态"), choices=OutletStatus.choices)
    town = ModelChoiceFilter(label=_("镇/苏木"), queryset=Region.objects.towns(), method="in_town")
    operator = ModelChoiceFilter(label=_("运营单位"), queryset=Organisation.objects.all())
    digital = YesNoFilter(label=_("已数字化经营"))

    class Meta:
        model = Outlet
        fields = ["q", "kind", "status", "town", "operator", "digital"]

    def search(self, queryset, name, value):
        # PostgreSQL refuses NUL characters in text parameters; nobody types them on purpose.
        value = value.replace("\x00", "")
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value)
        )

    def in_town(self, queryset, name, town):
        return queryset.in_region(town)
