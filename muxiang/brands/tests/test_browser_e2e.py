"""The brand pages driven end to end in headless Chromium against a live server: operator staff
find a member enterprise through the 品牌 tabs and record the day it left the brand system — first
a day before it joined, which is refused with the reason, then the right day."""

import re

import pytest

from muxiang.brands.tests.conftest import make_brand, make_member
from muxiang.conftest import CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def test_operator_staff_record_a_members_leaving_from_its_page(new_page, staff, contract, organisation):
    from playwright.sync_api import expect

    from muxiang.brands.models import BrandMember

    # given 海流图牧歌合作社 joined 「乌拉特草原」 on 2026-03-15, and 李强 signed in
    member = make_member(make_brand(contract), organisation)
    page = new_page()
    sign_in(page, "liqiang")

    # when he goes to the brands, opens the members tab and the member
    page.get_by_role("navigation").get_by_role("link", name="品牌", exact=True).click()
    page.wait_for_url("**/brands/brands/")
    page.get_by_role("link", name="成员企业", exact=True).first.click()
    page.wait_for_url("**/brands/members/")
    page.locator("table.records").get_by_role("link", name="WLT-SQ-001").click()
    page.wait_for_url(f"**/brands/members/{member.pk}/")

    # and records a leaving day before the joining day
    leave = page.locator("#leave")
    leave.locator("#id_left_on").fill("2026-02-01")
    leave.get_by_role("button", name="登记退出").click()

    # then the page says why, and nothing is written
    expect(page.locator("#leave")).to_contain_text("退出日期 2026-02-01 不能早于加入日期 2026-03-15")
    assert BrandMember.objects.get(pk=member.pk).left_on is None

    # when he records the right day
    page.locator("#leave #id_left_on").fill("2026-09-30")
    page.locator("#leave").get_by_role("button", name="登记退出").click()

    # then the member's page shows it, and the leave form is gone
    page.wait_for_url(re.compile(rf"/brands/members/{member.pk}/$"))
    expect(page.locator(".flash")).to_contain_text("已登记退出")
    expect(page.locator("dl.fields dt:text-is('退出日期') + dd")).to_have_text("2026年9月30日")
    expect(page.locator("#leave")).to_have_count(0)
    assert str(BrandMember.objects.get(pk=member.pk).left_on) == "2026-09-30"
