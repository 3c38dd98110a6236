"""What station operations contribute to the contract engine (contract 1.2).

Counts are one aggregate over the contract's live records dated in the window (both ends included,
local dates); with the target's evidence requirement only records carrying it count (``evidenced``).
The rates are station-days and station-months of the county's stations: their evidence is the
platform's (or app's) screenshot of each month, on ``ReportMonth`` / ``AppActivityMonth``, so a
month without it counts as nothing reported. The ``@records_of`` functions give the records behind
each figure.
"""

from decimal import Decimal

from muxiang.contracts.engine import EVIDENCE_PARAM, evidenced, records_of, register
from muxiang.operations import services
from muxiang.operations.models import (
    AppActivityMonth,
    ManagerTraining,
    ReportMonth,
    StationEvaluation,
    StationInspection,
    StationTransaction,
)


def _kinds(params: dict):
    """What keeps the records carrying the target's evidence (``evidenced``), or None when the
    target requires none."""
    if not params.get(EVIDENCE_PARAM):
        return None
    return lambda queryset: evidenced(queryset, params)


def _dated(model, window, contract):
    return model.objects.filter(contract=contract, **window.date_filter(model.date_field))


# --- visits, trainings, evaluations ---------------------------------------------------------------


def inspections(window, params, contract):
    return _dated(StationInspection, window, contract).select_related("station")


@register("stations.inspections")
def inspection_count(window, params, contract):
    """Visits to stations (一对一指导, 站点巡查, 固定资产盘点; one visit doing several counts once)."""
    return evidenced(inspections(window, params, contract), params).count()


records_of("stations.inspections")(inspections)


def manager_trainings(window, params, contract):
    return _dated(ManagerTraining, window, contract)


@register("stations.manager_trainings")
def manager_training_count(window, params, contract):
    return evidenced(manager_trainings(window, params, contract), params).count()


records_of("stations.manager_trainings")(manager_trainings)


def evaluations(window, params, contract):
    return _dated(StationEvaluation, window, contract)


@register("stations.evaluations")
def evaluation_count(window, params, contract):
    return evidenced(evaluations(window, params, contract), params).count()


records_of("stations.evaluations")(evaluations)


def publicised(window, params, contract):
    return inspections(window, params, contract).filter(has_publicity=True)


@register("stations.publicity")
def publicity_count(window, params, contract):
    """Stations seen with a publicity banner or wall painting (横幅、刷墙) on a visit in the window."""
    return evidenced(publicised(window, params, contract), params).values("station_id").distinct().count()


records_of("stations.publicity")(publicised)


# --- rates -------------------------------------------------------------------------------------------


@register("stations.daily_report_rate")
def daily_report_rate(window, params, contract):
    """Daily reports received over those expected (each day each station of the county was open),
    in percent, up to yesterday."""
    return services.daily_report_rate(window.start, window.as_of, window.end, contract.county, _kinds(params))


@records_of("stations.daily_report_rate")
def report_months(window, params, contract):
    """The months measured, each with the platform's screenshot as its evidence."""
    last = min(window.end, window.as_of)
    return ReportMonth.objects.filter(month__range=(services.month_start(window.start), last))


@register("stations.app_activity_rate")
def app_activity_rate(window, params, contract):
    """Station-months with a check-in on the 智慧乡村 APP over station-months open, in percent."""
    return services.app_activity_rate(window.start, window.as_of, window.end, contract.county, _kinds(params))


@records_of("stations.app_activity_rate")
def app_months(window, params, contract):
    last = min(window.end, window.as_of)
    return AppActivityMonth.objects.filter(month__range=(services.month_start(window.start), last))


# --- premium stations ----------------------------------------------------------------------------


@register("stations.premium_min_turnover")
def premium_min_turnover(window, params, contract):
    """The smallest turnover of a premium station over the window (cumulative: from the contract's
    start), from the stations' transaction ledgers; 0 while no station is flagged premium."""
    last = min(window.end, window.as_of)
    stations = list(services.premium_stations(contract.county, window.as_of).values_list("pk", flat=True))
    if not stations:
        return Decimal(0)
    turnovers = services.premium_turnovers(stations, window.start, last, _kinds(params))
    return min(turnovers.get(pk, (Decimal(0), 0))[0] for pk in stations)


@records_of("stations.premium_min_turnover")
def premium_transactions(window, params, contract):
    last = min(window.end, window.as_of)
    stations = services.premium_stations(contract.county, window.as_of)
    return StationTransaction.objects.filter(
        station__in=stations, day__range=(window.start, last)
    ).select_related("station")
