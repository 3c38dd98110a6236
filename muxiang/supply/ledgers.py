"""The supply chain's ledgers (台账). The catalogue, suppliers, stock points, systematic services
and supply chains import and export row by row. The documents — centralised purchase orders,
receipts, deliveries, counts — import and export one row per line (``DocumentLedger``): each new
document is posted through the same service as its form, so the stock rules hold for a file as for
one form. The stock movements export only: each was posted by its document."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from muxiang.contracts.records import ContractRecordLedger, contract_column
from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    LedgerFileError,
    boolean,
    checked,
    choice,
    date_cell,
    decimal_number,
    integer,
    text,
)
from muxiang.organisations.models import Organisation
from muxiang.stations.models import Station
from muxiang.supply import services
from muxiang.supply.choices import MovementKind, SystematicServiceKind, WarehouseKind
from muxiang.supply.models import (
    Delivery,
    DeliveryLine,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    StockCount,
    StockCountLine,
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
# Posted documents: one row per line


class LineKey(tuple):
    """A row's key: the document's number and what names the line within it."""

    def __str__(self):
        return " ".join(str(part) for part in self[1:] if part not in (None, ""))


class _TrialOver(Exception):
    """Ends the trial posting of a check, rolling it back."""


def _doc(field: str, attribute: str | None = None):
    """Export the document's ``field`` of a line (``attribute`` of a referenced record)."""

    def export(line, ledger):
        value = getattr(line_document(line, ledger), field)
        if attribute is not None:
            return getattr(value, attribute) if value is not None else ""
        return value

    return export


def line_document(line, ledger):
    return getattr(line, ledger.document_attr)


def _line(field: str, attribute: str | None = None):
    def export(line, ledger):
        value = getattr(line, field)
        if attribute is not None:
            return getattr(value, attribute) if value is not None else ""
        return value

    return export


def document_contract_column() -> ForeignColumn:
    from muxiang.contracts.models import Contract

    return ForeignColumn(
        "contract",
        "合同",
        Contract,
        keys=("key", "name"),
        note="合同标识或合同名称；系统中只有一个合同时可不填",
        example="urad-middle-banner-package-1",
        export=lambda line, ledger: line_document(line, ledger).contract.key,
    )


def document_number_column(header: str, example: str) -> Column:
    return Column(
        "number",
        header,
        text(40),
        required=True,
        note="同一单据的各行填写相同单号；导入时按单号匹配已有单据",
        example=example,
        export=_doc("number"),
    )


def product_column(required=True) -> ForeignColumn:
    return ForeignColumn(
        "product",
        "商品",
        Product,
        keys=("code", "gtin", "name"),
        required=required,
        note="商品编号、商品条码或不重名的商品名称",
        example="SP-0001",
        export=_line("product", "code"),
    )


def quantity_column(field: str, header: str, example="20", allow_zero=False) -> Column:
    minimum = Decimal("0") if allow_zero else Decimal("0.001")
    return Column(
        field,
        header,
        decimal_number(3, min_value=minimum),
        required=True,
        note="按商品的计量单位，最多三位小数" + ("" if allow_zero else "，大于 0"),
        example=example,
        export=_line(field),
    )


class DocumentLedger(ContractRecordLedger):
    """A ledger of posted documents (a purchase order, a receipt, a delivery, a count), one row per
    line: the rows with the same number are one document, and their document columns must agree.

    A new document is posted through the same service its form calls (``services.record_delivery``
    …), so every stock rule holds: a line that would take a balance below zero on any day is refused
    naming its row. The file is posted twice: once in a transaction rolled back, to report every
    problem (and for a dry run), then for real. A document already stored is matched on its number:
    the same rows change nothing; a changed descriptive field (``editable_fields``) is updated; a
    changed line or stock-bearing field is refused, since its stock is booked (cancel it, 作废, and
    record it anew)."""

    key_field = "number"
    repr_field = "number"
    line_model: Any = None
    document_attr = ""  # the line's reference to its document
    document_fields: tuple[str, ...] = ()  # the same on every row of a document
    editable_fields: tuple[str, ...] = ()  # what an import may change once the document is posted
    line_fields: tuple[str, ...] = ()  # what a row says of its line, in the key's order first
    line_key_fields: tuple[str, ...] = ()

    def key_of(self, values):
        number = values.get("number")
        if not number:
            return None
        return LineKey((number, *(values.get(name) for name in self.line_key_fields)))

    # --- reading the file ------------------------------------------------------------------------

    def _groups(self, plans) -> dict[str, list]:
        groups: dict[str, list] = {}
        for plan in plans:
            groups.setdefault(plan.values["number"], []).append(plan)
        return groups

    def _check_unique(self, plans, report):
        """Rows share their document's number by design; the numbers are matched in ``_match``."""

    def _match(self, plans, report):
        groups = self._groups(plans)
        for rows in groups.values():
            first = rows[0]
            for plan in rows[1:]:
                for name in self.document_fields:
                    if name in first.values and plan.values.get(name) != first.values.get(name):
                        report.add(
                            plan.number,
                            self.header_of(name),
                            _("与第 %(r)d 行是同一单据「%(n)s」，此列应相同：%(a)s ≠ %(b)s")
                            % {
                                "r": first.number,
                                "n": first.values["number"],
                                "a": _shown(first.values.get(name)),
                                "b": _shown(plan.values.get(name)),
                            },
                        )
        if not report.ok:
            return
        stored = {
            document.number: document
            for document in self.model.all_objects.filter(number__in=list(groups)).prefetch_related("lines")
        }
        for number, rows in groups.items():
            document = stored.get(number)
            if document is None:
                report.created += 1
                continue
            if document.deleted_at:
                report.add(
                    rows[0].number,
                    self.header_of("number"),
                    _("单据「%(n)s」已作废，不能再导入；请用新的单号重新录入") % {"n": number},
                )
                continue
            problem = self.posted_difference(document, rows)
            if problem is not None:
                row, name, message = problem
                report.add(
                    row,
                    self.header_of(name),
                    _("单据「%(n)s」已记账，%(m)s；已记账的单据不能通过导入修改，请作废后重新录入")
                    % {"n": number, "m": message},
                )
                continue
            for plan in rows:
                plan.pk = document.pk
            first = rows[0]
            first.changed = [
                name
                for name in self.editable_fields
                if name in first.values and first.values[name] != getattr(document, name)
            ]
            if first.changed:
                report.updated += 1
            else:
                report.unchanged += 1

    def posted_difference(self, document, rows) -> tuple[int, str, str] | None:
        """Where the rows differ from the stored ``document`` in what is booked: (row, field,
        message), or None."""
        first = rows[0]
        for name in self.document_fields:
            if name in self.editable_fields or name not in first.values:
                continue
            if first.values[name] != getattr(document, name):
                return (
                    first.number,
                    name,
                    _("文件中的「%(h)s」为 %(a)s，已记账的为 %(b)s")
                    % {
                        "h": self.header_of(name),
                        "a": _shown(first.values[name]),
                        "b": _shown(getattr(document, name)),
                    },
                )
        stored = {self.stored_line_key(line): line for line in document.lines.all()}
        seen = set()
        for plan in rows:
            key = tuple(plan.values.get(name) for name in self.line_key_fields)
            line = stored.get(key)
            seen.add(key)
            if line is None:
                return plan.number, self.line_key_fields[0], _("已记账的单据中没有这一行")
            for name in self.line_fields:
                if name in self.line_key_fields or name not in plan.values:
                    continue
                if plan.values[name] != self.stored_line_value(line, name):
                    return (
                        plan.number,
                        name,
                        _("这一行的「%(h)s」为 %(a)s，已记账的为 %(b)s")
                        % {
                            "h": self.header_of(name),
                            "a": _shown(plan.values[name]),
                            "b": _shown(self.stored_line_value(line, name)),
                        },
                    )
        missing = [key for key in stored if key not in seen]
        if missing:
            return (
                first.number,
                "number",
                _("已记账的单据还有 %(n)d 行不在文件中") % {"n": len(missing)},
            )
        return None

    def stored_line_key(self, line) -> tuple:
        return tuple(getattr(line, name) for name in self.line_key_fields)

    def stored_line_value(self, line, name):
        return getattr(line, name)

    # --- posting ---------------------------------------------------------------------------------

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        if not report.ok:
            return
        # Every new document is posted as it would be, in a transaction rolled back: the stock rules
        # are those of the services, asked once per document, every refusal reported.
        try:
            with transaction.atomic():
                for rows in self._new_documents(plans):
                    try:
                        with transaction.atomic():
                            self.post(rows)
                    except ValidationError as exc:
                        for row, column, message in self._locate(rows, exc):
                            report.add(row, column, message)
                raise _TrialOver
        except _TrialOver:
            pass

    def _new_documents(self, plans) -> list[list]:
        """The rows of each new document, in the order of their dates (then of the file): a count
        takes the book figure the earlier documents leave."""
        groups = [rows for rows in self._groups(plans).values() if rows[0].pk is None]
        date_field = self.model.date_field
        return sorted(groups, key=lambda rows: (rows[0].values[date_field], rows[0].number))

    def _locate(self, rows, exc: ValidationError) -> list[tuple[int, str, str]]:
        """(row, column, message) of each problem of ``exc``: a line's problem on its row."""
        located = []
        for error in exc.error_list:
            message = error.message % error.params if error.params else str(error.message)
            where = getattr(error, "where", {})
            row, column = rows[0].number, self.header_of("number")
            for plan in rows:
                if self.line_is(plan.values, where):
                    row, column = plan.number, self.header_of(self.quantity_field)
                    break
            located.append((row, column, message))
        return located

    quantity_field = "quantity"

    def line_is(self, values, where: dict) -> bool:
        product = values.get("product")
        return "product" in where and product is not None and product.pk == where["product"]

    def post(self, rows) -> None:
        raise NotImplementedError

    def write(self, plans, report, filename):
        for rows in self._new_documents(plans):
            try:
                self.post(rows)
            except ValidationError as exc:
                # Stock posted by someone else between the check and now.
                row, column, message = self._locate(rows, exc)[0]
                raise LedgerFileError(
                    _("第 %(r)d 行，「%(c)s」列：%(m)s") % {"r": row, "c": column, "m": message}
                ) from exc
        for rows in self._groups(plans).values():
            first = rows[0]
            if first.pk is None or not first.changed:
                continue
            document = self.model.all_objects.get(pk=first.pk)
            for name in first.changed:
                setattr(document, name, first.values[name])
            document.save()

    # --- export ----------------------------------------------------------------------------------

    def export_queryset(self, queryset):
        documents = queryset.order_by().values("pk")
        return (
            self.line_model.objects.filter(**{f"{self.document_attr}__in": documents})
            .select_related(*(f"{self.document_attr}__{name}" for name in self.select_related))
            .select_related(self.document_attr)
            .order_by(
                f"-{self.document_attr}__{self.model.date_field}", f"{self.document_attr}__number", "pk"
            )
        )


def _shown(value) -> str:
    if value is None or value == "":
        return _("（空）")
    if isinstance(value, Decimal):
        return format_quantity(value)
    return str(value)


class PurchaseOrderLedger(DocumentLedger):
    """Centralised purchases, one row per line (a client business's need of a product): matched on
    the order number, the line on (商品, 需求企业)."""

    model = PurchaseOrder
    line_model = PurchaseOrderLine
    document_attr = "order"
    sheet_name = "集中采购"
    select_related = ("contract", "supplier", "warehouse")
    document_fields = ("contract", "supplier", "warehouse", "ordered_on", "expected_on", "notes")
    editable_fields = ("supplier", "expected_on", "notes")
    line_fields = ("product", "client", "quantity", "unit_price")
    line_key_fields = ("product", "client")
    columns = [
        document_contract_column(),
        document_number_column("采购单号", "CG-202603-001"),
        ForeignColumn(
            "supplier",
            "供应商",
            Supplier,
            keys=("name",),
            required=True,
            note="供应商台账中的名称",
            example="巴彦淖尔河套面业有限公司",
            export=_doc("supplier", "name"),
        ),
        ForeignColumn(
            "warehouse",
            "收货库存点",
            Warehouse,
            keys=("code", "name"),
            required=True,
            note="库存点编号或名称",
            example="CK-01",
            export=_doc("warehouse", "code"),
        ),
        Column(
            "ordered_on",
            "下单日期",
            date_cell(allow_future=False),
            required=True,
            example="2026-03-15",
            export=_doc("ordered_on"),
        ),
        Column("expected_on", "预计到货日期", date_cell(), export=_doc("expected_on")),
        Column("position", "行号", importable=False, export=_line("position")),
        product_column(),
        ForeignColumn(
            "client",
            "需求企业",
            Organisation,
            keys=("credit_code", "name"),
            required=True,
            note="统一社会信用代码，或不重名的单位名称",
            export=_line("client", "name"),
        ),
        quantity_column("quantity", "采购数量", "100"),
        Column(
            "unit_price",
            "单价（元）",
            decimal_number(2),
            example="65.00",
            export=_line("unit_price"),
        ),
        Column("notes", "备注", text(2000), note="整张采购单的备注，各行相同", export=_doc("notes")),
    ]

    def post(self, rows):
        first = rows[0].values
        services.create_purchase_order(
            first["contract"],
            first["supplier"],
            first["warehouse"],
            first["ordered_on"],
            [
                (p.values["product"], p.values["client"], p.values["quantity"], p.values.get("unit_price"))
                for p in rows
            ],
            self.user,
            expected_on=first.get("expected_on"),
            notes=first.get("notes", ""),
            number=first["number"],
        )

    def line_is(self, values, where):
        return False

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).select_related("product", "client")


class ReceiptLedger(DocumentLedger):
    """Receipts against the purchase orders, one row per order line received: matched on the
    receipt number, the line on its order line's number (行号)."""

    model = Receipt
    line_model = ReceiptLine
    document_attr = "receipt"
    sheet_name = "到货入库"
    select_related = ("contract", "order")
    document_fields = ("order", "received_on", "received_by", "notes")
    editable_fields = ("received_by", "notes")
    line_fields = ("position", "quantity")
    line_key_fields = ("position",)
    columns = [
        document_number_column("入库单号", "RK-202603-001"),
        ForeignColumn(
            "order",
            "采购单号",
            PurchaseOrder,
            keys=("number",),
            required=True,
            note="集中采购台账中的采购单号",
            example="CG-202603-001",
            export=_doc("order", "number"),
        ),
        Column(
            "received_on",
            "到货日期",
            date_cell(allow_future=False),
            required=True,
            example="2026-03-20",
            export=_doc("received_on"),
        ),
        Column("received_by", "验收人", text(50), export=_doc("received_by")),
        Column(
            "position",
            "行号",
            integer(min_value=1),
            required=True,
            note="采购单明细的行号（见采购单页面）",
            example="1",
            export=lambda line, ledger: line.order_line.position,
        ),
        Column(
            "product",
            "商品",
            importable=False,
            export=lambda line, ledger: line.order_line.product.code,
        ),
        Column(
            "client",
            "需求企业",
            importable=False,
            export=lambda line, ledger: line.order_line.client.name,
        ),
        quantity_column("quantity", "到货数量", "60"),
        Column("notes", "备注", text(2000), note="整张入库单的备注，各行相同", export=_doc("notes")),
    ]

    def clean_row(self, values):
        # The contract is the order's, never the sheet's.
        values["contract"] = values["order"].contract
        super().clean_row(values)

    def stored_line_key(self, line):
        return (line.order_line.position,)

    def stored_line_value(self, line, name):
        return line.order_line.position if name == "position" else getattr(line, name)

    def posted_difference(self, document, rows):
        lines = ReceiptLine.objects.filter(receipt=document).select_related("order_line")
        document._prefetched_objects_cache = {"lines": lines}
        return super().posted_difference(document, rows)

    def line_is(self, values, where):
        return "position" in where and values.get("position") == where["position"]

    def post(self, rows):
        first = rows[0].values
        services.record_receipt(
            first["order"],
            first["received_on"],
            {p.values["position"]: p.values["quantity"] for p in rows},
            self.user,
            received_by=first.get("received_by", ""),
            notes=first.get("notes", ""),
            number=first["number"],
        )

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).select_related("order_line__product", "order_line__client")


class DeliveryLedger(DocumentLedger):
    """Unified deliveries, one row per product delivered: matched on the delivery number, the line
    on the product."""

    model = Delivery
    line_model = DeliveryLine
    document_attr = "delivery"
    sheet_name = "统一配送"
    select_related = ("contract", "warehouse", "client", "to_station")
    document_fields = (
        "contract",
        "warehouse",
        "client",
        "to_station",
        "delivered_on",
        "route",
        "receiver_name",
        "notes",
    )
    editable_fields = ("route", "receiver_name", "notes")
    line_fields = ("product", "quantity")
    line_key_fields = ("product",)
    columns = [
        document_contract_column(),
        document_number_column("配送单号", "PS-202603-001"),
        ForeignColumn(
            "warehouse",
            "发货库存点",
            Warehouse,
            keys=("code", "name"),
            required=True,
            note="库存点编号或名称",
            example="CK-01",
            export=_doc("warehouse", "code"),
        ),
        ForeignColumn(
            "client",
            "收货企业",
            Organisation,
            keys=("credit_code", "name"),
            note="统一社会信用代码或不重名的单位名称；与收货站点二选一",
            export=_doc("client", "name"),
        ),
        ForeignColumn(
            "to_station",
            "收货站点",
            Station,
            keys=("code", "name"),
            note="站点编号；与收货企业二选一",
            export=_doc("to_station", "code"),
        ),
        Column(
            "delivered_on",
            "配送日期",
            date_cell(allow_future=False),
            required=True,
            example="2026-03-15",
            export=_doc("delivered_on"),
        ),
        Column("route", "配送线路", text(200), example="海流图镇—德岭山镇", export=_doc("route")),
        Column("receiver_name", "签收人", text(50), export=_doc("receiver_name")),
        product_column(),
        quantity_column("quantity", "配送数量", "20"),
        Column("notes", "备注", text(2000), note="整张配送单的备注，各行相同", export=_doc("notes")),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        if (values.get("client") is None) == (values.get("to_station") is None):
            raise CellError("收货企业", _("请填写收货企业或收货站点（二选一）"))

    def post(self, rows):
        first = rows[0].values
        services.record_delivery(
            first["contract"],
            first["warehouse"],
            first["delivered_on"],
            [(p.values["product"], p.values["quantity"]) for p in rows],
            self.user,
            client=first.get("client"),
            to_station=first.get("to_station"),
            route=first.get("route", ""),
            receiver_name=first.get("receiver_name", ""),
            notes=first.get("notes", ""),
            number=first["number"],
        )

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).select_related("product")


class StockCountLedger(DocumentLedger):
    """Inventory counts, one row per product counted: matched on the count number, the line on
    the product. The book figure is the stock ledger's on the count day, never the sheet's."""

    model = StockCount
    line_model = StockCountLine
    document_attr = "count"
    sheet_name = "库存盘点"
    select_related = ("contract", "warehouse")
    document_fields = ("contract", "warehouse", "counted_on", "counted_by", "notes")
    editable_fields = ("counted_by", "notes")
    line_fields = ("product", "counted_quantity")
    line_key_fields = ("product",)
    quantity_field = "counted_quantity"
    columns = [
        document_contract_column(),
        document_number_column("盘点单号", "PD-202603-001"),
        ForeignColumn(
            "warehouse",
            "库存点",
            Warehouse,
            keys=("code", "name"),
            required=True,
            note="库存点编号或名称",
            example="CK-01",
            export=_doc("warehouse", "code"),
        ),
        Column(
            "counted_on",
            "盘点日期",
            date_cell(allow_future=False),
            required=True,
            example="2026-03-31",
            export=_doc("counted_on"),
        ),
        Column("counted_by", "盘点人", text(100), export=_doc("counted_by")),
        product_column(),
        Column(
            "book_quantity",
            "账面数量",
            importable=False,
            export=_line("book_quantity"),
        ),
        quantity_column("counted_quantity", "实盘数量", "18", allow_zero=True),
        Column(
            "difference",
            "盈亏",
            importable=False,
            export=lambda line, ledger: line.difference,
        ),
        Column("notes", "备注", text(2000), note="整张盘点单的备注，各行相同", export=_doc("notes")),
    ]

    def post(self, rows):
        first = rows[0].values
        services.record_stock_count(
            first["contract"],
            first["warehouse"],
            first["counted_on"],
            [(p.values["product"], p.values["counted_quantity"]) for p in rows],
            self.user,
            counted_by=first.get("counted_by", ""),
            notes=first.get("notes", ""),
            number=first["number"],
        )

    def export_queryset(self, queryset):
        return super().export_queryset(queryset).select_related("product")


# ---------------------------------------------------------------------------------------------------
# Export only


class ExportOnlyLedger(Ledger):
    """A ledger exported, never imported: the stock movements, each posted by its document."""

    importable = False


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
