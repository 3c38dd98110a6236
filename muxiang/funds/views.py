"""Programme funds pages: four ledgers through ``RecordViewSet``, the summary and the audit export.

All four ledgers live under the one ``funds`` URL namespace, their route names prefixed
(``funds:expense-list``) through ``core.views.LedgerRoute``.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.contracts.models import Contract
from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet, xlsx_response
from muxiang.funds import services
from muxiang.funds.filters import (
    EquipmentPurchaseFilter,
    ExpenseFilter,
    FundReceiptFilter,
    QuotationFilter,
)
from muxiang.funds.forms import EquipmentPurchaseForm, ExpenseForm, FundReceiptForm, QuotationForm
from muxiang.funds.ledgers import (
    EquipmentPurchaseLedger,
    ExpenseLedger,
    FundReceiptLedger,
    QuotationLedger,
    audit_workbook,
)
from muxiang.funds.models import EquipmentPurchase, Expense, FundReceipt, Quotation


class FundsViewSet(RecordViewSet):
    """The funds ledgers share the ``funds`` URL namespace (``funds:expense-list``)."""


def _money(field):
    return lambda record, user: f"{getattr(record, field):,.2f}"


class FundReceiptViewSet(FundsViewSet):
    model = FundReceipt
    namespace = LedgerRoute("funds", "receipt")
    url_prefix = "receipts"
    form_class = FundReceiptForm
    filterset_class = FundReceiptFilter
    ledger_class = FundReceiptLedger
    select_related = ("contract",)
    list_columns = [
        ListColumn(gettext_lazy("凭证号"), "voucher_number"),
        ListColumn(gettext_lazy("到账日期"), "received_on"),
        ListColumn(gettext_lazy("金额（元）"), _money("amount")),
        ListColumn(gettext_lazy("付款单位"), "payer"),
        ListColumn(gettext_lazy("付款节点"), "milestone"),
        ListColumn(gettext_lazy("合同"), "contract.name"),
    ]


class ExpenseViewSet(FundsViewSet):
    model = Expense
    namespace = LedgerRoute("funds", "expense")
    url_prefix = "expenses"
    form_class = ExpenseForm
    filterset_class = ExpenseFilter
    ledger_class = ExpenseLedger
    select_related = ("contract", "phase")
    list_columns = [
        ListColumn(gettext_lazy("发票号码"), "invoice_number"),
        ListColumn(gettext_lazy("支出日期"), "spent_on"),
        ListColumn(gettext_lazy("收款单位"), "payee"),
        ListColumn(gettext_lazy("金额（元）"), _money("amount")),
        ListColumn(gettext_lazy("合同条款"), "section"),
        ListColumn(gettext_lazy("阶段"), lambda e, u: e.phase.number if e.phase_id else _("阶段外")),
        ListColumn(gettext_lazy("用途"), "purpose"),
        ListColumn(gettext_lazy("发票"), lambda e, u: _("已上传") if e.has_invoice else _("缺少发票")),
    ]

    @classmethod
    def base_queryset(cls, user, deleted=False):
        return services.with_invoice(super().base_queryset(user, deleted))

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        # The detail page may show a deleted record, which base_queryset (annotated) leaves out.
        has_invoice = services.with_invoice(Expense.all_objects.filter(pk=record.pk)).get().has_invoice
        rows.append((_("发票"), _("已上传") if has_invoice else _("缺少发票（请在下方上传发票）")))
        return rows


class EquipmentPurchaseViewSet(FundsViewSet):
    model = EquipmentPurchase
    namespace = LedgerRoute("funds", "equipment")
    url_prefix = "equipment"
    form_class = EquipmentPurchaseForm
    filterset_class = EquipmentPurchaseFilter
    ledger_class = EquipmentPurchaseLedger
    select_related = ("contract", "expense")
    list_columns = [
        ListColumn(gettext_lazy("资产编号"), "asset_number"),
        ListColumn(gettext_lazy("设备名称"), "name"),
        ListColumn(gettext_lazy("采购日期"), "purchased_on"),
        ListColumn(gettext_lazy("金额（元）"), _money("amount")),
        ListColumn(gettext_lazy("报价份数"), "quotation_count"),
        ListColumn(
            gettext_lazy("付款支出"),
            lambda p, u: p.expense.invoice_number if p.expense_id else _("未关联支出"),
        ),
        ListColumn(
            gettext_lazy("询价记录"),
            lambda p, u: "；".join(services.quotation_problems(p)) or _("完整"),
        ),
    ]

    @classmethod
    def base_queryset(cls, user, deleted=False):
        return services.with_quotation_counts(super().base_queryset(user, deleted))

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        # The detail page may show a deleted record, which base_queryset (annotated) leaves out.
        counted = services.with_quotation_counts(EquipmentPurchase.all_objects.filter(pk=record.pk)).get()
        problems = services.quotation_problems(counted)
        rows.append((_("询价记录"), "；".join(problems) if problems else _("完整")))
        return rows

    @classmethod
    def related_sections(cls, record, user):
        quotations = record.quotations.all()
        return [
            (
                _("询价记录"),
                [_("供应商"), _("报价（元）"), _("报价日期"), _("选定")],
                [
                    (
                        reverse("funds:quotation-detail", args=[q.pk]),
                        [q.supplier, f"{q.amount:,.2f}", q.quoted_on, _("是") if q.chosen else ""],
                    )
                    for q in quotations
                ],
            )
        ]


class QuotationViewSet(FundsViewSet):
    model = Quotation
    namespace = LedgerRoute("funds", "quotation")
    url_prefix = "quotations"
    form_class = QuotationForm
    filterset_class = QuotationFilter
    ledger_class = QuotationLedger
    select_related = ("equipment",)
    list_columns = [
        ListColumn(gettext_lazy("供应商"), "supplier"),
        ListColumn(gettext_lazy("设备"), lambda q, u: str(q.equipment)),
        ListColumn(gettext_lazy("报价（元）"), _money("amount")),
        ListColumn(gettext_lazy("报价日期"), "quoted_on"),
        ListColumn(gettext_lazy("选定"), "chosen"),
    ]


def _contract_for(request):
    """The contract a summary or export is about: ``?contract=KEY``, or the only one loaded."""
    if not permissions.can_read_audit(request.user):
        raise PermissionDenied
    key = request.GET.get("contract", "").replace("\x00", "")
    if key:
        return get_object_or_404(Contract, key=key)
    contracts = list(Contract.objects.all()[:2])
    if len(contracts) == 1:
        return contracts[0]
    return None


@login_required
def summary(request):
    contract = _contract_for(request)
    context = {"contracts": Contract.objects.all(), "contract": contract, "year": timezone.localdate().year}
    if contract is not None:
        context["summary"] = services.summarise_funds(contract)
    return render(request, "funds/summary.html", context)


@login_required
def audit_export(request):
    contract = _contract_for(request)
    if contract is None:
        return render(
            request,
            "funds/summary.html",
            {"contracts": Contract.objects.all(), "problem": _("请选择合同（contract=合同标识）")},
            status=400,
        )
    raw_year = request.GET.get("year", "")
    try:
        year = int(raw_year) if raw_year else timezone.localdate().year
        datetime.date(year, 1, 1)
    except ValueError:
        context = {"contracts": Contract.objects.all(), "contract": contract}
        context["problem"] = _("年度应为四位数字，如 2026：%(v)s") % {"v": raw_year[:20]}
        return render(request, "funds/summary.html", context, status=400)
    data = audit_workbook(contract, year, request.user)
    return xlsx_response(data, f"{contract.key}-{year}年度项目资金审计.xlsx")
