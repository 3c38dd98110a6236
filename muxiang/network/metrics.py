"""What the trade network contributes to the contract engine (contract 2.2)."""

from muxiang.contracts.engine import EVIDENCE_PARAM, memo, records_of, register
from muxiang.network.services import compute_network_coverage, serving_outlets
from muxiang.regions.models import Region


@register("trade_network.coverage")
def network_coverage(window, params, contract):
    """Town or village (``level``) trade-network coverage in percent on the day measured; with
    the target's evidence kinds only outlets carrying them count."""
    if contract.county is None:
        return None
    level = params.get("level", "town")
    evidence = tuple(params.get(EVIDENCE_PARAM) or ())
    figures = memo(
        ("network-coverage", contract.county_id, window.as_of, evidence),
        lambda: compute_network_coverage(contract.county, window.as_of, list(evidence), targets={}),
    )
    figure = next((f for f in figures if f.key == level), None)
    return figure.percent if figure is not None else None


@records_of("trade_network.coverage")
def outlets_covering(window, params, contract):
    """The active outlets in a town (or a village, by ``level``) serving on the day measured."""
    level = params.get("level", "town")
    outlets = serving_outlets(window.as_of).filter(region__level=level).select_related("region", "operator")
    if contract.county is not None:
        outlets = outlets.filter(region__in=Region.objects.within(contract.county))
    return outlets
