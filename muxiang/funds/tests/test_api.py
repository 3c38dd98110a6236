from muxiang.funds.models import Expense
from muxiang.funds.tests.conftest import make_expense, make_purchase, make_receipt


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
        "/api/funds/expenses/", payload, content_type="application/json", **api_token(staff)
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
        "/api/funds/expenses/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "section"


def test_the_api_lists_expenses_and_receipts_to_the_auditor(client, api_token, auditor, contract):
    make_expense(contract, "N-1")
    make_receipt(contract)
    headers = api_token(auditor)
    assert len(client.get("/api/funds/expenses/", **headers).json()["items"]) == 1
    assert len(client.get("/api/funds/receipts/", **headers).json()["items"]) == 1
    assert (
        client.post("/api/funds/receipts/", {}, content_type="application/json", **headers).status_code == 403
    )


def test_the_api_gives_a_station_manager_nothing(client, api_token, manager, contract):
    expense = make_expense(contract, "N-1")
    headers = api_token(manager)
    assert client.get("/api/funds/expenses/", **headers).status_code in {403, 404}
    assert client.get(f"/api/funds/expenses/{expense.pk}", **headers).status_code == 404
    assert client.delete(f"/api/funds/expenses/{expense.pk}", **headers).status_code == 404
    assert Expense.objects.count() == 1


def test_operator_staff_record_equipment_and_its_quotations_through_the_api(
    client, api_token, staff, contract
):
    # given
    expense = make_expense(contract, "FP-9", amount="5000.00")
    headers = api_token(staff)
    # when: the purchase, paid by the expense, then three quotations
    created = client.post(
        "/api/funds/equipment/",
        {
            "contract": contract.pk,
            "asset_number": "ZC-API-1",
            "name": "直播补光灯",
            "quantity": 2,
            "purchased_on": "2026-03-20",
            "amount": "4200.00",
            "section": "4",
            "choice_reason": "报价最低",
            "expense": expense.pk,
        },
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    equipment = created.json()
    for index, supplier in enumerate(["甲公司", "乙公司", "丙公司"]):
        quote = client.post(
            "/api/funds/quotations/",
            {
                "equipment": equipment["id"],
                "supplier": supplier,
                "amount": str(4200 + index * 100),
                "quoted_on": "2026-03-10",
                "chosen": index == 0,
            },
            content_type="application/json",
            **headers,
        )
        assert quote.status_code == 201, quote.content
    # then
    read = client.get(f"/api/funds/equipment/{equipment['id']}", **headers).json()
    assert read["expense_id"] == expense.pk
    assert read["quotation_count"] == 3 and read["problems"] == []
    assert equipment["problems"] == ["仅有 0 份报价，至少需要 3 份", "未标明选定的报价"]


def test_the_api_refuses_equipment_costing_more_than_the_expense_that_paid_for_it(
    client, api_token, staff, contract
):
    expense = make_expense(contract, "FP-10", amount="100.00")
    response = client.post(
        "/api/funds/equipment/",
        {
            "contract": contract.pk,
            "asset_number": "ZC-API-2",
            "name": "打印机",
            "quantity": 1,
            "purchased_on": "2026-03-20",
            "amount": "2000.00",
            "section": "4",
            "expense": expense.pk,
        },
        content_type="application/json",
        **api_token(staff),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "expense"
    assert "不足以支付" in response.json()["errors"][0]["message"]


def test_the_api_gives_a_station_manager_no_equipment_or_quotations(client, api_token, manager, contract):
    purchase = make_purchase(contract)
    headers = api_token(manager)
    assert client.get("/api/funds/equipment/", **headers).status_code in {403, 404}
    assert client.get(f"/api/funds/equipment/{purchase.pk}", **headers).status_code == 404
    assert client.get(f"/api/funds/quotations/{purchase.quotations.first().pk}", **headers).status_code == 404
