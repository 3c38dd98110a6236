"""The ministry deliveries in the API: the log read as the pages show it, and deliveries scheduled
through the same form (the adapter's state and outcome fields are read-only). Station managers get
nothing."""

import datetime
import uuid

from ninja import Router, Schema

from muxiang.core.api import record_router
from muxiang.mofcom.views import MinistryDeliveryViewSet

TAGS = ["mofcom 商务部平台报送"]


class MinistryDeliveryOut(Schema):
    id: int
    reference: str
    kind: str
    period: datetime.date
    contract_id: int | None
    transport: str
    state: str
    idempotency_key: uuid.UUID
    attempts: int
    next_attempt_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    rows: int | None
    payload_sha256: str
    response_status: int | None
    last_error: str
    note: str


class MinistryDeliveryIn(Schema):
    kind: str | None = None
    period: datetime.date | None = None
    contract: int | None = None
    transport: str | None = None
    note: str | None = None


router = Router(tags=TAGS)
router.add_router(
    "/deliveries", record_router(MinistryDeliveryViewSet, MinistryDeliveryOut, MinistryDeliveryIn, tags=TAGS)
)
