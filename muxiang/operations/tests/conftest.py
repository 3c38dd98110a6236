"""The station operations test world: the sample contract (phases 2026-01-01..06-30 and
2026-07-01..12-31) in 乌拉特中旗, "today" pinned to 2026-11-28, the shared personas and their two
stations (巴特尔's 海流图镇电商服务站 in 海流图镇, 其其格's 巴音村电商服务站 in 乌加河镇), and one
builder per record kind."""

import datetime
import io
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from python_calamine import CalamineWorkbook

from muxiang.contracts.services import load_contract
from muxiang.core import services as core_services
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

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
IN_PHASE_1 = datetime.date(2026, 3, 15)
LAST_DAY_OF_PHASE_1 = datetime.date(2026, 6, 30)
FIRST_DAY_OF_PHASE_2 = datetime.date(2026, 7, 1)
IN_PHASE_2 = datetime.date(2026, 8, 3)
TODAY = datetime.date(2026, 11, 28)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

_real_localdate = timezone.localdate


@pytest.fixture(autouse=True)
def _today_is_pinned(monkeypatch):
    """The tests' dates are in 2026; "today" is pinned so that none is in the future and "yesterday"
    is known. Only "today" is pinned: the local day of a given moment is still computed."""

    def localdate(value=None, timezone=None):
        return TODAY if value is None else _real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def at(day: datetime.date, hour: int = 20, minute: int = 0) -> datetime.datetime:
    """A local (Asia/Shanghai) moment."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def document(name="佐证材料.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def photo(name="现场照片.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


def attach(record, kind, by=None, name=None):
    upload = photo(name or "截图.png") if kind in ("photo", "screenshot") else document(name or f"{kind}.pdf")
    return (
        core_services.attach_evidence(record, upload, by, "", kind)
        if by
        else _attach_as_system(record, upload, kind)
    )


def _attach_as_system(record, upload, kind):
    from muxiang.accounts.models import User
    from muxiang.core.permissions import Role

    user = User.objects.filter(role=Role.OPERATOR_ADMIN).first() or User.objects.create_user(
        username="evidence-bot", password="x", role=Role.OPERATOR_ADMIN
    )
    return core_services.attach_evidence(record, upload, user, "", kind)


def read_xlsx(data: bytes, sheet: int = 0) -> list[list]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_index(sheet).to_python()


def csv_upload(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.fixture
def contract(county):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


def report(station, day, created_at=None, **figures) -> StationDailyReport:
    values = {
        "proxy_buying_orders": 2,
        "proxy_buying_amount": Decimal("120.00"),
        "proxy_selling_orders": 1,
        "proxy_selling_amount": Decimal("300.00"),
        "farm_product_amount": Decimal("300.00"),
        "parcels_sent": 3,
        "parcels_received": 5,
        "villagers_served": 8,
        "convenience_services": 1,
        "poor_households": 1,
    }
    values.update(figures)
    record = StationDailyReport.objects.create(station=station, day=day, **values)
    if created_at is not None:
        StationDailyReport.all_objects.filter(pk=record.pk).update(created_at=created_at)
        record.refresh_from_db()
    return record


def inspection(contract, station, day=IN_PHASE_1, number="", **extra) -> StationInspection:
    values = {
        "kinds": ["patrol", "asset_count"],
        "inspector": "李强",
        "has_signage": True,
        "keeps_hours": True,
        "equipment_working": True,
        "keeps_ledger": False,
        "offers_services": True,
        "has_publicity": True,
    }
    values.update(extra)
    return StationInspection.objects.create(
        contract=contract, station=station, visited_on=day, number=number, **values
    )


def asset(station, number, value="3000.00", **extra) -> FixedAsset:
    values = {
        "name": "电脑一体机",
        "value": Decimal(value),
        "programme_funded": True,
        "acquired_on": datetime.date(2025, 6, 1),
    }
    values.update(extra)
    return FixedAsset.objects.create(asset_number=number, station=station, **values)


def training(contract, day=IN_PHASE_1, number="", **extra) -> ManagerTraining:
    values = {"title": "站点数据报送培训", "topics": ["data_reporting"], "attendees": 12}
    values.update(extra)
    return ManagerTraining.objects.create(contract=contract, held_on=day, number=number, **values)


def evaluation(contract, day=IN_PHASE_1, number="", **extra) -> StationEvaluation:
    values = {"title": "十佳电商服务站评选", "criteria": "交易额 40%；服务人次 30%；日报完整率 30%"}
    values.update(extra)
    return StationEvaluation.objects.create(contract=contract, held_on=day, number=number, **values)


def transaction(station, day=IN_PHASE_1, amount="1000.00", number="", **extra) -> StationTransaction:
    values = {"kind": "proxy_selling", "goods": "羊肉 20 斤"}
    values.update(extra)
    return StationTransaction.objects.create(
        station=station, day=day, amount=Decimal(amount), number=number, **values
    )


@pytest.fixture
def records(world, contract):
    """One record of every kind for 巴特尔's station, and one for 其其格's (``other_*``)."""
    visit = inspection(contract, world.station, number="XC-202603-001")
    other_visit = inspection(contract, world.other_station, number="XC-202603-002")
    own_asset = asset(world.station, "ZD-HLT-001")
    other_asset = asset(world.other_station, "ZD-BY-001")
    contest = evaluation(contract, number="PX-202603-001")
    return SimpleNamespace(
        world=world,
        contract=contract,
        dailyreport=report(world.station, IN_PHASE_2),
        other_dailyreport=report(world.other_station, IN_PHASE_2),
        reportmonth=ReportMonth.objects.create(month=datetime.date(2026, 8, 1)),
        transaction=transaction(world.station, number="JY-202603-001"),
        other_transaction=transaction(world.other_station, number="JY-202603-002"),
        inspection=visit,
        other_inspection=other_visit,
        problem=InspectionProblem.objects.create(
            inspection=visit, description="门头标识褪色", due_on=IN_PHASE_2
        ),
        other_problem=InspectionProblem.objects.create(inspection=other_visit, description="台账缺页"),
        asset=own_asset,
        other_asset=other_asset,
        countline=AssetCountLine.objects.create(inspection=visit, asset=own_asset, result="found"),
        other_countline=AssetCountLine.objects.create(
            inspection=other_visit, asset=other_asset, result="missing"
        ),
        training=training(contract, number="ZP-202603-001"),
        evaluation=contest,
        entry=EvaluationEntry.objects.create(
            evaluation=contest, station=world.station, score=Decimal("91.5")
        ),
        other_entry=EvaluationEntry.objects.create(
            evaluation=contest, station=world.other_station, score=Decimal("88")
        ),
        checkin=AppCheckIn.objects.create(station=world.station, day=IN_PHASE_2),
        other_checkin=AppCheckIn.objects.create(station=world.other_station, day=IN_PHASE_2),
        appmonth=AppActivityMonth.objects.create(month=datetime.date(2026, 8, 1)),
    )
