"""The metric library and the progress of every target.

A metric turns records into one figure for a window of dates: ``count`` of records, ``distinct``
count, ``sum``, ``share``, ``coverage``, per-entity ``minimum`` or a ``manual`` figure. Apps
register implementations for the names of ``catalogue.CATALOGUE`` from their ``metrics.py``::

    @register("stations.premium_count")
    def premium_count(window, params, contract):
        return Station.objects.premium().open_on(window.as_of).count()

A name without an implementation is "not measurable yet": progress says so instead of a number.
Dates are local (Asia/Shanghai): a record dated the last day of phase 1 counts in phase 1.
"""

import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from muxiang.contracts.catalogue import CATALOGUE
from muxiang.contracts.choices import Comparison, ProgressStatus, TargetMode


@dataclass(frozen=True)
class Window:
    """The dates a figure covers, both ends included, and the day it is measured on."""

    start: datetime.date
    end: datetime.date
    as_of: datetime.date

    def date_filter(self, field_name: str, is_datetime: bool = False) -> dict:
        """Filter kwargs for records dated in the window up to ``as_of`` (local dates)."""
        lookup = f"{field_name}__date__range" if is_datetime else f"{field_name}__range"
        return {lookup: (self.start, min(self.end, self.as_of))}


# The key under which compute_progress tells a metric which target it measures; contract files
# cannot use it (the loader accepts only the catalogue's parameter names).
TARGET_PARAM = "_target"
# Passed to every metric with the target's required evidence kinds (a tuple, empty when the target
# requires none): when it is set, only records that carry evidence of those kinds count
# (``evidenced``); the others are "missing evidence".
EVIDENCE_PARAM = "_evidence"


def evidenced(queryset, params: dict):
    """``queryset`` narrowed to the records that carry the evidence the measured target requires
    (``params[EVIDENCE_PARAM]``), or unchanged when it requires none."""
    from muxiang.core.services import with_evidence

    kinds = params.get(EVIDENCE_PARAM)
    return with_evidence(queryset, kinds if isinstance(kinds, list | tuple) else None) if kinds else queryset


MetricFunction = Callable[[Window, dict, object], Decimal | int | float | None]
REGISTRY: dict[str, MetricFunction] = {}


def register(name: str):
    if name not in CATALOGUE:
        raise KeyError(f"metric {name!r} is not in contracts.catalogue.CATALOGUE")

    def decorate(function: MetricFunction) -> MetricFunction:
        REGISTRY[name] = function
        return function

    return decorate


RecordsFunction = Callable[[Window, dict, object], object]  # -> a QuerySet of the counted records
RECORDS: dict[str, RecordsFunction] = {}


def records_of(name: str):
    """Register the records behind a metric's figure (a QuerySet), listed on the target's page
    with their evidence, so that a reader can check the figure record by record."""
    if name not in CATALOGUE:
        raise KeyError(f"metric {name!r} is not in contracts.catalogue.CATALOGUE")

    def decorate(function: RecordsFunction) -> RecordsFunction:
        RECORDS[name] = function
        return function

    return decorate


def records_behind(target, window: Window):
    function = RECORDS.get(target.metric)
    if function is None:
        return None
    # Every record the metric considers, with or without evidence: the page marks the missing ones.
    return function(window, {**_metric_params(target), EVIDENCE_PARAM: ()}, target.contract)


_run_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "muxiang_progress_cache", default=None
)


def memo(key, compute: Callable):
    """Within one ``compute_progress`` run, compute a shared figure once: three coverage targets
    measured on the same day need one coverage computation, not three."""
    cache = _run_cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _metric_params(target) -> dict:
    return {**(target.params or {}), TARGET_PARAM: target.key, EVIDENCE_PARAM: tuple(target.evidence or ())}


def is_measurable(name: str) -> bool:
    return name in REGISTRY


def measure(name: str, window: Window, params: dict, contract) -> Decimal | None:
    function = REGISTRY.get(name)
    if function is None:
        return None
    value = function(window, params or {}, contract)
    return None if value is None else Decimal(str(value))


# --------------------------------------------------------------------------------------------------
# Progress


@dataclass
class PhaseProgress:
    phase: int | None  # None: the whole contract period
    target: Decimal | None
    actual: Decimal | None
    status: str
    forecast: Decimal | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def percent(self) -> Decimal | None:
        if self.actual is None or not self.target:
            return None
        return (self.actual * 100 / self.target).quantize(Decimal("0.1"))


@dataclass
class TargetProgress:
    target: object
    phases: list[PhaseProgress] = field(default_factory=list)
    overall: PhaseProgress | None = None
    measurable: bool = True


def _meets(actual: Decimal, goal: Decimal, comparison: str) -> bool:
    return actual <= goal if comparison == Comparison.AT_MOST else actual >= goal


def _status(actual, goal, comparison, window: Window, mode: str, today: datetime.date):
    """met / on track / at risk / behind, with the run-rate forecast for the window's end."""
    if _meets(actual, goal, comparison):
        return ProgressStatus.MET, actual
    if today > window.end:
        return ProgressStatus.BEHIND, actual
    if mode == TargetMode.LEVEL:
        ratio = actual / goal if goal else Decimal(0)
        return (ProgressStatus.AT_RISK if ratio >= Decimal("0.8") else ProgressStatus.BEHIND), actual
    elapsed = (min(today, window.end) - window.start).days + 1
    length = (window.end - window.start).days + 1
    forecast = (actual * length / elapsed).quantize(Decimal("0.01")) if elapsed > 0 else actual
    if _meets(forecast, goal, comparison):
        return ProgressStatus.ON_TRACK, forecast
    if comparison == Comparison.AT_LEAST and forecast >= goal * Decimal("0.8"):
        return ProgressStatus.AT_RISK, forecast
    return ProgressStatus.BEHIND, forecast


def strict_total(target, phase_values: dict[int, Decimal]) -> Decimal | None:
    """The stricter of the main text's total and the annex's phase figures."""
    distinct = getattr(CATALOGUE.get(target.metric), "kind", "") == "distinct"
    if target.mode == TargetMode.LEVEL:
        candidates = [v for v in [target.total, *phase_values.values()] if v is not None]
    elif target.mode == TargetMode.CUMULATIVE or distinct:
        candidates = [v for v in [target.total, max(phase_values.values(), default=None)] if v is not None]
    else:
        candidates = [
            v for v in [target.total, sum(phase_values.values()) if phase_values else None] if v is not None
        ]
    if not candidates:
        return None
    return min(candidates) if target.comparison == Comparison.AT_MOST else max(candidates)


def compute_progress(contract, today: datetime.date | None = None) -> list[TargetProgress]:
    """Every target of ``contract``, per phase and over the whole contract period."""
    token = _run_cache.set({})
    try:
        return _compute_progress(contract, today)
    finally:
        _run_cache.reset(token)


def _compute_progress(contract, today: datetime.date | None = None) -> list[TargetProgress]:
    today = today or timezone.localdate()
    phases = list(contract.phases.all())
    if not phases:
        return []
    begin, finish = phases[0].start, phases[-1].end
    results = []
    targets = contract.targets.prefetch_related("phase_targets__phase")
    for target in targets:
        values = {pt.phase.number: pt.value for pt in target.phase_targets.all()}
        progress = TargetProgress(target=target, measurable=is_measurable(target.metric))
        for phase in phases:
            goal = values.get(phase.number)
            if goal is None and target.mode == TargetMode.LEVEL:
                # A level the main text sets (100% town coverage) holds in every phase.
                goal = target.total
            start = begin if target.mode == TargetMode.CUMULATIVE else phase.start
            window = Window(start, phase.end, min(today, phase.end))
            progress.phases.append(
                _phase_progress(target, phase.number, goal, window, today, progress.measurable, phase.start)
            )
        goal = strict_total(target, values)
        window = Window(begin, finish, min(today, finish))
        progress.overall = _phase_progress(target, None, goal, window, today, progress.measurable, begin)
        results.append(progress)
    return results


def _phase_progress(target, number, goal, window: Window, today, measurable, opens) -> PhaseProgress:
    if today < opens:
        return PhaseProgress(
            number, goal, None, ProgressStatus.NOT_STARTED, start=window.start, end=window.end
        )
    if not measurable:
        return PhaseProgress(
            number, goal, None, ProgressStatus.NOT_MEASURABLE, start=window.start, end=window.end
        )
    # Metrics that keep figures per target (``manual``) find theirs through the target's key.
    params = _metric_params(target)
    actual = measure(target.metric, window, params, target.contract)
    if actual is None:
        return PhaseProgress(
            number, goal, None, ProgressStatus.NOT_MEASURABLE, start=window.start, end=window.end
        )
    if goal is None:
        return PhaseProgress(number, None, actual, "", start=window.start, end=window.end)
    status, forecast = _status(actual, goal, target.comparison, window, target.mode, today)
    return PhaseProgress(number, goal, actual, status, forecast, window.start, window.end)
