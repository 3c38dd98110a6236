"""The supply chain in the API: every ledger through the shared record routes (the same forms,
rules and scoping as the pages), so a delivery created here passes the same stock check. Posted
documents are cancelled with ``POST …/{id}/cancel`` (their DELETE is refused while their stock is
booked); movements are read, transferred and reversed, never changed; balances are read per stock
point as of a day."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from muxiang.core import permissions
from muxiang.core.api import ErrorOut, form_errors, record_router
from muxiang.supply import services
from muxiang.supply.models import StockMovement, Warehouse
from muxiang.supply.views import (
    DeliveryViewSet,
    ProductViewSet,
    PurchaseOrderViewSet,
    ReceiptViewSet,
    StockCountViewSet,
    StockMovementViewSet,
    SupplierViewSet,
    SupplyChainViewSet,
    SystematicServiceViewSet,
    WarehouseViewSet,
)

TAGS = ["supply 供应链"]


class ProductOut(Schema):
    id: int
    code: str
    name: str
    category: str
    specification: str
    unit: str
    gtin: str | None
    producer_id: int | None
    is_agricultural: bool
    notes: str


class ProductIn(Schema):
    code: str | None = None
    name: str | None = None
    category: str | None = None
    specification: str | None = None
    unit: str | None = None
    gtin: str | None = None
    producer: int | None = None
    is_agricultural: bool | None = None
    notes: str | None = None


class SupplierOut(Schema):
    id: int
    name: str
    organisation_id: int | None
    contact_name: str
    contact_phone: str
    address: str
    supplies: str
    notes: str


class SupplierIn(Schema):
    name: str | None = None
    organisation: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    supplies: str | None = None
    notes: str | None = None


class WarehouseOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    station_id: int | None
    address: str
    notes: str


class WarehouseIn(Schema):
    code: str | None = None
    name: str | None = None
    kind: str | None = None
    station: int | None = None
    address: str | None = None
    notes: str | None = None


class OrderLineOut(Schema):
    position: int
    product_id: int
    client_id: int
    quantity: Decimal
    unit_price: Decimal | None


class OrderLineIn(Schema):
    product: int | str
    client: int | str
    quantity: Decimal
    unit_price: Decimal | None = None


class PurchaseOrderOut(Schema):
    id: int
    contract_id: int
    number: str
    supplier_id: int
    warehouse_id: int
    ordered_on: datetime.date
    expected_on: datetime.date | None
    notes: str
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class PurchaseOrderIn(Schema):
    contract: int | None = None
    number: str | None = None
    supplier: int | None = None
    warehouse: int | None = None
    ordered_on: datetime.date | None = None
    expected_on: datetime.date | None = None
    notes: str | None = None
    lines: list[OrderLineIn] | None = None


class ReceiptLineOut(Schema):
    order_line_id: int
    quantity: Decimal


class ReceiptLineIn(Schema):
    line: int
    quantity: Decimal


class ReceiptOut(Schema):
    id: int
    contract_id: int
    number: str
    order_id: int
    received_on: datetime.date
    received_by: str
    notes: str
    lines: list[ReceiptLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class ReceiptIn(Schema):
    number: str | None = None
    order: int | None = None
    received_on: datetime.date | None = None
    received_by: str | None = None
    notes: str | None = None
    receive_all: bool | None = None
    lines: list[ReceiptLineIn] | None = None


class QuantityLineOut(Schema):
    product_id: int
    quantity: Decimal


class QuantityLineIn(Schema):
    product: int | str
    quantity: Decimal


class DeliveryOut(Schema):
    id: int
    contract_id: int
    number: str
    warehouse_id: int
    client_id: int | None
    to_station_id: int | None
    delivered_on: datetime.date
    route: str
    receiver_name: str
    notes: str
    lines: list[QuantityLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class DeliveryIn(Schema):
    contract: int | None = None
    number: str | None = None
    warehouse: int | None = None
    client: int | None = None
    to_station: int | None = None
    delivered_on: datetime.date | None = None
    route: str | None = None
    receiver_name: str | None = None
    notes: str | None = None
    lines: list[QuantityLineIn] | None = None


class CountLineOut(Schema):
    product_id: int
    book_quantity: Decimal
    counted_quantity: Decimal


class StockCountOut(Schema):
    id: int
    contract_id: int
    number: str
    warehouse_id: int
    counted_on: datetime.date
    counted_by: str
    notes: str
    lines: list[CountLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class StockCountIn(Schema):
    contract: int | None = None
    number: str | None = None
    warehouse: int | None = None
    counted_on: datetime.date | None = None
    counted_by: str | None = None
    notes: str | None = None
    lines: list[QuantityLineIn] | None = None


class SystematicServiceOut(Schema):
    id: int
    contract_id: int
    number: str
    organisation_id: int
    kind: str
    provided_on: datetime.date
    content: str
    result: str


class SystematicServiceIn(Schema):
    contract: int | None = None
    number: str | None = None
    organisation: int | None = None
    kind: str | None = None
    provided_on: datetime.date | None = None
    content: str | None = None
    result: str | None = None


class SupplyChainOut(Schema):
    id: int
    contract_id: int
    number: str
    name: str
    product_line: str
    participant_ids: list[int]
    participant_notes: str
    integrated_on: datetime.date
    description: str

    @staticmethod
    def resolve_participant_ids(obj):
        return [o.pk for o in obj.participants.all()]


class SupplyChainIn(Schema):
    contract: int | None = None
    number: str | None = None
    name: str | None = None
    product_line: str | None = None
    participants: list[int] | None = None
    participant_notes: str | None = None
    integrated_on: datetime.date | None = None
    description: str | None = None


class MovementOut(Schema):
    id: int
    warehouse_id: int
    product_id: int
    day: datetime.date
    quantity: Decimal
    kind: str
    receipt_line_id: int | None
    delivery_line_id: int | None
    count_line_id: int | None
    reverses_id: int | None
    note: str


class TransferIn(Schema):
    product: int
    warehouse: int
    target: int
    amount: Decimal
    day: datetime.date
    note: str = ""


class ReverseIn(Schema):
    note: str = ""
    day: datetime.date | None = None


class CancelIn(Schema):
    reason: str = ""


class BalanceOut(Schema):
    product_id: int
    product_code: str
    product_name: str
    unit: str
    quantity: Decimal


def _with_prefetch(viewset, *lookups):
    """The list and read routes of a document return its lines: fetched in one query per kind."""
    original = viewset.base_queryset.__func__

    class Prefetched(viewset):
        @classmethod
        def base_queryset(cls, user, deleted=False):
            return original(cls, user, deleted).prefetch_related(*lookups)

    Prefetched.__name__ = viewset.__name__
    return Prefetched


def _cancel_route(router, viewset, name):
    @router.post(
        "/{int:pk}/cancel",
        response={200: ErrorOut, 400: ErrorOut, 403: ErrorOut},
        summary=f"Cancel one of {name}: reverse its stock and delete it",
        operation_id=f"supply_{viewset.namespace}_cancel",
    )
    def cancel(request, pk: int, payload: CancelIn):
        try:
            record = permissions.get_scoped_or_404(viewset.base_queryset(request.auth), request.auth, pk=pk)
        except Http404 as exc:
            raise HttpError(404, _("找不到编号为 %(pk)s 的记录") % {"pk": pk}) from exc
        try:
            services.cancel_document(record, request.auth, payload.reason)
        except PermissionDenied:
            return 403, {"detail": _("您没有作废此单据的权限")}
        except ValidationError as exc:
            return 400, {"detail": "；".join(exc.messages)}
        return 200, {"detail": _("已作废「%(r)s」，其库存已冲销") % {"r": record}}

    return router


router = Router(tags=TAGS)
router.add_router("/products", record_router(ProductViewSet, ProductOut, ProductIn, TAGS))
router.add_router("/suppliers", record_router(SupplierViewSet, SupplierOut, SupplierIn, TAGS))
router.add_router("/warehouses", record_router(WarehouseViewSet, WarehouseOut, WarehouseIn, TAGS))
router.add_router(
    "/orders",
    record_router(_with_prefetch(PurchaseOrderViewSet, "lines"), PurchaseOrderOut, PurchaseOrderIn, TAGS),
)
router.add_router(
    "/receipts",
    _cancel_route(
        record_router(_with_prefetch(ReceiptViewSet, "lines"), ReceiptOut, ReceiptIn, TAGS),
        ReceiptViewSet,
        "receipts",
    ),
)
router.add_router(
    "/deliveries",
    _cancel_route(
        record_router(_with_prefetch(DeliveryViewSet, "lines"), DeliveryOut, DeliveryIn, TAGS),
        DeliveryViewSet,
        "deliveries",
    ),
)
router.add_router(
    "/counts",
    _cancel_route(
        record_router(_with_prefetch(StockCountViewSet, "lines"), StockCountOut, StockCountIn, TAGS),
        StockCountViewSet,
        "counts",
    ),
)
router.add_router(
    "/services", record_router(SystematicServiceViewSet, SystematicServiceOut, SystematicServiceIn, TAGS)
)
router.add_router(
    "/chains",
    record_router(_with_prefetch(SupplyChainViewSet, "participants"), SupplyChainOut, SupplyChainIn, TAGS),
)

movements = Router(tags=TAGS)


def _movement(request, pk):
    try:
        return permissions.get_scoped_or_404(
            StockMovementViewSet.base_queryset(request.auth), request.auth, pk=pk
        )
    except Http404 as exc:
        raise HttpError(404, _("找不到编号为 %(pk)s 的记录") % {"pk": pk}) from exc


@movements.get(
    "/", response=list[MovementOut], summary="List stock movements", operation_id="supply_movement_list"
)
@paginate(LimitOffsetPagination)
def list_movements(request, q: str | None = None):
    if not permissions.can_view(request.auth, StockMovement):
        raise HttpError(403, _("您没有查看此类记录的权限"))
    filterset = StockMovementViewSet.filterset_class(
        request.GET, queryset=StockMovementViewSet.base_queryset(request.auth), request=request
    )
    if not filterset.is_valid():
        raise HttpError(400, "；".join(f"{k}：{v[0]}" for k, v in filterset.errors.items()))
    return filterset.qs


@movements.get(
    "/{int:pk}", response=MovementOut, summary="Read one stock movement", operation_id="supply_movement_get"
)
def get_movement(request, pk: int):
    return _movement(request, pk)


@movements.post(
    "/transfer",
    response={201: list[MovementOut], 400: ErrorOut, 403: ErrorOut},
    summary="Transfer stock between two stock points",
    operation_id="supply_movement_transfer",
)
def transfer(request, payload: TransferIn):
    if not permissions.can_add(request.auth, StockMovement):
        return 403, {"detail": _("您没有新建此类记录的权限")}
    form = StockMovementViewSet.make_form(request.auth, data=payload.dict())
    if not form.is_valid():
        return 400, {"detail": _("输入有误"), "errors": form_errors(form)}
    try:
        out = form.save()
    except ValidationError as exc:
        return 400, {
            "detail": _("输入有误"),
            "errors": [{"field": "__all__", "message": m} for m in exc.messages],
        }
    return 201, list(StockMovement.objects.filter(transfer_id=out.transfer_id).order_by("pk"))


@movements.post(
    "/{int:pk}/reverse",
    response={201: MovementOut, 400: ErrorOut, 403: ErrorOut},
    summary="Reverse one stock movement",
    operation_id="supply_movement_reverse",
)
def reverse_movement(request, pk: int, payload: ReverseIn):
    movement = _movement(request, pk)
    try:
        return 201, services.reverse_movement(movement, request.auth, payload.note, payload.day)
    except PermissionDenied:
        return 403, {"detail": _("您没有冲销库存流水的权限")}
    except ValidationError as exc:
        return 400, {"detail": "；".join(exc.messages)}


router.add_router("/movements", movements)


@router.get(
    "/balances/{int:pk}",
    response=list[BalanceOut],
    summary="Stock balances of a stock point as of a day",
    operation_id="supply_balances",
)
def stock_balances(request, pk: int, as_of: datetime.date | None = None):
    """``pk``: the stock point."""
    try:
        point = permissions.get_scoped_or_404(Warehouse.objects.all(), request.auth, pk=pk)
    except Http404 as exc:
        raise HttpError(404, _("找不到编号为 %(pk)s 的库存点") % {"pk": pk}) from exc
    return [
        {
            "product_id": b.product.pk,
            "product_code": b.product.code,
            "product_name": b.product.name,
            "unit": b.product.unit,
            "quantity": b.quantity,
        }
        for b in services.balances(point, as_of or timezone.localdate())
    ]
