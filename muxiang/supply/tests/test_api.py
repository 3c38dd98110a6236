"""The supply chain's API writes through the same forms and services as the pages."""

import datetime

import pytest

from muxiang.supply import services
from muxiang.supply.models import Delivery
from muxiang.supply.tests.api_paths import get_list_paths
from muxiang.supply.tests.conftest import IN_PHASE_1, stock

MARCH_10 = datetime.date(2026, 3, 10)


def post(client, path, headers, body):
    return client.post(path, body, content_type="application/json", **headers)


def test_a_delivery_posted_through_the_api_is_checked_against_the_stock(client, api_token, supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    headers = api_token(supply.staff)
    body = {
        "contract": supply.contract.pk,
        "warehouse": supply.county.pk,
        "client": supply.shop.pk,
        "delivered_on": "2026-03-15",
        "lines": [{"product": "SP-0002", "quantity": "31"}],
    }
    refused = post(client, "/api/supply/deliveries/", headers, body)
    assert refused.status_code == 400
    assert "可用数量为 30袋" in refused.json()["errors"][0]["message"]
    body["lines"][0]["quantity"] = "20"
    created = post(client, "/api/supply/deliveries/", headers, body)
    assert created.status_code == 201, created.json()
    assert (
        created.json()["lines"] == [{"product_id": supply.flour.pk, "quantity": "20.000"}]
        or created.json()["lines"][0]["product_id"] == supply.flour.pk
    )
    pk = created.json()["id"]
    # DELETE is refused while its stock is booked; cancel reverses it
    assert client.delete(f"/api/supply/deliveries/{pk}", **headers).status_code == 400
    assert (
        post(client, f"/api/supply/deliveries/{pk}/cancel", headers, {"reason": "客户取消"}).status_code
        == 200
    )
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 30
    assert Delivery.objects.count() == 0


def test_a_receipt_beyond_the_order_is_refused_through_the_api(client, api_token, order, staff):
    headers = api_token(staff)
    refused = post(
        client,
        "/api/supply/receipts/",
        headers,
        {"order": order.pk, "received_on": "2026-03-20", "lines": [{"line": 2, "quantity": "41"}]},
    )
    assert refused.status_code == 400 and "最多还可到货 40袋" in refused.json()["errors"][0]["message"]
    assert (
        post(
            client,
            "/api/supply/receipts/",
            headers,
            {"order": order.pk, "received_on": "2026-03-20", "lines": [{"line": 2, "quantity": "40"}]},
        ).status_code
        == 201
    )


def test_transfers_reversals_and_balances_through_the_api(client, api_token, supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    headers = api_token(supply.staff)
    moved = post(
        client,
        "/api/supply/movements/transfer",
        headers,
        {
            "product": supply.flour.pk,
            "warehouse": supply.county.pk,
            "target": supply.station_point.pk,
            "amount": "12",
            "day": "2026-03-15",
        },
    )
    assert moved.status_code == 201 and len(moved.json()) == 2
    balances = client.get(f"/api/supply/balances/{supply.county.pk}?as_of=2026-03-15", **headers).json()
    assert balances[0]["quantity"] == "18.000" or float(balances[0]["quantity"]) == 18
    reversed_ = post(
        client, f"/api/supply/movements/{moved.json()[1]['id']}/reverse", headers, {"note": "调错"}
    )
    assert reversed_.status_code == 201
    again = post(client, f"/api/supply/movements/{moved.json()[1]['id']}/reverse", headers, {})
    assert again.status_code == 400 and "已冲销" in again.json()["detail"]


def test_movements_have_no_update_nor_delete_route():
    from muxiang.api import api

    paths = api.get_openapi_schema()["paths"]
    assert "/api/supply/movements/{pk}" in paths
    assert set(paths["/api/supply/movements/{pk}"]) == {"get"}


@pytest.mark.parametrize("path", get_list_paths())
def test_every_supply_list_answers_an_auditor(client, api_token, auditor, supply, path):
    assert client.get(path, **api_token(auditor)).status_code == 200
