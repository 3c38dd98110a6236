"""The reports pages and API: 李强 drafts, edits, builds (in the background) and submits; 赵监 approves;
巴特尔 (a station manager) is refused everywhere, before anything is read."""

import pytest
from django.urls import reverse

from muxiang.reports import services
from muxiang.reports.models import Report
from muxiang.reports.tests.conftest import OCTOBER, daily

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(contract, staff, station):
    daily(station, OCTOBER, buying="100", selling="300")
    return services.draft_report(contract, "analysis", "2026-10", staff)


def test_staff_drafts_from_the_list_page_and_a_bad_period_is_named(login, staff, contract):
    page = login(staff)
    answer = page.post(
        reverse("reports:create"), {"contract": contract.pk, "kind": "monthly", "period": "2026-13"}
    )
    assert answer.status_code == 200 and "不是月份，应写作 2026-10" in answer.content.decode()
    answer = page.post(
        reverse("reports:create"), {"contract": contract.pk, "kind": "monthly", "period": "2026-10"}
    )
    report = Report.objects.get()
    assert answer.status_code == 302 and answer["Location"] == report.get_absolute_url()
    listing = page.get(reverse("reports:list") + "?kind=monthly").content.decode()
    assert "2026年10月" in listing and "月度工作报告" in listing
    assert "2026年10月" not in page.get(reverse("reports:list") + "?kind=analysis").content.decode()


def test_building_from_the_report_page_runs_in_the_background_and_offers_the_files(
    login, staff, draft, django_capture_on_commit_callbacks
):
    page = login(staff)
    page.post(draft.get_absolute_url(), {"remarks": "十月说明"})
    with django_capture_on_commit_callbacks(execute=True):
        answer = page.post(reverse("reports:build", args=[draft.pk]))
    assert answer.status_code == 302 and "/jobs/" in answer["Location"]
    draft.refresh_from_db()
    assert draft.built_by == staff and draft.snapshot_sha256
    detail = page.get(draft.get_absolute_url()).content.decode()
    assert "各镇交易" in detail and "海流图镇" in detail and draft.snapshot_sha256 in detail
    pdf = page.get(reverse("reports:download", args=[draft.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"


def test_submit_and_approve_through_the_pages(login, staff, client_supervisor, draft, client):
    services.build_report(draft, staff)
    login(staff).post(reverse("reports:submit", args=[draft.pk]))
    assert Report.objects.get(pk=draft.pk).status == "submitted"
    client.logout()
    supervisor = login(client_supervisor)
    assert "审定通过" in supervisor.get(draft.get_absolute_url()).content.decode()
    supervisor.post(reverse("reports:approve", args=[draft.pk]))
    assert Report.objects.get(pk=draft.pk).status == "approved"


def test_the_supervisor_cannot_draft_nor_edit(login, client_supervisor, draft, contract):
    page = login(client_supervisor)
    assert page.get(reverse("reports:create")).status_code == 403
    assert page.post(draft.get_absolute_url(), {"remarks": "x"}).status_code == 403


def test_a_return_without_a_reason_is_refused_with_a_message(login, staff, client_supervisor, draft, client):
    services.build_report(draft, staff)
    services.submit_report(draft, staff)
    page = login(client_supervisor)
    answer = page.post(reverse("reports:return", args=[draft.pk]), {"reason": ""}, follow=True)
    assert "请填写退回原因" in answer.content.decode()
    assert Report.objects.get(pk=draft.pk).status == "submitted"


@pytest.mark.parametrize("name", ["reports:list", "reports:create"])
def test_a_station_manager_is_refused_the_pages(login, manager, name):
    assert login(manager).get(reverse(name)).status_code == 403


def test_a_station_manager_is_refused_a_report_and_its_files(login, manager, draft):
    page = login(manager)
    assert page.get(draft.get_absolute_url()).status_code == 403
    assert page.get(reverse("reports:download", args=[draft.pk, "pdf"])).status_code == 403


def test_the_api_lists_reports_for_the_client_and_refuses_the_manager(
    client, api_token, client_supervisor, manager, draft, staff
):
    services.build_report(draft, staff)
    answer = client.get("/api/reports/?kind=analysis", **api_token(client_supervisor))
    assert answer.status_code == 200
    (row,) = answer.json()
    assert (row["period"], row["status"], row["pdf_url"]) == (
        "2026-10",
        "draft",
        f"/reports/{draft.pk}/download/pdf/",
    )
    detail = client.get(f"/api/reports/{draft.pk}", **api_token(client_supervisor)).json()
    assert detail["snapshot"]["period"] == "2026-10" and len(detail["snapshot_sha256"]) == 64
    assert client.get("/api/reports/", **api_token(manager)).status_code == 403
    assert client.get("/api/reports/?contract=nope", **api_token(client_supervisor)).status_code == 404


def test_a_draft_is_soft_deleted_and_a_submitted_report_is_not(login, staff, draft, contract):
    page = login(staff)
    services.build_report(draft, staff)
    services.submit_report(draft, staff)
    answer = page.post(reverse("reports:delete", args=[draft.pk]), follow=True)
    assert "只有草稿可以删除" in answer.content.decode() and Report.objects.filter(pk=draft.pk).exists()
    other = services.draft_report(contract, "monthly", "2026-09", staff)
    page.post(reverse("reports:delete", args=[other.pk]))
    assert not Report.objects.filter(pk=other.pk).exists()
    assert Report.all_objects.get(pk=other.pk).deleted_by == staff
    # the period is free again for a new draft
    assert services.draft_report(contract, "monthly", "2026-09", staff).pk != other.pk


def test_the_list_page_and_the_api_list_cost_the_same_queries_for_2_and_12_reports(
    login, client_supervisor, contract, staff, api_token, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost():
        page = login(client_supervisor)
        with CaptureQueriesContext(connection) as on_page:
            assert page.get(reverse("reports:list")).status_code == 200
        with CaptureQueriesContext(connection) as on_api:
            assert client.get("/api/reports/", **api_token(client_supervisor)).status_code == 200
        return len(on_page), len(on_api)

    for month in (1, 2):
        services.draft_report(contract, "monthly", f"2026-{month:02d}", staff)
    cost()  # warm-up: what the site reads once and caches
    few = cost()
    for month in range(3, 12):
        services.draft_report(contract, "analysis", f"2026-{month:02d}", staff)
    services.draft_report(contract, "merchants", "2025", staff)
    assert cost()[0] == few[0]
    assert cost()[1] == few[1]
