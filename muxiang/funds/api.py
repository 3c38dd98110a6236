"""Programme funds in the API: expenses and receipts through the shared record routes, so the API
reads and writes exactly what the pages do (station managers get nothing)."""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from muxiang.core.api import record_router
from muxiang.funds import services
from muxiang.funds.models import EquipmentPurchase
from muxiang.funds.views import EquipmentPurchaseViewSet, ExpenseViewSet, FundReceiptViewSet, QuotationViewSet


class FundReceiptOut(Schema):
    id: int
    contract_id: int
    voucher_number: str
    received_on: datetime.date
    amount: Decimal
    payer: str
    milestone: str
    note: str


class FundReceiptIn(Schema):
    contract: int | None = None
    voucher_number: str | None = None
    received_on: datetime.date | None = None
    amount: Decimal | None = None
    payer: str | None = None
    milestone: str | None = None
    note: str | None = None


class ExpenseOut(Schema):
    id: int
    contract_id: int
    spent_on: datetime.date
    payee: str
    amount: Decimal
    section: str
    phase_id: int | None
    purpose: str
    invoice_number: str
    has_invoice: bool

    @staticmethod
    def resolve_has_invoice(obj) -> bool:
        # Lists and reads are annotated (ExpenseViewSet.base_queryset); a record just created is not,
        # and has no evidence yet.
        return bool(getattr(obj, "has_invoice", False))


class ExpenseIn(Schema):
    contract: int | None = None
    spent_on: datetime.date | None = None
    payee: str | None = None
    amount: Decimal | None = None
    section: str | None = None
    purpose: str | None = None
    invoice_number: str | None = None


class EquipmentPurchaseOut(Schema):
    id: int
    contract_id: int
    asset_number: str
    name: str
    specification: str
    quantity: int
    purchased_on: datetime.date
    amount: Decimal
    section: str
    choice_reason: str
    expense_id: int | None
    quotation_count: int
    problems: list[str]

    @staticmethod
    def resolve_quotation_count(obj) -> int:
        # Lists and reads are annotated (EquipmentPurchaseViewSet.base_queryset); a record just
        # created has no quotations yet.
        return int(getattr(obj, "quotation_count", 0) or 0)

    @staticmethod
    def resolve_problems(obj) -> list[str]:
        if not hasattr(obj, "quotation_count"):
            obj = services.with_quotation_counts(EquipmentPurchase.all_objects.filter(pk=obj.pk)).get()
        return [str(p) for p in services.quotation_problems(obj)]


class EquipmentPurchaseIn(Schema):
    contract: int | None = None
    asset_number: str | None = None
    name: str | None = None
    specification: str | None = None
    quantity: int | None = None
    purchased_on: datetime.date | None = None
    amount: Decimal | None = None
    section: str | None = None
    choice_reason: str | None = None
    expense: int | None = None


class QuotationOut(Schema):
    id: int
    equipment_id: int
    supplier: str
    amount: Decimal
    quoted_on: datetime.date
    chosen: bool


class QuotationIn(Schema):
    equipment: int | None = None
    supplier: str | None = None
    amount: Decimal | None = None
    quoted_on: datetime.date | None = None
    chosen: bool | None = None


router = Router(tags=["funds 项目资金"])
router.add_router(
    "/receipts", record_router(FundReceiptViewSet, FundReceiptOut, FundReceiptIn, tags=["funds 项目资金"])
)
router.add_router("/expenses", record_router(ExpenseViewSet, ExpenseOut, ExpenseIn, tags=["funds 项目资金"]))
router.add_router(
    "/equipment",
    record_router(
        EquipmentPurchaseViewSet, EquipmentPurchaseOut, EquipmentPurchaseIn, tags=["funds 项目资金"]
    ),
)
router.add_router(
    "/quotations", record_router(QuotationViewSet, QuotationOut, QuotationIn, tags=["funds 项目资金"])
)
