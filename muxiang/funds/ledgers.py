"""The funds ledgers (台账) and the yearly audit workbook (第六条 6)."""

import datetime
import decimal
import io
from decimal import Decimal

import xlsxwriter
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from muxiang.contracts.models import Contract
from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    boolean,
    date_cell,
    decimal_number,
    integer,
    text,
)
from muxiang.funds import services
from muxiang.funds.models import EquipmentPurchase, Expense, FundReceipt, Quotation

CENT = Decimal("0.01")


def contract_column():
    return ForeignColumn(
        "contract",
        "合同",
        Contract,
        keys=("key", "name"),
        required=True,
        note="合同标识或合同名称",
        example="urad-middle-banner-2024",
    )


def money(header="金额（元）"):
    return Column(
        "amount", header, decimal_number(2, min_value=CENT), required=True, note="大于 0，最多两位小数"
    )


def day(field, header):
    return Column(
        field, header, date_cell(allow_future=False), required=True, note="不晚于今天", example="2026-03-15"
    )


class ContractRules:
    """Per import, each contract's phases and sections are read once, not once per row."""

    def contract_facts(self, contract):
        cache = self.__dict__.setdefault("_facts", {})
        if contract.pk not in cache:
            cache[contract.pk] = (list(contract.phases.all()), services.allowed_sections(contract))
        return cache[contract.pk]

    def check_section(self, values):
        _phases, allowed = self.contract_facts(values["contract"])
        problem = services.section_problem(values["section"], allowed)
        if problem:
            raise CellError("合同条款", problem)


class FundReceiptLedger(Ledger):
    """Money received into the programme account, matched on the voucher number."""

    model = FundReceipt
    sheet_name = "到账"
    key_field = "voucher_number"
    repr_field = "voucher_number"
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column(
            "voucher_number",
            "凭证号",
            text(60),
            required=True,
            note="银行回单号或记账凭证号",
            example="HD-2026-001",
        ),
        day("received_on", "到账日期"),
        money(),
        Column("payer", "付款单位", text(200), required=True, example="示例县商务局"),
        Column("milestone", "付款节点", text(200), example="首付款"),
        Column("note", "备注", text(300)),
    ]


class ExpenseLedger(ContractRules, Ledger):
    """Expenses, matched on the invoice number. The phase is derived from the date on import."""

    model = Expense
    sheet_name = "支出"
    key_field = "invoice_number"
    repr_field = "invoice_number"
    select_related = ("contract", "phase")
    columns = [
        contract_column(),
        Column("invoice_number", "发票号码", text(40), required=True, example="26152000000000000001"),
        day("spent_on", "支出日期"),
        Column("payee", "收款单位", text(200), required=True, example="某某网络科技有限公司"),
        money(),
        Column(
            "section", "合同条款", text(20), required=True, note="合同目标的条款号，通用支出填 4", example="4"
        ),
        Column("purpose", "用途", text(300), required=True, example="站点标识牌制作"),
        Column(
            "phase",
            "阶段",
            importable=False,
            export=lambda r, ledger: r.phase.number if r.phase_id else "",
        ),
        Column(
            "has_invoice",
            "发票",
            importable=False,
            export=lambda r, ledger: _("已上传") if r.has_invoice else _("缺少发票"),
        ),
    ]

    def export_queryset(self, queryset):
        return services.with_invoice(super().export_queryset(queryset))

    def clean_row(self, values):
        self.check_section(values)
        phases, _allowed = self.contract_facts(values["contract"])
        # Derived, never read from the file: a typed phase could disagree with the date.
        values["phase"] = services.phase_among(phases, values["spent_on"])


class EquipmentPurchaseLedger(ContractRules, Ledger):
    """Equipment bought with programme money, matched on the asset number."""

    model = EquipmentPurchase
    sheet_name = "设备采购"
    key_field = "asset_number"
    repr_field = "asset_number"
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column("asset_number", "资产编号", text(60), required=True, example="ZC-2026-001"),
        Column("name", "设备名称", text(200), required=True, example="冷链展示柜"),
        Column("specification", "规格型号", text(200)),
        Column("quantity", "数量", integer(min_value=1), required=True, example="1"),
        day("purchased_on", "采购日期"),
        money(),
        Column(
            "section", "合同条款", text(20), required=True, note="合同目标的条款号，通用支出填 4", example="4"
        ),
        Column("choice_reason", "选定理由", text(2000)),
        ForeignColumn(
            "expense",
            "付款支出发票号码",
            Expense,
            keys=("invoice_number",),
            note="支付该设备的支出记录的发票号码（须先登记支出）",
            export=lambda r, ledger: r.expense.invoice_number if r.expense_id else "",
        ),
        Column("quotation_count", "报价份数", importable=False, export=lambda r, ledger: r.quotation_count),
        Column(
            "quotation_problems",
            "询价问题",
            importable=False,
            export=lambda r, ledger: "；".join(services.quotation_problems(r)),
        ),
    ]

    def export_queryset(self, queryset):
        return services.with_quotation_counts(super().export_queryset(queryset).select_related("expense"))

    def clean_row(self, values):
        self.check_section(values)

    def validate_plans(self, plans, report):
        """An expense pays only its own contract's equipment, and no more than its amount, counting
        the rows of the file and the equipment already linked to it."""
        linked = [p for p in plans if p.values.get("expense") is not None]
        if not linked:
            return
        header = self.header_of("expense")
        in_file = {p.pk for p in plans if p.pk}
        stored = dict(
            EquipmentPurchase.objects.filter(expense__in=[p.values["expense"] for p in linked])
            .exclude(pk__in=in_file)
            .values("expense_id")
            .annotate(total=Sum("amount"))
            .values_list("expense_id", "total")
        )
        totals: dict[int, Decimal] = {}
        for plan in linked:
            expense, amount = plan.values["expense"], plan.values["amount"]
            if expense.contract_id != plan.values["contract"].pk:
                report.add(plan.number, header, _("支出「%(e)s」属于另一个合同") % {"e": expense})
                continue
            totals[expense.pk] = totals.get(expense.pk, Decimal(0)) + amount
            if stored.get(expense.pk, 0) + totals[expense.pk] > expense.amount:
                report.add(
                    plan.number,
                    header,
                    _("支出「%(e)s」金额 %(a)s 元，不足以支付关联的设备（合计 %(t)s 元）")
                    % {
                        "e": expense,
                        "a": expense.amount,
                        "t": stored.get(expense.pk, 0) + totals[expense.pk],
                    },
                )


class QuotationLedger(Ledger):
    """Quotations, matched on (equipment's asset number, supplier): a supplier quotes once per item."""

    model = Quotation
    sheet_name = "询价"
    key_field = "supplier"
    repr_field = "supplier"
    select_related = ("equipment",)
    columns = [
        ForeignColumn("equipment", "资产编号", EquipmentPurchase, keys=("asset_number",), required=True),
        Column("supplier", "供应商", text(200), required=True, example="某某电器有限公司"),
        money("报价（元）"),
        day("quoted_on", "报价日期"),
        Column(
            "chosen", "选定", boolean(), note="选定的报价填「是」，每项设备只能有一个", options=["是", "否"]
        ),
    ]

    def key_of(self, values):
        return (values["equipment"].pk, values["supplier"])

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "equipment_id", "supplier", "deleted_at", *(attnames[n][0] for n in compared)}
        rows = Quotation.all_objects.filter(
            equipment_id__in={k[0] for k in keys}, supplier__in={k[1] for k in keys}
        ).values(*names)
        found = {}
        # A deleted quotation may share its key with a live one: the live one is the match.
        for row in sorted(rows, key=lambda r: r["deleted_at"] is None):
            found[(row["equipment_id"], row["supplier"])] = row
        return found

    def validate_plans(self, plans, report):
        """At most one chosen quotation per equipment, counting those already stored."""
        in_file = {p.pk for p in plans if p.pk}
        equipment_ids = {p.values["equipment"].pk for p in plans}
        stored = set(
            Quotation.objects.filter(equipment_id__in=equipment_ids, chosen=True)
            .exclude(pk__in=in_file)
            .values_list("equipment_id", flat=True)
        )
        chosen_at: dict[int, int] = {}
        for plan in plans:
            if not plan.values.get("chosen"):
                continue
            equipment = plan.values["equipment"]
            if equipment.pk in stored or equipment.pk in chosen_at:
                report.add(
                    plan.number,
                    "选定",
                    _("设备「%(e)s」已有选定的报价%(w)s")
                    % {
                        "e": equipment.asset_number,
                        "w": _("（第 %(r)d 行）") % {"r": chosen_at[equipment.pk]}
                        if equipment.pk in chosen_at
                        else "",
                    },
                )
            else:
                chosen_at[equipment.pk] = plan.number


# ---------------------------------------------------------------------------------------------------
# The yearly audit workbook


def _cell(value):
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _write_ledger_sheet(workbook, formats, ledger, queryset):
    sheet = workbook.add_worksheet(ledger.sheet_name)
    for col, column in enumerate(ledger.columns):
        sheet.write(0, col, column.header, formats["head"])
        sheet.set_column(col, col, max(10, len(column.header) * 2 + 2))
    sheet.freeze_panes(1, 0)
    for row, record in enumerate(ledger.export_queryset(queryset).iterator(chunk_size=2000), start=1):
        for col, column in enumerate(ledger.columns):
            value = _cell(column.export_value(record, ledger))
            if value is None or value == "":
                continue
            sheet.write(row, col, value, formats["money"] if column.field == "amount" else None)


def audit_workbook(contract: Contract, year: int, user) -> bytes:
    """One workbook for the yearly audit (第六条 6): 到账, 支出, 设备采购, 询价 and 汇总, the
    year's records of ``contract`` in the same columns as each ledger's export."""
    with translation.override("zh-hans"):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
        formats = {
            "head": workbook.add_format({"bold": True, "bg_color": "#E8F0E0", "border": 1}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "title": workbook.add_format({"bold": True, "font_size": 13}),
        }
        receipts = FundReceipt.objects.filter(contract=contract, received_on__year=year)
        expenses = Expense.objects.filter(contract=contract, spent_on__year=year)
        purchases = EquipmentPurchase.objects.filter(contract=contract, purchased_on__year=year)
        quotations = Quotation.objects.filter(equipment__in=purchases)
        _write_ledger_sheet(workbook, formats, FundReceiptLedger(user), receipts)
        _write_ledger_sheet(workbook, formats, ExpenseLedger(user), expenses)
        _write_ledger_sheet(workbook, formats, EquipmentPurchaseLedger(user), purchases)
        _write_ledger_sheet(workbook, formats, QuotationLedger(user), quotations)
        _write_summary_sheet(workbook, formats, services.summarise_funds(contract, year), year)
        workbook.close()
        return buffer.getvalue()


def _write_summary_sheet(workbook, formats, summary, year):
    sheet = workbook.add_worksheet("汇总")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 3, 16)
    head, money_format = formats["head"], formats["money"]
    sheet.write(0, 0, f"{summary.contract.name} {year} 年度项目资金汇总", formats["title"])
    rows = [
        ("到账合计（元）", summary.received),
        ("支出合计（元）", summary.spent),
        ("结余（元）", summary.balance),
        ("设备采购合计（元）", summary.equipment),
    ]
    for offset, (label, value) in enumerate(rows, start=2):
        sheet.write(offset, 0, label)
        sheet.write_number(offset, 1, float(value), money_format)
    row = len(rows) + 3
    for title, items, label_of in (
        ("按合同条款", summary.by_section, lambda item: item["section"]),
        (
            "按阶段",
            summary.by_phase,
            lambda item: f"第 {item['phase__number']} 阶段" if item["phase__number"] else "阶段外",
        ),
    ):
        for col, header in enumerate((title, "笔数", "金额（元）")):
            sheet.write(row, col, header, head)
        row += 1
        for item in items:
            sheet.write(row, 0, label_of(item))
            sheet.write_number(row, 1, item["count"])
            sheet.write_number(row, 2, float(item["total"]), money_format)
            row += 1
        row += 1
    for col, header in enumerate(("待补问题", "记录", "说明")):
        sheet.write(row, col, header, head)
    for flag in summary.flags:
        row += 1
        sheet.write(row, 0, flag.label)
        sheet.write(row, 1, str(flag.record))
        sheet.write(row, 2, flag.message)
