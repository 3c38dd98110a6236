"""What the reports count toward the contract: approved monthly reports (4.3, reports.monthly) and
approved data analysis reports (2.2, reports.data_analysis), placed in a phase by the first day of
their period; one per period whatever the versions; drafts and submitted ones do not count."""

import datetime

import pytest

from muxiang.contracts.engine import EVIDENCE_PARAM, Window, measure
from muxiang.reports.choices import ReportStatus
from muxiang.reports.models import Report
from muxiang.reports.periods import month_period

pytestmark = pytest.mark.django_db

PHASE_1 = Window(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), datetime.date(2026, 11, 28))
PHASE_2 = Window(datetime.date(2026, 7, 1), datetime.date(2026, 12, 31), datetime.date(2026, 11, 28))
NO_EVIDENCE = {EVIDENCE_PARAM: ()}


def report(contract, kind, year, month, status=ReportStatus.APPROVED, version=1):
    period = month_period(year, month)
    return Report.objects.create(
        contract=contract,
        kind=kind,
        period=period.text,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        status=status,
        version=version,
    )


def test_the_last_month_of_phase_1_counts_in_phase_1_and_the_first_of_phase_2_in_phase_2(contract):
    report(contract, "monthly", 2026, 6)
    report(contract, "monthly", 2026, 7)
    report(contract, "analysis", 2026, 6)
    assert measure("reports.monthly", PHASE_1, NO_EVIDENCE, contract) == 1
    assert measure("reports.monthly", PHASE_2, NO_EVIDENCE, contract) == 1
    assert measure("reports.data_analysis", PHASE_1, NO_EVIDENCE, contract) == 1
    assert measure("reports.data_analysis", PHASE_2, NO_EVIDENCE, contract) == 0


def test_a_month_of_the_phase_not_yet_reached_on_the_day_measured_does_not_count(contract):
    report(contract, "monthly", 2026, 12)
    on_november_28 = Window(PHASE_2.start, PHASE_2.end, datetime.date(2026, 11, 28))
    assert measure("reports.monthly", on_november_28, NO_EVIDENCE, contract) == 0


def test_drafts_and_submitted_reports_do_not_count(contract):
    report(contract, "monthly", 2026, 3, status=ReportStatus.DRAFT)
    report(contract, "monthly", 2026, 4, status=ReportStatus.SUBMITTED)
    assert measure("reports.monthly", PHASE_1, NO_EVIDENCE, contract) == 0


def test_two_approved_versions_of_a_month_count_once_and_a_deleted_report_not_at_all(contract):
    report(contract, "analysis", 2026, 5)
    report(contract, "analysis", 2026, 5, version=2)
    deleted = report(contract, "analysis", 2026, 4)
    Report.all_objects.filter(pk=deleted.pk).update(
        deleted_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
    )
    assert measure("reports.data_analysis", PHASE_1, NO_EVIDENCE, contract) == 1


def test_with_the_targets_document_requirement_a_report_counts_with_its_submitted_pdf(contract, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from muxiang.core.services import attach_evidence

    with_pdf = report(contract, "monthly", 2026, 5)
    report(contract, "monthly", 2026, 6)
    attach_evidence(with_pdf, SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n"), staff, kind="document")
    assert measure("reports.monthly", PHASE_1, {EVIDENCE_PARAM: ("document",)}, contract) == 1


def test_a_monthly_report_of_another_contract_does_not_count(contract):
    from muxiang.contracts.models import Contract

    other = Contract.objects.create(
        key="other", name="另一合同", county_name="别县", client_name="甲", operator_name="乙", total_amount=1
    )
    report(other, "monthly", 2026, 5)
    assert measure("reports.monthly", PHASE_1, NO_EVIDENCE, contract) == 0
