"""Programme funds rules: which phase an expense falls in, which contract sections money may be
booked to, and what the yearly audit (第六条 6) would find missing (``funds_flags``)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from muxiang.contracts.models import Contract, Phase, Target
from muxiang.core.models import Evidence
from muxiang.funds.choices import FundFlagKind
from muxiang.funds.models import EquipmentPurchase, Expense, FundReceipt

# 第四条 (the operator's general obligations) is where spending that serves no single target goes:
# project management, the ledger staff of 第七条 3, the audit itself.
GENERAL_SECTION = "4"
MIN_QUOTATIONS = 3
ZERO = Decimal("0.00")


def phase_on(contract: Contract, day: datetime.date) -> Phase | None:
    """The phase of ``contract`` whose dates (both inclusive) hold ``day``; None outside them all."""
    return contract.phases.filter(start__lte=day, end__gte=day).order_by("number").first()


def phase_among(phases: list[Phase], day: datetime.date) -> Phase | None:
    """``phase_on`` for callers that hold the contract's phases already (imports, one query per file)."""
    return next((p for p in sorted(phases, key=lambda p: p.number) if p.start <= day <= p.end), None)


def allowed_sections(contract: Contract) -> list[str]:
    """The sections money may be booked to: every section the contract's targets name, and 4."""
    sections = set(Target.objects.filter(contract=contract).values_list("section", flat=True))
    return sorted(sections | {GENERAL_SECTION})


def section_problem(section: str, allowed: list[str]) -> str | None:
    if section in allowed:
        return None
    return _("合同中没有条款「%(s)s」，可填：%(opts)s") % {"s": section, "opts": "、".join(allowed)}


def with_invoice(expenses):
    """Annotate ``has_invoice``: whether an (alive) evidence file is attached, in the same query.
    Any file attached to an expense is its invoice: that is what the upload on its page is for."""
    content_type = ContentType.objects.get_for_model(Expense)
    return expenses.annotate(
        has_invoice=Exists(Evidence.objects.filter(content_type=content_type, object_id=OuterRef("pk")))
    )


def with_quotation_counts(purchases):
    """Annotate ``quotation_count`` (alive quotations) and ``chosen_count``, in the same query."""
    alive = Q(quotations__deleted_at__isnull=True)
    # A GROUP BY query drops Meta.ordering; lists page through it, so order it again.
    return purchases.annotate(
        quotation_count=Count("quotations", filter=alive, distinct=True),
        chosen_count=Count("quotations", filter=alive & Q(quotations__chosen=True), distinct=True),
    ).order_by(*EquipmentPurchase._meta.ordering)


def expense_problem(purchase: "EquipmentPurchase", expense: "Expense | None") -> str | None:
    """Why ``expense`` cannot be the payment of ``purchase``, or None: it must be of the same
    contract, and large enough to pay for it (one expense may pay several items)."""
    if expense is None:
        return None
    if purchase.contract_id and expense.contract_id != purchase.contract_id:
        return _("支出「%(e)s」属于另一个合同") % {"e": expense}
    if purchase.amount is not None and expense.amount is not None:
        others = (
            EquipmentPurchase.objects.filter(expense=expense)
            .exclude(pk=purchase.pk)
            .aggregate(total=Sum("amount"))["total"]
            or 0
        )
        if others + purchase.amount > expense.amount:
            return _("支出「%(e)s」金额 %(a)s 元，不足以支付关联的设备（合计 %(t)s 元）") % {
                "e": expense,
                "a": expense.amount,
                "t": others + purchase.amount,
            }
    return None


def quotation_problems(purchase) -> list[str]:
    """What the quotation record of an annotated purchase lacks (empty when complete)."""
    problems = []
    if purchase.quotation_count < MIN_QUOTATIONS:
        problems.append(
            _("仅有 %(n)d 份报价，至少需要 %(m)d 份") % {"n": purchase.quotation_count, "m": MIN_QUOTATIONS}
        )
    if purchase.chosen_count == 0:
        problems.append(_("未标明选定的报价"))
    if not purchase.choice_reason.strip():
        problems.append(_("未填写选定理由"))
    return problems


@dataclass
class FundFlag:
    """One record the audit would question: what kind of problem, which record, and why."""

    kind: str  # FundFlagKind value
    label: str  # FundFlagKind label, in the current language
    record: object  # the Expense or EquipmentPurchase
    message: str
    url: str


def funds_flags(contract: Contract, phase: Phase | None = None, *, year: int | None = None) -> list[FundFlag]:
    """Every funds record of ``contract`` that is not yet audit-ready, for the summary page and the
    phase acceptance checklist.

    - an ``Expense`` with no invoice evidence attached: kind ``FundFlagKind.MISSING_INVOICE`` (缺少发票);
    - an ``EquipmentPurchase`` with fewer than three quotations, none chosen, or no reason for the
      choice: kind ``FundFlagKind.FEW_QUOTATIONS`` (询价记录不足), the message naming what lacks.

    With ``phase``, only expenses derived into that phase and purchases dated within it count; with
    ``year`` (the audit workbook), only those dated in that calendar year.
    Expenses first (by date), then purchases (by date). Two queries whatever the number of records;
    soft-deleted records are left out.
    """
    expenses = with_invoice(Expense.objects.filter(contract=contract)).filter(has_invoice=False)
    purchases = with_quotation_counts(EquipmentPurchase.objects.filter(contract=contract))
    if phase is not None:
        expenses = expenses.filter(phase=phase)
        purchases = purchases.filter(purchased_on__gte=phase.start, purchased_on__lte=phase.end)
    if year is not None:
        expenses = expenses.filter(spent_on__year=year)
        purchases = purchases.filter(purchased_on__year=year)
    purchases = purchases.filter(
        Q(quotation_count__lt=MIN_QUOTATIONS) | Q(chosen_count=0) | Q(choice_reason="")
    )
    flags = [
        FundFlag(
            kind=FundFlagKind.MISSING_INVOICE,
            label=str(FundFlagKind.MISSING_INVOICE.label),
            record=expense,
            message=_("支出 %(r)s 未上传发票") % {"r": expense},
            url=reverse("funds:expense-detail", args=[expense.pk]),
        )
        for expense in expenses.order_by("spent_on", "id")
    ]
    flags += [
        FundFlag(
            kind=FundFlagKind.FEW_QUOTATIONS,
            label=str(FundFlagKind.FEW_QUOTATIONS.label),
            record=purchase,
            message=_("设备 %(r)s：%(p)s") % {"r": purchase, "p": "；".join(quotation_problems(purchase))},
            url=reverse("funds:equipment-detail", args=[purchase.pk]),
        )
        for purchase in purchases.order_by("purchased_on", "id")
    ]
    return flags


@dataclass
class FundSummary:
    """Where a contract's programme money went, computed in the database."""

    contract: Contract
    received: Decimal
    spent: Decimal
    equipment: Decimal
    by_section: list[dict]  # {"section", "total", "count"}
    by_phase: list[dict]  # {"phase__number", "phase__title", "total", "count"}; number None = 阶段外
    flags: list[FundFlag]

    @property
    def balance(self) -> Decimal:
        return self.received - self.spent


def summarise_funds(contract: Contract, year: int | None = None) -> FundSummary:
    """Receipts against expenses, spending per section and per phase, and the flagged records."""
    receipts = FundReceipt.objects.filter(contract=contract)
    expenses = Expense.objects.filter(contract=contract)
    purchases = EquipmentPurchase.objects.filter(contract=contract)
    if year is not None:
        receipts = receipts.filter(received_on__year=year)
        expenses = expenses.filter(spent_on__year=year)
        purchases = purchases.filter(purchased_on__year=year)
    total = Coalesce(Sum("amount"), Value(ZERO))
    return FundSummary(
        contract=contract,
        received=receipts.aggregate(t=total)["t"],
        spent=expenses.aggregate(t=total)["t"],
        equipment=purchases.aggregate(t=total)["t"],
        by_section=list(
            expenses.values("section").annotate(total=Sum("amount"), count=Count("id")).order_by("section")
        ),
        by_phase=list(
            expenses.values("phase__number", "phase__title")
            .annotate(total=Sum("amount"), count=Count("id"))
            .order_by("phase__number")
        ),
        flags=funds_flags(contract, year=year),
    )
