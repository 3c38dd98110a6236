"""Programme funds in the API: expenses and receipts through the shared record routes, so the API
reads and writes exactly what the pages do (station managers get nothing)."""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from muxiang.core.api import record_router
from muxiang.funds.views import ExpenseViewSet, FundReceiptViewSet


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


router = Router(tags=["funds 项目资金"])
router.add_router(
    "/receipts", record_router(FundReceiptViewSet, FundReceiptOut, FundReceiptIn, tags=["funds 项目资金"])
)
router.add_router("/expenses", record_router(ExpenseViewSet, ExpenseOut, ExpenseIn, tags=["funds 项目资金"]))
