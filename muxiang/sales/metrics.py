"""What the sales ledger and the rural product census contribute to the contract engine (2.5).

``sales.amount`` is one SUM over the contract's live sales dated in the window that carry their
sales proof; ``sales.census_updates`` counts the census years completed in the window (with rows
and the proposal document). ``sales.matchmaking_fairs`` is the centre's (its events).
"""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum

from muxiang.contracts.engine import evidenced, records_of, register
from muxiang.sales.choices import SalesChannel
from muxiang.sales.models import CensusEntry, ProductCensus, Sale


def _channels(params: dict) -> list[str] | None:
    value = params.get("channels")
    if value is None:
        return None
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v) for v in values if str(v) in SalesChannel.values]


def sales(window, params, contract):
    queryset = Sale.objects.filter(contract=contract, **window.date_filter("sold_on"))
    channels = _channels(params)
    return queryset.filter(channel__in=channels) if channels is not None else queryset


@register("sales.amount")
def sales_amount(window, params, contract):
    """Yuan of the sales dated in the window (of ``channels`` when the target names them)."""
    total = evidenced(sales(window, params, contract), params).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


@records_of("sales.amount")
def sale_records(window, params, contract):
    return sales(window, params, contract).select_related("seller", "product")


def census_updates(window, params, contract):
    return ProductCensus.objects.filter(
        Exists(CensusEntry.objects.filter(census=OuterRef("pk"))),
        contract=contract,
        **window.date_filter("completed_on"),
    )


@register("sales.census_updates")
def census_update_count(window, params, contract):
    """Census years (农村产品数据库年度更新) completed in the window, with at least one row."""
    return evidenced(census_updates(window, params, contract), params).count()


records_of("sales.census_updates")(census_updates)
