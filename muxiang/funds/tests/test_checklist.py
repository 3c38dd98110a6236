import datetime
from pathlib import Path

import pytest

from muxiang.contracts.acceptance import phase_checklist
from muxiang.contracts.services import load_contract
from muxiang.funds.models import Expense

SAMPLE = Path(__file__).parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"


@pytest.mark.django_db
def test_an_expense_without_invoice_is_a_condition_on_its_phases_checklist(county, staff):
    contract = load_contract(SAMPLE.read_text(encoding="utf-8"))
    phase = contract.phases.get(number=1)
    Expense.objects.create(
        contract=contract,
        spent_on=datetime.date(2026, 2, 1),
        payee="某公司",
        amount=1200,
        section="A",
        phase=phase,
        invoice_number="INV-1",
        purpose="展架",
    )
    items = [item for item in phase_checklist(phase, today=datetime.date(2026, 3, 1)) if item.kind == "funds"]
    assert len(items) == 1 and not items[0].met and "发票" in items[0].title + items[0].detail
