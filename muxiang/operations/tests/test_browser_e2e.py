"""A station manager's daily report (站点日报) filled on his phone, driven end to end in headless
Chromium against a live server: a phone-sized, touch, mobile viewport (390×844), the real login form,
the 今日日报 shortcut, and the refusals a manager meets on the phone form.

"Today" is pinned to 2026-11-28 by this app's conftest, in the live server's thread as much as in the
test's.
"""

import re
from decimal import Decimal

import pytest

from muxiang.conftest import CHROMIUM, TIMEOUT_MS, sign_in
from muxiang.operations.tests.conftest import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]

FIGURES = {
    "proxy_buying_orders": "2",
    "proxy_buying_amount": "120.50",
    "proxy_selling_orders": "3",
    "proxy_selling_amount": "268.50",
    "farm_product_amount": "200",
    "parcels_sent": "4",
    "parcels_received": "6",
    "villagers_served": "9",
    "convenience_services": "1",
    "poor_households": "1",
}


@pytest.fixture
def phone(browser, live_server, transactional_db):
    """A page in a fresh context that looks like a phone to the site: 390×844, touch, mobile."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def fill_figures(page, **changes):
    for name, value in {**FIGURES, **changes}.items():
        page.fill(f"#id_{name}", value)


def submit(page):
    """Tap 提交日报 and return the response to the form's POST."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="提交日报").tap()
    return posted.value


def test_a_station_manager_fills_todays_report_on_his_phone_and_a_second_one_for_the_day_is_refused(
    phone, manager, station
):
    from playwright.sync_api import expect

    from muxiang.operations.models import StationDailyReport

    # given 巴特尔 signed in on his phone, nothing reported today
    page = phone
    sign_in(page, "bateer")
    assert page.evaluate("() => navigator.maxTouchPoints") > 0

    # when he opens today's report from the shortcut
    page.goto("/operations/today/")

    # then it is the phone form of a new report, dated today, without a station to choose
    page.wait_for_url("**/operations/reports/add/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("填报今日数据")
    expect(page.locator("#id_day")).to_have_value(TODAY.isoformat())
    expect(page.locator("#id_station")).to_have_count(0)
    expect(page.locator("#id_proxy_buying_amount")).to_have_attribute("inputmode", "decimal")
    expect(page.locator("#id_parcels_sent")).to_have_attribute("inputmode", "numeric")
    width = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert width["scroll"] <= width["inner"] + 1, width

    # when he types the day's figures and taps 提交日报
    fill_figures(page)
    page.fill("#id_note", "羊肉代卖三单")
    response = submit(page)

    # then the report is saved as his station's, and its page shows what he typed
    assert response.status == 302
    page.wait_for_url(re.compile(r"/operations/reports/\d+/$"))
    expect(page.locator(".flash")).to_have_text("已创建：海流图镇电商服务站 2026-11-28")
    fields = page.locator("dl.fields")
    expect(fields.locator("dt:text-is('代卖金额（元）') + dd")).to_have_text("268.50")
    expect(fields.locator("dt:text-is('交易额（代买+代卖，元）') + dd")).to_have_text("389.00")
    expect(fields.locator("dt:text-is('状态') + dd")).to_have_text("可修改")
    saved = StationDailyReport.objects.get()
    assert (saved.station, saved.day) == (station, TODAY)
    assert (saved.proxy_buying_amount, saved.proxy_selling_amount, saved.farm_product_amount) == (
        Decimal("120.50"),
        Decimal("268.50"),
        Decimal("200.00"),
    )
    assert (saved.parcels_sent, saved.villagers_served, saved.note) == (4, 9, "羊肉代卖三单")

    # and the shortcut now opens that report to correct, not a new one
    page.goto("/operations/today/")
    page.wait_for_url(f"**/operations/reports/{saved.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("修改日报")

    # when he opens the new-report form anyway and submits a second report for today
    page.goto("/operations/reports/add/")
    expect(page.locator("#id_day")).to_have_value(TODAY.isoformat())
    fill_figures(page, proxy_selling_amount="999")
    response = submit(page)

    # then it is refused, in Chinese, on the date, and nothing more is written
    assert response.status == 400
    expect(page).to_have_url(re.compile(r"/operations/reports/add/$"))
    error = page.locator(".field.has-error")
    expect(error).to_have_count(1)
    expect(error.locator(".error")).to_have_text(
        "日期：海流图镇电商服务站 在 2026-11-28 已有日报，每个站点每天只报一份"
    )
    assert StationDailyReport.objects.count() == 1
    assert StationDailyReport.objects.get().proxy_selling_amount == Decimal("268.50")


def test_a_negative_amount_on_the_phone_form_is_refused_naming_the_field(phone, manager, station):
    from playwright.sync_api import expect

    from muxiang.operations.models import StationDailyReport

    # given 巴特尔 on today's phone form
    page = phone
    sign_in(page, "bateer")
    page.goto("/operations/today/")
    page.wait_for_url("**/operations/reports/add/")

    # when he types a negative proxy-buying amount (the form does not let the browser stop it)
    fill_figures(page, proxy_buying_amount="-5")
    response = submit(page)

    # then the form comes back with the field named and marked, what he typed kept, nothing written
    assert response.status == 400
    expect(page).to_have_url(re.compile(r"/operations/reports/add/$"))
    error = page.locator(".field.has-error")
    expect(error).to_have_count(1)
    expect(error.locator("label")).to_have_text("代买金额（元）")
    expect(error.locator(".error")).to_have_text("代买金额（元）：确保该值大于或等于0。")
    expect(page.locator("#id_proxy_buying_amount")).to_have_value("-5")
    expect(page.locator("#id_proxy_selling_amount")).to_have_value("268.50")
    assert not StationDailyReport.objects.exists()
