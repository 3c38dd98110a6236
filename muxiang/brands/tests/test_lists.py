"""Every list page and API list of the brand system and the standard costs the same queries for 3
records as for 30 (no query per row), and a brand's page lists its related records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muxiang.brands.tests.conftest import (
    make_brand,
    make_entry,
    make_member,
    make_product,
    make_run,
    make_series,
    make_service,
)
from muxiang.core.testing import api_list_paths, assert_list_cost_is_constant
from muxiang.organisations.models import Organisation
from muxiang.standards.models import TradeStandard
from muxiang.standards.tests.conftest import make_adoption, make_version

pytestmark = pytest.mark.django_db

ROUTES = [
    "brands:brand-list",
    "brands:member-list",
    "brands:service-list",
    "brands:series-list",
    "brands:product-list",
    "brands:packaging-list",
    "standards:standard-list",
    "standards:version-list",
    "standards:adoption-list",
]


@pytest.fixture
def build(contract, regional):
    def _build(first, count):
        for n in range(first, first + count):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
            organisation = Organisation.objects.create(name=f"企业{n}", kind="enterprise")
            make_brand(contract, f"企业品牌{n}", "enterprise", day=day, owner=organisation)
            member = make_member(regional, organisation, f"SQ-{n}", day=day)
            make_service(member, f"PF-{n:03d}", day=day)
            series = make_series(regional, f"XL-{n}", f"系列{n}", day=day)
            product = make_product(n)
            make_entry(series, product, day=day)
            make_run(series, f"BZ-{n:03d}", 100, day=day, product=product)
            standard = TradeStandard.objects.create(title=f"标准{n}", industry="肉羊")
            make_version(standard, f"T/{n}")
            make_adoption(standard, organisation)

    return _build


@pytest.mark.parametrize("route", ROUTES)
def test_the_page_costs_the_same_queries_for_3_and_30_records(login, auditor, build, route):
    client = login(auditor)
    url = reverse(route)
    build(0, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    build(3, 27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), route


@pytest.mark.parametrize("path", api_list_paths("/api/brands/") + api_list_paths("/api/standards/"))
def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
    # The regional brand and its fixtures are listed with the built records.
    counts = {"/api/brands/brands/": (4, 31)}.get(path, (3, 30))
    assert_list_cost_is_constant(client, api_token(auditor), path, build, counts=counts)


def test_the_regional_brand_page_lists_members_series_products_packaging_and_promotions(
    login, auditor, contract, regional, organisation
):
    from muxiang.publicity.models import Article

    make_member(regional, organisation)
    series = make_series(regional)
    make_entry(series, make_product(1))
    make_run(series, "BZ-007", 2500)
    Article.objects.create(
        contract=contract,
        title="「乌拉特草原」品牌故事",
        url="https://mp.weixin.qq.com/s/x",
        published_on=datetime.date(2026, 3, 1),
        promotes_brand=True,
    )
    html = login(auditor).get(regional.get_absolute_url()).content.decode()
    for text in (
        "海流图牧歌合作社",
        "草原羊肉系列",
        "巴美羊肉礼盒1",
        "BZ-007",
        "2,500",
        "「乌拉特草原」品牌故事",
    ):
        assert text in html, text
