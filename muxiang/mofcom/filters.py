import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ChoiceFilter
from muxiang.mofcom.choices import DeliveryKind, DeliveryState, TransportKind
from muxiang.mofcom.models import MinistryDelivery


class MinistryDeliveryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("报送类型"), choices=DeliveryKind.choices)
    state = ChoiceFilter(label=_("状态"), choices=DeliveryState.choices)
    transport = ChoiceFilter(label=_("报送方式"), choices=TransportKind.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="period", lookup_expr="year")

    class Meta:
        model = MinistryDelivery
        fields = ["q", "kind", "state", "transport", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(note__icontains=value) | Q(last_error__icontains=value)
        )
