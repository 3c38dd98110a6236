"""What the station registry contributes to the contract engine (contract 1.2)."""

from muxiang.contracts.engine import EVIDENCE_PARAM, evidenced, memo, records_of, register
from muxiang.regions.models import Region
from muxiang.stations.models import Station
from muxiang.stations.services import compute_coverage


@register("stations.coverage")
def station_coverage(window, params, contract):
    """Town, village or exited-poverty-village coverage in percent on the day measured."""
    if contract.county is None:
        return None
    level = params.get("level", "town")
    evidence = tuple(params.get(EVIDENCE_PARAM) or ())
    figures = memo(
        ("coverage", contract.county_id, window.as_of, evidence),
        lambda: compute_coverage(contract.county, window.as_of, evidence),
    )
    figure = next((f for f in figures if f.key == level), None)
    return figure.percent if figure is not None else None


@register("stations.premium_count")
def premium_station_count(window, params, contract):
    """Premium stations (精品站点) serving on the day measured."""
    stations = Station.objects.premium().filter(status="active").open_on(window.as_of)
    if contract.county is not None:
        stations = stations.in_region(contract.county)
    stations = evidenced(stations, params)
    return stations.count()


@records_of("stations.premium_count")
def premium_stations(window, params, contract):
    stations = (
        Station.objects.premium().filter(status="active").open_on(window.as_of).select_related("region")
    )
    return stations.in_region(contract.county) if contract.county is not None else stations


@records_of("stations.coverage")
def stations_covering(window, params, contract):
    """The active stations of the level measured, serving on the day measured."""
    level = {"town": "town", "village": "village", "exited_poverty": "village"}[params.get("level", "town")]
    stations = (
        Station.objects.filter(status="active", level=level).open_on(window.as_of).select_related("region")
    )
    if params.get("level") == "exited_poverty":
        stations = stations.filter(region__exited_poverty=True)
    if contract.county is not None:
        stations = stations.filter(region__in=Region.objects.within(contract.county))
    return stations
