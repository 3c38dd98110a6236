import datetime
from decimal import Decimal

from ninja import Schema

from muxiang.core.api import record_router
from muxiang.stations.views import StationViewSet


class StationOut(Schema):
    id: int
    code: str
    name: str
    level: str
    region_id: int
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    manager_id: int | None
    phone: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    status: str
    services: list[str]
    is_premium: bool


class StationIn(Schema):
    code: str | None = None
    name: str | None = None
    level: str | None = None
    region: int | None = None
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    manager: int | None = None
    phone: str | None = None
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    status: str | None = None
    services: list[str] | None = None
    is_premium: bool | None = None


router = record_router(StationViewSet, StationOut, StationIn, tags=["stations 站点"])
