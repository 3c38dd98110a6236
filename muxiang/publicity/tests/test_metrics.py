"""The publicity figures of the contract engine, from the records: at the window's edges (a record
of a phase's last day counts in it, one of the next day does not), without deleted records, with
evidence when the target requires it, and at the same cost in queries for 3 records as for 30."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, Window, compute_progress, measure
from muxiang.contracts.services import load_contract
from muxiang.publicity.tests.conftest import (
    FIRST_DAY_OF_PHASE_2,
    IN_PHASE_1,
    LAST_DAY_OF_PHASE_1,
    TODAY,
    attach_screenshot,
    make_article,
    make_billboard,
    make_brochure,
    make_coverage,
    make_video,
)

pytestmark = pytest.mark.django_db

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, TODAY)
PHASE_2 = Window(FIRST_DAY_OF_PHASE_2, datetime.date(2026, 12, 31), TODAY)
SCREENSHOT = {EVIDENCE_PARAM: ("screenshot",)}
METRICS = [
    "publicity.articles",
    "publicity.media_coverage",
    "publicity.billboards",
    "publicity.brochure_pages",
    "publicity.videos",
    "brands.promotions",
    "brands.promotion_reads",
    "brands.promo_videos",
    "brands.promo_video_showings",
]


def figure(name, contract, window=PHASE_1, **params):
    return measure(name, window, params, contract)


def delete(record):
    record.deleted_at = timezone.now()
    record.save()


def test_every_publicity_and_brand_promotion_metric_is_measured_and_lists_its_records():
    from muxiang.contracts.engine import is_measurable

    assert all(is_measurable(name) for name in METRICS)
    assert set(METRICS) <= set(RECORDS)


# --- 1.1 三 and 3 六 ---------------------------------------------------------------------------------


def test_an_article_of_the_last_day_of_phase_1_counts_there_and_one_of_the_next_day_does_not(contract):
    make_article(contract, 1, day=LAST_DAY_OF_PHASE_1)
    make_article(contract, 2, day=FIRST_DAY_OF_PHASE_2)
    assert figure("publicity.articles", contract, PHASE_1) == 1
    assert figure("publicity.articles", contract, PHASE_2) == 1


def test_articles_count_on_the_listed_channels_only_and_deleted_ones_never(contract):
    make_article(contract, 1, channel="wechat")
    make_article(contract, 2, channel="douyin")
    delete(make_article(contract, 3, channel="wechat"))
    assert figure("publicity.articles", contract) == 2
    assert figure("publicity.articles", contract, channels=["wechat"]) == 1
    assert list(RECORDS["publicity.articles"](PHASE_1, {"channels": ["douyin"]}, contract)) == [
        contract_article(contract, 2)
    ]


def contract_article(contract, n):
    from muxiang.publicity.models import Article

    return Article.objects.get(url=f"https://mp.weixin.qq.com/s/article-{n}")


def test_an_article_without_its_screenshot_does_not_count_where_evidence_is_required(contract, staff):
    attach_screenshot(make_article(contract, 1), staff)
    make_article(contract, 2)
    assert figure("publicity.articles", contract, **SCREENSHOT) == 1
    assert figure("publicity.articles", contract) == 2


def test_a_photo_does_not_stand_for_the_screenshot_a_target_requires_unless_it_accepts_either(
    contract, staff
):
    attach_screenshot(make_article(contract, 1, promotes_brand=True), staff, kind="photo")
    attach_screenshot(make_article(contract, 2, promotes_brand=True), staff)
    assert figure("publicity.articles", contract, **SCREENSHOT) == 1
    assert figure("brands.promotions", contract, **{EVIDENCE_PARAM: ("screenshot|photo",)}) == 2


def test_media_coverage_counts_the_listed_levels(contract):
    make_coverage(contract, 1, level="national")
    make_coverage(contract, 2, level="city")
    make_coverage(contract, 3, level="county")
    make_coverage(contract, 4, level="provincial", day=FIRST_DAY_OF_PHASE_2)
    delete(make_coverage(contract, 5, level="national"))
    levels = ["national", "provincial", "city"]
    assert figure("publicity.media_coverage", contract, levels=levels) == 2
    assert figure("publicity.media_coverage", contract) == 3
    assert figure("publicity.media_coverage", contract, PHASE_2, levels=levels) == 1


def test_billboards_count_every_board_installed_by_the_windows_end_as_they_stay_up(contract):
    make_billboard(contract, 1, day=IN_PHASE_1)
    make_billboard(contract, 2, day=LAST_DAY_OF_PHASE_1)
    make_billboard(contract, 3, day=FIRST_DAY_OF_PHASE_2)
    delete(make_billboard(contract, 4, day=IN_PHASE_1))
    assert figure("publicity.billboards", contract, PHASE_1) == 2
    assert figure("publicity.billboards", contract, PHASE_2) == 3
    # measured on a day inside phase 2, a board installed after that day is not up yet
    early = Window(PHASE_2.start, PHASE_2.end, FIRST_DAY_OF_PHASE_2)
    assert figure("publicity.billboards", contract, early) == 3
    assert (
        figure("publicity.billboards", contract, Window(PHASE_2.start, PHASE_2.end, LAST_DAY_OF_PHASE_1)) == 2
    )


def test_brochure_pages_are_the_sum_of_the_pages_handed_out(contract, staff):
    attach_screenshot(make_brochure(contract, 1, pages=400, day=LAST_DAY_OF_PHASE_1), staff)
    make_brochure(contract, 2, pages=250)
    make_brochure(contract, 3, pages=1000, day=FIRST_DAY_OF_PHASE_2)
    delete(make_brochure(contract, 4, pages=5000))
    assert figure("publicity.brochure_pages", contract) == 650
    assert figure("publicity.brochure_pages", contract, **SCREENSHOT) == 400
    assert figure("publicity.brochure_pages", contract, PHASE_2) == 1000
    assert (
        figure("publicity.brochure_pages", contract, Window(PHASE_2.start, PHASE_2.end, PHASE_2.start))
        == 1000
    )


def test_no_brochures_is_zero_pages_not_unmeasurable(contract):
    assert figure("publicity.brochure_pages", contract) == Decimal(0)


def test_videos_count_each_publication_of_the_listed_kinds(contract):
    make_video(contract, 1, kind="training")
    make_video(contract, 2, kind="training", platform="抖音")
    make_video(contract, 3, kind="promo")
    make_video(contract, 4, kind="training", day=FIRST_DAY_OF_PHASE_2)
    assert figure("publicity.videos", contract, kinds=["training"]) == 2
    assert figure("publicity.videos", contract) == 3


# --- 2.3 二: brand promotion ---------------------------------------------------------------------


@pytest.fixture
def promotions(contract, staff):
    """Phase 1's brand promotion: two articles, a report and the brand film on two platforms, each
    with its screenshot but the second article; and publicity that does not promote the brand."""
    first = make_article(contract, 1, promotes_brand=True, reads=60000, day=LAST_DAY_OF_PHASE_1)
    second = make_article(contract, 2, promotes_brand=True, reads=25000)
    make_article(contract, 3, reads=99999)
    report = make_coverage(contract, 1, promotes_brand=True)
    make_coverage(contract, 2)
    film_1 = make_video(contract, 1, kind="brand_promo", promotes_brand=True, views=9000)
    film_2 = make_video(contract, 2, kind="brand_promo", promotes_brand=True, views=1000, platform="抖音")
    make_video(contract, 3, kind="training", views=7777)
    delete(make_article(contract, 4, promotes_brand=True, reads=50000))
    make_article(contract, 5, promotes_brand=True, reads=1, day=FIRST_DAY_OF_PHASE_2)
    for record in (first, report, film_1, film_2):
        attach_screenshot(record, staff)
    return {"second": second}


def test_brand_promotions_are_articles_reports_and_video_publications_marked_for_the_brand(
    contract, promotions
):
    assert figure("brands.promotions", contract) == 5
    assert figure("brands.promotions", contract, **SCREENSHOT) == 4
    assert figure("brands.promotions", contract, PHASE_2) == 1


def test_the_records_behind_brand_promotions_are_the_brand_articles(contract, promotions):
    listed = RECORDS["brands.promotions"](PHASE_1, {}, contract)
    assert listed.model._meta.model_name == "article"
    assert listed.count() == 2


def test_brand_reads_add_the_reads_of_brand_articles_and_the_views_of_brand_videos(contract, promotions):
    assert figure("brands.promotion_reads", contract) == 60000 + 25000 + 9000 + 1000
    assert figure("brands.promotion_reads", contract, **SCREENSHOT) == 60000 + 9000 + 1000
    # cumulative: the target's window runs from the contract's start
    whole = Window(PHASE_1.start, PHASE_2.end, TODAY)
    assert figure("brands.promotion_reads", contract, whole) == 95001


def test_the_brand_film_is_one_film_shown_on_every_platform_it_was_published(contract, promotions):
    assert figure("brands.promo_videos", contract) == 1
    assert figure("brands.promo_video_showings", contract) == 2
    assert figure("brands.promo_videos", contract, PHASE_2) == 0


def test_the_shipped_contracts_brand_targets_are_measured_from_publicity(contract, staff, county):
    # given the shipped contract, begun so that phase 1 holds the sample's dates
    text = (
        Path(__file__).resolve().parents[2] / "contracts/data/urad-middle-banner-package-1.toml"
    ).read_text(encoding="utf-8")
    shipped = load_contract(text, start=datetime.date(2026, 1, 1))
    film = make_video(shipped, 1, kind="brand_promo", views=100000)
    attach_screenshot(film, staff)
    attach_screenshot(film, staff, kind="video")
    brochure = make_brochure(shipped, 1, pages=10000)
    attach_screenshot(brochure, staff, kind="photo")
    # when
    progress = {item.target.key: item for item in compute_progress(shipped, TODAY)}
    # then
    assert progress["2.3-promo-video"].phases[0].actual == 1
    assert progress["2.3-promo-video-showings"].phases[0].actual == 1
    assert progress["2.3-promotions"].phases[0].actual == 1
    assert progress["2.3-promotion-reads"].phases[0].actual == 100000
    assert progress["2.3-promotion-reads"].phases[0].status == "met"
    # the brochures' invoice is still missing: the pages do not count yet
    assert progress["3-brochure-pages"].phases[0].actual == 0
    attach_screenshot(brochure, staff, kind="invoice")
    progress = {item.target.key: item for item in compute_progress(shipped, TODAY)}
    assert progress["3-brochure-pages"].phases[0].actual == 10000
    assert progress["1.1-articles"].phases[0].actual == 0


# --- cost --------------------------------------------------------------------------------------------


def every_figure(contract):
    params = {
        EVIDENCE_PARAM: ("screenshot|photo",),
        "channels": ["wechat"],
        "levels": ["national", "city"],
        "kinds": ["promo"],
    }
    return [figure(name, contract, PHASE_1, **params) for name in METRICS]


def make_each(contract, staff, numbers):
    for n in numbers:
        records = [
            make_article(contract, n, promotes_brand=True),
            make_coverage(contract, n, level="national", promotes_brand=n % 2 == 0),
            make_billboard(contract, n),
            make_brochure(contract, n),
            make_video(contract, n, kind="brand_promo" if n % 3 else "promo", title=f"片{n % 4}"),
        ]
        for record in records[:: 1 + n % 2]:
            attach_screenshot(record, staff)


def test_the_figures_cost_the_same_queries_for_3_records_as_for_30(contract, staff):
    make_each(contract, staff, range(1, 4))
    every_figure(contract)  # content types cached
    with CaptureQueriesContext(connection) as three:
        few = every_figure(contract)
    make_each(contract, staff, range(4, 31))
    with CaptureQueriesContext(connection) as thirty:
        many = every_figure(contract)
    assert len(thirty) == len(three)
    assert many[0] > few[0] and many[2] > few[2]
