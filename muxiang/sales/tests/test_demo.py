"""The demo's sales, census and trade network tell the dashboard's story: phase 1's 3 million yuan
met, phase 2 on its way, a census year completed in each phase, every town and more than half the
villages covered by the trade network."""

import pytest
from django.core.cache import cache

from muxiang.contracts.engine import compute_progress
from muxiang.demo.services import DEMO_CACHE_KEY, load_demo_contract, load_demo_data
from muxiang.sales.models import ProductCensus, Sale
from muxiang.sales.tests.conftest import TODAY

METRICS = {"sales.amount", "sales.census_updates", "trade_network.coverage"}


@pytest.fixture
def demo(db):
    load_demo_data(TODAY)
    contract, _loaded = load_demo_contract(TODAY)
    yield contract
    cache.delete(DEMO_CACHE_KEY)


def test_the_demo_meets_phase_1_and_is_on_its_way_in_phase_2(demo):
    progress = {p.target.key: p for p in compute_progress(demo, TODAY) if p.target.metric in METRICS}
    assert len(progress) == 4, sorted(progress)
    for key, target in progress.items():
        assert target.phases[0].status == "met", (key, target.phases[0].actual, target.phases[0].target)
    sales = next(p for p in progress.values() if p.target.metric == "sales.amount")
    assert sales.phases[1].status in ("on_track", "at_risk"), sales.phases[1]
    assert 0 < sales.phases[1].actual < sales.phases[1].target


def test_the_demo_sales_span_the_eight_channels_with_two_census_years_to_compare(demo, login, auditor):
    assert Sale.objects.values("channel").distinct().count() == 8
    assert not Sale.objects.filter(sold_on__gt=TODAY).exists()
    assert ProductCensus.objects.count() == 2
    response = login(auditor).get("/sales/census/compare/")
    assert response.status_code == 200
    assert response.context["comparison"]["by_category"]
    assert login(auditor).get("/sales/orders/").status_code == 200
    assert login(auditor).get("/network/coverage/").status_code == 200
