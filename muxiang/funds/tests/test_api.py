import pytest

from muxiang.funds.models import Expense
from muxiang.funds.tests.conftest import make_expense, make_receipt

pytestmark = pytest.mark.urls("muxiang.funds.tests.api_urls")


def test_operator_staff_create_an_expense_through_the_api_and_its_phase_is_derived(
    client, api_token, staff, contract
):
    payload = {
        "contract": contract.pk,
        "spent_on": "2026-08-02",
        "payee": "某某公司",
        "amount": "88.80",
        "section": "4",
        "purpose": "快递袋",
        "invoice_number": "API-1",
    }
    response = client.post(
        "/test-api/funds/expenses/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_invoice"] is False
    assert Expense.objects.get(invoice_number="API-1").phase.number == 2


def test_the_api_names_the_field_of_a_bad_section(client, api_token, staff, contract):
    payload = {
        "contract": contract.pk,
        "spent_on": "2026-08-02",
        "payee": "某",
        "amount": "1",
        "section": "Z",
        "purpose": "x",
        "invoice_number": "API-2",
    }
    response = client.post(
        "/test-api/funds/expenses/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "section"


def test_the_api_lists_expenses_and_receipts_to_the_auditor(client, api_token, auditor, contract):
    make_expense(contract, "N-1")
    make_receipt(contract)
    headers = api_token(auditor)
    assert len(client.get("/test-api/funds/expenses/", **headers).json()["items"]) == 1
    assert len(client.get("/test-api/funds/receipts/", **headers).json()["items"]) == 1
    assert (
        client.post("/test-api/funds/receipts/", {}, content_type="application/json", **headers).status_code
        == 403
    )


def test_the_api_gives_a_station_manager_nothing(client, api_token, manager, contract):
    expense = make_expense(contract, "N-1")
    headers = api_token(manager)
    assert client.get("/test-api/funds/expenses/", **headers).status_code in {403, 404}
    assert client.get(f"/test-api/funds/expenses/{expense.pk}", **headers).status_code == 404
    assert client.delete(f"/test-api/funds/expenses/{expense.pk}", **headers).status_code == 404
    assert Expense.objects.count() == 1
