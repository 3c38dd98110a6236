"""Who sees what of the supply chain: a station manager reads their own station's stock point, its
movements and counts, and the deliveries that concern their station — nothing of another station,
nor of purchasing, suppliers or services — and writes nothing; the client supervisor and the
auditor read everything and write nothing; an anonymous visitor is sent to log in."""

import datetime

import pytest
from django.urls import get_resolver, reverse

from muxiang.supply import services
from muxiang.supply.models import Delivery, StockMovement
from muxiang.supply.tests.conftest import IN_PHASE_1, q, stock

REFUSED = {403, 404, 405}


def supply_routes():
    _prefix, resolver = get_resolver().namespace_dict["supply"]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


@pytest.fixture
def records(supply, order, other_point):
    stock(supply.county, supply.flour, 100, datetime.date(2026, 3, 1))
    stock(supply.station_point, supply.flour, 20, datetime.date(2026, 3, 1))
    stock(other_point, supply.flour, 20, datetime.date(2026, 3, 1))
    own = services.record_delivery(
        supply.contract,
        supply.county,
        IN_PHASE_1,
        [(supply.flour, q(5))],
        supply.staff,
        to_station=supply.station_point.station,
    )
    from_own_point = services.record_delivery(
        supply.contract,
        supply.station_point,
        IN_PHASE_1,
        [(supply.flour, q(2))],
        supply.staff,
        client=supply.shop,
    )
    others = services.record_delivery(
        supply.contract,
        other_point,
        IN_PHASE_1,
        [(supply.flour, q(2))],
        supply.staff,
        client=supply.organisation,
    )
    county = services.record_delivery(
        supply.contract,
        supply.county,
        IN_PHASE_1,
        [(supply.flour, q(2))],
        supply.staff,
        client=supply.organisation,
    )
    return {"own": own, "from_own_point": from_own_point, "others": others, "county": county}


def test_a_station_manager_lists_only_the_deliveries_of_their_station(login, manager, records):
    page = login(manager).get(reverse("supply:delivery-list")).content.decode()
    assert records["own"].number in page and records["from_own_point"].number in page
    assert records["others"].number not in page and records["county"].number not in page


def test_a_station_manager_reads_only_their_own_stock_point(login, manager, supply, records, other_point):
    client = login(manager)
    assert client.get(reverse("supply:warehouse-detail", args=[supply.station_point.pk])).status_code == 200
    assert client.get(reverse("supply:warehouse-detail", args=[other_point.pk])).status_code == 404
    assert client.get(reverse("supply:warehouse-detail", args=[supply.county.pk])).status_code == 404
    page = client.get(reverse("supply:balances")).content.decode()
    assert "海流图镇站点前置仓" in page and "巴音村站点前置仓" not in page
    assert client.get(reverse("supply:balances"), {"warehouse": other_point.pk}).status_code == 400
    movements = client.get(reverse("supply:movement-list")).content.decode()
    assert "乌拉特中旗县级仓储配送中心" not in movements.split("<table")[1]


def test_another_manager_sees_nothing_of_the_first_station(login, other_manager, records):
    client = login(other_manager)
    assert client.get(reverse("supply:delivery-detail", args=[records["own"].pk])).status_code == 404
    assert client.get(reverse("supply:delivery-detail", args=[records["others"].pk])).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_station_manager_writes_nothing_and_reads_no_purchasing(login, manager, records, order, method):
    client = login(manager)
    before = (Delivery.all_objects.count(), StockMovement.objects.count())
    for name, takes_pk in supply_routes():
        if takes_pk:
            continue
        response = getattr(client, method)(reverse(f"supply:{name}"))
        prefix = name.split("-")[0]
        if prefix in {"order", "receipt", "supplier", "service", "chain", "clients"} or name.endswith("-add"):
            assert response.status_code in REFUSED, (name, response.status_code)
        elif name.endswith("-import"):
            assert response.status_code in REFUSED | {302}, name
    assert client.get(reverse("supply:order-detail", args=[order.pk])).status_code in REFUSED
    assert client.post(reverse("supply:delivery-delete", args=[records["own"].pk])).status_code in REFUSED
    assert (
        client.post(
            reverse("supply:movement-reverse", args=[records["own"].movements().get().pk])
        ).status_code
        in REFUSED
    )
    assert (Delivery.all_objects.count(), StockMovement.objects.count()) == before


def test_the_supervisor_and_the_auditor_read_everything_and_write_nothing(
    login, client_supervisor, auditor, records
):
    for user in (client_supervisor, auditor):
        client = login(user)
        page = client.get(reverse("supply:delivery-list")).content.decode()
        assert all(d.number in page for d in records.values())
        assert client.get(reverse("supply:delivery-add")).status_code == 403
        assert client.post(reverse("supply:delivery-delete", args=[records["own"].pk])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login(client, records):
    for name, takes_pk in supply_routes():
        url = reverse(f"supply:{name}", args=[records["own"].pk] if takes_pk else [])
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


def test_a_station_managers_api_token_sees_only_their_deliveries(client, api_token, manager, records):
    listed = client.get("/api/supply/deliveries/?limit=100", **api_token(manager)).json()
    assert {item["id"] for item in listed["items"]} == {records["own"].pk, records["from_own_point"].pk}
