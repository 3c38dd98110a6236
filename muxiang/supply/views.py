"""The supply chain's pages: its ledgers through ``RecordViewSet`` under the one ``supply`` URL
namespace (``supply:delivery-list`` …), the stock balances of a stock point as of a day, and the
client businesses served.

Posted documents (receipts, deliveries, counts) are cancelled, not deleted: their 删除 button
reverses their movements and then deletes them (``services.cancel_document``). Movements are never
edited or deleted; the movement ledger's 新建 is a transfer and each movement has a 冲销 button.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet
from muxiang.organisations.models import Organisation
from muxiang.supply import services
from muxiang.supply.filters import (
    DeliveryFilter,
    ProductFilter,
    PurchaseOrderFilter,
    ReceiptFilter,
    StockCountFilter,
    StockMovementFilter,
    SupplierFilter,
    SupplyChainFilter,
    SystematicServiceFilter,
    WarehouseFilter,
)
from muxiang.supply.forms import (
    DeliveryForm,
    ProductForm,
    PurchaseOrderForm,
    ReceiptForm,
    StockCountForm,
    SupplierForm,
    SupplyChainForm,
    SystematicServiceForm,
    TransferForm,
    WarehouseForm,
)
from muxiang.supply.ledgers import (
    DeliveryLedger,
    ProductLedger,
    PurchaseOrderLedger,
    ReceiptLedger,
    StockCountLedger,
    StockMovementLedger,
    SupplierLedger,
    SupplyChainLedger,
    SystematicServiceLedger,
    WarehouseLedger,
)
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
    format_quantity,
)

LIST = "supply/record_list.html"


def _quantity(field):
    def cell(record, user):
        return format_quantity(getattr(record, field))

    return cell


class SupplyViewSet(RecordViewSet):
    list_template = LIST

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        if not getattr(cls.ledger_class, "importable", True):
            context["can_import"] = False
        return context

    @classmethod
    def import_view(cls, request):
        if not getattr(cls.ledger_class, "importable", True):
            if not permissions.can_view(request.user, cls.model):
                raise PermissionDenied
            messages.error(
                request,
                _("%(l)s由单据记账生成，不能导入；请导入集中采购、到货入库、统一配送或库存盘点")
                % {"l": cls.model._meta.verbose_name_plural},
            )
            return redirect(cls.url("list"))
        return super().import_view(request)

    @classmethod
    def template_view(cls, request):
        if not getattr(cls.ledger_class, "importable", True):
            return cls.import_view(request)
        return super().template_view(request)


class ProductViewSet(SupplyViewSet):
    model = Product
    namespace = LedgerRoute("supply", "product")
    url_prefix = "products"
    form_class = ProductForm
    filterset_class = ProductFilter
    ledger_class = ProductLedger
    select_related = ("producer",)
    list_columns = [
        ListColumn(gettext_lazy("商品编号"), "code"),
        ListColumn(gettext_lazy("商品名称"), "name"),
        ListColumn(gettext_lazy("品类"), "category"),
        ListColumn(gettext_lazy("规格"), "specification"),
        ListColumn(gettext_lazy("计量单位"), "unit"),
        ListColumn(gettext_lazy("生产企业"), lambda p, u: p.producer.name if p.producer_id else ""),
    ]


class SupplierViewSet(SupplyViewSet):
    model = Supplier
    namespace = LedgerRoute("supply", "supplier")
    url_prefix = "suppliers"
    form_class = SupplierForm
    filterset_class = SupplierFilter
    ledger_class = SupplierLedger
    list_columns = [
        ListColumn(gettext_lazy("供应商名称"), "name"),
        ListColumn(gettext_lazy("主供商品"), "supplies"),
        ListColumn(gettext_lazy("联系人"), "contact_name"),
        ListColumn(gettext_lazy("联系电话"), "contact_phone"),
    ]


class WarehouseViewSet(SupplyViewSet):
    model = Warehouse
    namespace = LedgerRoute("supply", "warehouse")
    url_prefix = "warehouses"
    form_class = WarehouseForm
    filterset_class = WarehouseFilter
    ledger_class = WarehouseLedger
    select_related = ("station",)
    list_columns = [
        ListColumn(gettext_lazy("库存点编号"), "code"),
        ListColumn(gettext_lazy("库存点名称"), "name"),
        ListColumn(gettext_lazy("类型"), "kind"),
        ListColumn(gettext_lazy("所属站点"), lambda w, u: w.station.name if w.station_id else ""),
        ListColumn(gettext_lazy("库存余额"), lambda w, u: _("查看")),
    ]

    @classmethod
    def related_sections(cls, record, user):
        today = timezone.localdate()
        return [
            (
                _("今日库存余额"),
                [_("商品编号"), _("商品"), _("数量"), _("单位")],
                [
                    (
                        reverse("supply:movement-list") + f"?warehouse={record.pk}&product={b.product.pk}",
                        [b.product.code, b.product.name, format_quantity(b.quantity), b.product.unit],
                    )
                    for b in services.balances(record, today)
                ],
            )
        ]


class PurchaseOrderViewSet(SupplyViewSet):
    model = PurchaseOrder
    namespace = LedgerRoute("supply", "order")
    url_prefix = "orders"
    form_class = PurchaseOrderForm
    filterset_class = PurchaseOrderFilter
    ledger_class = PurchaseOrderLedger
    select_related = ("contract", "supplier", "warehouse")
    detail_template = "supply/order_detail.html"
    list_columns = [
        ListColumn(gettext_lazy("采购单号"), "number"),
        ListColumn(gettext_lazy("供应商"), lambda o, u: o.supplier.name),
        ListColumn(gettext_lazy("收货库存点"), lambda o, u: o.warehouse.name),
        ListColumn(gettext_lazy("下单日期"), "ordered_on"),
        ListColumn(gettext_lazy("需求企业数"), lambda o, u: o.client_count),
        ListColumn(gettext_lazy("明细行数"), lambda o, u: o.line_count),
    ]

    @classmethod
    def base_queryset(cls, user, deleted=False):
        return (
            super()
            .base_queryset(user, deleted)
            .annotate(
                client_count=Count("lines__client", distinct=True), line_count=Count("lines", distinct=True)
            )
            # A grouped query ignores Meta.ordering.
            .order_by("-ordered_on", "-id")
        )

    @classmethod
    def related_sections(cls, record, user):
        received = services.received_by_line(record)
        lines = record.lines.select_related("product", "client")
        receipts = record.receipts.all()
        return [
            (
                _("采购明细"),
                [_("行号"), _("需求企业"), _("商品"), _("采购数量"), _("已到货"), _("待到货")],
                [
                    (
                        None,
                        [
                            line.position,
                            line.client.name,
                            line.product.name,
                            f"{format_quantity(line.quantity)}{line.product.unit}",
                            format_quantity(received.get(line.pk, 0)),
                            format_quantity(line.quantity - received.get(line.pk, 0)),
                        ],
                    )
                    for line in lines
                ],
            ),
            (
                _("到货入库"),
                [_("入库单号"), _("到货日期"), _("验收人")],
                [
                    (reverse("supply:receipt-detail", args=[r.pk]), [r.number, r.received_on, r.received_by])
                    for r in receipts
                ],
            ),
        ]


class PostedViewSet(SupplyViewSet):
    """Receipts, deliveries and counts: deleting one cancels it (作废), reversing its stock."""

    @classmethod
    def delete_view(cls, request, pk):
        record = cls.get_record(request, pk)
        try:
            services.cancel_document(record, request.user)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(cls.url("detail", record.pk))
        messages.success(request, _("已作废「%(r)s」，其库存已冲销") % {"r": record})
        return redirect(cls.url("list"))

    @classmethod
    def movement_section(cls, record):
        movements = record.movements().select_related("product", "warehouse")
        return (
            _("库存流水"),
            [_("流水号"), _("记账日期"), _("库存点"), _("商品"), _("数量"), _("已冲销")],
            [
                (
                    reverse("supply:movement-detail", args=[m.pk]),
                    [
                        m.pk,
                        m.day,
                        m.warehouse.name,
                        m.product.name,
                        format_quantity(m.quantity),
                        _("是") if m.reversed else "",
                    ],
                )
                for m in movements.annotate(reversed=Count("reversal"))
            ],
        )


class ReceiptViewSet(PostedViewSet):
    model = Receipt
    namespace = LedgerRoute("supply", "receipt")
    url_prefix = "receipts"
    form_class = ReceiptForm
    filterset_class = ReceiptFilter
    ledger_class = ReceiptLedger
    select_related = ("contract", "order")
    list_columns = [
        ListColumn(gettext_lazy("入库单号"), "number"),
        ListColumn(gettext_lazy("采购单号"), lambda r, u: r.order.number),
        ListColumn(gettext_lazy("到货日期"), "received_on"),
        ListColumn(gettext_lazy("验收人"), "received_by"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        lines = record.lines.select_related("order_line__product", "order_line__client")
        return [
            (
                _("到货明细"),
                [_("行号"), _("需求企业"), _("商品"), _("到货数量")],
                [
                    (
                        None,
                        [
                            line.order_line.position,
                            line.order_line.client.name,
                            line.order_line.product.name,
                            format_quantity(line.quantity),
                        ],
                    )
                    for line in lines
                ],
            ),
            cls.movement_section(record),
        ]


class DeliveryViewSet(PostedViewSet):
    model = Delivery
    namespace = LedgerRoute("supply", "delivery")
    url_prefix = "deliveries"
    form_class = DeliveryForm
    filterset_class = DeliveryFilter
    ledger_class = DeliveryLedger
    select_related = ("contract", "warehouse", "client", "to_station")
    list_columns = [
        ListColumn(gettext_lazy("配送单号"), "number"),
        ListColumn(gettext_lazy("配送日期"), "delivered_on"),
        ListColumn(gettext_lazy("发货库存点"), lambda d, u: d.warehouse.name),
        ListColumn(gettext_lazy("收货方"), lambda d, u: d.client.name if d.client_id else d.to_station.name),
        ListColumn(gettext_lazy("配送线路"), "route"),
        ListColumn(gettext_lazy("签收人"), "receiver_name"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        lines = record.lines.select_related("product")
        return [
            (
                _("配送明细"),
                [_("商品编号"), _("商品"), _("数量")],
                [
                    (
                        None,
                        [
                            line.product.code,
                            line.product.name,
                            f"{format_quantity(line.quantity)}{line.product.unit}",
                        ],
                    )
                    for line in lines
                ],
            ),
            cls.movement_section(record),
        ]


class StockCountViewSet(PostedViewSet):
    model = StockCount
    namespace = LedgerRoute("supply", "count")
    url_prefix = "counts"
    form_class = StockCountForm
    filterset_class = StockCountFilter
    ledger_class = StockCountLedger
    select_related = ("contract", "warehouse")
    list_columns = [
        ListColumn(gettext_lazy("盘点单号"), "number"),
        ListColumn(gettext_lazy("库存点"), lambda c, u: c.warehouse.name),
        ListColumn(gettext_lazy("盘点日期"), "counted_on"),
        ListColumn(gettext_lazy("盘点人"), "counted_by"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        lines = record.lines.select_related("product")
        return [
            (
                _("盘点明细"),
                [_("商品"), _("账面数量"), _("实盘数量"), _("盈亏")],
                [
                    (
                        None,
                        [
                            line.product.name,
                            format_quantity(line.book_quantity),
                            format_quantity(line.counted_quantity),
                            format_quantity(line.difference),
                        ],
                    )
                    for line in lines
                ],
            ),
            cls.movement_section(record),
        ]


class StockMovementViewSet(SupplyViewSet):
    """The movement ledger: read, transfer (新建) and reverse; never edited or deleted."""

    model = StockMovement
    namespace = LedgerRoute("supply", "movement")
    url_prefix = "movements"
    form_class = TransferForm
    filterset_class = StockMovementFilter
    ledger_class = StockMovementLedger
    select_related = ("warehouse", "product")
    detail_template = "supply/movement_detail.html"
    list_columns = [
        ListColumn(gettext_lazy("流水号"), "pk"),
        ListColumn(gettext_lazy("记账日期"), "day"),
        ListColumn(gettext_lazy("库存点"), lambda m, u: m.warehouse.name),
        ListColumn(gettext_lazy("商品"), lambda m, u: m.product.name),
        ListColumn(gettext_lazy("类型"), "kind"),
        ListColumn(gettext_lazy("数量"), _quantity("quantity")),
        ListColumn(gettext_lazy("说明"), "note"),
    ]

    @classmethod
    def record_urls(cls):
        return [
            *super().record_urls(),
            path("<int:pk>/reverse/", login_required(require_POST(cls.reverse_view)), name="reverse"),
        ]

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        if "record" in extra:
            record = extra["record"]
            context.update(
                can_change=False,
                can_delete=False,
                can_purge=False,
                can_reverse=permissions.can_change(request.user, record)
                and record.kind != "reversal"
                and not StockMovement.objects.filter(reverses=record).exists(),
            )
        return context

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        document = record.document
        if document is not None:
            rows.append((_("来源单据"), str(document)))
        return rows

    @classmethod
    def _refuse(cls, request, pk):
        cls.get_record(request, pk)
        raise PermissionDenied(_("库存流水不能修改或删除；更正请冲销"))

    @classmethod
    def edit_view(cls, request, pk):
        return cls._refuse(request, pk)

    @classmethod
    def delete_view(cls, request, pk):
        return cls._refuse(request, pk)

    @classmethod
    def restore_view(cls, request, pk):
        return cls._refuse(request, pk)

    @classmethod
    def purge_view(cls, request, pk):
        return cls._refuse(request, pk)

    @classmethod
    def reverse_view(cls, request, pk):
        record = cls.get_record(request, pk)
        try:
            reversal = services.reverse_movement(
                record, request.user, note=request.POST.get("note", "")[:200]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(cls.url("detail", record.pk))
        messages.success(request, _("已冲销，冲销流水号 %(n)s") % {"n": reversal.pk})
        return redirect(cls.url("detail", reversal.pk))


class SystematicServiceViewSet(SupplyViewSet):
    model = SystematicService
    namespace = LedgerRoute("supply", "service")
    url_prefix = "services"
    form_class = SystematicServiceForm
    filterset_class = SystematicServiceFilter
    ledger_class = SystematicServiceLedger
    select_related = ("contract", "organisation")
    list_columns = [
        ListColumn(gettext_lazy("服务编号"), "number"),
        ListColumn(gettext_lazy("服务对象"), lambda s, u: s.organisation.name),
        ListColumn(gettext_lazy("服务类型"), "kind"),
        ListColumn(gettext_lazy("服务日期"), "provided_on"),
        ListColumn(gettext_lazy("服务成果"), "result"),
    ]


class SupplyChainViewSet(SupplyViewSet):
    model = SupplyChain
    namespace = LedgerRoute("supply", "chain")
    url_prefix = "chains"
    form_class = SupplyChainForm
    filterset_class = SupplyChainFilter
    ledger_class = SupplyChainLedger
    select_related = ("contract",)
    list_columns = [
        ListColumn(gettext_lazy("编号"), "number"),
        ListColumn(gettext_lazy("供应链名称"), "name"),
        ListColumn(gettext_lazy("产品线"), "product_line"),
        ListColumn(gettext_lazy("整合日期"), "integrated_on"),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        rows.append((_("参与主体"), "、".join(o.name for o in record.participants.all())))
        return rows


VIEWSETS = [
    DeliveryViewSet,
    PurchaseOrderViewSet,
    ReceiptViewSet,
    StockMovementViewSet,
    StockCountViewSet,
    WarehouseViewSet,
    ProductViewSet,
    SupplierViewSet,
    SystematicServiceViewSet,
    SupplyChainViewSet,
]


def _as_of(text: str) -> tuple[datetime.date, str | None]:
    today = timezone.localdate()
    if not text:
        return today, None
    try:
        return datetime.date.fromisoformat(text.strip()), None
    except ValueError:
        return today, _("日期格式应为 2026-03-15：%(v)s") % {"v": text[:20]}


@login_required
@require_GET
def balances(request):
    """The stock of a stock point as of a day (``?warehouse=<id>&as_of=2026-03-15``), summed
    from its movements by the database. A station manager sees only their own stock point."""
    if not permissions.can_view(request.user, Warehouse):
        raise PermissionDenied
    warehouses = list(permissions.scope(Warehouse.objects.select_related("station"), request.user))
    as_of, problem = _as_of(request.GET.get("as_of", ""))
    chosen = None
    wanted = request.GET.get("warehouse", "")
    if wanted:
        chosen = next((w for w in warehouses if str(w.pk) == wanted), None)
        if chosen is None:
            problem = _("找不到该库存点，或您无权查看")
    elif warehouses:
        chosen = warehouses[0]
    rows = services.balances(chosen, as_of) if chosen else []
    return render(
        request,
        "supply/balances.html",
        {
            "warehouses": warehouses,
            "chosen": chosen,
            "as_of": as_of,
            "rows": [(b.product, format_quantity(b.quantity)) for b in rows],
            "problem": problem,
            "ledger_tabs": DeliveryViewSet.sibling_tabs(request.user),
        },
        status=400 if problem else 200,
    )


@login_required
@require_GET
def clients(request):
    """The client businesses served (2.1 一): every organisation with a purchase-order line or a
    delivery, with how many of each and the last delivery's day."""
    if not permissions.can_view(request.user, PurchaseOrder):
        raise PermissionDenied
    served = (
        Organisation.objects.filter(
            Q(supply_order_lines__order__deleted_at__isnull=True)
            | Q(supply_deliveries__deleted_at__isnull=True)
        )
        .annotate(
            order_lines=Count(
                "supply_order_lines",
                filter=Q(supply_order_lines__order__deleted_at__isnull=True),
                distinct=True,
            ),
            deliveries=Count(
                "supply_deliveries", filter=Q(supply_deliveries__deleted_at__isnull=True), distinct=True
            ),
            last_delivery=Max(
                "supply_deliveries__delivered_on", filter=Q(supply_deliveries__deleted_at__isnull=True)
            ),
        )
        .distinct()
        .order_by("name")
    )
    recipients = (
        Organisation.objects.filter(systematic_services__deleted_at__isnull=True)
        .annotate(
            services=Count(
                "systematic_services", filter=Q(systematic_services__deleted_at__isnull=True), distinct=True
            ),
            last_service=Max(
                "systematic_services__provided_on", filter=Q(systematic_services__deleted_at__isnull=True)
            ),
        )
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "supply/clients.html",
        {
            "served": served,
            "recipients": recipients,
            "ledger_tabs": DeliveryViewSet.sibling_tabs(request.user),
        },
    )
