"""The trade network in the API: the outlet register through the shared record routes, and the
coverage figures."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from muxiang.core import permissions
from muxiang.core.api import record_router
from muxiang.network import services
from muxiang.network.models import Outlet
from muxiang.network.views import OutletViewSet
from muxiang.regions.models import Region

TAGS = ["network 商贸流通网络"]


class OutletOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    operator_id: int
    region_id: int
    station_id: int | None
    address: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    status: str
    digital: bool
    notes: str


class OutletIn(Schema):
    code: str | None = None
    name: str | None = None
    kind: str | None = None
    operator: int | None = None
    region: int | None = None
    station: int | None = None
    address: str | None = None
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    status: str | None = None
    digital: bool | None = None
    notes: str | None = None


class CoverageOut(Schema):
    key: str
    label: str
    covered: int
    total: int
    percent: Decimal | None
    target_percent: Decimal | None


router = Router(tags=TAGS)


@router.get(
    "/coverage", response=list[CoverageOut], summary="Trade-network coverage", operation_id="network_coverage"
)
def coverage(request, on: datetime.date | None = None):
    if not permissions.can_view(request.auth, Outlet) or permissions.is_station_manager(request.auth):
        raise HttpError(403, _("您没有查看覆盖率的权限"))
    county = Region.objects.filter(level="county").order_by("path").first()
    if county is None:
        return []
    return [
        {**figure.__dict__, "label": str(figure.label), "percent": figure.percent}
        for figure in services.compute_network_coverage(county, on)
    ]


router.add_router("/outlets", record_router(OutletViewSet, OutletOut, OutletIn, tags=TAGS))
