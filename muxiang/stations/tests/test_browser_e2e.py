"""Station pages driven end to end in headless Chromium against a live server.

Each test signs in through the real login form, so the session, CSRF and redirects are exercised as
a user meets them. Chromium starts once per module (per xdist worker) and each test gets a fresh
context, so no cookie or storage leaks from one persona to the next.
"""

import datetime
import re

import pytest

from muxiang.conftest import CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def test_operator_staff_creates_a_station_through_the_form_and_finds_it_in_the_list(new_page, staff, town):
    from playwright.sync_api import expect

    # given
    page = new_page()
    sign_in(page, "liqiang")

    # when
    page.get_by_role("navigation").get_by_role("link", name="站点", exact=True).click()
    page.wait_for_url("**/stations/")
    page.get_by_role("link", name="新建", exact=True).click()
    page.wait_for_url("**/stations/add/")
    page.fill("#id_code", "HLT-002")
    page.fill("#id_name", "海流图镇第二服务站")
    page.select_option("#id_level", label="镇级站点")
    page.select_option("#id_region", label="乌拉特中旗/海流图镇")
    page.select_option("#id_status", label="运营中")
    page.fill("#id_opened_on", "2024-06-01")
    page.fill("#id_phone", "13900000000")
    page.get_by_role("button", name="保存").click()

    # then: the detail page confirms, and the list shows the new station
    page.wait_for_url(re.compile(r"/stations/\d+/$"))
    expect(page.locator(".flash")).to_contain_text("已创建")
    page.goto("/stations/")
    row = page.locator("table.records tbody tr", has_text="海流图镇第二服务站")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("HLT-002")
    expect(row).to_contain_text("运营中")
    expect(row).to_contain_text("海流图镇")


def test_station_manager_sees_only_their_own_station_and_gets_404_for_another(
    new_page, manager, other_manager, station, other_station
):
    from playwright.sync_api import expect

    # given
    page = new_page()
    sign_in(page, "bateer")

    # when
    page.goto("/stations/")

    # then
    table = page.locator("table.records tbody")
    expect(table.get_by_role("link", name=station.name)).to_be_visible()
    expect(table).not_to_contain_text(other_station.name)
    expect(page.locator("tbody tr")).to_have_count(1)

    response = page.goto(f"/stations/{other_station.pk}/")
    assert response is not None and response.status == 404
    assert other_station.name not in page.content()


def test_station_list_scrolls_its_table_not_the_page_on_a_phone(new_page, staff, station, other_station):
    # given: a phone in portrait
    page = new_page(width=390, height=844)
    sign_in(page, "liqiang")

    # when
    page.goto("/stations/")
    page.locator("table.records").wait_for()

    # then: the page itself is no wider than the screen…
    overflow = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert overflow["scroll"] <= overflow["inner"] + 1, overflow
    # …and the table, wider than the screen, scrolls inside its own wrapper.
    wrap = page.locator(".tablewrap").first
    scrolled = wrap.evaluate(
        "el => { const wider = el.scrollWidth > el.clientWidth; el.scrollLeft = 80;"
        " return {wider, left: el.scrollLeft, overflowX: getComputedStyle(el).overflowX}; }"
    )
    assert scrolled["wider"], scrolled
    assert scrolled["left"] > 0, scrolled
    assert scrolled["overflowX"] in {"auto", "scroll"}, scrolled


def test_editing_a_station_in_the_browser_keeps_its_opening_date(new_page, staff, station):
    from muxiang.stations.models import Station

    # given
    page = new_page()
    sign_in(page, "liqiang")

    # when
    page.goto(f"/stations/{station.pk}/edit/")
    shown = page.input_value("#id_opened_on")
    page.fill("#id_phone", "13947809999")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    # then
    assert shown == "2024-03-01"
    station = Station.objects.get(pk=station.pk)
    assert station.phone == "13947809999"
    assert station.opened_on == datetime.date(2024, 3, 1)
