"""Visits to stations (一对一指导, 站点巡查, 固定资产盘点), their problems and asset counts; station
evaluations and their ranking; premium stations' progress; app activity by month."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import Contract, PhaseAcceptance
from muxiang.operations import services
from muxiang.operations.models import (
    AppCheckIn,
    AssetCountLine,
    EvaluationEntry,
    InspectionProblem,
    StationInspection,
)
from muxiang.operations.tests.conftest import (
    IN_PHASE_1,
    IN_PHASE_2,
    TODAY,
    asset,
    evaluation,
    inspection,
    transaction,
)

# --- the inspection form -------------------------------------------------------------------------


def visit_form(station, **extra):
    data = {
        "contract": Contract.objects.get().pk,
        "station": station.pk,
        "visited_on": "2026-11-20",
        "kinds": ["patrol", "asset_count"],
        "inspector": "李强",
        "has_signage": "on",
        "has_publicity": "on",
        "latitude": "41.567123",
        "longitude": "108.512345",
        "location_accuracy": "15",
    }
    data.update(extra)
    return data


def test_staff_record_a_visit_with_the_phones_gps_point(login, staff, station, contract):
    client = login(staff)
    page = client.get(reverse("operations:inspection-add")).content.decode()
    assert "navigator.geolocation" in page and 'id="geolocate"' in page
    response = client.post(reverse("operations:inspection-add"), visit_form(station))
    assert response.status_code == 302, response.content.decode()
    visit = StationInspection.objects.get()
    assert visit.number == "XC-202611-001" and visit.contract == contract
    assert visit.latitude == Decimal("41.567123") and visit.has_publicity and not visit.keeps_ledger


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"longitude": ""}, "经纬度需同时填写"),
        ({"kinds": []}, "巡查类型"),
        ({"latitude": "95"}, "纬度"),
        ({"visited_on": "2026-12-01"}, "日期不能晚于今天"),
    ],
    ids=["half-a-point", "no-kind", "latitude-out-of-range", "future"],
)
def test_a_visit_with_bad_input_is_refused_naming_the_field(login, staff, station, contract, extra, message):
    response = login(staff).post(reverse("operations:inspection-add"), visit_form(station, **extra))
    assert response.status_code == 400 and message in response.content.decode()
    assert not StationInspection.objects.exists()


def test_a_visit_of_an_accepted_phase_is_frozen(login, staff, station, contract):
    visit = inspection(contract, station, IN_PHASE_1)
    PhaseAcceptance.objects.create(phase=contract.phases.get(number=1), state=AcceptanceState.ACCEPTED)
    response = login(staff).post(
        reverse("operations:inspection-edit", args=[visit.pk]),
        visit_form(station, visited_on=IN_PHASE_1.isoformat()),
    )
    assert response.status_code == 400 and "记录已冻结" in response.content.decode()


# --- problems ------------------------------------------------------------------------------------


def test_problems_are_numbered_after_their_visit_and_overdue_when_open_past_their_due_date(contract, station):
    visit = inspection(contract, station, IN_PHASE_2, number="XC-202608-001")
    late = InspectionProblem.objects.create(
        inspection=visit, description="门头褪色", due_on=datetime.date(2026, 9, 1)
    )
    done = InspectionProblem.objects.create(
        inspection=visit,
        description="台账缺页",
        corrective_action="补记",
        due_on=datetime.date(2026, 9, 1),
        closed_on=datetime.date(2026, 8, 20),
    )
    assert (late.number, done.number) == ("XC-202608-001-01", "XC-202608-001-02")
    assert late.is_overdue and not done.is_overdue


def test_a_problem_closed_without_a_corrective_action_is_refused(login, staff, contract, station):
    visit = inspection(contract, station, IN_PHASE_2)
    response = login(staff).post(
        reverse("operations:problem-add"),
        {"inspection": visit.pk, "description": "网络不通", "closed_on": "2026-08-10"},
    )
    assert response.status_code == 400 and "整改完成的问题须写明整改措施" in response.content.decode()


def test_the_overdue_filter_lists_open_problems_past_due(login, staff, contract, station):
    visit = inspection(contract, station, IN_PHASE_2)
    InspectionProblem.objects.create(
        inspection=visit, description="门头褪色", due_on=datetime.date(2026, 9, 1)
    )
    InspectionProblem.objects.create(
        inspection=visit, description="货架不足", due_on=datetime.date(2026, 12, 1)
    )
    html = login(staff).get(reverse("operations:problem-list"), {"overdue": "true"}).content.decode()
    assert "门头褪色" in html and "货架不足" not in html


# --- asset counts ------------------------------------------------------------------------------------


@pytest.fixture
def counted(contract, station, other_station):
    """A visit on 3 August counting 巴特尔's register: a computer, a printer (broken), a shelf bought
    after the visit and a sign disposed of before it."""
    visit = inspection(contract, station, IN_PHASE_2)
    computer = asset(station, "ZD-1", "4000")
    printer = asset(station, "ZD-2", "1500")
    asset(station, "ZD-3", "800", acquired_on=datetime.date(2026, 9, 1))
    asset(station, "ZD-4", "300", disposed_on=datetime.date(2026, 7, 1))
    asset(other_station, "ZD-9")
    return visit, computer, printer


def test_the_count_report_reconciles_the_register_on_the_day_against_what_was_found(counted, staff):
    visit, computer, printer = counted
    services.record_asset_count(
        visit, {computer.pk: ("found", ""), printer.pk: ("missing", "借给村委会")}, staff
    )
    report = services.reconcile_assets(visit)
    assert [row.asset.asset_number for row in report.rows] == ["ZD-1", "ZD-2"]
    assert (report.expected, report.found, len(report.missing), len(report.uncounted)) == (2, 1, 1, 0)
    assert report.expected_value == Decimal("5500.00") and report.missing_value == Decimal("1500.00")
    # when the printer turns up damaged on a second look, the line is changed, not doubled
    services.record_asset_count(visit, {printer.pk: ("damaged", "")}, staff)
    assert AssetCountLine.objects.filter(inspection=visit).count() == 2
    assert services.reconcile_assets(visit).found == 2


def test_an_asset_of_another_station_cannot_be_counted(counted, staff, other_station):
    visit, _computer, _printer = counted
    foreign = other_station.fixed_assets.get()
    with pytest.raises(ValidationError):
        services.record_asset_count(visit, {foreign.pk: ("found", "")}, staff)
    assert not AssetCountLine.objects.exists()


def test_staff_enter_the_count_on_the_count_page(login, staff, counted):
    visit, computer, printer = counted
    client = login(staff)
    page = client.get(reverse("operations:inspection-count", args=[visit.pk])).content.decode()
    assert "ZD-1" in page and "ZD-3" not in page and "ZD-9" not in page
    response = client.post(
        reverse("operations:inspection-count", args=[visit.pk]),
        {f"result_{computer.pk}": "found", f"result_{printer.pk}": "missing", f"note_{printer.pk}": "未找到"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("operations:inspection-detail", args=[visit.pk])).content.decode()
    assert "固定资产盘点报告" in detail and "未找到" in detail and "1500.00" in detail


def test_the_count_page_refuses_an_unknown_result(login, staff, counted):
    visit, computer, _printer = counted
    response = login(staff).post(
        reverse("operations:inspection-count", args=[visit.pk]), {f"result_{computer.pk}": "stolen"}
    )
    assert response.status_code == 400
    assert not AssetCountLine.objects.exists()


# --- evaluations ---------------------------------------------------------------------------------


def test_an_evaluation_ranks_its_stations_by_score(login, staff, contract, station, other_station, town):
    from muxiang.stations.models import Station

    third = Station.objects.create(
        code="HLT-003",
        name="第三站",
        level="town",
        region=town,
        status="active",
        opened_on=datetime.date(2025, 1, 1),
    )
    contest = evaluation(contract)
    for s, score in ((station, "88"), (other_station, "95"), (third, "88")):
        EvaluationEntry.objects.create(evaluation=contest, station=s, score=Decimal(score))
    ranked = [(e.station.code, e.rank) for e in services.ranked_entries(contest)]
    assert ranked == [("WJH-101", 1), ("HLT-001", 2), ("HLT-003", 2)]
    page = login(staff).get(reverse("operations:evaluation-detail", args=[contest.pk])).content.decode()
    assert "排名与奖项" in page


def test_a_station_cannot_be_scored_twice_in_one_evaluation(login, staff, contract, station):
    contest = evaluation(contract)
    EvaluationEntry.objects.create(evaluation=contest, station=station, score=Decimal("80"))
    response = login(staff).post(
        reverse("operations:entry-add"), {"evaluation": contest.pk, "station": station.pk, "score": "90"}
    )
    assert response.status_code == 400 and "在本次评选中已有得分" in response.content.decode()


def test_a_station_manager_sees_only_his_stations_score(login, manager, contract, station, other_station):
    contest = evaluation(contract)
    EvaluationEntry.objects.create(evaluation=contest, station=station, score=Decimal("80"))
    EvaluationEntry.objects.create(evaluation=contest, station=other_station, score=Decimal("90"))
    html = login(manager).get(reverse("operations:entry-list")).content.decode()
    assert "海流图镇电商服务站" in html and "巴音村电商服务站" not in html


# --- premium stations and app activity -------------------------------------------------------------


def test_the_premium_page_shows_each_stations_progress_to_72000(
    login, staff, contract, station, other_station
):
    for s in (station, other_station):
        s.is_premium = True
        s.save()
    transaction(station, IN_PHASE_1, "72000")
    transaction(other_station, IN_PHASE_2, "36000")
    html = login(staff).get(reverse("operations:premium")).content.decode()
    assert "100.0%" in html and "50.0%" in html and "36000.00" in html
    assert "少于合同要求的 5 个" in html


def test_the_app_activity_page_shows_the_rate_of_each_month(login, staff, county, station, other_station):
    AppCheckIn.objects.create(station=station, day=datetime.date(2026, 10, 5))
    AppCheckIn.objects.create(station=station, day=TODAY - datetime.timedelta(days=2))
    AppCheckIn.objects.create(station=other_station, day=TODAY - datetime.timedelta(days=2))
    html = login(staff).get(reverse("operations:app-activity")).content.decode()
    assert "2026-10" in html and "50.0%" in html and "100.0%" in html
