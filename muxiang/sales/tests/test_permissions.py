"""Who sees which sales: a station manager only the sales of their own station (another station's
sale is not found), read only; the client and the auditor read everything and write nothing."""

import pytest

from muxiang.sales.tests.conftest import make_census, make_sale


@pytest.fixture
def sales(world, contract, lamb):
    return {
        "mine": make_sale(contract, world.organisation, lamb, station=world.station, order_number="A-1"),
        "theirs": make_sale(
            contract, world.other_organisation, lamb, station=world.other_station, order_number="A-2"
        ),
        "county": make_sale(contract, world.organisation, lamb, order_number="A-3"),
    }


def listed(client, url="/sales/orders/"):
    response = client.get(url)
    assert response.status_code == 200
    return {record.order_number for record, _cells in response.context["rows"]}


def test_a_station_manager_sees_only_their_stations_sales(login, world, sales):
    client = login(world.manager)
    assert listed(client) == {"A-1"}
    assert client.get(f"/sales/orders/{sales['mine'].pk}/").status_code == 200
    assert client.get(f"/sales/orders/{sales['theirs'].pk}/").status_code == 404
    assert client.get(f"/sales/orders/{sales['county'].pk}/").status_code == 404


def test_the_other_manager_sees_nothing_of_the_first_station(login, world, sales):
    client = login(world.other_manager)
    assert listed(client) == {"A-2"}
    assert client.get(f"/sales/orders/{sales['mine'].pk}/").status_code == 404


def test_the_totals_of_a_station_manager_are_of_their_own_sales(login, world, sales):
    response = login(world.manager).get("/sales/orders/")
    assert [t.count for t in response.context["channel_totals"]] == [1]


def test_a_station_manager_may_not_add_change_or_import_sales(login, world, sales):
    client = login(world.manager)
    assert client.get("/sales/orders/add/").status_code == 403
    assert client.get(f"/sales/orders/{sales['mine'].pk}/edit/").status_code == 403
    assert client.get("/sales/orders/import/").status_code == 403
    assert client.post(f"/sales/orders/{sales['mine'].pk}/delete/").status_code == 403


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_the_client_and_the_auditor_read_every_sale_and_change_none(login, world, sales, persona):
    client = login(getattr(world, persona))
    assert listed(client) == {"A-1", "A-2", "A-3"}
    assert client.get("/sales/orders/add/").status_code == 403


def test_the_api_gives_a_station_manager_their_stations_sales_only(client, api_token, world, sales):
    headers = api_token(world.manager)
    response = client.get("/api/sales/orders/", **headers)
    assert [row["order_number"] for row in response.json()["items"]] == ["A-1"]
    assert client.get(f"/api/sales/orders/{sales['theirs'].pk}", **headers).status_code == 404
    totals = client.get("/api/sales/totals", **headers).json()
    assert [t["count"] for t in totals["by_channel"]] == [1]


def test_the_census_is_hidden_from_station_managers(login, world, contract):
    census = make_census(contract)
    client = login(world.manager)
    assert client.get("/sales/census/").status_code == 403
    assert client.get(f"/sales/census/{census.pk}/").status_code == 404
    assert client.get("/sales/census/compare/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, sales):
    assert client.get("/sales/orders/").status_code == 302
    assert client.get("/api/sales/orders/").status_code == 401
