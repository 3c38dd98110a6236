"""The demo's brand system tells the story the dashboard should show: phase 1's brand targets met,
with one enterprise brand still missing its document; the standard with two versions, one current."""

import datetime

import pytest
from django.core.cache import cache

from muxiang.brands.models import Brand, BrandMember, PackagingRun, SeriesProduct
from muxiang.contracts.engine import compute_progress
from muxiang.demo.services import DEMO_CACHE_KEY, load_demo_contract, load_demo_data
from muxiang.standards.models import StandardAdoption, StandardVersion

TODAY = datetime.date(2026, 6, 15)
BRAND_METRICS = {
    "brands.count",
    "brands.member_enterprises",
    "brands.product_series",
    "brands.products",
    "brands.packages",
}


@pytest.fixture
def demo(db):
    load_demo_data(TODAY)
    contract, _loaded = load_demo_contract(TODAY)
    yield contract
    cache.delete(DEMO_CACHE_KEY)


def test_the_demo_meets_the_brand_targets_of_phase_1(demo):
    progress = {p.target.key: p for p in compute_progress(demo, TODAY) if p.target.metric in BRAND_METRICS}
    assert len(progress) == 7, sorted(progress)
    for key, target in progress.items():
        first = target.phases[0]
        assert first.status == "met", (key, first.actual, first.target)
    assert progress["2.3-packages"].phases[0].actual >= 4000


def test_the_demo_holds_every_tier_members_series_and_packaging(demo):
    assert Brand.objects.filter(tier="regional").count() == 1
    assert Brand.objects.filter(tier="industry").count() == 3
    assert Brand.objects.filter(tier="enterprise").count() >= 10
    assert BrandMember.objects.count() >= 10
    assert SeriesProduct.objects.values("product").distinct().count() >= 6
    assert not SeriesProduct.objects.exclude(product__code__startswith="BR-").exists()
    assert PackagingRun.objects.exists()


def test_the_demo_standard_has_two_versions_one_current_and_applying_enterprises(demo):
    assert StandardVersion.objects.count() == 2
    assert StandardVersion.objects.filter(is_current=True).get().version == "V2.0"
    assert StandardAdoption.objects.count() >= 5
