"""The training test world: the sample contract (phase 1 is 2026-01-01..06-30, phase 2
2026-07-01..12-31), "today" pinned to 2026-11-28, and one builder per record kind.

The people are the shared personas' trainees: 乌云 (``person``, a poor household, registered at
巴特尔's station) and 格日勒 (``other_person``, at 其其格's)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from muxiang.contracts.services import load_contract
from muxiang.core import services as core_services
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    Textbook,
    TraineeOutcome,
    TrainingSession,
)

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


def document(name="签到表.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def attach(record, by, kind="sign_in_sheet", name="签到表.pdf"):
    return core_services.attach_evidence(record, document(name), by, "佐证", kind)


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


def make_session(contract, code="PX-20260315-01", held_on=IN_PHASE_1, **extra) -> TrainingSession:
    values = {
        "title": "直播带货实操培训",
        "topic": "live_selling",
        "level": "basic",
        "audiences": ["farmers_herders", "cooperative"],
        "place": "乌拉特中旗电子商务公共服务中心",
        "teacher": "王老师",
    }
    values.update(extra)
    return TrainingSession.objects.create(contract=contract, code=code, held_on=held_on, **values)


def make_attendance(session, person, poor_household=None) -> Attendance:
    return Attendance.objects.create(
        session=session,
        person=person,
        poor_household=person.poor_household if poor_household is None else poor_household,
    )


def make_outcome(contract, person, year=2026, recorded_on=IN_PHASE_1, **flags) -> TraineeOutcome:
    return TraineeOutcome.objects.create(
        contract=contract, person=person, year=year, recorded_on=recorded_on, **flags
    )


def make_visit(contract, person=None, visited_on=IN_PHASE_1, **extra) -> FollowUpVisit:
    return FollowUpVisit.objects.create(
        contract=contract,
        person=person,
        visited_on=visited_on,
        method="visit",
        findings=extra.pop("findings", "网店运营正常，月销售额约 2 万元"),
        **extra,
    )


def make_census(contract, year=2026, counted_on=IN_PHASE_1, merchant_count=1200) -> MerchantCensus:
    return MerchantCensus.objects.create(
        contract=contract, year=year, counted_on=counted_on, merchant_count=merchant_count
    )


def make_analysis(contract, written_on=IN_PHASE_1, number="") -> FeedbackAnalysis:
    return FeedbackAnalysis.objects.create(
        contract=contract,
        number=number,
        title="第一期培训反馈分析报告",
        period_from=datetime.date(2026, 1, 1),
        period_to=written_on,
        written_on=written_on,
        respondents=80,
        satisfaction=Decimal("91.50"),
        summary="学员希望增加直播实操课时",
        next_plan="下期增加两次直播带货实操",
    )


def make_textbook(contract, version="第1版", published_on=IN_PHASE_1) -> Textbook:
    return Textbook.objects.create(
        contract=contract,
        title="农村电商创业带头人标准化培训教材",
        version=version,
        published_on=published_on,
        published_where="微信公众号「乌拉特中旗电商」",
    )


@pytest.fixture
def phase_1_accepted(contract):
    """Phase 1 signed off by the client (the workflow itself is tested in contracts): its records
    are frozen."""
    from muxiang.contracts.choices import AcceptanceState
    from muxiang.contracts.models import PhaseAcceptance

    phase = contract.phases.get(number=1)
    PhaseAcceptance.objects.create(phase=phase, state=AcceptanceState.ACCEPTED)
    return phase
