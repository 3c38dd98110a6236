"""What the brand system contributes to the contract engine (第二条 2.3).

Brands, members, series and products are counted cumulatively: everything established, joined or
launched up to the window's end (the targets are ``cumulative``; a brand integrated from before the
contract counts too). Packaging is a sum of the units produced within the window. Where the target
requires evidence, only records carrying a file of every kind it names count
(``contracts.engine.evidenced``); soft-deleted records never count. Each figure is one aggregate
query, whatever the number of records.

The promotion, film and launch-event figures of 2.3 二 are measured by ``publicity`` and ``centre``,
whose records prove them.
"""

from django.db.models import Q, Sum

from muxiang.brands.models import Brand, BrandMember, PackagingRun, ProductSeries, SeriesProduct
from muxiang.contracts.engine import evidenced, records_of, register


def _last_day(window):
    return min(window.end, window.as_of)


@records_of("brands.count")
def brands(window, params, contract):
    found = Brand.objects.filter(contract=contract, established_on__lte=_last_day(window))
    if params.get("tier"):
        found = found.filter(tier=params["tier"])
    return evidenced(found, params)


@register("brands.count")
def brand_count(window, params, contract):
    """Brands of the ``tier`` (regional, industry, enterprise) established by the window's end."""
    return brands(window, params, contract).count()


@records_of("brands.member_enterprises")
def members(window, params, contract):
    last = _last_day(window)
    found = BrandMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=last),
        contract=contract,
        joined_on__lte=last,
        brand__deleted_at__isnull=True,
    )
    return evidenced(found, params)


@register("brands.member_enterprises")
def member_count(window, params, contract):
    """Enterprises that joined the regional brand by the window's end and had not left by then
    (an enterprise that left and joined again counts once)."""
    return members(window, params, contract).values("organisation").distinct().count()


@records_of("brands.product_series")
def series(window, params, contract):
    found = ProductSeries.objects.filter(
        contract=contract, launched_on__lte=_last_day(window), brand__deleted_at__isnull=True
    )
    return evidenced(found, params)


@register("brands.product_series")
def series_count(window, params, contract):
    """Product series launched by the window's end."""
    return series(window, params, contract).count()


@records_of("brands.products")
def series_products(window, params, contract):
    found = SeriesProduct.objects.filter(
        contract=contract,
        launched_on__lte=_last_day(window),
        series__deleted_at__isnull=True,
        product__deleted_at__isnull=True,
    )
    return evidenced(found, params)


@register("brands.products")
def product_count(window, params, contract):
    """Distinct products placed in a series by the window's end: a product in two series is one."""
    return series_products(window, params, contract).values("product").distinct().count()


@records_of("brands.packages")
def packaging_runs(window, params, contract):
    found = PackagingRun.objects.filter(contract=contract, **window.date_filter("produced_on"))
    return evidenced(found, params)


@register("brands.packages")
def packages(window, params, contract):
    """Packaging units produced in the window (the sum of 生产数量)."""
    return packaging_runs(window, params, contract).aggregate(total=Sum("units"))["total"] or 0
