import datetime

from ninja import Schema

from muxiang.core.api import record_router
from muxiang.regions.views import RegionViewSet


class RegionOut(Schema):
    id: int
    name: str
    level: str
    parent_id: int | None
    path: str
    code: str | None
    exited_poverty: bool
    opened_on: datetime.date | None
    closed_on: datetime.date | None


class RegionIn(Schema):
    name: str | None = None
    level: str | None = None
    parent: int | None = None
    code: str | None = None
    exited_poverty: bool | None = None
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None


router = record_router(RegionViewSet, RegionOut, RegionIn, tags=["regions 行政区划"])
