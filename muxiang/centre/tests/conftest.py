"""The service centre's test world: the sample contract (phases 2026-01-01..06-30 and
2026-07-01..12-31), "today" pinned to 2026-11-28, the centre with a live-stream room and a training
room, and one builder per record kind."""

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from muxiang.centre.models import (
    Event,
    FieldSurvey,
    FunctionalArea,
    IncubationFollowUp,
    IncubationService,
    ServiceCentre,
    ServiceIncome,
    ValueAddedService,
    WorkOrder,
)
from muxiang.contracts.services import load_contract

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
IN_PHASE_1 = datetime.date(2026, 3, 15)
LAST_DAY_OF_PHASE_1 = datetime.date(2026, 6, 30)
FIRST_DAY_OF_PHASE_2 = datetime.date(2026, 7, 1)
IN_PHASE_2 = datetime.date(2026, 8, 1)
TODAY = datetime.date(2026, 11, 28)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_real_localdate = timezone.localdate


@pytest.fixture(autouse=True)
def _not_after_the_sample_phases(monkeypatch):
    """The tests' dates are in 2026; "today" is pinned after them so none is in the future. Only
    "today" is pinned: the local day of a given moment is still computed."""

    def localdate(value=None, timezone=None):
        return TODAY if value is None else _real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A local (Asia/Shanghai) moment."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def document(name="签到表.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def photo(name="活动照片.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def centre(db):
    return ServiceCentre.objects.create(
        name="乌拉特中旗电子商务公共服务中心", address="海流图镇乌兰街 66 号", floor_area=Decimal("1286")
    )


@pytest.fixture
def live_room(centre):
    return FunctionalArea.objects.create(
        centre=centre,
        code="ZB-01",
        kind="live_streaming",
        name="一号直播间",
        floor_area=Decimal("45"),
        capacity=8,
    )


@pytest.fixture
def classroom(centre):
    return FunctionalArea.objects.create(
        centre=centre,
        code="PX-01",
        kind="training",
        name="电商培训教室",
        floor_area=Decimal("180"),
        capacity=80,
    )


def make_work_order(contract, area, starts_at, ends_at, number="", **values):
    defaults = {"requester_name": "巴美羊肉合作社", "purpose": "羊肉直播带货", "attendees": 5}
    return WorkOrder.objects.create(
        contract=contract,
        area=area,
        number=number,
        starts_at=starts_at,
        ends_at=ends_at,
        **{**defaults, **values},
    )


def make_event(contract, kind="salon", held_on=IN_PHASE_1, sales=None, number="", **values):
    defaults = {"title": "电商沙龙", "place": "公共服务中心报告厅", "attendees": 40}
    return Event.objects.create(
        contract=contract,
        number=number,
        kind=kind,
        held_on=held_on,
        sales_amount=None if sales is None else Decimal(sales),
        **{**defaults, **values},
    )


def make_incubation(
    contract, organisation=None, person=None, provided_on=IN_PHASE_1, directed=False, **values
):
    defaults = {"kind": "shop_operation", "delivered": "网店开设与详情页指导"}
    return IncubationService.objects.create(
        contract=contract,
        recipient_organisation=organisation,
        recipient_person=person,
        provided_on=provided_on,
        directed=directed,
        **{**defaults, **values},
    )


def make_follow_up(incubation, held_on=IN_PHASE_1, **values):
    return IncubationFollowUp.objects.create(
        contract=incubation.contract,
        incubation=incubation,
        held_on=held_on,
        content=values.pop("content", "复盘店铺数据"),
        **values,
    )


def make_survey(contract, subject="station", station=None, surveyed_on=IN_PHASE_1, **values):
    defaults = {"findings": "快递收发区拥挤", "improvement_plan": "增设货架", "plan_status": "planned"}
    return FieldSurvey.objects.create(
        contract=contract, subject=subject, station=station, surveyed_on=surveyed_on, **{**defaults, **values}
    )


def make_service(name="直播间租用", price="200"):
    return ValueAddedService.objects.create(name=name, price=Decimal(price), unit="小时")


def make_income(contract, service, amount="600", received_on=IN_PHASE_1, **values):
    return ServiceIncome.objects.create(
        contract=contract,
        service=service,
        amount=Decimal(amount),
        received_on=received_on,
        customer=values.pop("customer", "德岭山镇向日葵合作社"),
        **values,
    )


@pytest.fixture
def records(contract, centre, live_room, station, other_station, organisation, person):
    """One record of every kind; the field survey is of 巴特尔's station, ``other_survey`` of
    其其格's."""
    incubation = make_incubation(contract, organisation=organisation, directed=True)
    service = make_service()
    return SimpleNamespace(
        centre=centre,
        area=live_room,
        workorder=make_work_order(contract, live_room, at(IN_PHASE_1, 9), at(IN_PHASE_1, 11)),
        event=make_event(contract),
        incubation=incubation,
        followup=make_follow_up(incubation),
        survey=make_survey(contract, station=station),
        other_survey=make_survey(contract, station=other_station),
        service=service,
        income=make_income(contract, service),
    )
