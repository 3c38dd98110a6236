"""Sales in the API: the sales ledger, the census years and their rows through the shared record
routes (the same forms, rules and scoping as the pages: a station manager reads the sales of their
own station and nothing else), and the totals by channel and phase."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from muxiang.contracts.records import only_contract
from muxiang.core import permissions
from muxiang.core.api import record_router
from muxiang.sales import services
from muxiang.sales.models import Sale
from muxiang.sales.views import CensusEntryViewSet, ProductCensusViewSet, SaleViewSet

TAGS = ["sales 农产品销售"]


class SaleOut(Schema):
    id: int
    contract_id: int
    source: str
    order_number: str
    sold_on: datetime.date
    seller_id: int
    product_id: int
    quantity: Decimal
    amount: Decimal
    channel: str
    mode: str
    buyer_kind: str
    buyer: str
    event_id: int | None
    promotion_id: int | None
    station_id: int | None
    notes: str


class SaleIn(Schema):
    contract: int | None = None
    source: str | None = None
    order_number: str | None = None
    sold_on: datetime.date | None = None
    seller: int | None = None
    product: int | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None
    channel: str | None = None
    mode: str | None = None
    buyer_kind: str | None = None
    buyer: str | None = None
    event: int | None = None
    promotion: int | None = None
    station: int | None = None
    notes: str | None = None


class ProductCensusOut(Schema):
    id: int
    contract_id: int
    year: int
    completed_on: datetime.date | None
    summary: str
    proposal: str


class ProductCensusIn(Schema):
    contract: int | None = None
    year: int | None = None
    completed_on: datetime.date | None = None
    summary: str | None = None
    proposal: str | None = None


class CensusEntryOut(Schema):
    id: int
    census_id: int
    category: str
    town_id: int
    planted_area: Decimal | None
    herd_size: int | None
    output: Decimal
    output_unit: str
    market_season: str
    quality_level: str
    technology_level: str
    channel_shares: list
    own_brands: str
    ecommerce_firms: str
    notes: str


class CensusEntryIn(Schema):
    census: int | None = None
    category: str | None = None
    town: int | None = None
    planted_area: Decimal | None = None
    herd_size: int | None = None
    output: Decimal | None = None
    output_unit: str | None = None
    market_season: str | None = None
    quality_level: str | None = None
    technology_level: str | None = None
    channel_shares: str | list | None = None
    own_brands: str | None = None
    ecommerce_firms: str | None = None
    notes: str | None = None


class ChannelTotalOut(Schema):
    channel: str
    label: str
    count: int
    amount: Decimal


class PhaseTotalOut(Schema):
    phase: int
    count: int
    amount: Decimal
    counted: Decimal
    target: Decimal | None


class TotalsOut(Schema):
    by_channel: list[ChannelTotalOut]
    by_phase: list[PhaseTotalOut]


router = Router(tags=TAGS)


@router.get(
    "/totals", response=TotalsOut, summary="Sales totals by channel and by phase", operation_id="sales_totals"
)
def totals(request):
    if not permissions.can_view(request.auth, Sale):
        raise HttpError(403, _("您没有查看此类记录的权限"))
    sales = SaleViewSet.base_queryset(request.auth)
    return {
        "by_channel": [t.__dict__ for t in services.totals_by_channel(sales)],
        "by_phase": [
            {**t.__dict__, "phase": t.phase.number} for t in services.totals_by_phase(sales, only_contract())
        ],
    }


for _path, _viewset, _out, _in in (
    ("/orders", SaleViewSet, SaleOut, SaleIn),
    ("/census", ProductCensusViewSet, ProductCensusOut, ProductCensusIn),
    ("/census-entries", CensusEntryViewSet, CensusEntryOut, CensusEntryIn),
):
    router.add_router(_path, record_router(_viewset, _out, _in, tags=TAGS))
