import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core import permissions
from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter
from muxiang.organisations.models import Organisation
from muxiang.supply.choices import MovementKind, SystematicServiceKind, WarehouseKind
from muxiang.supply.models import (
    Delivery,
    Product,
    PurchaseOrder,
    Receipt,
    StockCount,
    StockMovement,
    Supplier,
    SupplyChain,
    SystematicService,
    Warehouse,
)


def _stock_points(request):
    # A station manager is offered only their own stock point.
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return permissions.scope(Warehouse.objects.all(), user)


def _clean(value: str) -> str:
    # PostgreSQL refuses NUL characters in text parameters; nobody types them on purpose.
    return value.replace("\x00", "")


class SearchFilter(django_filters.FilterSet):
    """A ``q`` search over ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    def search(self, queryset, name, value):
        value = _clean(value)
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class DateRangeMixin(django_filters.FilterSet):
    since = django_filters.DateFilter(label=_("起始日期"), method="date_since")
    until = django_filters.DateFilter(label=_("截止日期"), method="date_until")
    date_field = ""

    def date_since(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def date_until(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__lte": value})


class ProductFilter(SearchFilter):
    search_fields = ("code", "name", "category", "gtin")

    class Meta:
        model = Product
        fields = ["q"]


class SupplierFilter(SearchFilter):
    search_fields = ("name", "supplies", "contact_name")

    class Meta:
        model = Supplier
        fields = ["q"]


class WarehouseFilter(SearchFilter):
    search_fields = ("code", "name", "address")
    kind = ChoiceFilter(label=_("类型"), choices=WarehouseKind.choices)

    class Meta:
        model = Warehouse
        fields = ["q", "kind"]


class PurchaseOrderFilter(SearchFilter, DateRangeMixin):
    search_fields = ("number", "notes", "lines__client__name")
    date_field = "ordered_on"
    supplier = ModelChoiceFilter(label=_("供应商"), queryset=Supplier.objects.all())

    class Meta:
        model = PurchaseOrder
        fields = ["q", "supplier", "since", "until"]

    def search(self, queryset, name, value):
        return super().search(queryset, name, value).distinct()


class ReceiptFilter(SearchFilter, DateRangeMixin):
    search_fields = ("number", "order__number", "received_by")
    date_field = "received_on"

    class Meta:
        model = Receipt
        fields = ["q", "since", "until"]


class DeliveryFilter(SearchFilter, DateRangeMixin):
    search_fields = ("number", "route", "receiver_name", "client__name", "to_station__name")
    date_field = "delivered_on"
    warehouse = ModelChoiceFilter(label=_("发货库存点"), queryset=_stock_points)
    client = ModelChoiceFilter(label=_("收货企业"), queryset=Organisation.objects.all())

    class Meta:
        model = Delivery
        fields = ["q", "warehouse", "client", "since", "until"]


class StockCountFilter(SearchFilter, DateRangeMixin):
    search_fields = ("number", "counted_by", "notes")
    date_field = "counted_on"
    warehouse = ModelChoiceFilter(label=_("库存点"), queryset=_stock_points)

    class Meta:
        model = StockCount
        fields = ["q", "warehouse", "since", "until"]


class StockMovementFilter(SearchFilter, DateRangeMixin):
    search_fields = ("product__code", "product__name", "note")
    date_field = "day"
    warehouse = ModelChoiceFilter(label=_("库存点"), queryset=_stock_points)
    product = ModelChoiceFilter(label=_("商品"), queryset=Product.objects.all())
    kind = ChoiceFilter(label=_("类型"), choices=MovementKind.choices)

    class Meta:
        model = StockMovement
        fields = ["q", "warehouse", "product", "kind", "since", "until"]


class SystematicServiceFilter(SearchFilter, DateRangeMixin):
    search_fields = ("number", "organisation__name", "content", "result")
    date_field = "provided_on"
    kind = ChoiceFilter(label=_("服务类型"), choices=SystematicServiceKind.choices)

    class Meta:
        model = SystematicService
        fields = ["q", "kind", "since", "until"]


class SupplyChainFilter(SearchFilter):
    search_fields = ("number", "name", "product_line", "description")

    class Meta:
        model = SupplyChain
        fields = ["q"]
