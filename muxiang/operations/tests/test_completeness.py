"""Completeness of daily reports: which stations missed which days of a month, the completeness and
on-time rates per town and overall (counting only the days a station was open), and the stations
李强 phones today."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muxiang.operations import services
from muxiang.operations.models import StationDailyReport
from muxiang.operations.tests.conftest import TODAY, at
from muxiang.regions.models import Region
from muxiang.stations.models import Station

OCTOBER = datetime.date(2026, 10, 1)


def october():
    return [OCTOBER + datetime.timedelta(days=n) for n in range(31)]


def reported(station, days, late=()):
    StationDailyReport.objects.bulk_create(StationDailyReport(station=station, day=day) for day in days)
    for day in days:
        created = at(day + datetime.timedelta(days=5)) if day in late else at(day, 21)
        StationDailyReport.all_objects.filter(station=station, day=day).update(created_at=created)


@pytest.fixture
def newcomer(town):
    """A village station of 海流图镇 opened on 21 October."""
    village = Region.objects.create(name="乌兰村", level="village", parent=town)
    return Station.objects.create(
        code="HLT-102",
        name="乌兰村电商服务站",
        level="village",
        region=village,
        status="active",
        opened_on=datetime.date(2026, 10, 21),
    )


@pytest.fixture
def october_reports(station, other_station, newcomer):
    # 巴特尔's station misses 5 October and reports 10 October five days late; the newcomer reports
    # every day it is open; 其其格's station reports nothing.
    days = [d for d in october() if d.day != 5]
    reported(station, days, late={datetime.date(2026, 10, 10)})
    reported(newcomer, [d for d in october() if d.day >= 21])


def test_the_grid_marks_each_day_of_each_station(county, station, newcomer, october_reports):
    grid = services.completeness_grid(OCTOBER, county=county)
    rows = {row.station.code: row for row in grid.rows}
    assert rows["HLT-001"].cells[4] == "missing" and rows["HLT-001"].cells[9] == "late"
    assert rows["HLT-001"].cells[0] == "on_time"
    assert set(rows["HLT-102"].cells[:20]) == {"closed"} and set(rows["HLT-102"].cells[20:]) == {"on_time"}
    assert set(rows["WJH-101"].cells) == {"missing"}


def test_rates_count_only_the_days_a_station_was_open(county, october_reports):
    grid = services.completeness_grid(OCTOBER, county=county)
    towns = {rate.label: rate for rate in grid.towns}
    # 海流图镇: 31 days of HLT-001 and 11 of the newcomer expected, 41 reported, 40 on time
    assert (towns["海流图镇"].expected, towns["海流图镇"].reported, towns["海流图镇"].on_time) == (42, 41, 40)
    assert str(towns["海流图镇"].completeness) == "97.6"
    assert (towns["乌加河镇"].expected, towns["乌加河镇"].reported) == (31, 0)
    assert (grid.overall.expected, grid.overall.reported, grid.overall.on_time) == (73, 41, 40)
    assert str(grid.overall.completeness) == "56.2" and str(grid.overall.on_time_rate) == "54.8"


def test_the_current_month_expects_reports_up_to_yesterday(county, station):
    reported(station, [datetime.date(2026, 11, d) for d in range(1, 29)])
    grid = services.completeness_grid(TODAY, county=county)
    row = next(r for r in grid.rows if r.station == station)
    assert row.rate.expected == 27 and row.rate.reported == 27
    assert row.cells[27] == "on_time" and row.cells[28] == "future"


def test_the_stations_to_chase_today_come_with_the_managers_phones(county, station, other_station, person):
    # given 巴特尔's station reported today; 其其格's reported on the 25th only
    station.manager = person
    station.save()
    reported(station, [TODAY])
    reported(other_station, [datetime.date(2026, 11, 25)])
    # when
    chase = services.stations_to_chase(county)
    # then only 其其格's station is to be phoned, with its number
    assert [item.station for item in chase] == [other_station]
    item = chase[0]
    assert item.contact == "13947800002" and not item.yesterday_reported
    assert item.missed_recently == 6 and item.last_report == datetime.date(2026, 11, 25)


def test_the_completeness_page_shows_rates_grid_and_chase_list(login, staff, county, october_reports):
    html = login(staff).get(reverse("operations:completeness"), {"month": "2026-10"}).content.decode()
    assert "56.2%" in html and "乌加河镇" in html and 'id="chase"' in html
    assert "13947800002" in html  # 其其格's station has not reported today


def test_a_month_that_cannot_be_read_is_refused_with_a_message(login, staff, county):
    response = login(staff).get(reverse("operations:completeness"), {"month": "十月"})
    assert response.status_code == 400 and "月份格式应为 2026-03" in response.content.decode()


def _stations(town, count, start=0):
    Station.objects.bulk_create(
        Station(
            code=f"Q-{start + i:03d}",
            name=f"站点{start + i}",
            level="town",
            region=town,
            status="active",
            opened_on=datetime.date(2025, 1, 1),
            phone="13900000000",
        )
        for i in range(count)
    )
    stations = list(Station.objects.filter(code__startswith="Q-"))
    reported_days = [d for d in october() if d.day % 3]
    StationDailyReport.objects.bulk_create(
        StationDailyReport(station=s, day=d) for s in stations[start:] for d in reported_days
    )


def test_the_grid_and_the_chase_list_cost_the_same_queries_for_3_and_30_stations(county, town):
    _stations(town, 3)
    with CaptureQueriesContext(connection) as few:
        services.completeness_grid(OCTOBER, county=county)
        services.stations_to_chase(county)
    _stations(town, 27, start=3)
    with CaptureQueriesContext(connection) as many:
        grid = services.completeness_grid(OCTOBER, county=county)
        services.stations_to_chase(county)
    assert len(grid.rows) == 30
    assert len(few) == len(many), [q["sql"] for q in many]
