"""What the station registry contributes to the contract engine (contract 1.2)."""

from muxiang.contracts.engine import register
from muxiang.stations.models import Station
from muxiang.stations.services import compute_coverage


@register("stations.coverage")
def station_coverage(window, params, contract):
    """Town, village or exited-poverty-village coverage in percent on the day measured."""
    if contract.county is None:
        return None
    level = params.get("level", "town")
    figure = next((f for f in compute_coverage(contract.county, window.as_of) if f.key == level), None)
    return figure.percent if figure is not None else None


@register("stations.premium_count")
def premium_station_count(window, params, contract):
    """Premium stations (精品站点) serving on the day measured."""
    stations = Station.objects.premium().filter(status="active").open_on(window.as_of)
    if contract.county is not None:
        stations = stations.in_region(contract.county)
    return stations.count()
