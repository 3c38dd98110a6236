import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract, Phase
from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter
from muxiang.organisations.models import Organisation
from muxiang.regions.models import Region
from muxiang.sales.choices import SaleMode, SalesChannel
from muxiang.sales.models import CensusEntry, ProductCensus, Sale
from muxiang.supply.models import Product

PHASES = [(1, _("第一阶段")), (2, _("第二阶段")), (3, _("第三阶段"))]


def _clean(value: str) -> str:
    # PostgreSQL refuses NUL characters in text parameters; nobody types them on purpose.
    return value.replace("\x00", "")


class SaleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())
    phase = ChoiceFilter(label=_("阶段"), choices=PHASES, method="in_phase")
    channel = ChoiceFilter(label=_("销售渠道"), choices=SalesChannel.choices)
    mode = ChoiceFilter(label=_("线上/线下"), choices=SaleMode.choices)
    seller = ModelChoiceFilter(label=_("销售主体"), queryset=Organisation.objects.all())
    product = ModelChoiceFilter(label=_("商品"), queryset=Product.objects.all())

    class Meta:
        model = Sale
        fields = ["q", "contract", "phase", "channel", "mode", "seller", "product"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(order_number__icontains=value)
            | Q(source__icontains=value)
            | Q(buyer__icontains=value)
            | Q(product__name__icontains=value)
        )

    def in_phase(self, queryset, name, value):
        """Sales dated in phase ``value`` of their own contract: one range per contract."""
        phases = Phase.objects.filter(number=int(value))
        wanted = Q(pk__in=[])
        for phase in phases:
            wanted |= Q(contract_id=phase.contract_id, sold_on__range=(phase.start, phase.end))
        return queryset.filter(wanted)


class ProductCensusFilter(django_filters.FilterSet):
    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = ProductCensus
        fields = ["contract", "year"]


class CensusEntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    census = ModelChoiceFilter(label=_("年度版本"), queryset=ProductCensus.objects.all())
    town = ModelChoiceFilter(label=_("镇/苏木"), queryset=Region.objects.towns())

    class Meta:
        model = CensusEntry
        fields = ["q", "census", "town"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(category__icontains=value)
            | Q(own_brands__icontains=value)
            | Q(ecommerce_firms__icontains=value)
        )
