"""The stored station-months (``operations.rollups``) and the evidence marks of station records stay
equal to a rebuild from the raw rows after every kind of write, and the rates read from them equal
the rates counted from the raw reports."""

import datetime

import pytest
from django.utils import timezone

from muxiang.core import rollups
from muxiang.core import services as core_services
from muxiang.core.bulk import insert_audited_rows, insert_rows
from muxiang.operations import services
from muxiang.operations.models import AppCheckIn, StationDailyReport, StationMonth, StationTransaction

from .conftest import attach
from .conftest import transaction as make_transaction

pytestmark = pytest.mark.django_db

MAY = [datetime.date(2026, 5, d) for d in range(1, 32)]
JUNE = [datetime.date(2026, 6, d) for d in range(1, 31)]


def assert_rollups_match_a_rebuild():
    for rollup in rollups.ROLLUPS.values():
        assert rollup.differences() == {}, rollup.name


def stored(station, month):
    row = StationMonth.objects.filter(station=station, month=month).first()
    return (row.reports, row.check_in_days) if row else (0, 0)


def raw_report_rate(county, start, last):
    """The rate counted from the raw reports, as before the rollup."""
    expected = sum(
        n * services.open_days(opened, closed, start, last)
        for opened, closed, n in services.station_spans(services.stations_in(county))
    )
    received = StationDailyReport.objects.filter(
        services.of_open_station_in(county), day__range=(start, last)
    ).count()
    return services.percent(received, expected)


def test_station_months_follow_every_write_of_reports_check_ins_and_stations(
    county, station, other_station, operator_admin
):
    may, june = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)
    # given May's reports of 巴特尔's station by bulk_create, June's by the import's bulk insert
    StationDailyReport.objects.bulk_create(StationDailyReport(station=station, day=d) for d in MAY)
    insert_audited_rows(
        StationDailyReport, [{"station_id": station.pk, "day": d} for d in JUNE], "导入", "day"
    )
    now = timezone.now()
    insert_rows(
        AppCheckIn,
        [{"station_id": other_station.pk, "day": d} for d in JUNE[:3]],
        defaults={"created_at": now, "updated_at": now},
    )
    single = AppCheckIn.objects.create(station=station, day=JUNE[4])
    assert_rollups_match_a_rebuild()
    assert stored(station, may) == (31, 0)
    assert stored(station, june) == (30, 1)
    assert stored(other_station, june) == (0, 3)

    # when a report is moved to the other station and to another month by a form's save
    moved = StationDailyReport.objects.get(station=station, day=JUNE[0])
    moved.station = other_station
    moved.day = datetime.date(2026, 4, 30)
    moved.save()
    assert_rollups_match_a_rebuild()
    assert stored(station, june) == (29, 1)
    assert stored(other_station, datetime.date(2026, 4, 1)) == (1, 0)

    # and reports and check-ins are soft-deleted and restored
    core_services.soft_delete_record(
        StationDailyReport.objects.get(station=station, day=JUNE[1]), operator_admin
    )
    core_services.soft_delete_record(single, operator_admin)
    assert_rollups_match_a_rebuild()
    assert stored(station, june) == (28, 0)
    core_services.restore_record(AppCheckIn.all_objects.get(pk=single.pk), operator_admin)
    assert_rollups_match_a_rebuild()

    # and the station opens later (its May reports fall on days it was not open) and then closes
    station.opened_on = datetime.date(2026, 5, 20)
    station.save()
    assert_rollups_match_a_rebuild()
    assert stored(station, may) == (12, 0)
    station.closed_on = datetime.date(2026, 6, 10)
    station.save()
    assert_rollups_match_a_rebuild()
    assert stored(station, june) == (7, 1)

    # and an import updates rows in bulk (bulk_update), and a queryset update moves days
    rows = list(StationDailyReport.objects.filter(station=station, day__in=MAY[25:]))
    for row in rows:
        row.station = other_station
    StationDailyReport.objects.bulk_update(rows, ["station"])
    StationDailyReport.objects.filter(station=other_station, day=MAY[30]).update(
        day=datetime.date(2026, 3, 31)
    )
    assert_rollups_match_a_rebuild()

    # and a report is purged
    core_services.soft_delete_record(
        StationDailyReport.objects.get(station=station, day=JUNE[2]), operator_admin
    )
    core_services.purge_record(
        StationDailyReport.all_objects.get(station=station, day=JUNE[2]), operator_admin
    )
    assert_rollups_match_a_rebuild()

    # then the rate over whole and partial months equals the raw count
    for start, last in [
        (datetime.date(2026, 3, 1), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 3, 15), datetime.date(2026, 6, 20)),
    ]:
        assert services.daily_report_rate(start, last, last, county) == raw_report_rate(county, start, last)


def test_a_transaction_is_marked_by_its_evidence(station, operator_admin):
    # given a premium station's transaction without its invoice
    sale = make_transaction(station, day=datetime.date(2026, 6, 3))
    assert not core_services.with_evidence(StationTransaction.objects.all(), ["invoice"]).exists()
    # when the invoice is attached, then the transaction counts; when it is deleted, it no longer does
    invoice = attach(sale, "invoice", operator_admin)
    assert core_services.with_evidence(StationTransaction.objects.all(), ["invoice"]).get() == sale
    core_services.soft_delete_record(invoice, operator_admin)
    assert not core_services.with_evidence(StationTransaction.objects.all(), ["invoice"]).exists()
    assert_rollups_match_a_rebuild()
