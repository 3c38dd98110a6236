"""The supply chain's list pages, exports and API lists cost the same queries for 3 records as
for 30 (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muxiang.core.testing import assert_list_cost_is_constant
from muxiang.supply import services
from muxiang.supply.models import Product, Supplier, Warehouse
from muxiang.supply.tests.api_paths import get_list_paths
from muxiang.supply.tests.conftest import make_chain, make_client, make_service, q

LISTS = [
    "delivery",
    "order",
    "receipt",
    "movement",
    "count",
    "warehouse",
    "product",
    "supplier",
    "service",
    "chain",
]


@pytest.fixture
def build(contract, county_warehouse, organisation, staff, station):
    def _build(first, count):
        for n in range(first, first + count):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
            product = Product.objects.create(code=f"P-{n}", name=f"商品{n}", unit="袋")
            supplier = Supplier.objects.create(name=f"供应商{n}")
            client = make_client(100 + n)
            Warehouse.objects.create(code=f"W-{n}", name=f"库存点{n}", kind="county")
            order = services.create_purchase_order(
                contract,
                supplier,
                county_warehouse,
                day,
                [(product, client, q(10), None), (product, organisation, q(5), None)],
                staff,
            )
            services.record_receipt(order, day, {1: q(10), 2: q(5)}, staff)
            services.record_delivery(contract, county_warehouse, day, [(product, q(3))], staff, client=client)
            services.record_stock_count(contract, county_warehouse, day, [(product, q(11))], staff)
            make_service(contract, organisation, day)
            chain = make_chain(contract, day, name=f"供应链{n}")
            chain.participants.set([organisation, client])

    return _build


@pytest.mark.parametrize("route", [f"{name}-list" for name in LISTS] + [f"{name}-export" for name in LISTS])
def test_the_page_costs_the_same_queries_for_3_and_30_records(login, auditor, build, route):
    client = login(auditor)
    url = reverse(f"supply:{route}")

    def cost():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    build(0, 3)
    few = cost()
    build(3, 27)
    assert cost() == few, route


@pytest.mark.parametrize("path", get_list_paths())
def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
    assert_list_cost_is_constant(client, api_token(auditor), path, build, counts=None)


def test_the_clients_and_balances_pages_cost_the_same_for_3_and_30(login, auditor, build, county_warehouse):
    client = login(auditor)
    urls = (reverse("supply:clients"), reverse("supply:balances") + f"?warehouse={county_warehouse.pk}")

    def costs():
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    build(0, 3)
    few = costs()
    build(3, 27)
    assert costs() == few
