"""The brand figures of the contract engine: cumulative counts up to a window's end (a record of
the last day of phase 1 counts in phase 1, one of the next day does not), members who left no
longer counted, products counted once across series, packaging summed within the window, only
records with the evidence the target requires, deleted records never."""

import datetime

import pytest
from django.utils import timezone

from muxiang.brands.tests.conftest import (
    FIRST_DAY_OF_PHASE_2,
    IN_PHASE_1,
    IN_PHASE_2,
    LAST_DAY_OF_PHASE_1,
    TODAY,
    attach,
    make_brand,
    make_entry,
    make_member,
    make_product,
    make_run,
    make_series,
)
from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, Window, is_measurable, measure

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)
PHASE_1 = Window(START, LAST_DAY_OF_PHASE_1, TODAY)
# Cumulative targets measure phase 2 from the contract's start.
UP_TO_PHASE_2 = Window(START, datetime.date(2026, 12, 31), TODAY)
PHASE_2 = Window(FIRST_DAY_OF_PHASE_2, datetime.date(2026, 12, 31), TODAY)
METRICS = [
    "brands.count",
    "brands.member_enterprises",
    "brands.product_series",
    "brands.products",
    "brands.packages",
]


def figure(name, contract, window=PHASE_1, **params):
    return measure(name, window, params, contract)


def delete(record):
    record.deleted_at = timezone.now()
    record.save()


def test_every_brand_metric_is_measured_and_lists_its_records():
    assert all(is_measurable(name) for name in METRICS)
    assert set(METRICS) <= set(RECORDS)


def test_brands_count_by_tier_up_to_the_window_end(contract, organisation):
    make_brand(contract, "乌拉特草原", "regional", day=datetime.date(2019, 5, 1))  # integrated
    make_brand(contract, "乌拉特羊", "industry", day=LAST_DAY_OF_PHASE_1)
    make_brand(contract, "乌拉特奶香", "industry", day=FIRST_DAY_OF_PHASE_2)
    make_brand(contract, "牧歌", "enterprise", owner=organisation)
    delete(make_brand(contract, "废弃", "industry"))
    assert figure("brands.count", contract, tier="regional") == 1
    assert figure("brands.count", contract, tier="industry") == 1
    assert figure("brands.count", contract, UP_TO_PHASE_2, tier="industry") == 2
    assert figure("brands.count", contract, tier="enterprise") == 1


def test_a_brand_counts_only_with_its_document(contract, staff):
    brand = make_brand(contract, "乌拉特羊", "industry")
    needs_document = {"tier": "industry", EVIDENCE_PARAM: ("document",)}
    assert figure("brands.count", contract, **needs_document) == 0
    attach(brand, staff, "photo")
    assert figure("brands.count", contract, **needs_document) == 0
    attach(brand, staff, "document")
    assert figure("brands.count", contract, **needs_document) == 1


def test_members_joined_and_not_left_by_the_window_end_count_once(
    contract, regional, organisation, other_organisation
):
    make_member(
        regional, organisation, "SQ-1", day=datetime.date(2026, 1, 5), left_on=datetime.date(2026, 2, 1)
    )
    make_member(regional, organisation, "SQ-2", day=IN_PHASE_1)
    make_member(regional, other_organisation, "SQ-3", day=LAST_DAY_OF_PHASE_1, left_on=IN_PHASE_2)
    assert figure("brands.member_enterprises", contract) == 2
    # the second left in phase 2: no longer a member at its end
    assert figure("brands.member_enterprises", contract, UP_TO_PHASE_2) == 1
    # a member who left on the window's last day has left by its end
    window = Window(START, IN_PHASE_2, TODAY)
    assert figure("brands.member_enterprises", contract, window) == 1


def test_a_member_of_the_next_day_does_not_count_in_phase_1(contract, regional, organisation):
    make_member(regional, organisation, day=FIRST_DAY_OF_PHASE_2)
    assert figure("brands.member_enterprises", contract) == 0
    assert figure("brands.member_enterprises", contract, UP_TO_PHASE_2) == 1


def test_series_and_distinct_products_up_to_the_window_end(contract, regional, staff):
    lamb = make_series(regional, "XL-01", "草原羊肉系列", day=LAST_DAY_OF_PHASE_1)
    dairy = make_series(regional, "XL-02", "奶香系列", day=FIRST_DAY_OF_PHASE_2)
    chops, box = make_product(1), make_product(2)
    make_entry(lamb, chops, day=LAST_DAY_OF_PHASE_1)
    make_entry(lamb, box)
    make_entry(dairy, box, day=FIRST_DAY_OF_PHASE_2)
    delete(make_entry(dairy, make_product(3), day=FIRST_DAY_OF_PHASE_2))
    assert figure("brands.product_series", contract) == 1
    assert figure("brands.product_series", contract, UP_TO_PHASE_2) == 2
    assert figure("brands.products", contract) == 2
    assert figure("brands.products", contract, UP_TO_PHASE_2) == 2
    assert RECORDS["brands.products"](UP_TO_PHASE_2, {}, contract).count() == 3


def test_products_count_only_with_photo_and_document(contract, series, staff):
    entry = make_entry(series, make_product())
    params = {EVIDENCE_PARAM: ("photo", "document")}
    attach(entry, staff, "photo")
    assert figure("brands.products", contract, **params) == 0
    attach(entry, staff, "document")
    assert figure("brands.products", contract, **params) == 1


def test_packages_sum_the_units_produced_in_the_window(contract, series, staff):
    make_run(series, "BZ-001", 2500, day=IN_PHASE_1)
    last = make_run(series, "BZ-002", 1500, day=LAST_DAY_OF_PHASE_1)
    make_run(series, "BZ-003", 800, day=FIRST_DAY_OF_PHASE_2)
    delete(make_run(series, "BZ-004", 9999, day=IN_PHASE_1))
    assert figure("brands.packages", contract) == 4000
    assert figure("brands.packages", contract, PHASE_2) == 800
    needs = {EVIDENCE_PARAM: ("photo", "invoice")}
    attach(last, staff, "photo")
    attach(last, staff, "invoice")
    assert figure("brands.packages", contract, **needs) == 1500


def test_no_packaging_is_zero_not_unmeasurable(contract):
    assert figure("brands.packages", contract) == 0
