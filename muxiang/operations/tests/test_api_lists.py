"""The operations API's lists cost the same queries for 3 records as for 30: no N+1 in a schema's
resolver (the pages' own guard is test_permissions.test_every_list_page_costs_the_same_queries_…)."""

import datetime
from decimal import Decimal

import pytest

from muxiang.core.testing import api_list_paths, assert_list_cost_is_constant
from muxiang.operations.models import (
    AppActivityMonth,
    AppCheckIn,
    AssetCountLine,
    EvaluationEntry,
    FixedAsset,
    InspectionProblem,
    ManagerTraining,
    ReportMonth,
    StationDailyReport,
    StationEvaluation,
    StationInspection,
    StationTransaction,
)
from muxiang.operations.tests.conftest import asset, at, evaluation, inspection, report, training, transaction

PREFIX = "/api/operations/"

# What each list of the API shows. A list the schema has and this does not fails below: a new
# route needs its records built here, so that it is guarded too.
LISTED = {
    "/api/operations/reports/": StationDailyReport,
    "/api/operations/report-months/": ReportMonth,
    "/api/operations/transactions/": StationTransaction,
    "/api/operations/inspections/": StationInspection,
    "/api/operations/problems/": InspectionProblem,
    "/api/operations/assets/": FixedAsset,
    "/api/operations/asset-counts/": AssetCountLine,
    "/api/operations/trainings/": ManagerTraining,
    "/api/operations/evaluations/": StationEvaluation,
    "/api/operations/evaluation-entries/": EvaluationEntry,
    "/api/operations/check-ins/": AppCheckIn,
    "/api/operations/app-months/": AppActivityMonth,
}

# Lists known to cost a query per row: path -> why (the field of the Out schema that queries).
N_PLUS_ONE: dict[str, str] = {}


def api_lists():
    return api_list_paths(PREFIX)


def cases():
    return [
        pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=N_PLUS_ONE[path]))
        if path in N_PLUS_ONE
        else path
        for path in api_lists()
    ]


@pytest.fixture
def build(contract, station, other_station):
    """``build(first, count)``: ``count`` records of every kind, every relation filled, at both
    stations in turn (an inspection with its problem and its count of an asset, an evaluation with
    a station's entry …)."""

    def _build(first, count):
        for n in range(first, first + count):
            where = station if n % 2 else other_station
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
            month = datetime.date(2023 + n // 12, n % 12 + 1, 1)
            report(where, day, note=f"日报{n}")
            ReportMonth.objects.create(
                month=month, sent_at=at(month + datetime.timedelta(days=40)), note="已报送"
            )
            transaction(where, day, number=f"JY-API-{n:03d}", counterparty=f"牧户{n}", note="现结")
            visit = inspection(
                contract,
                where,
                day,
                number=f"XC-API-{n:03d}",
                latitude=Decimal("41.571234"),
                longitude=Decimal("108.521234"),
                location_accuracy=12,
                findings=f"巡查{n}",
            )
            InspectionProblem.objects.create(
                inspection=visit,
                description=f"问题{n}",
                corrective_action="重新制作门头",
                due_on=day + datetime.timedelta(days=30),
                closed_on=day + datetime.timedelta(days=10),
                closure_note="已整改",
            )
            thing = asset(where, f"ZD-API-{n:03d}", serial_number=f"SN-{n}", note="完好")
            AssetCountLine.objects.create(inspection=visit, asset=thing, result="found", note="在位")
            training(
                contract,
                day,
                number=f"ZP-API-{n:03d}",
                location="旗电商公共服务中心",
                trainer="王老师",
                note=f"第{n}期",
            )
            contest = evaluation(contract, day, number=f"PX-API-{n:03d}", summary="评选完成")
            EvaluationEntry.objects.create(
                evaluation=contest, station=where, score=Decimal("91.5"), award="first", note="优秀"
            )
            AppCheckIn.objects.create(station=where, day=day)
            AppActivityMonth.objects.create(month=month, note="活跃")

    return _build


def test_every_kind_the_schema_lists_has_its_builder():
    assert api_lists(), f"the schema has no list under {PREFIX}"
    assert set(api_lists()) == set(LISTED)


@pytest.mark.parametrize("path", cases())
def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
    assert path in LISTED, f"{path}: no builder makes its records (add it to LISTED and to build)"
    assert_list_cost_is_constant(client, api_token(auditor), path, build)
