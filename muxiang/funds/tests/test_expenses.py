import datetime
from decimal import Decimal

from django.urls import reverse

from muxiang.funds.choices import FundFlagKind
from muxiang.funds.models import Expense
from muxiang.funds.services import funds_flags
from muxiang.funds.tests.conftest import IN_PHASE_1, IN_PHASE_2, invoice_pdf, make_expense


def expense_form(contract, **changes):
    return {
        "contract": contract.pk,
        "spent_on": IN_PHASE_2.isoformat(),
        "payee": "某某印务有限公司",
        "amount": "1250.50",
        "section": "B.1",
        "purpose": "宣传册印刷",
        "invoice_number": "26150000000000000001",
        **changes,
    }


def test_creating_an_expense_derives_its_phase_from_the_date(login, staff, contract):
    # when
    response = login(staff).post(reverse("funds:expense-add"), expense_form(contract))
    # then
    assert response.status_code == 302
    expense = Expense.objects.get(invoice_number="26150000000000000001")
    assert expense.phase.number == 2
    assert expense.amount == Decimal("1250.50")


def test_the_phase_cannot_be_typed(login, staff, contract):
    phase_1 = contract.phases.get(number=1)
    login(staff).post(reverse("funds:expense-add"), expense_form(contract, phase=phase_1.pk))
    assert Expense.objects.get().phase.number == 2


def test_editing_the_date_moves_the_expense_to_the_other_phase(login, staff, contract):
    expense = make_expense(contract, "N-1", day=IN_PHASE_2)
    data = expense_form(contract, spent_on=IN_PHASE_1.isoformat(), invoice_number="N-1")
    response = login(staff).post(reverse("funds:expense-edit", args=[expense.pk]), data)
    assert response.status_code == 302
    expense.refresh_from_db()
    assert expense.phase.number == 1


def test_it_refuses_a_section_the_contract_does_not_name(login, staff, contract):
    response = login(staff).post(reverse("funds:expense-add"), expense_form(contract, section="9.9"))
    assert response.status_code == 400
    assert "合同中没有条款「9.9」" in response.content.decode()
    assert not Expense.objects.exists()


def test_it_refuses_a_zero_amount_and_a_future_date_naming_the_fields(login, staff, contract):
    data = expense_form(contract, amount="0", spent_on=(datetime.date(2026, 11, 29)).isoformat())
    response = login(staff).post(reverse("funds:expense-add"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "日期不能晚于今天" in html
    assert "0.01" in html
    assert not Expense.objects.exists()


def test_it_refuses_nonsense_amounts_without_crashing(login, staff, contract):
    for amount in ("abc", "-5", "1.234", "1e400", "\x00"):
        response = login(staff).post(reverse("funds:expense-add"), expense_form(contract, amount=amount))
        assert response.status_code == 400, amount
    assert not Expense.objects.exists()


def test_an_expense_without_invoice_is_flagged_until_an_invoice_is_uploaded(login, staff, contract):
    # given
    expense = make_expense(contract, "N-1")
    # then
    flags = funds_flags(contract)
    assert [(f.kind, f.record) for f in flags] == [(FundFlagKind.MISSING_INVOICE, expense)]
    assert "<td>缺少发票</td>" in login(staff).get(reverse("funds:expense-list")).content.decode()
    # when
    response = login(staff).post(
        reverse("funds:expense-evidence", args=[expense.pk]), {"file": invoice_pdf(), "description": "发票"}
    )
    # then
    assert response.status_code == 302
    assert funds_flags(contract) == []
    assert "<td>缺少发票</td>" not in login(staff).get(reverse("funds:expense-list")).content.decode()


def test_flags_for_a_phase_leave_out_the_other_phase(contract):
    make_expense(contract, "N-1", day=IN_PHASE_1)
    late = make_expense(contract, "N-2", day=IN_PHASE_2)
    flags = funds_flags(contract, contract.phases.get(number=2))
    assert [f.record for f in flags] == [late]


def test_a_deleted_expense_is_no_longer_flagged(contract, staff):
    from muxiang.core.services import soft_delete_record

    expense = make_expense(contract, "N-1")
    soft_delete_record(expense, staff)
    assert funds_flags(contract) == []


def test_the_expense_pages_open_for_every_reader(login, staff, client_supervisor, auditor, contract):
    expense = make_expense(contract, "N-1")
    for persona in (staff, client_supervisor, auditor):
        client = login(persona)
        for url in (
            reverse("funds:expense-list"),
            reverse("funds:expense-detail", args=[expense.pk]),
            reverse("funds:expense-export"),
            reverse("funds:expense-template"),
        ):
            assert client.get(url).status_code == 200, (persona, url)


def test_the_audit_trail_records_an_expense_change(login, staff, contract):
    login(staff).post(reverse("funds:expense-add"), expense_form(contract))
    expense = Expense.objects.get()
    detail = login(staff).get(reverse("funds:expense-detail", args=[expense.pk])).content.decode()
    assert "变更历史" in detail
    assert "某某印务有限公司" in detail
