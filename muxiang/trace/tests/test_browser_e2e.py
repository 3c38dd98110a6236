"""Codes from issue to the consumer's phone, end to end in headless Chromium against a live server:
李强 issues a run, binds a roll by its first and last label, is refused when he binds a label of it
again; then a consumer opens a code's page on a phone-sized screen and sees the batch's story and
the scan count."""

import re

import pytest

from muxiang.conftest import CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def test_staff_issue_and_bind_a_roll_and_a_consumer_scans_a_label(new_page, staff, enterprise, batch):
    from playwright.sync_api import expect

    from muxiang.trace.models import CodeRun, TraceCode

    # given 李强, signed in
    page = new_page()
    sign_in(page, "liqiang")

    # when he issues 50 codes to 海流图牧歌合作社 from the runs page
    page.get_by_role("navigation").get_by_role("link", name="溯源体系", exact=True).click()
    page.wait_for_url("**/trace/runs/")
    page.locator(".pagehead .actions").get_by_role("link", name="发码", exact=True).click()
    page.select_option("#id_enterprise", label="海流图牧歌合作社")
    page.fill("#id_count", "50")
    page.locator("#issue-form").get_by_role("button", name="发码").click()

    # then the run's page shows its 50 codes, not yet bound
    page.wait_for_url(re.compile(r"/trace/runs/\d+/$"))
    expect(page.locator(".flash")).to_contain_text("已发码 50 个")
    run = CodeRun.objects.get()
    roll = list(run.tracecode_set.order_by("serial").values_list("code", flat=True))

    # when he binds the roll's first 20 labels by scanning the first and the last
    page.select_option("#id_bind-batch", label=str(batch))
    page.fill("#id_bind-first", roll[0])
    page.fill("#id_bind-last", roll[19].lower())
    page.locator("#bind-form").get_by_role("button", name="绑定").click()
    expect(page.locator(".flash")).to_contain_text("已将 20 个溯源码绑定到批次")
    assert TraceCode.objects.filter(batch=batch).count() == 20

    # and a label of that roll again: refused, naming it
    page.select_option("#id_bind-batch", label=str(batch))
    page.fill("#id_bind-listed", roll[7])
    page.locator("#bind-form").get_by_role("button", name="绑定").click()
    expect(page.locator(".flash")).to_contain_text(roll[7])
    expect(page.locator(".flash")).to_contain_text("已绑定")

    # when a consumer scans a label on a phone
    phone = new_page(width=390, height=844)
    phone.goto(f"/T/{roll[3]}")

    # then the batch's story and the scan count show, without logging in
    expect(phone.get_by_role("heading", name=re.compile("乌拉特羊肉"))).to_be_visible()
    expect(phone.locator("#scan-count")).to_contain_text("此码已被扫描 1 次")
    expect(phone.get_by_text("巴音哈太牧场（海流图镇）")).to_be_visible()
