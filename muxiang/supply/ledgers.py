"""The supply chain's ledgers (台账). The catalogue, suppliers, stock points, systematic services
and supply chains import and export; the posted documents and the movements export only: each of
their rows moved stock, so they are entered one by one through the services (form or API), which
check the stock of every line."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from muxiang.contracts.records import ContractRecordLedger, contract_column
from muxiang.core.ledgers import Column, ForeignColumn, Ledger, boolean, checked, choice, date_cell, text
from muxiang.organisations.models import Organisation
from muxiang.stations.models import Station
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
    format_quantity,
)
from muxiang.supply.validators import validate_gtin


def _gtin_problem(value: str) -> str | None:
    try:
        validate_gtin(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def organisation_column(field: str, header: str, required=False) -> ForeignColumn:
    return ForeignColumn(
        field,
        header,
        Organisation,
        keys=("credit_code", "name"),
        required=required,
        note="统一社会信用代码，或不重名的单位名称",
        export=lambda record, ledger: str(getattr(record, field) or ""),
    )


def day(field, header):
    return Column(
        field, header, date_cell(allow_future=False), required=True, note="不晚于今天", example="2026-03-15"
    )


def number_column(header: str, example: str) -> Column:
    return Column(
        "number", header, text(40), required=True, note="导入时必填，用于匹配已有记录", example=example
    )


def lines_of(record, ledger) -> str:
    """The lines of a document in one cell: 商品 数量单位; …"""
    return "；".join(
        f"{line.product.name} {format_quantity(line.quantity)}{line.product.unit}"
        for line in record.lines.all()
    )


class ProductLedger(Ledger):
    """The product catalogue, matched on the product code."""

    model = Product
    sheet_name = "商品"
    key_field = "code"
    repr_field = "code"
    select_related = ("producer",)
    columns = [
        Column("code", "商品编号", text(40), required=True, example="SP-0001"),
        Column("name", "商品名称", text(100), required=True, example="巴美肉羊分割羊排"),
        Column("category", "品类", text(50), example="肉羊"),
        Column("specification", "规格", text(100), example="2kg/袋"),
        Column("unit", "计量单位", text(10), required=True, example="袋"),
        Column("gtin", "商品条码（GTIN）", checked(_gtin_problem), note="8、12、13 或 14 位数字，校验位正确"),
        organisation_column("producer", "生产企业"),
        Column("is_agricultural", "农产品", boolean(), example="是"),
        Column("notes", "备注", text(200)),
    ]

    def clean_row(self, values):
        values["gtin"] = values.get("gtin") or None
        if values.get("is_agricultural") is None:
            values["is_agricultural"] = True


class SupplierLedger(Ledger):
    """Suppliers, matched on the name."""

    model = Supplier
    sheet_name = "供应商"
    key_field = "name"
    repr_field = "name"
    select_related = ("organisation",)
    columns = [
        Column("name", "供应商名称", text(150), required=True, example="乌拉特中旗河套雪面粉有限公司"),
        organisation_column("organisation", "对应组织"),
        Column("contact_name", "联系人", text(50)),
        Column("contact_phone", "联系电话", text(20)),
        Column("address", "地址", text(200)),
        Column("supplies", "主供商品", text(200), example="河套小麦粉"),
        Column("notes", "备注", text(200)),
    ]


class WarehouseLedger(Ledger):
    """Stock points, matched on their code; a station's stock point names the station's code."""

    model = Warehouse
    sheet_name = "库存点"
    key_field = "code"
    repr_field = "code"
    select_related = ("station",)
    columns = [
        Column("code", "库存点编号", text(30), required=True, example="CK-01"),
        Column("name", "库存点名称", text(100), required=True, example="乌拉特中旗县级仓储配送中心"),
        Column(
            "kind",
            "类型",
            choice(WarehouseKind),
            required=True,
            options=[str(label) for label in WarehouseKind.labels],
        ),
        ForeignColumn(
            "station",
            "所属站点编号",
            Station,
            keys=("code", "name"),
            note="站点库存点必填",
            export=lambda record, ledger: record.station.code if record.station_id else "",
        ),
        Column("address", "地址", text(200)),
        Column("notes", "备注", text(200)),
    ]

    def clean_row(self, values):
        from muxiang.core.ledgers import CellError

        if values["kind"] == WarehouseKind.STATION and values.get("station") is None:
            raise CellError("所属站点编号", _("站点库存点请填写所属站点编号"))
        if values["kind"] == WarehouseKind.COUNTY and values.get("station") is not None:
            raise CellError("所属站点编号", _("县级仓库不属于站点，请留空"))

    def validate_plans(self, plans, report):
        """A station has one stock point: in the file, or with a stored one the file does not
        replace."""
        in_file = {p.pk for p in plans if p.pk}
        seen = {}
        for plan in plans:
            station = plan.values.get("station")
            if station is None:
                continue
            if station.pk in seen:
                report.add(
                    plan.number, "所属站点编号", _("与第 %(r)d 行属于同一站点") % {"r": seen[station.pk]}
                )
            seen[station.pk] = plan.number
        taken = set(
            Warehouse.all_objects.filter(station_id__in=list(seen))
            .exclude(pk__in=in_file)
            .values_list("station_id", flat=True)
        )
        for station_id, number in seen.items():
            if station_id in taken:
                report.add(number, "所属站点编号", _("该站点已有库存点"))


class SystematicServiceLedger(ContractRecordLedger):
    """Systematic services, matched on the service number."""

    model = SystematicService
    sheet_name = "系统化服务"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "organisation")
    columns = [
        contract_column(),
        number_column("服务编号", "FW-202603-001"),
        organisation_column("organisation", "服务对象", required=True),
        Column(
            "kind",
            "服务类型",
            choice(SystematicServiceKind),
            required=True,
            options=[str(label) for label in SystematicServiceKind.labels],
        ),
        day("provided_on", "服务日期"),
        Column("content", "服务内容", text(5000), required=True, example="协助办理商标注册申请"),
        Column("result", "服务成果", text(5000), example="商标注册申请已受理"),
    ]

    def clean_row(self, values):
        from muxiang.core.ledgers import CellError
        from muxiang.supply.choices import SYSTEMATIC_RECIPIENT_KINDS

        super().clean_row(values)
        organisation = values["organisation"]
        if organisation.kind not in SYSTEMATIC_RECIPIENT_KINDS:
            raise CellError(
                "服务对象",
                _("系统化服务的对象应为本地企业、合作社或种养大户：%(o)s 是%(k)s")
                % {"o": organisation, "k": organisation.get_kind_display()},
            )


class SupplyChainLedger(ContractRecordLedger):
    """Supply chains, matched on their number. The participants from the registry are chosen on
    the form; the file names the others in 其他参与方."""

    model = SupplyChain
    sheet_name = "县域供应链"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract",)
    columns = [
        contract_column(),
        number_column("编号", "GYL-202603-001"),
        Column("name", "供应链名称", text(150), required=True, example="巴美肉羊县域供应链"),
        Column(
            "product_line", "产品线", text(200), required=True, example="巴美肉羊：养殖—屠宰分割—冷链—网销"
        ),
        Column(
            "participants",
            "参与主体",
            text(),
            importable=False,
            export=lambda record, ledger: "、".join(o.name for o in record.participants.all()),
        ),
        Column("participant_notes", "其他参与方", text(300)),
        day("integrated_on", "整合日期"),
        Column("description", "整合情况", text(5000), required=True),
    ]

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).prefetch_related("participants")


# ---------------------------------------------------------------------------------------------------
# Export only


class ExportOnlyLedger(Ledger):
    """A ledger of posted records: exported, never imported (see the module's docstring)."""

    importable = False


class PurchaseOrderLedger(ExportOnlyLedger):
    model = PurchaseOrder
    sheet_name = "集中采购"
    key_field = "number"
    select_related = ("contract", "supplier", "warehouse")
    columns = [
        contract_column(),
        Column("number", "采购单号"),
        Column("supplier", "供应商", export=lambda r, ledger: r.supplier.name),
        Column("warehouse", "收货库存点", export=lambda r, ledger: r.warehouse.name),
        Column("ordered_on", "下单日期"),
        Column("expected_on", "预计到货日期"),
        Column(
            "lines",
            "采购明细",
            export=lambda r, ledger: "；".join(
                f"{line.position}. {line.client.name} {line.product.name} {format_quantity(line.quantity)}{line.product.unit}"
                for line in r.lines.all()
            ),
        ),
        Column("notes", "备注"),
    ]

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).prefetch_related("lines__product", "lines__client")


class ReceiptLedger(ExportOnlyLedger):
    model = Receipt
    sheet_name = "到货入库"
    key_field = "number"
    select_related = ("contract", "order")
    columns = [
        contract_column(),
        Column("number", "入库单号"),
        Column("order", "采购单号", export=lambda r, ledger: r.order.number),
        Column("received_on", "到货日期"),
        Column("received_by", "验收人"),
        Column(
            "lines",
            "到货明细",
            export=lambda r, ledger: "；".join(
                f"第{line.order_line.position}行 {line.order_line.product.name} {format_quantity(line.quantity)}"
                for line in r.lines.all()
            ),
        ),
        Column("notes", "备注"),
    ]

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).prefetch_related("lines__order_line__product")


class DeliveryLedger(ExportOnlyLedger):
    model = Delivery
    sheet_name = "统一配送"
    key_field = "number"
    select_related = ("contract", "warehouse", "client", "to_station")
    columns = [
        contract_column(),
        Column("number", "配送单号"),
        Column("warehouse", "发货库存点", export=lambda r, ledger: r.warehouse.name),
        Column("client", "收货企业", export=lambda r, ledger: r.client.name if r.client_id else ""),
        Column(
            "to_station", "收货站点", export=lambda r, ledger: r.to_station.name if r.to_station_id else ""
        ),
        Column("delivered_on", "配送日期"),
        Column("route", "配送线路"),
        Column("receiver_name", "签收人"),
        Column("lines", "配送明细", export=lines_of),
        Column("notes", "备注"),
    ]

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).prefetch_related("lines__product")


class StockCountLedger(ExportOnlyLedger):
    model = StockCount
    sheet_name = "库存盘点"
    key_field = "number"
    select_related = ("contract", "warehouse")
    columns = [
        contract_column(),
        Column("number", "盘点单号"),
        Column("warehouse", "库存点", export=lambda r, ledger: r.warehouse.name),
        Column("counted_on", "盘点日期"),
        Column("counted_by", "盘点人"),
        Column(
            "lines",
            "盘点明细（账面/实盘）",
            export=lambda r, ledger: "；".join(
                f"{line.product.name} {format_quantity(line.book_quantity)}/{format_quantity(line.counted_quantity)}"
                for line in r.lines.all()
            ),
        ),
        Column("notes", "备注"),
    ]

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).prefetch_related("lines__product")


class StockMovementLedger(ExportOnlyLedger):
    model = StockMovement
    sheet_name = "库存流水"
    key_field = "id"
    select_related = ("warehouse", "product", "reverses")
    columns = [
        Column("id", "流水号"),
        Column("day", "记账日期"),
        Column("warehouse", "库存点", export=lambda r, ledger: r.warehouse.name),
        Column("product", "商品编号", export=lambda r, ledger: r.product.code),
        Column("product_name", "商品名称", export=lambda r, ledger: r.product.name),
        Column("kind", "类型", export=lambda r, ledger: str(MovementKind(r.kind).label)),
        Column("quantity", "数量（入正出负）"),
        Column("reverses", "冲销的流水号", export=lambda r, ledger: r.reverses_id or ""),
        Column("note", "说明"),
    ]
