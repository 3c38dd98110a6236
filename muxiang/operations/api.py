"""Station operations in the API: every ledger through the shared record routes, so the API reads
and writes exactly what the pages do (a station manager reads their own station's records and
adds and edits their own daily reports)."""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from muxiang.core.api import record_router
from muxiang.operations.views import (
    AppActivityMonthViewSet,
    AppCheckInViewSet,
    AssetCountLineViewSet,
    EvaluationEntryViewSet,
    FixedAssetViewSet,
    InspectionProblemViewSet,
    ManagerTrainingViewSet,
    ReportMonthViewSet,
    StationDailyReportViewSet,
    StationEvaluationViewSet,
    StationInspectionViewSet,
    StationTransactionViewSet,
)

TAGS = ["operations 站点运营"]


class DailyReportFigures(Schema):
    proxy_buying_orders: int
    proxy_buying_amount: Decimal
    proxy_selling_orders: int
    proxy_selling_amount: Decimal
    farm_product_amount: Decimal
    parcels_sent: int
    parcels_received: int
    villagers_served: int
    convenience_services: int
    poor_households: int


class StationDailyReportOut(DailyReportFigures):
    id: int
    station_id: int
    day: datetime.date
    note: str
    created_at: datetime.datetime


class StationDailyReportIn(Schema):
    station: int | None = None
    day: datetime.date | None = None
    proxy_buying_orders: int | None = None
    proxy_buying_amount: Decimal | None = None
    proxy_selling_orders: int | None = None
    proxy_selling_amount: Decimal | None = None
    farm_product_amount: Decimal | None = None
    parcels_sent: int | None = None
    parcels_received: int | None = None
    villagers_served: int | None = None
    convenience_services: int | None = None
    poor_households: int | None = None
    note: str | None = None


class ReportMonthOut(Schema):
    id: int
    month: datetime.date
    sent_at: datetime.datetime | None
    note: str


class MonthIn(Schema):
    month: datetime.date | None = None
    note: str | None = None


class StationTransactionOut(Schema):
    id: int
    number: str
    station_id: int
    day: datetime.date
    kind: str
    goods: str
    counterparty: str
    amount: Decimal
    note: str


class StationTransactionIn(Schema):
    number: str | None = None
    station: int | None = None
    day: datetime.date | None = None
    kind: str | None = None
    goods: str | None = None
    counterparty: str | None = None
    amount: Decimal | None = None
    note: str | None = None


class StationInspectionOut(Schema):
    id: int
    contract_id: int
    number: str
    station_id: int
    visited_on: datetime.date
    kinds: list[str]
    inspector: str
    has_signage: bool
    keeps_hours: bool
    equipment_working: bool
    keeps_ledger: bool
    offers_services: bool
    has_publicity: bool
    latitude: Decimal | None
    longitude: Decimal | None
    location_accuracy: int | None
    findings: str


class StationInspectionIn(Schema):
    contract: int | None = None
    number: str | None = None
    station: int | None = None
    visited_on: datetime.date | None = None
    kinds: list[str] | None = None
    inspector: str | None = None
    has_signage: bool | None = None
    keeps_hours: bool | None = None
    equipment_working: bool | None = None
    keeps_ledger: bool | None = None
    offers_services: bool | None = None
    has_publicity: bool | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    location_accuracy: int | None = None
    findings: str | None = None


class InspectionProblemOut(Schema):
    id: int
    number: str
    inspection_id: int
    description: str
    corrective_action: str
    due_on: datetime.date | None
    closed_on: datetime.date | None
    closure_note: str
    is_overdue: bool


class InspectionProblemIn(Schema):
    inspection: int | None = None
    description: str | None = None
    corrective_action: str | None = None
    due_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    closure_note: str | None = None


class FixedAssetOut(Schema):
    id: int
    asset_number: str
    station_id: int
    name: str
    serial_number: str
    value: Decimal
    programme_funded: bool
    acquired_on: datetime.date | None
    disposed_on: datetime.date | None
    note: str


class FixedAssetIn(Schema):
    asset_number: str | None = None
    station: int | None = None
    name: str | None = None
    serial_number: str | None = None
    value: Decimal | None = None
    programme_funded: bool | None = None
    acquired_on: datetime.date | None = None
    disposed_on: datetime.date | None = None
    note: str | None = None


class AssetCountLineOut(Schema):
    id: int
    inspection_id: int
    asset_id: int
    result: str
    note: str


class AssetCountLineIn(Schema):
    inspection: int | None = None
    asset: int | None = None
    result: str | None = None
    note: str | None = None


class ManagerTrainingOut(Schema):
    id: int
    contract_id: int
    number: str
    title: str
    held_on: datetime.date
    topics: list[str]
    format: str
    location: str
    trainer: str
    attendees: int
    note: str


class ManagerTrainingIn(Schema):
    contract: int | None = None
    number: str | None = None
    title: str | None = None
    held_on: datetime.date | None = None
    topics: list[str] | None = None
    format: str | None = None
    location: str | None = None
    trainer: str | None = None
    attendees: int | None = None
    note: str | None = None


class StationEvaluationOut(Schema):
    id: int
    contract_id: int
    number: str
    title: str
    held_on: datetime.date
    criteria: str
    summary: str


class StationEvaluationIn(Schema):
    contract: int | None = None
    number: str | None = None
    title: str | None = None
    held_on: datetime.date | None = None
    criteria: str | None = None
    summary: str | None = None


class EvaluationEntryOut(Schema):
    id: int
    evaluation_id: int
    station_id: int
    score: Decimal
    award: str
    note: str


class EvaluationEntryIn(Schema):
    evaluation: int | None = None
    station: int | None = None
    score: Decimal | None = None
    award: str | None = None
    note: str | None = None


class AppCheckInOut(Schema):
    id: int
    station_id: int
    day: datetime.date


class AppCheckInIn(Schema):
    station: int | None = None
    day: datetime.date | None = None


class AppActivityMonthOut(Schema):
    id: int
    month: datetime.date
    note: str


router = Router(tags=TAGS)
for segment, viewset, out_schema, in_schema in (
    ("reports", StationDailyReportViewSet, StationDailyReportOut, StationDailyReportIn),
    ("report-months", ReportMonthViewSet, ReportMonthOut, MonthIn),
    ("transactions", StationTransactionViewSet, StationTransactionOut, StationTransactionIn),
    ("inspections", StationInspectionViewSet, StationInspectionOut, StationInspectionIn),
    ("problems", InspectionProblemViewSet, InspectionProblemOut, InspectionProblemIn),
    ("assets", FixedAssetViewSet, FixedAssetOut, FixedAssetIn),
    ("asset-counts", AssetCountLineViewSet, AssetCountLineOut, AssetCountLineIn),
    ("trainings", ManagerTrainingViewSet, ManagerTrainingOut, ManagerTrainingIn),
    ("evaluations", StationEvaluationViewSet, StationEvaluationOut, StationEvaluationIn),
    ("evaluation-entries", EvaluationEntryViewSet, EvaluationEntryOut, EvaluationEntryIn),
    ("check-ins", AppCheckInViewSet, AppCheckInOut, AppCheckInIn),
    ("app-months", AppActivityMonthViewSet, AppActivityMonthOut, MonthIn),
):
    router.add_router(f"/{segment}", record_router(viewset, out_schema, in_schema, tags=TAGS))
