"""Training in the API: every ledger through the shared record routes, so the API reads and writes
exactly what the pages do (a station manager reads the sessions held at their station and their
attendance, nothing else, and writes nothing)."""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from muxiang.core.api import record_router
from muxiang.training.views import (
    AttendanceViewSet,
    FeedbackAnalysisViewSet,
    FollowUpVisitViewSet,
    MerchantCensusViewSet,
    TextbookViewSet,
    TraineeOutcomeViewSet,
    TrainingSessionViewSet,
)

TAGS = ["training 电商培训"]


class TrainingSessionOut(Schema):
    id: int
    contract_id: int
    code: str
    title: str
    topic: str
    level: str
    audiences: list[str]
    held_on: datetime.date
    place: str
    teacher: str
    station_id: int | None
    notes: str
    person_times: int
    poor_person_times: int

    @staticmethod
    def resolve_person_times(obj) -> int:
        # Lists and reads are annotated (TrainingSessionViewSet.base_queryset); a session just
        # created is not, and has no attendance yet.
        return getattr(obj, "person_times", 0)

    @staticmethod
    def resolve_poor_person_times(obj) -> int:
        return getattr(obj, "poor_person_times", 0)


class TrainingSessionIn(Schema):
    contract: int | None = None
    code: str | None = None
    title: str | None = None
    topic: str | None = None
    level: str | None = None
    audiences: list[str] | None = None
    held_on: datetime.date | None = None
    place: str | None = None
    teacher: str | None = None
    station: int | None = None
    notes: str | None = None


class AttendanceOut(Schema):
    id: int
    contract_id: int
    session_id: int
    person_id: int
    poor_household: bool
    held_on: datetime.date


class AttendanceIn(Schema):
    session: int | None = None
    person: int | None = None
    # Left out or null: as the person is registered.
    poor_household: bool | None = None


class TraineeOutcomeOut(Schema):
    id: int
    contract_id: int
    person_id: int
    year: int
    recorded_on: datetime.date
    sells_online: bool
    shop: str
    employed: bool
    employer: str
    influencer: bool
    account: str
    annual_online_sales: Decimal | None
    notes: str


class TraineeOutcomeIn(Schema):
    contract: int | None = None
    person: int | None = None
    year: int | None = None
    recorded_on: datetime.date | None = None
    sells_online: bool | None = None
    shop: str | None = None
    employed: bool | None = None
    employer: str | None = None
    influencer: bool | None = None
    account: str | None = None
    annual_online_sales: Decimal | None = None
    notes: str | None = None


class FollowUpVisitOut(Schema):
    id: int
    contract_id: int
    number: str
    visited_on: datetime.date
    person_id: int | None
    organisation_id: int | None
    method: str
    visitor: str
    findings: str
    help_given: str


class FollowUpVisitIn(Schema):
    contract: int | None = None
    number: str | None = None
    visited_on: datetime.date | None = None
    person: int | None = None
    organisation: int | None = None
    method: str | None = None
    visitor: str | None = None
    findings: str | None = None
    help_given: str | None = None


class TextbookOut(Schema):
    id: int
    contract_id: int
    title: str
    version: str
    published_on: datetime.date
    published_where: str
    url: str
    notes: str


class TextbookIn(Schema):
    contract: int | None = None
    title: str | None = None
    version: str | None = None
    published_on: datetime.date | None = None
    published_where: str | None = None
    url: str | None = None
    notes: str | None = None


class MerchantCensusOut(Schema):
    id: int
    contract_id: int
    year: int
    counted_on: datetime.date
    merchant_count: int
    previous_count: int | None
    method: str
    notes: str

    @staticmethod
    def resolve_previous_count(obj) -> int | None:
        # Annotated on lists and reads (MerchantCensusViewSet.base_queryset); not on a new record.
        return getattr(obj, "previous_count", None)


class MerchantCensusIn(Schema):
    contract: int | None = None
    year: int | None = None
    counted_on: datetime.date | None = None
    merchant_count: int | None = None
    method: str | None = None
    notes: str | None = None


class FeedbackAnalysisOut(Schema):
    id: int
    contract_id: int
    number: str
    title: str
    period_from: datetime.date
    period_to: datetime.date
    written_on: datetime.date
    respondents: int
    satisfaction: Decimal | None
    summary: str
    next_plan: str


class FeedbackAnalysisIn(Schema):
    contract: int | None = None
    number: str | None = None
    title: str | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    written_on: datetime.date | None = None
    respondents: int | None = None
    satisfaction: Decimal | None = None
    summary: str | None = None
    next_plan: str | None = None


router = Router(tags=TAGS)
router.add_router(
    "/sessions", record_router(TrainingSessionViewSet, TrainingSessionOut, TrainingSessionIn, TAGS)
)
router.add_router("/attendance", record_router(AttendanceViewSet, AttendanceOut, AttendanceIn, TAGS))
router.add_router(
    "/outcomes", record_router(TraineeOutcomeViewSet, TraineeOutcomeOut, TraineeOutcomeIn, TAGS)
)
router.add_router("/follow-ups", record_router(FollowUpVisitViewSet, FollowUpVisitOut, FollowUpVisitIn, TAGS))
router.add_router("/textbooks", record_router(TextbookViewSet, TextbookOut, TextbookIn, TAGS))
router.add_router(
    "/merchant-census", record_router(MerchantCensusViewSet, MerchantCensusOut, MerchantCensusIn, TAGS)
)
router.add_router(
    "/feedback-analyses",
    record_router(FeedbackAnalysisViewSet, FeedbackAnalysisOut, FeedbackAnalysisIn, TAGS),
)
