"""The trade standard in the API: the three ledgers through the shared record routes."""

import datetime

from ninja import Router, Schema

from muxiang.core.api import record_router
from muxiang.standards.views import StandardAdoptionViewSet, StandardVersionViewSet, TradeStandardViewSet

TAGS = ["standards 网销流通标准"]


class TradeStandardOut(Schema):
    id: int
    title: str
    industry: str
    issuer: str
    scope_text: str
    notes: str


class TradeStandardIn(Schema):
    title: str | None = None
    industry: str | None = None
    issuer: str | None = None
    scope_text: str | None = None
    notes: str | None = None


class StandardVersionOut(Schema):
    id: int
    standard_id: int
    number: str
    version: str
    effective_on: datetime.date
    is_current: bool
    changes: str


class StandardVersionIn(Schema):
    standard: int | None = None
    number: str | None = None
    version: str | None = None
    effective_on: datetime.date | None = None
    is_current: bool | None = None
    changes: str | None = None


class StandardAdoptionOut(Schema):
    id: int
    standard_id: int
    organisation_id: int
    since: datetime.date
    products: str
    notes: str


class StandardAdoptionIn(Schema):
    standard: int | None = None
    organisation: int | None = None
    since: datetime.date | None = None
    products: str | None = None
    notes: str | None = None


router = Router(tags=TAGS)
router.add_router(
    "/standards", record_router(TradeStandardViewSet, TradeStandardOut, TradeStandardIn, tags=TAGS)
)
router.add_router(
    "/versions", record_router(StandardVersionViewSet, StandardVersionOut, StandardVersionIn, tags=TAGS)
)
router.add_router(
    "/adoptions", record_router(StandardAdoptionViewSet, StandardAdoptionOut, StandardAdoptionIn, tags=TAGS)
)
