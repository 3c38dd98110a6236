import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from muxiang.contracts.services import load_contract
from muxiang.core import services as core_services
from muxiang.funds.models import EquipmentPurchase, Expense, FundReceipt, Quotation

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
# The sample contract's phases: 1 is 2026-01-01..06-30, 2 is 2026-07-01..12-31.
IN_PHASE_1 = datetime.date(2026, 3, 15)
IN_PHASE_2 = datetime.date(2026, 8, 1)


@pytest.fixture(autouse=True)
def _not_after_the_sample_phases(monkeypatch):
    """The tests' dates are in 2026; "today" is pinned after them so none is in the future."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 28))


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


def invoice_pdf(name="invoice.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


@pytest.fixture
def attach():
    def _attach(record, by, name="invoice.pdf"):
        return core_services.attach_evidence(record, invoice_pdf(name), by, "发票")

    return _attach


def make_expense(contract, number, amount="100.00", day=IN_PHASE_1, section="4"):
    from muxiang.funds.services import phase_on

    return Expense.objects.create(
        contract=contract,
        spent_on=day,
        payee="某某网络科技有限公司",
        amount=Decimal(amount),
        section=section,
        purpose="站点标识牌",
        invoice_number=number,
        phase=phase_on(contract, day),
    )


def make_purchase(contract, asset="ZC-001", quotes=3, reason="价格最低且售后最近"):
    purchase = EquipmentPurchase.objects.create(
        contract=contract,
        asset_number=asset,
        name="冷链展示柜",
        purchased_on=IN_PHASE_1,
        amount=Decimal("3000.00"),
        section="4",
        choice_reason=reason,
    )
    Quotation.objects.bulk_create(
        Quotation(
            equipment=purchase,
            supplier=f"供应商{i}",
            amount=Decimal(3000 + i * 100),
            quoted_on=IN_PHASE_1,
            chosen=i == 0,
        )
        for i in range(quotes)
    )
    return purchase


def make_receipt(contract, number="HD-001", amount="600000.00"):
    return FundReceipt.objects.create(
        contract=contract,
        voucher_number=number,
        received_on=datetime.date(2026, 1, 10),
        amount=Decimal(amount),
        payer="示例县商务局",
        milestone="首付款",
    )
