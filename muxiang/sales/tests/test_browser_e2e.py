"""The sales ledger driven in headless Chromium against a live server: the auditor opens the sales
from the navigation, filters by channel, and the totals by channel and by phase follow the filter
(htmx swaps them with the table); the census comparison page shows the change of a category."""

import datetime
from decimal import Decimal

import pytest

from muxiang.conftest import CHROMIUM, sign_in
from muxiang.sales.tests.conftest import make_census, make_entry, make_sale

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def test_the_auditor_filters_sales_by_channel_and_the_totals_follow(
    new_page, auditor, contract, organisation, lamb, town
):
    from playwright.sync_api import expect

    # given sales in two channels and two phases, and two census years
    make_sale(contract, organisation, lamb, amount="1200", channel="supermarket", order_number="S-1")
    make_sale(contract, organisation, lamb, amount="800", channel="social_media", order_number="S-2")
    make_sale(
        contract,
        organisation,
        lamb,
        amount="300",
        channel="social_media",
        order_number="S-3",
        sold_on=datetime.date(2026, 8, 1),
    )
    make_entry(make_census(contract, year=2026), town, herd_size=50000)
    make_entry(
        make_census(contract, year=2027, completed_on=datetime.date(2026, 9, 1)),
        town,
        herd_size=54000,
        output=Decimal("3300"),
    )
    page = new_page()
    sign_in(page, "sunshen")

    # when 孙审 opens the sales ledger from the navigation
    page.get_by_role("navigation").get_by_role("link", name="农产品销售", exact=True).click()
    page.wait_for_url("**/sales/orders/")
    expect(page.locator("#channel-totals")).to_contain_text("商超")
    expect(page.locator("#phase-totals")).to_contain_text("2000.00")

    # and filters by the social-media channel
    page.select_option("#id_channel", label="自媒体电商")

    # then the table and both totals show only those sales, without a page load
    expect(page.locator("#channel-totals")).not_to_contain_text("商超")
    expect(page.locator("#channel-totals")).to_contain_text("1100.00")
    expect(page.locator("#phase-totals tbody tr").first).to_contain_text("800")
    expect(page.locator("table.records").last).to_contain_text("S-3")
    expect(page.locator("table.records").last).not_to_contain_text("S-1")

    # and the census comparison shows the herd growing
    page.goto("/sales/census/compare/")
    expect(page.locator("#by-category")).to_contain_text("+4000")
