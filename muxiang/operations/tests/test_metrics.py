"""What station operations contribute to the contract engine: each figure from the records, at the
window's edges (a record of the phase's last day counts, one of the next day does not), without
deleted records, with the target's evidence requirement, and at a cost that does not grow with the
records."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.contracts.engine import EVIDENCE_PARAM, Window, measure, records_behind
from muxiang.operations.models import AppActivityMonth, AppCheckIn, ReportMonth, StationDailyReport
from muxiang.operations.tests.conftest import (
    FIRST_DAY_OF_PHASE_2,
    LAST_DAY_OF_PHASE_1,
    TODAY,
    attach,
    evaluation,
    inspection,
    training,
    transaction,
)

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
JUNE = Window(datetime.date(2026, 6, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
MAY_JUNE = Window(datetime.date(2026, 5, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
NO_EVIDENCE = {EVIDENCE_PARAM: ()}


def days(first: datetime.date, last: datetime.date):
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


# --- counts of programme work ----------------------------------------------------------------------

COUNTED = {
    "stations.inspections": lambda contract, station, day: inspection(contract, station, day),
    "stations.manager_trainings": lambda contract, station, day: training(contract, day),
    "stations.evaluations": lambda contract, station, day: evaluation(contract, day),
    "stations.publicity": lambda contract, station, day: inspection(
        contract, station, day, has_publicity=True
    ),
}


@pytest.mark.parametrize("metric", list(COUNTED))
def test_a_record_of_the_phases_last_day_counts_and_one_of_the_next_day_does_not(metric, contract, station):
    build = COUNTED[metric]
    build(contract, station, LAST_DAY_OF_PHASE_1)
    build(contract, station, FIRST_DAY_OF_PHASE_2)
    assert measure(metric, PHASE_1, NO_EVIDENCE, contract) == 1


@pytest.mark.parametrize("metric", list(COUNTED))
def test_a_deleted_record_does_not_count(metric, contract, station):
    record = COUNTED[metric](contract, station, LAST_DAY_OF_PHASE_1)
    type(record).all_objects.filter(pk=record.pk).update(
        deleted_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
    )
    assert measure(metric, PHASE_1, NO_EVIDENCE, contract) == 0


def test_an_inspection_counts_only_with_every_kind_of_evidence_the_target_requires(contract, station, staff):
    # given two visits: one with photo, ledger and report, one with a photo only
    full = inspection(contract, station, datetime.date(2026, 3, 2))
    partial = inspection(contract, station, datetime.date(2026, 3, 9))
    for kind in ("photo", "ledger", "document"):
        attach(full, kind, staff)
    attach(partial, "photo", staff)
    params = {EVIDENCE_PARAM: ("photo", "ledger", "document")}
    # then only the first counts
    assert measure("stations.inspections", PHASE_1, params, contract) == 1
    assert measure("stations.inspections", PHASE_1, NO_EVIDENCE, contract) == 2
    assert {r.pk for r in records_behind_of("stations.inspections", contract)} == {full.pk, partial.pk}


def records_behind_of(metric, contract):
    from types import SimpleNamespace

    target = SimpleNamespace(metric=metric, params={}, key="t", evidence=[], contract=contract)
    return records_behind(target, PHASE_1)


def test_publicity_counts_stations_not_visits(contract, station, other_station):
    inspection(contract, station, datetime.date(2026, 3, 2), has_publicity=True)
    inspection(contract, station, datetime.date(2026, 4, 2), has_publicity=True)
    inspection(contract, other_station, datetime.date(2026, 4, 2), has_publicity=False)
    assert measure("stations.publicity", PHASE_1, NO_EVIDENCE, contract) == 1


def test_another_contracts_work_does_not_count(contract, station):
    from muxiang.contracts.services import load_contract
    from muxiang.operations.tests.conftest import SAMPLE

    other = load_contract(SAMPLE.read_text(encoding="utf-8").replace("sample-county-2026", "other-2026"))
    training(other, datetime.date(2026, 3, 2))
    assert measure("stations.manager_trainings", PHASE_1, NO_EVIDENCE, contract) == 0


# --- the daily-reporting rate ----------------------------------------------------------------------


def test_the_daily_report_rate_counts_reports_over_days_each_station_was_open(
    contract, station, other_station
):
    # given in June 巴特尔's station reports every day, 其其格's every other day, and both on 1 July
    june = days(datetime.date(2026, 6, 1), LAST_DAY_OF_PHASE_1)
    StationDailyReport.objects.bulk_create(StationDailyReport(station=station, day=d) for d in june)
    StationDailyReport.objects.bulk_create(
        StationDailyReport(station=other_station, day=d) for d in june[::2]
    )
    StationDailyReport.objects.bulk_create(
        StationDailyReport(station=s, day=FIRST_DAY_OF_PHASE_2) for s in (station, other_station)
    )
    # then 45 of 60 expected reports: 75%
    assert measure("stations.daily_report_rate", JUNE, NO_EVIDENCE, contract) == Decimal("75.0")


def test_a_station_opened_mid_window_is_expected_only_from_its_opening(contract, station, other_station):
    other_station.opened_on = datetime.date(2026, 6, 21)
    other_station.save()
    june = days(datetime.date(2026, 6, 1), LAST_DAY_OF_PHASE_1)
    StationDailyReport.objects.bulk_create(StationDailyReport(station=station, day=d) for d in june)
    # 30 of 40 expected (30 + 10 days open)
    assert measure("stations.daily_report_rate", JUNE, NO_EVIDENCE, contract) == Decimal("75.0")


def test_a_month_counts_only_with_the_platforms_screenshot_when_the_target_asks_for_it(
    contract, station, staff
):
    StationDailyReport.objects.bulk_create(
        StationDailyReport(station=station, day=d)
        for d in days(datetime.date(2026, 5, 1), LAST_DAY_OF_PHASE_1)
    )
    june = ReportMonth.objects.create(month=datetime.date(2026, 6, 1))
    ReportMonth.objects.create(month=datetime.date(2026, 5, 1))
    attach(june, "screenshot", staff)
    params = {EVIDENCE_PARAM: ("screenshot",)}
    station_only = Window(datetime.date(2026, 5, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
    # 巴特尔's 30 June reports count, his 31 May reports do not: 30 of 61
    assert measure("stations.daily_report_rate", station_only, params, contract) == Decimal("49.2")
    assert measure("stations.daily_report_rate", station_only, NO_EVIDENCE, contract) == Decimal("100.0")


def test_today_is_not_yet_expected(contract, station, other_station):
    window = Window(datetime.date(2026, 11, 27), datetime.date(2026, 12, 31), TODAY)
    StationDailyReport.objects.bulk_create(
        StationDailyReport(station=s, day=datetime.date(2026, 11, 27)) for s in (station, other_station)
    )
    assert measure("stations.daily_report_rate", window, NO_EVIDENCE, contract) == Decimal("100.0")


def test_windows_measured_in_one_dashboard_run_count_each_month_once(contract, station, other_station):
    """Within one compute_progress run the whole contract's window reuses the months the phase
    windows counted: the rates stay the same, and the later window queries no report again."""
    from muxiang.contracts.engine import _run_cache

    june = days(datetime.date(2026, 6, 1), LAST_DAY_OF_PHASE_1)
    StationDailyReport.objects.bulk_create(StationDailyReport(station=station, day=d) for d in june)
    AppCheckIn.objects.create(station=other_station, day=datetime.date(2026, 6, 3))
    whole = Window(MAY_JUNE.start, datetime.date(2026, 7, 31), LAST_DAY_OF_PHASE_1)
    alone = [measure(metric, w, NO_EVIDENCE, contract) for metric in RATES for w in (MAY_JUNE, whole)]
    token = _run_cache.set({})
    try:
        [measure(metric, MAY_JUNE, NO_EVIDENCE, contract) for metric in RATES]
        with CaptureQueriesContext(connection) as later:
            shared = [
                measure(metric, w, NO_EVIDENCE, contract) for metric in RATES for w in (MAY_JUNE, whole)
            ]
    finally:
        _run_cache.reset(token)
    # 30 reports of 122 station-days; June's one active station of 4 station-months
    assert shared == alone == [Decimal("24.6"), Decimal("24.6"), Decimal("25.0"), Decimal("25.0")]
    counted = [
        q["sql"] for q in later.captured_queries if "dailyreport" in q["sql"] or "appcheckin" in q["sql"]
    ]
    assert counted == []


RATES = ("stations.daily_report_rate", "stations.app_activity_rate")


# --- app activity ------------------------------------------------------------------------------


def test_the_app_activity_rate_is_active_station_months_over_open_station_months(
    contract, station, other_station
):
    # May: only 巴特尔's station checks in (twice); June: both
    AppCheckIn.objects.bulk_create(
        [
            AppCheckIn(station=station, day=datetime.date(2026, 5, 4)),
            AppCheckIn(station=station, day=datetime.date(2026, 5, 5)),
            AppCheckIn(station=station, day=datetime.date(2026, 6, 2)),
            AppCheckIn(station=other_station, day=LAST_DAY_OF_PHASE_1),
            AppCheckIn(station=other_station, day=FIRST_DAY_OF_PHASE_2),
        ]
    )
    assert measure("stations.app_activity_rate", MAY_JUNE, NO_EVIDENCE, contract) == Decimal("75.0")


def test_app_activity_counts_months_with_the_apps_screenshot_when_the_target_asks_for_it(
    contract, station, staff
):
    AppCheckIn.objects.bulk_create(
        [
            AppCheckIn(station=station, day=datetime.date(2026, 5, 4)),
            AppCheckIn(station=station, day=datetime.date(2026, 6, 2)),
        ]
    )
    attach(AppActivityMonth.objects.create(month=datetime.date(2026, 6, 1)), "screenshot", staff)
    params = {EVIDENCE_PARAM: ("screenshot",)}
    # June's check-in counts, May's does not: 1 of 2 station-months
    assert measure("stations.app_activity_rate", MAY_JUNE, params, contract) == Decimal("50.0")
    assert measure("stations.app_activity_rate", MAY_JUNE, NO_EVIDENCE, contract) == Decimal("100.0")


# --- premium stations ----------------------------------------------------------------------------


@pytest.fixture
def premium_pair(station, other_station):
    for s in (station, other_station):
        s.is_premium = True
        s.save()
    return station, other_station


def test_the_premium_minimum_is_the_lowest_stations_turnover(contract, premium_pair):
    station, other_station = premium_pair
    transaction(station, datetime.date(2026, 2, 1), "50000")
    transaction(station, LAST_DAY_OF_PHASE_1, "30000")
    transaction(other_station, datetime.date(2026, 3, 1), "10000")
    transaction(other_station, FIRST_DAY_OF_PHASE_2, "90000")  # after the window
    assert measure("stations.premium_min_turnover", PHASE_1, NO_EVIDENCE, contract) == Decimal("10000")


def test_a_premium_station_without_transactions_makes_the_minimum_zero(contract, premium_pair):
    transaction(premium_pair[0], datetime.date(2026, 2, 1), "80000")
    assert measure("stations.premium_min_turnover", PHASE_1, NO_EVIDENCE, contract) == 0


def test_premium_turnover_counts_lines_with_the_ledger_evidence(contract, premium_pair, staff):
    station, other_station = premium_pair
    proven = transaction(station, datetime.date(2026, 2, 1), "80000")
    transaction(station, datetime.date(2026, 2, 2), "5000")
    attach(proven, "ledger", staff)
    attach(transaction(other_station, datetime.date(2026, 3, 1), "75000"), "ledger", staff)
    params = {EVIDENCE_PARAM: ("ledger",)}
    assert measure("stations.premium_min_turnover", PHASE_1, params, contract) == Decimal("75000")


# --- cost ------------------------------------------------------------------------------------------


def _many(contract, station, other_station, count, start):
    for n in range(count):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=start + n)
        inspection(contract, station, day)
        training(contract, day)
        evaluation(contract, day)
        transaction(station, day, "100")
        StationDailyReport.objects.create(station=other_station, day=day)
        AppCheckIn.objects.create(station=other_station, day=day)


def test_every_figure_costs_the_same_queries_for_3_and_30_records(contract, premium_pair):
    station, other_station = premium_pair
    metrics = [
        *COUNTED,
        "stations.daily_report_rate",
        "stations.app_activity_rate",
        "stations.premium_min_turnover",
    ]
    params = {EVIDENCE_PARAM: ("photo",)}

    def cost():
        with CaptureQueriesContext(connection) as queries:
            for metric in metrics:
                measure(metric, PHASE_1, params, contract)
        return len(queries)

    _many(contract, station, other_station, 3, 0)
    few = cost()
    _many(contract, station, other_station, 27, 3)
    assert cost() == few
