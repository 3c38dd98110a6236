"""The demo fills the supply chain: phase 1's three 2.1 targets met, phase 2 on its way, and no
balance below zero on any day."""

import datetime

import pytest
from django.core.cache import cache

from muxiang.contracts.engine import compute_progress
from muxiang.demo.services import DEMO_CACHE_KEY, load_demo_contract, load_demo_data
from muxiang.supply import services
from muxiang.supply.models import Delivery, PurchaseOrder

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def progress(db):
    load_demo_data(TODAY)
    contract, _loaded = load_demo_contract(TODAY)
    yield {item.target.key: item for item in compute_progress(contract, TODAY)}
    cache.delete(DEMO_CACHE_KEY)


def test_the_demo_meets_phase_1_of_the_supply_targets_and_leaves_no_negative_stock(progress):
    for key in ("2.1-supply-services", "2.1-supply-chain", "2.1-systematic-services"):
        first = progress[key].phases[0]
        assert first.status == "met", (key, first.actual, first.target)
        assert progress[key].phases[1].actual is not None, key
    assert services.negative_balance_days() == []
    assert PurchaseOrder.objects.count() >= 5 and Delivery.objects.count() >= 20
    # one purchase of phase 2 is still partly outstanding
    assert any(services.outstanding_lines(order) for order in PurchaseOrder.objects.all())
