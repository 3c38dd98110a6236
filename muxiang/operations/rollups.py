"""The station-months stored for the reporting and app-activity rates (``core.rollups``).

``StationMonth`` holds per station and calendar month the live daily reports and the live app
check-in days on days the station was open. It is recomputed per (station, month) from the raw rows
whenever a daily report or a check-in is written (form, API, import, soft delete, restore, purge,
the demo) or a station's opening or closing date changes. ``services.monthly_counts`` reads it for
the whole months of a window and the raw rows only for a window's partial months.
"""

import datetime
from collections import defaultdict

from django.db.models import F, Q

from muxiang.core.bulk import insert_rows
from muxiang.core.rollups import Rollup, Source, chunked, register


def _month(day):
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day[:10])
    return day.replace(day=1)


def _open_rows(model):
    """Live rows of ``model`` made on a day their station was open (the station's deletion and
    region are the reader's)."""
    return model.objects.filter(station__opened_on__lte=F("day")).filter(
        Q(station__closed_on__isnull=True) | Q(station__closed_on__gt=F("day"))
    )


def _compute(keys):
    from muxiang.operations.models import AppCheckIn, StationDailyReport
    from muxiang.operations.services import month_end

    figures = defaultdict(lambda: [0, 0])
    for index, model in enumerate((StationDailyReport, AppCheckIn)):
        rows = _open_rows(model)
        if keys is None:
            for station_id, day in rows.values_list("station_id", "day").iterator(chunk_size=20000):
                figures[(station_id, _month(day))][index] += 1
            continue
        months = defaultdict(set)
        for station_id, month in keys:
            months[station_id].add(month)
        for chunk in chunked(months):
            first = min(m for s in chunk for m in months[s])
            last = month_end(max(m for s in chunk for m in months[s]))
            found = rows.filter(station_id__in=chunk, day__range=(first, last)).values_list(
                "station_id", "day"
            )
            for station_id, day in found:
                key = (station_id, _month(day))
                if key in keys:
                    figures[key][index] += 1
    return {key: tuple(value) for key, value in figures.items()}


def _stored(keys):
    from muxiang.operations.models import StationMonth

    columns = ("station_id", "month", "reports", "check_in_days")
    if keys is None:
        return {(s, m): (r, c) for s, m, r, c in StationMonth.objects.values_list(*columns).iterator()}
    months = defaultdict(set)
    for station_id, month in keys:
        months[station_id].add(month)
    found = {}
    for chunk in chunked(months):
        rows = StationMonth.objects.filter(station_id__in=chunk).values_list(*columns)
        found.update({(s, m): (r, c) for s, m, r, c in rows if (s, m) in keys})
    return found


def _store(figures, _stored):
    from muxiang.operations.models import StationMonth

    by_month = defaultdict(list)
    for station_id, month in figures:
        by_month[month].append(station_id)
    for month, stations in by_month.items():
        for chunk in chunked(stations):
            StationMonth.objects.filter(month=month, station_id__in=chunk).delete()
    insert_rows(
        StationMonth,
        [
            {"station_id": station_id, "month": month, "reports": reports, "check_in_days": days}
            for (station_id, month), (reports, days) in figures.items()
            if reports or days
        ],
        returning=False,
    )


def _record_keys(rows) -> set:
    return {
        (row["station_id"], _month(row["day"]))
        for row in rows
        if row.get("station_id") is not None and row.get("day") is not None
    }


def _station_keys(rows) -> set:
    """Every month a station has rows or stored figures in: its opening dates decide them all."""
    from muxiang.operations.models import AppCheckIn, StationDailyReport, StationMonth

    stations = {row.get("id") for row in rows} - {None}
    keys = set()
    for chunk in chunked(stations):
        keys.update(StationMonth.objects.filter(station_id__in=chunk).values_list("station_id", "month"))
        for model in (StationDailyReport, AppCheckIn):
            for station_id, day in model.objects.filter(station_id__in=chunk).values_list(
                "station_id", "day"
            ):
                keys.add((station_id, _month(day)))
    return keys


RECORD_FIELDS = frozenset({"station_id", "day", "deleted_at"})

station_months = register(
    Rollup(
        name="operations.station_months",
        label="站点月度汇总：日报份数与 APP 签到天数",
        sources=[
            Source("operations.StationDailyReport", RECORD_FIELDS, _record_keys),
            Source("operations.AppCheckIn", RECORD_FIELDS, _record_keys),
            Source("stations.Station", frozenset({"opened_on", "closed_on"}), _station_keys),
        ],
        compute=_compute,
        stored=_stored,
        store=_store,
        zero=(0, 0),
    )
)
