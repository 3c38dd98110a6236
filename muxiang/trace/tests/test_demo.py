"""The demo's trace system: phase 1's codes and enterprises met, phase 2 on its way, batches with
their story, bound codes that scan, and a review queue with something in it."""

import pytest
from django.core.cache import cache

from muxiang.contracts.engine import compute_progress
from muxiang.demo.services import DEMO_CACHE_KEY, load_demo_contract, load_demo_data
from muxiang.trace.models import Batch, Enterprise, ScanAlert, TraceCode
from muxiang.trace.tests.conftest import TODAY


@pytest.fixture
def demo(db):
    load_demo_data(TODAY)
    contract, _loaded = load_demo_contract(TODAY)
    yield contract
    cache.delete(DEMO_CACHE_KEY)


def test_the_demo_meets_phase_1_and_is_on_its_way_in_phase_2(demo):
    progress = {
        p.target.metric: p for p in compute_progress(demo, TODAY) if p.target.metric.startswith("trace.")
    }
    assert set(progress) == {"trace.codes", "trace.enterprises"}
    assert progress["trace.codes"].phases[0].status == "met"
    assert progress["trace.codes"].phases[0].actual >= 40000
    assert 0 < progress["trace.codes"].phases[1].actual < 20000
    assert progress["trace.enterprises"].phases[0].actual >= 5
    assert TraceCode.objects.count() >= 55000


def test_the_demo_batches_have_their_story_and_bound_codes(demo):
    assert Enterprise.objects.count() >= 5
    for batch in Batch.objects.all():
        assert batch.events.exists() and batch.certificates.count() == 2
        assert TraceCode.objects.filter(batch=batch).exists()
    assert ScanAlert.objects.filter(rule="far_apart").exists()
    assert ScanAlert.objects.filter(rule="guessing").exists()
