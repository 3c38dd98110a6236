"""Station operations services: numbering, the completeness of daily reports, the reporting and
app-activity rates, premium stations' turnover, asset counts, evaluation rankings and the lock of a
month sent to the ministry platform.

Every figure is a fixed number of queries whatever the number of stations or reports: the stations
are read once, the reports are read once (grouped in the database where the page needs no single
day) and the arithmetic over them happens in Python.
"""

import calendar
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.core.services import acting_as
from muxiang.operations.choices import AssetCountResult, ReportCell
from muxiang.operations.models import (
    AppActivityMonth,
    AppCheckIn,
    AssetCountLine,
    EvaluationEntry,
    FixedAsset,
    ReportMonth,
    StationDailyReport,
    StationMonth,
    StationTransaction,
)
from muxiang.stations.models import Station, station_in_region

ONE_DAY = datetime.timedelta(days=1)
# A report entered by the end of the day after its day is on time (managers report in the evening,
# and some only the next morning); anything later is a late report (补报).
ON_TIME_GRACE_DAYS = 1
# The contract's turnover floor per premium station over the contract period (1.2 五).
PREMIUM_MIN_TURNOVER = Decimal("72000")
# The contract's app-activity floor (1.2 四).
APP_ACTIVITY_FLOOR = Decimal("80")
CHASE_LOOKBACK_DAYS = 7


# ---------------------------------------------------------------------------------------------------
# Dates


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months that ``start``..``last`` touches."""
    months = []
    current = month_start(start)
    while current <= last:
        months.append(current)
        current = month_end(current) + ONE_DAY
    return months


def parse_month(text: str) -> datetime.date:
    """``2026-03`` (or ``2026-03-15``, ``2026年3月``) as the first day of that month."""
    value = (text or "").strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})?\s*日?)?", value)
    if not match:
        raise ValueError(_("月份格式应为 2026-03：%(v)s") % {"v": value[:20]})
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(_("月份不存在：%(v)s") % {"v": value[:20]})
    return datetime.date(year, month, 1)


def last_counted_day(end: datetime.date, as_of: datetime.date) -> datetime.date:
    """The last day a rate counts: the window's end or the day measured, but never today itself,
    whose reports are due by tomorrow (a past phase counts its last day)."""
    last = min(end, as_of)
    today = timezone.localdate()
    return min(last, today - ONE_DAY) if last >= today else last


def open_days(opened_on, closed_on, start: datetime.date, last: datetime.date) -> int:
    """Days of ``start``..``last`` a station opened on ``opened_on`` (closed from ``closed_on``)
    served."""
    if opened_on is None:
        return 0
    first = max(start, opened_on)
    final = last if closed_on is None else min(last, closed_on - ONE_DAY)
    return max((final - first).days + 1, 0)


def station_spans(stations) -> list[tuple[datetime.date, datetime.date | None, int]]:
    """(opened_on, closed_on, how many stations) of ``stations``, grouped by the database: a county
    of 100,000 stations opened over a few years has a few thousand distinct spans, so the open-day
    arithmetic runs over those, not over every station."""
    return list(
        stations.filter(opened_on__isnull=False)
        .order_by()
        .values("opened_on", "closed_on")
        .annotate(n=Count("pk"))
        .values_list("opened_on", "closed_on", "n")
    )


def county_spans(county) -> list[tuple[datetime.date, datetime.date | None, int]]:
    """``station_spans`` of every station of ``county``, read once per dashboard: the reporting and
    the app-activity rates of every phase share them (``open_days`` leaves out the days a span does
    not cover)."""
    from muxiang.contracts.engine import memo

    return memo(
        ("operations.county_spans", getattr(county, "pk", None)), lambda: station_spans(stations_in(county))
    )


def of_open_station_in(county) -> Q:
    """Records (daily reports, app check-ins) of a live station of ``county`` made on a day it was
    open. A condition through the record's station, not ``station__in`` a subquery: SQLite would
    list every station of the county first, and a county has 100,000 of them against the few records
    of a date range."""
    condition = (
        Q(station__deleted_at__isnull=True)
        & Q(station__opened_on__lte=F("day"))
        & (Q(station__closed_on__isnull=True) | Q(station__closed_on__gt=F("day")))
    )
    return condition & station_in_region(county, "station__") if county is not None else condition


def stations_in(county):
    stations = Station.objects.all()
    return stations.in_region(county) if county is not None else stations


def town_of(station) -> tuple[int | None, str]:
    """(id, name) of the town a station serves: its region, or the village's parent town."""
    region = station.region
    if region.level == "village" and region.parent_id:
        return region.parent_id, region.parent.name
    return region.pk, region.name


def station_contact(station) -> str:
    if station.phone:
        return station.phone
    return station.manager.mobile if station.manager_id and station.manager.mobile else ""


# ---------------------------------------------------------------------------------------------------
# Completeness of daily reports


@dataclass
class Rate:
    """Expected reports (days a station was open), those reported, and those on time."""

    label: str = ""
    expected: int = 0
    reported: int = 0
    on_time: int = 0

    def add(self, other: "Rate") -> None:
        self.expected += other.expected
        self.reported += other.reported
        self.on_time += other.on_time

    @property
    def completeness(self) -> Decimal | None:
        return percent(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.expected)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass
class GridRow:
    station: Station
    town: str
    cells: list[str]
    rate: Rate


@dataclass
class CompletenessGrid:
    month: datetime.date
    days: list[datetime.date]
    rows: list[GridRow]
    towns: list[Rate]
    overall: Rate
    report_month: ReportMonth | None = None


def is_on_time(day: datetime.date, created_at: datetime.datetime) -> bool:
    return timezone.localtime(created_at).date() <= day + datetime.timedelta(days=ON_TIME_GRACE_DAYS)


def completeness_grid(month: datetime.date, county=None, town=None) -> CompletenessGrid:
    """Which stations reported which days of ``month``: one row per station open in the month, a
    cell per day, and completeness and on-time rates per town and overall. Expected reports count
    only the days a station was open, up to yesterday. Three queries, whatever the stations."""
    first, last = month_start(month), month_end(month)
    today = timezone.localdate()
    counted_last = min(last, today - ONE_DAY)
    open_stations = (
        stations_in(town if town is not None else county)
        .filter(opened_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=first))
    )
    stations = list(open_stations.select_related("region", "region__parent").order_by("region__path", "code"))
    reports: dict[int, dict[datetime.date, datetime.datetime]] = defaultdict(dict)
    if stations:
        # The stations as a subquery: the database seeks each station's month in the (station,
        # day) index rather than reading every report of every station.
        rows = StationDailyReport.objects.filter(
            day__range=(first, last), station__in=open_stations.values("pk")
        ).values_list("station_id", "day", "created_at")
        for station_id, day, created_at in rows:
            reports[station_id][day] = created_at
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    grace = datetime.timedelta(days=ON_TIME_GRACE_DAYS)
    grid_rows = []
    towns: dict[str, Rate] = {}
    overall = Rate(label=_("合计"))
    for station in stations:
        town_id, town_name = town_of(station)
        station_reports = reports.get(station.pk, {})
        rate = Rate(label=station.name)
        cells = []
        opened, closed = station.opened_on, station.closed_on
        for day in days:
            if day < opened or (closed is not None and day >= closed):
                cells.append(ReportCell.CLOSED)
                continue
            created_at = station_reports.get(day)
            if day > counted_last:
                cells.append(ReportCell.ON_TIME if created_at else ReportCell.FUTURE)
                continue
            rate.expected += 1
            if created_at is None:
                cells.append(ReportCell.MISSING)
                continue
            rate.reported += 1
            if timezone.localtime(created_at).date() <= day + grace:
                rate.on_time += 1
                cells.append(ReportCell.ON_TIME)
            else:
                cells.append(ReportCell.LATE)
        grid_rows.append(GridRow(station, town_name, cells, rate))
        towns.setdefault(town_name, Rate(label=town_name)).add(rate)
        overall.add(rate)
    return CompletenessGrid(
        month=first,
        days=days,
        rows=grid_rows,
        towns=list(towns.values()),
        overall=overall,
        report_month=ReportMonth.objects.filter(month=first).first(),
    )


@dataclass
class ChaseItem:
    station: Station
    town: str
    contact: str
    manager: str
    yesterday_reported: bool
    missed_recently: int
    last_report: datetime.date | None


def stations_to_chase(county=None, today: datetime.date | None = None) -> list[ChaseItem]:
    """The stations open today that have not reported today, with the manager's name and phone,
    whether they reported yesterday and how many of the last seven days they missed: the list
    the operator phones through. Three queries."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=CHASE_LOOKBACK_DAYS)
    serving = stations_in(county).filter(status="active").open_on(today)
    stations = list(
        serving.select_related("region", "region__parent", "manager").order_by("region__path", "code")
    )
    if not stations:
        return []
    recent = defaultdict(set)
    last_seen: dict[int, datetime.date] = {}
    for station_id, day in StationDailyReport.objects.filter(
        day__range=(since, today), station__in=serving.values("pk")
    ).values_list("station_id", "day"):
        recent[station_id].add(day)
    missing_today = [s for s in stations if today not in recent.get(s.pk, ())]
    quiet = [s.pk for s in missing_today if not recent.get(s.pk)]
    if quiet:
        # Only those silent all week need an older last report; grouped in the database.
        last_seen = dict(
            StationDailyReport.objects.filter(station_id__in=quiet)
            .values("station_id")
            .annotate(last=Max("day"))
            .values_list("station_id", "last")
        )
    items = []
    for station in missing_today:
        days = recent.get(station.pk, set())
        expected = [
            day
            for day in (since + datetime.timedelta(days=n) for n in range(CHASE_LOOKBACK_DAYS))
            if day >= station.opened_on
        ]

        items.append(
            ChaseItem(
                station=station,
                town=town_of(station)[1],
                contact=station_contact(station),
                manager=station.manager.name if station.manager_id else "",
                yesterday_reported=(today - ONE_DAY) in days,
                missed_recently=sum(1 for day in expected if day not in days),
                last_report=max(days) if days else last_seen.get(station.pk),
            )
        )
    items.sort(key=lambda item: (-item.missed_recently, item.station.code))
    return items


# ---------------------------------------------------------------------------------------------------
# Rates for the contract engine


def evidenced_months(model, narrow, months: list[datetime.date]) -> set[datetime.date]:
    """Of ``months``, those whose month record (``ReportMonth`` / ``AppActivityMonth``) carries its
    evidence — ``narrow`` keeps the records of a queryset that do (the contract engine's
    ``evidenced`` for a target's kinds) — and the current month: its screenshot can only be taken
    once it is over, so until then it counts without one."""
    current = month_start(timezone.localdate())
    running = {month for month in months if month >= current}
    past = [month for month in months if month < current]
    if not past:
        return running
    return running | set(narrow(model.objects.filter(month__in=past)).values_list("month", flat=True))


def monthly_counts(model, county, start: datetime.date, last: datetime.date, stations: bool = False):
    """{month: count} over ``start``..``last`` of the records of ``model`` (daily reports, app
    check-ins) of a live station of ``county`` on a day it was open: rows, or distinct ``stations``.

    Whole months are read from the stored station-months (``StationMonth``, one row per station and
    month: ``operations.rollups``), the partial months at a window's ends from the records
    themselves; one conditional aggregate each, whatever the number of records. Within a
    ``compute_progress`` run the counts of each (month's first day, last day) are kept: the phase
    windows and the whole contract's window share their months, so a later window queries only the
    months the earlier ones did not cover (the count of queries depends on the calendar, never on
    the records)."""
    from muxiang.contracts.engine import memo

    spans = [(month, max(start, month), min(last, month_end(month))) for month in months_between(start, last)]
    known = memo(
        ("operations.monthly_counts", model._meta.label, getattr(county, "pk", None), stations), dict
    )
    missing = [(first, final) for _month, first, final in spans if (first, final) not in known]
    whole = [(first, final) for first, final in missing if first.day == 1 and final == month_end(first)]
    partial = [span for span in missing if span not in whole]
    if whole:
        column = "check_in_days" if model is AppCheckIn else "reports"
        rows = StationMonth.objects.filter(
            station__deleted_at__isnull=True, month__in=[first for first, _final in whole]
        )
        if county is not None:
            rows = rows.filter(station_in_region(county, "station__"))
        figures = rows.aggregate(
            **{
                f"m{n}": Count("station", filter=Q(month=first, **{f"{column}__gt": 0}))
                if stations
                else Sum(column, filter=Q(month=first))
                for n, (first, _final) in enumerate(whole)
            }
        )
        known.update({span: figures[f"m{n}"] or 0 for n, span in enumerate(whole)})
    if partial:
        rows = model.objects.filter(
            of_open_station_in(county),
            day__range=(min(first for first, _final in partial), max(final for _first, final in partial)),
        )
        counted = "station" if stations else "pk"
        figures = rows.aggregate(
            **{
                f"m{n}": Count(counted, distinct=stations, filter=Q(day__range=span))
                for n, span in enumerate(partial)
            }
        )
        known.update({span: figures[f"m{n}"] for n, span in enumerate(partial)})
    return {month: known[(first, final)] for month, first, final in spans}


def daily_report_rate(
    start: datetime.date, as_of: datetime.date, end: datetime.date, county=None, evidence=None
) -> Decimal | None:
    """Reports received over reports expected (days each station was open) in ``start``..``end``
    up to ``as_of``, in percent. With ``evidence`` (a function keeping the records that carry the
    target's evidence) a month's reports count only when its ``ReportMonth`` carries it (the
    platform's screenshot)."""
    last = last_counted_day(end, as_of)
    if last < start:
        return None
    expected = sum(n * open_days(opened, closed, start, last) for opened, closed, n in county_spans(county))
    if not expected:
        return None
    counts = monthly_counts(StationDailyReport, county, start, last)
    if evidence is not None:
        months = evidenced_months(ReportMonth, evidence, list(counts))
        counts = {month: n for month, n in counts.items() if month in months}
    return percent(sum(counts.values()), expected)


@dataclass
class ActivityMonth:
    month: datetime.date
    open_stations: int
    active_stations: int
    evidenced: bool = True

    @property
    def rate(self) -> Decimal | None:
        return percent(self.active_stations, self.open_stations)

    @property
    def meets_floor(self) -> bool | None:
        return None if self.rate is None else self.rate >= APP_ACTIVITY_FLOOR


def app_activity_months(
    start: datetime.date, last: datetime.date, county=None, evidence=None
) -> list[ActivityMonth]:
    """Per month of ``start``..``last``: the stations open at some day of it and those that checked
    in on the app at least once. At most three queries."""
    if last < start:
        return []
    months = months_between(start, last)
    spans = county_spans(county)
    active = monthly_counts(AppCheckIn, county, start, last, stations=True)
    evidenced = evidenced_months(AppActivityMonth, evidence, months) if evidence is not None else set(months)
    result = []
    for month in months:
        first, final = max(start, month), min(last, month_end(month))
        open_count = sum(n for opened, closed, n in spans if open_days(opened, closed, first, final))
        result.append(
            ActivityMonth(
                month=month,
                open_stations=open_count,
                active_stations=active.get(month, 0) if month in evidenced else 0,
                evidenced=month in evidenced,
            )
        )
    return result


def app_activity_rate(
    start: datetime.date, as_of: datetime.date, end: datetime.date, county=None, evidence=None
) -> Decimal | None:
    """Active station-months over open station-months of the window, in percent."""
    months = app_activity_months(start, last_counted_day(end, as_of), county, evidence)
    return percent(sum(m.active_stations for m in months), sum(m.open_stations for m in months))


# ---------------------------------------------------------------------------------------------------
# Premium stations


@dataclass
class PremiumProgress:
    station: Station
    turnover: Decimal  # from the transaction ledger
    reported: Decimal  # proxy buying and selling from the daily reports, for comparison
    lines: int

    @property
    def percent(self) -> Decimal:
        return (self.turnover * 100 / PREMIUM_MIN_TURNOVER).quantize(Decimal("0.1"))

    @property
    def bar_percent(self) -> Decimal:
        return min(self.percent, Decimal(100))

    @property
    def met(self) -> bool:
        return self.turnover >= PREMIUM_MIN_TURNOVER

    @property
    def shortfall(self) -> Decimal:
        return max(PREMIUM_MIN_TURNOVER - self.turnover, Decimal(0))


def premium_stations(county=None, on: datetime.date | None = None):
    """The premium stations measured: active, flagged premium and serving on ``on``."""
    on = on or timezone.localdate()
    return stations_in(county).premium().filter(status="active").open_on(on)


def premium_turnovers(
    stations, start: datetime.date, last: datetime.date, evidence=None
) -> dict[int, tuple[Decimal, int]]:
    """{station id: (turnover, lines)} of the transaction ledger in ``start``..``last``; with
    ``evidence`` (a function keeping the records that carry the target's evidence) only those lines
    count. One grouped query."""
    lines = StationTransaction.objects.filter(station__in=stations, day__range=(start, last))
    if evidence is not None:
        lines = evidence(lines)
    cent = Decimal("0.01")
    return {
        row["station_id"]: ((row["total"] or Decimal(0)).quantize(cent), row["lines"])
        for row in lines.values("station_id").annotate(total=Sum("amount"), lines=Count("id"))
    }


def premium_progress(
    county=None, start: datetime.date | None = None, last: datetime.date | None = None
) -> list[PremiumProgress]:
    """Each premium station's turnover from its transaction ledger over ``start``..``last`` (the
    contract period so far), with the daily reports' figure beside it. Three queries."""
    last = last or timezone.localdate()
    start = start or datetime.date(last.year, 1, 1)
    stations = list(
        premium_stations(county, last).select_related("region", "region__parent").order_by("code")
    )
    turnovers = premium_turnovers(stations, start, last)
    reported = dict(
        StationDailyReport.objects.filter(station__in=stations, day__range=(start, last))
        .values("station_id")
        .annotate(total=Sum("proxy_buying_amount") + Sum("proxy_selling_amount"))
        .values_list("station_id", "total")
    )
    return [
        PremiumProgress(
            station=station,
            turnover=turnovers.get(station.pk, (Decimal(0), 0))[0],
            reported=reported.get(station.pk) or Decimal(0),
            lines=turnovers.get(station.pk, (Decimal(0), 0))[1],
        )
        for station in stations
    ]


# ---------------------------------------------------------------------------------------------------
# Asset counts


@dataclass
class AssetRow:
    asset: FixedAsset
    line: AssetCountLine | None

    @property
    def result(self) -> str:
        return self.line.result if self.line else ""


@dataclass
class AssetReconciliation:
    """The count report of one visit: the register on the day against what was found."""

    rows: list[AssetRow] = field(default_factory=list)
    outside_register: list[AssetCountLine] = field(default_factory=list)

    def _with(self, result):
        return [row for row in self.rows if row.result == result]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def expected_value(self) -> Decimal:
        return sum((row.asset.value for row in self.rows), Decimal(0))

    @property
    def found(self) -> int:
        return len(self._with(AssetCountResult.FOUND)) + len(self._with(AssetCountResult.DAMAGED))

    @property
    def damaged(self) -> list[AssetRow]:
        return self._with(AssetCountResult.DAMAGED)

    @property
    def missing(self) -> list[AssetRow]:
        return self._with(AssetCountResult.MISSING)

    @property
    def missing_value(self) -> Decimal:
        return sum((row.asset.value for row in self.missing), Decimal(0))

    @property
    def uncounted(self) -> list[AssetRow]:
        return self._with("")

    @property
    def complete(self) -> bool:
        return not self.uncounted


def register_on(station_id: int, day: datetime.date):
    """The station's assets in its register on ``day``: acquired by then (or date unknown), not yet
    disposed of."""
    return (
        FixedAsset.objects.filter(station_id=station_id)
        .filter(Q(acquired_on__isnull=True) | Q(acquired_on__lte=day))
        .filter(Q(disposed_on__isnull=True) | Q(disposed_on__gt=day))
        .order_by("asset_number")
    )


def reconcile_assets(inspection) -> AssetReconciliation:
    """Expected (the register on the visit's day) against found (the visit's count lines). Two
    queries."""
    lines = {line.asset_id: line for line in inspection.asset_lines.select_related("asset")}
    report = AssetReconciliation()
    for asset in register_on(inspection.station_id, inspection.visited_on):
        report.rows.append(AssetRow(asset, lines.pop(asset.pk, None)))
    report.outside_register = sorted(lines.values(), key=lambda line: line.asset.asset_number)
    return report


@transaction.atomic
def record_asset_count(inspection, results: dict[int, tuple[str, str]], by) -> int:
    """Record what a visit found of each asset: ``results`` maps asset ids of the station's register
    to (result, note); an empty result leaves the asset uncounted (removing an earlier line).
    Returns the number of lines written or removed."""
    if not permissions.can_change(by, inspection):
        raise PermissionDenied(_("您没有修改此巡查的权限"))
    inspection.assert_writable()
    if not inspection.counts_assets:
        raise ValidationError(_("巡查「%(n)s」的类型不含固定资产盘点") % {"n": inspection.number})
    register = {asset.pk: asset for asset in register_on(inspection.station_id, inspection.visited_on)}
    unknown = [pk for pk in results if pk not in register]
    if unknown:
        raise ValidationError(_("资产不在该站点 %(d)s 的登记册中") % {"d": inspection.visited_on})
    existing = {line.asset_id: line for line in inspection.asset_lines.all()}
    written = 0
    with acting_as(by):
        for asset_id, (result, note) in results.items():
            line = existing.get(asset_id)
            if not result:
                if line is not None:
                    line.delete()
                    written += 1
                continue
            if result not in AssetCountResult.values:
                raise ValidationError(_("未知的盘点结果：%(r)s") % {"r": result})
            note = (note or "")[:200]
            if line is None:
                AssetCountLine.objects.create(
                    inspection=inspection, asset_id=asset_id, result=result, note=note
                )
                written += 1
            elif (line.result, line.note) != (result, note):
                line.result, line.note = result, note
                line.save()
                written += 1
    return written


# ---------------------------------------------------------------------------------------------------
# Evaluations


def ranked_entries(evaluation):
    """The live entries of ``evaluation``, best score first, each with its ``rank`` (equal scores
    share a rank). One query."""
    return (
        EvaluationEntry.objects.filter(evaluation=evaluation)
        .select_related("station")
        .annotate(rank=Window(Rank(), order_by=F("score").desc()))
        .order_by("-score", "station__code")
    )


# ---------------------------------------------------------------------------------------------------
# Locking a month sent to the ministry platform


@transaction.atomic
def lock_month(month: datetime.date, by=None, note: str = "") -> ReportMonth:
    """Mark ``month`` as sent to the ministry platform: its daily reports are locked from now on.
    Called by the ``mofcom`` adapter when the month's data is delivered; calling it again keeps the
    first time."""
    with acting_as(by):
        report_month = ReportMonth.objects.select_for_update().filter(month=month_start(month)).first()
        if report_month is None:
            report_month = ReportMonth(month=month_start(month), note=note[:300])
        if report_month.sent_at is None:
            report_month.sent_at = timezone.now()
            report_month.save()
    return report_month


def month_is_locked(month: datetime.date) -> bool:
    return ReportMonth.objects.filter(month=month_start(month), sent_at__isnull=False).exists()


# ---------------------------------------------------------------------------------------------------
# Figures for the ministry platform


def reports_of_day(day: datetime.date):
    """The live daily reports of ``day`` with their stations and towns, as the platform wants them."""
    return (
        StationDailyReport.objects.filter(day=day)
        .select_related("station", "station__region", "station__region__parent")
        .order_by("station__code")
    )


@dataclass
class MonthFigures:
    """The stations' side of a month's project data for the ministry platform."""

    month: datetime.date
    stations_open: int
    reports: int
    expected_reports: int
    proxy_buying_orders: int
    proxy_buying_amount: Decimal
    proxy_selling_orders: int
    proxy_selling_amount: Decimal
    farm_product_amount: Decimal
    parcels_sent: int
    parcels_received: int
    villagers_served: int
    convenience_services: int
    poor_households: int
    premium_stations: int
    app_active_stations: int

    @property
    def completeness(self) -> Decimal | None:
        return percent(self.reports, self.expected_reports)

    @property
    def app_activity(self) -> Decimal | None:
        return percent(self.app_active_stations, self.stations_open)


def month_figures(month: datetime.date, county=None) -> MonthFigures:
    """The month's totals of the daily reports and the stations behind them. A handful of queries."""
    first, last = month_start(month), month_end(month)
    stations = (
        stations_in(county)
        .filter(opened_on__isnull=False, opened_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=first))
    )
    spans = list(stations.values_list("opened_on", "closed_on"))
    totals = StationDailyReport.objects.filter(day__range=(first, last), station__in=stations).aggregate(
        reports=Count("id"),
        proxy_buying_orders=Sum("proxy_buying_orders"),
        proxy_buying_amount=Sum("proxy_buying_amount"),
        proxy_selling_orders=Sum("proxy_selling_orders"),
        proxy_selling_amount=Sum("proxy_selling_amount"),
        farm_product_amount=Sum("farm_product_amount"),
        parcels_sent=Sum("parcels_sent"),
        parcels_received=Sum("parcels_received"),
        villagers_served=Sum("villagers_served"),
        convenience_services=Sum("convenience_services"),
        poor_households=Sum("poor_households"),
    )
    money = {"proxy_buying_amount", "proxy_selling_amount", "farm_product_amount"}
    values = {k: (v if v is not None else (Decimal(0) if k in money else 0)) for k, v in totals.items()}
    active = (
        AppCheckIn.objects.filter(day__range=(first, last), station__in=stations)
        .values("station_id")
        .distinct()
        .count()
    )
    return MonthFigures(
        month=first,
        stations_open=len(spans),
        expected_reports=sum(open_days(o, c, first, last) for o, c in spans),
        premium_stations=premium_stations(county, last).count(),
        app_active_stations=active,
        **values,
    )
