"""On the first of each month the worker drafts last month's work report for every contract whose
service covers that month, once: run again, it drafts nothing."""

import datetime

import pytest

from muxiang.reports.models import Report
from muxiang.reports.services import draft_monthly_reports
from muxiang.reports.tasks import draft_last_months_reports

pytestmark = pytest.mark.django_db


def test_the_first_of_november_drafts_octobers_report_once(contract):
    drafted = draft_monthly_reports(datetime.date(2026, 11, 1))
    assert [(r.contract, r.kind, r.period, r.status) for r in drafted] == [
        (contract, "monthly", "2026-10", "draft")
    ]
    assert draft_monthly_reports(datetime.date(2026, 11, 1)) == []
    assert Report.objects.filter(kind="monthly").count() == 1


def test_a_month_outside_the_contracts_phases_drafts_nothing(contract):
    assert draft_monthly_reports(datetime.date(2026, 1, 1)) == []  # December 2025: before phase 1
    assert draft_monthly_reports(datetime.date(2027, 2, 1)) == []  # January 2027: after phase 2
    assert len(draft_monthly_reports(datetime.date(2026, 1, 2))) == 0
    assert [r.period for r in draft_monthly_reports(datetime.date(2026, 2, 1))] == ["2026-01"]


def test_a_report_drafted_by_hand_is_not_drafted_again(contract, staff):
    from muxiang.reports.services import draft_report

    draft_report(contract, "monthly", "2026-10", staff)
    assert draft_monthly_reports(datetime.date(2026, 11, 1)) == []


def test_the_periodic_task_drafts_last_month_in_the_countys_calendar(contract):
    # "today" is pinned to 2026-11-28 (Asia/Shanghai): last month is October
    draft_last_months_reports.call_local()
    assert list(Report.objects.values_list("period", flat=True)) == ["2026-10"]


def test_the_task_runs_on_the_first_at_nine_in_the_county():
    schedule = draft_last_months_reports.task_class().validate_datetime
    assert schedule(datetime.datetime(2026, 12, 1, 1, 0))  # 09:00 in Asia/Shanghai, in UTC
    assert not schedule(datetime.datetime(2026, 12, 2, 1, 0))
