"""A monthly report's whole life in headless Chromium against a live server: 李强 drafts it from the
reports page, writes the problems and the plan, builds it (the job's page follows the worker),
submits it; 赵监 approves it and the report page says so."""

import pytest

from muxiang.conftest import CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def test_draft_build_submit_approve(new_page, staff, client_supervisor, contract, station):
    from playwright.sync_api import expect

    from muxiang.reports.models import Report
    from muxiang.reports.tests.conftest import OCTOBER, daily

    daily(station, OCTOBER, buying="120", selling="480")
    page = new_page()
    sign_in(page, "liqiang")

    # 李强 drafts October's monthly report from the list page
    page.goto("/reports/")
    page.get_by_role("link", name="起草报告").click()
    page.select_option("#id_kind", "monthly")
    page.fill("#id_period", "2026-10")
    page.get_by_role("button", name="起草").click()
    expect(page.locator("#report-status")).to_have_text("草稿")
    report_url = page.url

    # writes the problems and the plan
    page.fill("#id_problems", "两个站点日报迟报")
    page.fill("#id_plan", "十一月开展站点巡查")
    page.get_by_role("button", name="保存文字").click()
    expect(page.locator("#id_plan")).to_have_value("十一月开展站点巡查")

    # builds it: the job's page follows the worker to the end
    page.get_by_role("button", name="生成报告").click()
    expect(page.locator("#job-progress")).to_contain_text("已完成")
    page.goto(report_url)
    expect(page.locator("#figures")).to_contain_text("站点运营")
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible()

    # submits it
    page.get_by_role("button", name="提交甲方审定").click()
    expect(page.locator("#report-status")).to_have_text("已提交")

    # 赵监 approves it
    client = new_page()
    sign_in(client, "zhaojian")
    client.goto(report_url)
    client.get_by_role("button", name="审定通过").click()
    expect(client.locator("#report-status")).to_have_text("已审定")
    report = Report.objects.get()
    assert (report.status, report.plan, report.approved_by) == (
        "approved",
        "十一月开展站点巡查",
        client_supervisor,
    )
