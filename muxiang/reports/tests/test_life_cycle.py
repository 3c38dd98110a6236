"""A report's life: 李强 (operator staff) drafts, builds and submits; 赵监 (the client's supervisor)
approves or returns it with a reason; an approved report never changes, a correction is a new
version. Every step is audited and names who did it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from muxiang.core.models import Evidence, ObjectChange
from muxiang.reports import services
from muxiang.reports.choices import ReportStatus
from muxiang.reports.models import Report
from muxiang.reports.tests.conftest import OCTOBER, daily
from muxiang.reports.tests.test_rendering import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(contract, staff, station):
    daily(station, OCTOBER, buying="100", selling="300")
    return services.draft_report(contract, "monthly", "2026-10", staff)


def test_staff_drafts_a_monthly_report_of_a_past_month(draft, staff):
    assert draft.status == ReportStatus.DRAFT
    assert (draft.period, draft.period_label, str(draft.period_start)) == (
        "2026-10",
        "2026年10月",
        "2026-10-01",
    )
    assert draft.created_by == staff and not draft.snapshot


def test_a_second_draft_of_the_same_period_is_refused(draft, contract, staff):
    with pytest.raises(ValidationError) as refused:
        services.draft_report(contract, "monthly", "2026年10月", staff)
    assert "已存在" in refused.value.message_dict["period"][0]


def test_a_report_of_a_month_not_yet_begun_is_refused(contract, staff):
    with pytest.raises(ValidationError) as refused:
        services.draft_report(contract, "analysis", "2026-12", staff)
    assert "尚未开始" in refused.value.message_dict["period"][0]


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor", "manager"])
def test_only_the_operator_drafts(contract, persona, request):
    with pytest.raises(PermissionDenied):
        services.draft_report(contract, "monthly", "2026-10", request.getfixturevalue(persona))


def test_building_keeps_the_figures_with_their_hash_and_renders_both_files(draft, staff):
    report = services.build_report(draft, staff)
    assert report.snapshot["period"] == "2026-10"
    assert report.snapshot_sha256 == services.snapshot_sha256(report.snapshot)
    assert len(report.snapshot_sha256) == 64
    assert report.pdf.read()[:5] == b"%PDF-" and report.xlsx.name.endswith(".xlsx")
    assert report.built_by == staff


def test_rebuilding_a_draft_refreshes_the_snapshot(draft, staff, station):
    first = services.build_report(draft, staff).snapshot_sha256
    daily(station, OCTOBER.replace(day=2), buying="50")
    second = services.build_report(draft, staff)
    assert second.snapshot_sha256 != first
    rows = {row[0]: row[1] for row in second.snapshot["sections"][2]["tables"][0]["rows"]}
    assert rows["代买金额（元）"] == 150


def test_text_changed_after_building_must_be_rebuilt_before_submitting(draft, staff):
    services.build_report(draft, staff)
    services.update_report_text(draft, {"problems": "部分站点日报迟报", "plan": "11 月开展站点巡查"}, staff)
    with pytest.raises(ValidationError, match="重新生成"):
        services.submit_report(draft, staff)
    services.build_report(draft, staff)
    report = services.submit_report(draft, staff)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == staff


def test_an_unbuilt_draft_cannot_be_submitted(draft, staff):
    with pytest.raises(ValidationError, match="尚未生成"):
        services.submit_report(draft, staff)


def test_submitting_freezes_the_snapshot_and_keeps_the_pdf_as_evidence(
    draft, staff, client_supervisor, station
):
    built = services.build_report(draft, staff)
    services.submit_report(built, staff)
    with pytest.raises(ValidationError, match="冻结"):
        services.build_report(Report.objects.get(pk=draft.pk), staff)
    with pytest.raises(ValidationError, match="只有草稿可以修改"):
        services.update_report_text(draft, {"problems": "改"}, staff)
    evidence = Evidence.objects.get(
        content_type=ContentType.objects.get_for_model(Report), object_id=draft.pk
    )
    assert evidence.kind == "document" and evidence.mime_type == "application/pdf"
    approved = services.approve_report(draft, client_supervisor)
    assert approved.status == ReportStatus.APPROVED and approved.approved_by == client_supervisor
    assert approved.snapshot_sha256 == built.snapshot_sha256 and approved.snapshot == built.snapshot


def test_only_the_client_supervisor_approves_or_returns(draft, staff, operator_admin, auditor):
    services.build_report(draft, staff)
    services.submit_report(draft, staff)
    for persona in (staff, operator_admin, auditor):
        with pytest.raises(PermissionDenied):
            services.approve_report(draft, persona)
        with pytest.raises(PermissionDenied):
            services.return_report(draft, "数据有误", persona)


def test_returning_needs_a_reason_and_sends_the_report_back_to_draft(draft, staff, client_supervisor):
    services.build_report(draft, staff)
    services.submit_report(draft, staff)
    with pytest.raises(ValidationError):
        services.return_report(draft, "  ", client_supervisor)
    returned = services.return_report(draft, "请补充站点巡查情况", client_supervisor)
    assert returned.status == ReportStatus.DRAFT
    assert (returned.return_reason, returned.returned_by) == ("请补充站点巡查情况", client_supervisor)
    # back in draft: the operator edits, rebuilds and submits again
    services.update_report_text(returned, {"problems": "已补充"}, staff)
    services.build_report(returned, staff)
    assert services.submit_report(returned, staff).status == ReportStatus.SUBMITTED


def test_a_draft_cannot_be_approved(draft, client_supervisor):
    with pytest.raises(ValidationError, match="只有已提交"):
        services.approve_report(draft, client_supervisor)


def test_an_approved_report_is_corrected_by_a_new_version(draft, staff, client_supervisor):
    services.update_report_text(draft, {"plan": "计划"}, staff)
    services.build_report(draft, staff)
    services.submit_report(draft, staff)
    services.approve_report(draft, client_supervisor)
    version_2 = services.draft_new_version(Report.objects.get(pk=draft.pk), staff)
    assert (version_2.version, version_2.status, version_2.plan) == (2, ReportStatus.DRAFT, "计划")
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.APPROVED
    with pytest.raises(ValidationError, match="未审定的新版本"):
        services.draft_new_version(Report.objects.get(pk=draft.pk), staff)


def test_every_step_is_in_the_audit_trail_with_who_did_it(draft, staff, client_supervisor):
    services.build_report(draft, staff)
    services.submit_report(draft, staff)
    services.approve_report(draft, client_supervisor)
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Report), object_id=draft.pk
    ).order_by("pk")
    statuses = [(c.user_id, (c.after or {}).get("status")) for c in changes]
    assert statuses[0] == (staff.pk, "draft")
    assert (staff.pk, "submitted") in statuses and (client_supervisor.pk, "approved") in statuses


def test_the_approved_files_say_approved_and_keep_the_submitted_figures(draft, staff, client_supervisor):
    services.build_report(draft, staff)
    submitted = services.submit_report(draft, staff)
    figures, sha256 = submitted.snapshot, submitted.snapshot_sha256
    approved = services.approve_report(submitted, client_supervisor)
    assert (approved.snapshot, approved.snapshot_sha256) == (figures, sha256)
    with approved.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "已审定" in text and "已提交" not in text
