"""The supply chain's key interaction end to end in headless Chromium against a live server: the
operator delivers from the county warehouse through the form; a second delivery of more than is
left is refused naming the product, the warehouse, the day and what is available; the balance
page shows what remains."""

import datetime

import pytest

from muxiang.conftest import CHROMIUM, sign_in
from muxiang.supply.tests.conftest import stock

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def fill_delivery(page, lines):
    page.select_option("#id_warehouse", label="乌拉特中旗县级仓储配送中心")
    page.select_option("#id_client", label="中旗网店01")
    page.fill("#id_delivered_on", "2026-03-15")
    page.fill("#id_route", "海流图镇—德岭山镇")
    page.fill("#id_receiver_name", "王丽")
    page.fill("#id_lines", lines)


def test_staff_deliver_and_an_overdrawn_delivery_is_refused_and_the_balance_shows_the_rest(new_page, supply):
    from playwright.sync_api import expect

    from muxiang.supply.models import Delivery

    # given 30 bags of flour in the county warehouse and 李强 signed in
    stock(supply.county, supply.flour, 30, datetime.date(2026, 3, 10))
    page = new_page()
    sign_in(page, "liqiang")

    # when he delivers 12 bags to the shop through the form
    page.get_by_role("navigation").get_by_role("link", name="供应链", exact=True).click()
    page.wait_for_url("**/supply/deliveries/")
    page.get_by_role("link", name="新建").click()
    fill_delivery(page, "SP-0002 12")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("PS-202603-001").first).to_be_visible()

    # and then 20 more, when only 18 are left
    page.goto("/supply/deliveries/add/")
    fill_delivery(page, "SP-0002 20")
    page.get_by_role("button", name="保存").click()

    # then the form says why, and nothing was written
    expect(page.get_by_text("可用数量为 18袋")).to_be_visible()
    assert Delivery.objects.count() == 1

    # and the balances page shows the 18 bags
    page.goto("/supply/balances/")
    expect(page.locator("#balances")).to_contain_text("18")
