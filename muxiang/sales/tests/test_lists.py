"""The sales and network lists cost the same queries for 3 records as for 30 (no N+1), on the
pages (with their totals) and in the API."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.core.testing import api_list_paths, assert_list_cost_is_constant
from muxiang.network.models import Outlet
from muxiang.regions.models import Region
from muxiang.sales.tests.conftest import make_census, make_entry, make_sale


@pytest.fixture
def build(contract, organisation, lamb, station, town):
    census = make_census(contract, year=2026)

    def _build(first, count):
        for n in range(first, first + count):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n * 5)
            make_sale(contract, organisation, lamb, sold_on=day, station=station, order_number=f"N-{n}")
            region = Region.objects.create(name=f"村{n}", level="village", parent=town)
            Outlet.objects.create(
                code=f"O-{n}",
                name=f"网点{n}",
                kind="post",
                operator=organisation,
                region=region,
                station=station,
            )
            make_entry(census, town, category=f"品类{n}")
            make_census(contract, year=2030 + n)

    return _build


@pytest.mark.parametrize(
    "path",
    ["/sales/orders/", "/sales/census/", "/sales/census-entries/", "/network/", "/sales/orders/export.xlsx"],
)
def test_the_page_costs_the_same_queries_for_3_and_30_records(login, auditor, build, path):
    client = login(auditor)
    build(0, 3)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    build(3, 27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), path


@pytest.mark.parametrize(
    "path",
    api_list_paths("/api/sales/orders")
    + api_list_paths("/api/sales/census")
    + api_list_paths("/api/network/outlets"),
)
def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
    counts = (4, 31) if path.startswith("/api/sales/census/") else (3, 30)
    assert_list_cost_is_constant(client, api_token(auditor), path, build, counts=counts)
