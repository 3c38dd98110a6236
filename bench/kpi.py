"""Bench: the contract dashboard's KPI computation over 1,000,000 records against one raw SQL pass.

Run from the repository root, with nothing set up beforehand:

    .venv/bin/python bench/kpi.py                    # 1,000,000 records, temporary SQLite
    .venv/bin/python bench/kpi.py --records 100000   # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/kpi.py

What it does:

1. Points MUXIANG_VAR_DIR at a fresh temporary directory (SQLite database, secret key). When
   DATABASE_URL names a PostgreSQL server, a scratch database ``bench_kpi`` is created on that server
   instead (the database named in the URL is never touched) and dropped at the end. DEBUG is off.
2. Runs ``migrate`` quietly and loads the shipped contract (urad-middle-banner-package-1.toml) with a
   start date that puts today in phase 2.
3. Generates the records the measurable metrics read (regions, stations, people) with
   ``core.bulk.insert_rows``, in two steps: the first 10% of the towns with their villages, stations
   and people, then the other 90%. 1,000,000 records: 1 county, 100 towns, 10,000 villages (15%
   出列村, a few opened or closed during the contract), 100,000 stations (town and village level,
   opening dates spread from a year before the contract to after today, 85% active, some planned,
   suspended, closed or soft-deleted, 5% premium) and 889,899 people (trainees, contacts, station
   managers, 3 operator staff per 10 towns; created over two and a half years).
4. After each step, counts the SQL queries ``compute_progress(contract, today)`` issues
   (CaptureQueriesContext): the count must not grow with the records. After the full set, times
   (time.perf_counter, median of 3 after one warm-up):
   a. the baseline: one raw SQL aggregate pass per table (regions joined with stations grouped per
      region for coverage, stations for premium stations, people for the team) that computes every
      figure the dashboard shows, for every as-of date it measures; its figures are checked against
      the dashboard's;
   b. the dashboard: ``compute_progress(contract, today)``.
5. Prints a summary (with the time per metric and the slowest queries of one extra, instrumented
   run) and, as the last line, one JSON object with the figures. The budget is under
   ``BUDGET_SECONDS`` and under ``BUDGET_RATIO`` times the baseline; ``--check`` makes the exit status
   fail above it.
"""

import argparse
import datetime
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scratch import Scratch  # noqa: E402  (bench/ is the script's own directory)

BUDGET_SECONDS = 1
BUDGET_RATIO = 3
SCRATCH_DB = "bench_kpi"
CONTRACT_FILE = REPO / "muxiang" / "contracts" / "data" / "urad-middle-banner-package-1.toml"
COUNTY_NAME, COUNTY_CODE = "乌拉特中旗", "150824"

# The shape of 1,000,000 records; --records scales towns, stations and people (villages per town fixed).
TOWNS = 100
VILLAGES_PER_TOWN = 100
STATIONS = 100_000
FULL = 1_000_000
OPERATOR_STAFF_PER_10_TOWNS = 3


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=FULL, help="records in all (default 1000000)")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit with status 1 above {BUDGET_SECONDS} s or a ratio above {BUDGET_RATIO}",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=60,
        help="interrupt a compute_progress run after this many seconds (default 60)",
    )
    args = parser.parse_args(argv)
    if not 10_000 <= args.records <= 10_000_000:
        parser.error("--records must be between 10,000 and 10,000,000")
    return args


# ---------------------------------------------------------------------------------------------------
# Environment: a throw-away database, set up before Django is imported.


# ---------------------------------------------------------------------------------------------------
# Calendar: the contract starts about 18 months before today, so today falls in phase 2.


def contract_start(today: datetime.date) -> datetime.date:
    month = today.month - 1 - 18
    return datetime.date(today.year + month // 12, month % 12 + 1, 1)


# ---------------------------------------------------------------------------------------------------
# Records


class Generator:
    """Regions, stations and people in the county's shape, added town by town."""

    def __init__(self, records: int, start: datetime.date, today: datetime.date):
        scale = records / FULL
        self.towns = max(10, round(TOWNS * scale))
        self.stations = round(STATIONS * scale)
        regions = 1 + self.towns * (1 + VILLAGES_PER_TOWN)
        self.people = records - regions - self.stations
        if self.people < 0:
            raise SystemExit(f"--records {records} is too small for {self.towns} towns")
        self.start, self.today = start, today
        self.rng = random.Random(20240315)
        self.county_id: int | None = None
        self.county_path = COUNTY_NAME
        self.done_towns = 0
        self.done_stations = 0
        self.done_people = 0
        self.counts: dict[str, int] = defaultdict(int)
        self.now = datetime.datetime.now(datetime.UTC)

    def stamps(self) -> dict:
        return {"created_at": self.now, "updated_at": self.now}

    def add_county(self) -> None:
        from muxiang.core.bulk import insert_rows
        from muxiang.regions.models import Region

        (self.county_id,) = insert_rows(
            Region,
            [{"name": COUNTY_NAME, "level": "county", "code": COUNTY_CODE, "path": COUNTY_NAME}],
            defaults=self.stamps(),
        )
        self.counts["county"] += 1

    def add_towns(self, fraction_end: float) -> None:
        """Towns up to ``fraction_end`` of all towns, their villages, stations and people."""
        from muxiang.core.bulk import insert_rows
        from muxiang.people.models import Person
        from muxiang.regions.models import Region
        from muxiang.stations.models import Station

        rng = self.rng
        first, last = self.done_towns, round(self.towns * fraction_end)
        stamps = self.stamps()
        day = datetime.timedelta(days=1)
        start, today = self.start, self.today

        # -- towns and villages ------------------------------------------------------------------
        town_rows = []
        for t in range(first, last):
            name = f"第{t + 1}苏木"
            town_rows.append(
                {
                    "name": name,
                    "level": "town",
                    "parent_id": self.county_id,
                    "path": f"{self.county_path}/{name}",
                    "code": f"{COUNTY_CODE}{t + 1:03d}",
                }
            )
        town_ids = insert_rows(Region, town_rows, defaults=stamps)
        village_rows = []
        for town_id, town in zip(town_ids, town_rows, strict=True):
            for v in range(VILLAGES_PER_TOWN):
                name = f"{town['name']}第{v + 1}嘎查"
                row = {
                    "name": name,
                    "level": "village",
                    "parent_id": town_id,
                    "path": f"{town['path']}/{name}",
                    "code": f"{town['code']}{v + 1:03d}",
                    "exited_poverty": rng.random() < 0.15,
                }
                r = rng.random()
                if r < 0.01:  # re-drawn during the contract: closed, or new
                    row["closed_on"] = start + day * rng.randrange(1, 700)
                elif r < 0.02:
                    row["opened_on"] = start + day * rng.randrange(1, 700)
                village_rows.append(row)
        village_ids = insert_rows(Region, village_rows, defaults=stamps)
        self.counts["towns"] += len(town_ids)
        self.counts["villages"] += len(village_ids)
        self.counts["exited-poverty villages"] += sum(r["exited_poverty"] for r in village_rows)

        # -- stations -----------------------------------------------------------------------------
        # Opening dates from a year before the contract to half a year after today.
        open_span = (today - start).days + 365 + 180
        first_open = start - day * 365

        def station(level, region_id, index):
            opened = first_open + day * rng.randrange(open_span)
            r = rng.random()
            closed = None
            if opened > today or r < 0.05:
                status, opened = "planned", (opened if rng.random() < 0.5 else None)
            elif r < 0.08:
                status = "suspended"
            elif r < 0.13:
                status = "closed"
                closed = opened + day * rng.randrange(30, 600)
            else:
                status = "active"
            return {
                "code": f"ZD-{index:07d}",
                "name": f"服务站{index}",
                "level": level,
                "region_id": region_id,
                "address": "",
                "phone": f"13{rng.randrange(10**9):09d}",
                "opened_on": opened,
                "closed_on": closed,
                "status": status,
                "services": rng.choice((["proxy_buying", "proxy_selling", "parcels"], ["parcels"], [])),
                "is_premium": rng.random() < 0.05,
                "deleted_at": self.now if rng.random() < 0.005 else None,
            }

        wanted = round(self.stations * last / self.towns) - self.done_stations
        station_rows = []
        index = self.done_stations
        for town_id in town_ids:
            for _copy in range(rng.choice((0, 1, 1, 1, 2, 2))):  # a few towns without a station
                index += 1
                station_rows.append(station("town", town_id, index))
        # 40% of the villages have no station at all; the others share the village stations.
        served = [v for v in village_ids if rng.random() < 0.6]
        while len(station_rows) < wanted:
            index += 1
            station_rows.append(station("village", rng.choice(served), index))
        station_ids = insert_rows(Station, station_rows, defaults=stamps)
        # The shipped contract's station targets require evidence: nine stations in ten carry a photo.
        self.add_evidence(Station, [pk for pk in station_ids if rng.random() < 0.9], stamps, "photo")
        # The premium-station target also requires a document (the premium designation).
        premium_ids = [pk for pk, row in zip(station_ids, station_rows, strict=True) if row["is_premium"]]
        self.add_evidence(Station, [pk for pk in premium_ids if rng.random() < 0.9], stamps, "document")
        self.done_stations += len(station_ids)
        self.counts["stations"] += len(station_ids)
        self.counts["premium stations"] += sum(r["is_premium"] for r in station_rows)
        self.counts["active stations"] += sum(r["status"] == "active" for r in station_rows)

        # -- people -------------------------------------------------------------------------------
        from muxiang.core.validators import make_id_number

        wanted = round(self.people * last / self.towns) - self.done_people
        staff = OPERATOR_STAFF_PER_10_TOWNS * (last - first) // 10 or 1
        kinds_pool = [["trainee"]] * 80 + [["contact"]] * 10 + [["trainee", "contact"]] * 8
        kinds_pool += [["station_manager"]] * 2
        created_first = datetime.datetime.combine(start - day * 365, datetime.time(), datetime.UTC)
        created_span = int((today - start).days + 365) * 86400
        first_birth = datetime.date(1950, 1, 1)
        regions = village_ids + town_ids
        person_rows = []
        for n in range(wanted):
            i = self.done_people + n
            birth = first_birth + day * ((i * 7919) % 20_000)
            id_number = make_id_number(COUNTY_CODE, birth, i // 20_000)
            kinds = ["operator_staff"] if n < staff else rng.choice(kinds_pool)
            person_rows.append(
                {
                    "name": f"学员{i}",
                    "id_number": id_number,
                    "gender": "male" if int(id_number[16]) % 2 else "female",
                    "birth_date": birth,
                    "mobile": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
                    "kinds": kinds,
                    "poor_household": rng.random() < 0.12,
                    "region_id": rng.choice(regions) if rng.random() < 0.8 else None,
                    "station_id": rng.choice(station_ids) if rng.random() < 0.05 else None,
                    "created_at": created_first + datetime.timedelta(seconds=rng.randrange(created_span)),
                    "deleted_at": self.now if rng.random() < 0.005 else None,
                }
            )
        staff_ids = insert_rows(Person, person_rows[:staff], defaults={"updated_at": self.now})
        insert_rows(Person, person_rows[staff:], defaults={"updated_at": self.now}, returning=False)
        # The team target requires a document for each member.
        self.add_evidence(Person, staff_ids, stamps, "document")
        self.done_people += wanted
        self.counts["people"] += wanted
        self.counts["operator staff"] += staff
        self.done_towns = last

    def add_evidence(self, model, pks, stamps, kind: str) -> None:
        """Evidence rows of ``kind``, the kind the targets require (the metrics read only the rows,
        not the files)."""
        from django.contrib.contenttypes.models import ContentType

        from muxiang.core.bulk import insert_rows
        from muxiang.core.models import Evidence

        content_type = ContentType.objects.get_for_model(model).pk
        rows = [
            {
                "content_type_id": content_type,
                "object_id": pk,
                "file": "evidence/bench.png",
                "original_name": "bench.png",
                "sha256": "0" * 64,
                "size": 1,
                "mime_type": "image/png",
                "extension": ".png",
                "kind": kind,
            }
            for pk in pks
        ]
        insert_rows(Evidence, rows, defaults=stamps, returning=False)
        self.counts["evidence"] += len(rows)

    @property
    def records(self) -> int:
        c = self.counts
        return c["county"] + c["towns"] + c["villages"] + c["stations"] + c["people"] + c["evidence"]


def generate(gen: Generator, fraction_end: float, first: bool) -> float:
    from django.db import connection, transaction

    gc.collect()
    gc.disable()  # nothing to collect among millions of row dicts
    step = time.perf_counter()
    try:
        with transaction.atomic():
            if first:
                gen.add_county()
            gen.add_towns(fraction_end)
        with connection.cursor() as cursor:
            # PostgreSQL's autovacuum would analyse the new rows soon enough; do it now. SQLite gets
            # no statistics: nothing in the application runs ANALYZE there.
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
    finally:
        gc.enable()
    return time.perf_counter() - step


# ---------------------------------------------------------------------------------------------------
# Measurements


def measured_dates(contract, today: datetime.date) -> list[datetime.date]:
    """The as-of dates compute_progress measures on: each started phase's min(today, end), and the
    contract's."""
    phases = list(contract.phases.all())
    dates = {min(today, p.end) for p in phases if p.start <= today}
    dates.add(min(today, phases[-1].end))
    return sorted(dates)


def next_midnight(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` (local time), as an aware datetime."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def baseline_figures(contract, dates) -> dict:
    """Every figure the dashboard measures, by one aggregate statement per table (coverage reads
    regions and stations together: stations grouped per region, joined to the regions)."""
    from django.db import connection

    from muxiang.people.models import Person
    from muxiang.regions.models import Region
    from muxiang.stations.models import Station

    ops = connection.ops
    from django.contrib.contenttypes.models import ContentType

    from muxiang.core.models import Evidence

    region_t, station_t, person_t = (m._meta.db_table for m in (Region, Station, Person))
    evidence_t = Evidence._meta.db_table
    station_ct = ContentType.objects.get_for_model(Station).pk
    person_ct = ContentType.objects.get_for_model(Person).pk

    def evidenced(alias: str, content_type: int, kind: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM {evidence_t} e WHERE e.content_type_id = {content_type} "
            f"AND e.object_id = {alias}.id AND e.deleted_at IS NULL AND e.kind = '{kind}')"
        )

    county = contract.county
    under = county.path + "/%"

    open_cols, sums, params_inner, params_outer = [], [], [], []
    for n, day in enumerate(dates):
        d = ops.adapt_datefield_value(day)
        open_cols.append(
            f"MAX(CASE WHEN opened_on <= %s AND (closed_on IS NULL OR closed_on > %s) "
            f"THEN 1 ELSE 0 END) AS on{n}"
        )
        params_inner += [d, d]
        exists = "(r.opened_on IS NULL OR r.opened_on <= %s) AND (r.closed_on IS NULL OR r.closed_on > %s)"
        for level, extra in (("town", ""), ("village", ""), ("village", " AND r.exited_poverty")):
            cond = f"r.level = '{level}'{extra} AND {exists}"
            sums.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)")
            sums.append(f"SUM(CASE WHEN {cond} AND s.on{n} = 1 THEN 1 ELSE 0 END)")
            params_outer += [d, d, d, d]
    coverage_sql = (
        f"SELECT {', '.join(sums)} FROM {region_t} r LEFT JOIN ("
        f"SELECT region_id, level, {', '.join(open_cols)} FROM {station_t} st "
        f"WHERE st.deleted_at IS NULL AND st.status = 'active' AND {evidenced('st', station_ct, 'photo')} "
        "GROUP BY region_id, level"
        ") s ON s.region_id = r.id AND s.level = r.level "
        "WHERE r.deleted_at IS NULL AND (r.id = %s OR r.path LIKE %s)"
    )
    premium_cols, premium_params = [], []
    for day in dates:
        d = ops.adapt_datefield_value(day)
        premium_cols.append(
            "SUM(CASE WHEN s.opened_on <= %s AND (s.closed_on IS NULL OR s.closed_on > %s) THEN 1 ELSE 0 END)"
        )
        premium_params += [d, d]
    premium_sql = (
        f"SELECT {', '.join(premium_cols)} FROM {station_t} s JOIN {region_t} r ON r.id = s.region_id "
        "WHERE s.deleted_at IS NULL AND s.is_premium AND s.status = 'active' "
        f"AND {evidenced('s', station_ct, 'photo')} AND {evidenced('s', station_ct, 'document')} "
        "AND (r.id = %s OR r.path LIKE %s)"
    )
    team_cols, team_params = [], []
    for day in dates:
        team_cols.append("SUM(CASE WHEN created_at < %s THEN 1 ELSE 0 END)")
        team_params.append(ops.adapt_datetimefield_value(next_midnight(day)))
    team_sql = (
        f"SELECT {', '.join(team_cols)} FROM {person_t} p "
        f"WHERE p.deleted_at IS NULL AND CAST(p.kinds AS TEXT) LIKE %s AND {evidenced('p', person_ct, 'document')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(coverage_sql, params_outer + params_inner + [county.pk, under])  # textual order
        coverage = cursor.fetchone()
        cursor.execute(premium_sql, premium_params + [county.pk, under])
        premium = cursor.fetchone()
        cursor.execute(team_sql, team_params + ['%"operator_staff"%'])
        team = cursor.fetchone()
    figures = {}
    for n, day in enumerate(dates):
        row = coverage[n * 6 : n * 6 + 6]
        for k, key in enumerate(("town", "village", "exited_poverty")):
            total, covered = int(row[2 * k] or 0), int(row[2 * k + 1] or 0)
            percent = (Decimal(covered) * 100 / total).quantize(Decimal("0.1")) if total else None
            figures[("stations.coverage", key, day)] = percent
        figures[("stations.premium_count", None, day)] = Decimal(int(premium[n] or 0))
        figures[("team.members", None, day)] = Decimal(int(team[n] or 0))
    return figures


# The metrics whose records the bench generates and whose figures the baseline computes; the other
# measurable metrics run over empty tables (their cost is in the dashboard's time, not compared).
BASELINE_METRICS = {"stations.coverage", "stations.premium_count", "team.members"}


def check_against(progress, figures) -> int:
    """The dashboard's actual figures equal the baseline's; returns how many were compared."""
    compared = 0
    for item in progress:
        metric = item.target.metric
        if metric not in BASELINE_METRICS:
            continue
        level = (item.target.params or {}).get("level") if metric == "stations.coverage" else None
        for phase in [*item.phases, item.overall]:
            if phase.actual is None:
                continue
            as_of = phase.end if phase.end and phase.end < figures["today"] else figures["today"]
            expected = figures.get((metric, level, as_of))
            assert expected == phase.actual, (
                f"{item.target.key} phase {phase.phase}: dashboard {phase.actual}, baseline {expected}"
            )
            compared += 1
    return compared


class Deadline(Exception):
    pass


def call_with_deadline(function, seconds: float):
    """Run ``function``; past ``seconds`` interrupt the statement in progress and raise Deadline."""
    import threading

    from django.db import DatabaseError, connection

    fired = threading.Event()
    connection.ensure_connection()
    raw = connection.connection  # Django's connections are per thread: take this one's
    sqlite = connection.vendor == "sqlite"

    def interrupt():
        fired.set()
        raw.interrupt() if sqlite else raw.cancel()

    timer = threading.Timer(seconds, interrupt)
    timer.start()
    try:
        return function()
    except DatabaseError:
        if fired.is_set():
            raise Deadline from None
        raise
    finally:
        timer.cancel()


def timed(function, deadline: float, runs: int = 3) -> tuple[float, list[float]]:
    """Median of ``runs`` after one warm-up; Deadline when the warm-up takes longer than ``deadline``."""
    call_with_deadline(function, deadline)  # warm-up
    timings = []
    for _run in range(runs):
        gc.collect()
        start = time.perf_counter()
        call_with_deadline(function, deadline)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), timings


def count_queries(contract, today) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from muxiang.contracts.engine import compute_progress

    # A first run fills the per-process caches (content types of every measured model), which a
    # steady dashboard does not pay again; the count is of the run after it.
    compute_progress(contract, today)
    with CaptureQueriesContext(connection) as captured:
        compute_progress(contract, today)
    return len(captured.captured_queries)


ENGINE = "(engine: contract, phases, targets)"


def instrumented_run(contract, today):
    """One extra run of compute_progress with each metric function and each statement timed."""
    from django.db import connection

    from muxiang.contracts import engine

    per_metric: dict[str, list] = defaultdict(lambda: [0, 0.0, 0])  # calls, seconds, queries
    per_query: dict[str, list] = defaultdict(lambda: [0, 0.0])
    current = [ENGINE]
    originals = dict(engine.REGISTRY)

    def wrap(name, function):
        def timed_metric(*args, **kwargs):
            current[0] = name
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                per_metric[name][0] += 1
                per_metric[name][1] += time.perf_counter() - start
                current[0] = ENGINE

        return timed_metric

    def on_query(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            per_metric[current[0]][2] += 1
            key = f"{current[0]}: {' '.join(sql.split())}"
            per_query[key][0] += 1
            per_query[key][1] += time.perf_counter() - start

    for name, function in originals.items():
        engine.REGISTRY[name] = wrap(name, function)
    try:
        with connection.execute_wrapper(on_query):
            start = time.perf_counter()
            engine.compute_progress(contract, today)
            total = time.perf_counter() - start
    finally:
        engine.REGISTRY.update(originals)
    return total, per_metric, per_query


def print_profile(title, contract, today) -> float:
    total, per_metric, per_query = instrumented_run(contract, today)
    outside = per_metric.pop(ENGINE, [0, 0.0, 0])[2]
    print(f"    profile, {title} ({total:.3f} s; {outside} queries outside the metric functions):")
    for name, (calls, secs, nq) in sorted(per_metric.items(), key=lambda kv: -kv[1][1]):
        print(f"      {name:<24} {calls:3d} calls {nq:4d} queries {secs:8.3f} s  {secs / total:6.1%}")
    print("      slowest statements (calls, seconds, metric: SQL):")
    for key, (calls, secs) in sorted(per_query.items(), key=lambda kv: -kv[1][1])[:4]:
        text = key if len(key) <= 400 else key[:397] + "..."
        print(f"      {calls:3d} x {secs:8.3f} s  {text}")
    sys.stdout.flush()
    return total


def sqlite_plan_of_coverage(contract, today) -> str:
    """SQLite's plan for the village-coverage EXISTS: which index it searches the stations with."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from muxiang.stations.services import compute_coverage

    with CaptureQueriesContext(connection) as captured:
        compute_coverage(contract.county, today)
    sql = next(
        q["sql"] for q in captured.captured_queries if "'village'" in q["sql"] and "EXISTS" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "; ".join(row[-1] for row in cursor.fetchall())


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run(args, scratch: Scratch) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from muxiang.contracts.engine import compute_progress
    from muxiang.contracts.services import load_contract

    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    today = timezone.localdate()
    start = contract_start(today)

    step = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    gen = Generator(args.records, start, today)
    generate(gen, 0.0, first=True)  # the county: the contract finds it by its code
    contract = load_contract(CONTRACT_FILE.read_text(encoding="utf-8"), start=start)
    phases = list(contract.phases.all())
    assert contract.county_id == gen.county_id, "the contract did not find the county"
    assert phases[1].start <= today <= phases[1].end, "today is not in phase 2"
    vendor = connection.vendor
    print(f"database: {vendor} {connection.settings_dict['NAME']}", flush=True)
    print(
        f"set-up (migrate, contract): {time.perf_counter() - step:.1f} s; contract "
        f"{contract.key}, {contract.targets.count()} targets, phases "
        + ", ".join(f"{p.number}: {p.start}–{p.end}" for p in phases)
        + f"; today {today}",
        flush=True,
    )
    dashboard = lambda: compute_progress(contract, today)  # noqa: E731
    dates = measured_dates(contract, today)

    # -- 10% of the records: query count and profile ------------------------------------------------
    seconds = generate(gen, 0.1, first=False)
    small_records = gen.records
    print(f"generated {small_records:,} records (10%) in {seconds:.1f} s", flush=True)
    small_queries = count_queries(contract, today)
    figures = baseline_figures(contract, dates)
    figures["today"] = today
    check_against(dashboard(), figures)
    print(f"    compute_progress at 10%: {small_queries} queries", flush=True)
    small_seconds = print_profile(f"at 10% ({small_records:,} records)", contract, today)

    # -- all the records ----------------------------------------------------------------------------
    seconds = generate(gen, 1.0, first=False)
    records = gen.records
    c = gen.counts
    print(
        f"generated {records:,} records in all ({seconds:.1f} s for the other 90%): "
        f"1 county, {c['towns']:,} towns, {c['villages']:,} villages ({c['exited-poverty villages']:,} "
        f"出列村), {c['stations']:,} stations ({c['active stations']:,} active, "
        f"{c['premium stations']:,} premium), {c['people']:,} people ({c['operator staff']} operator "
        "staff)",
        flush=True,
    )

    figures = baseline_figures(contract, dates)
    figures["today"] = today
    baseline, baseline_runs = timed(lambda: baseline_figures(contract, dates), deadline=600)
    print(
        f"(a) baseline, one raw SQL aggregate pass per table (3 statements, as-of "
        f"{', '.join(map(str, dates))}): {baseline:.3f} s (median of 3: "
        + ", ".join(f"{t:.3f}" for t in baseline_runs)
        + ")",
        flush=True,
    )

    timed_out = False
    try:
        seconds, runs = timed(dashboard, deadline=args.deadline)
    except Deadline:
        timed_out, seconds, runs = True, float(args.deadline), []
        print(
            f"(b) compute_progress: interrupted after {args.deadline} s (--deadline), no figure, no repeat",
            flush=True,
        )
    else:
        compared = check_against(dashboard(), figures)
        print(
            f"(b) compute_progress: {seconds:.3f} s (median of 3: "
            + ", ".join(f"{t:.3f}" for t in runs)
            + f"); {compared} measured figures equal to the baseline's",
            flush=True,
        )
        print_profile("all records", contract, today)

    if vendor == "sqlite":
        print(f"    SQLite plan of the village coverage count: {sqlite_plan_of_coverage(contract, today)}")
    # The query count at 100% does not depend on plans; when the plain run is too slow to finish,
    # it is taken (and the dashboard timed again) after ANALYZE, which gives SQLite's planner the
    # statistics it lacks. This is a what-if: the application does not run ANALYZE.
    analysed_seconds = None
    if timed_out or vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if vendor == "sqlite":
            print(f"    after ANALYZE the plan is: {sqlite_plan_of_coverage(contract, today)}")
        analysed_seconds, analysed_runs = timed(dashboard, deadline=600)
        compared = check_against(dashboard(), figures)
        print(
            f"(c) what-if, compute_progress after ANALYZE: {analysed_seconds:.3f} s (median of 3: "
            + ", ".join(f"{t:.3f}" for t in analysed_runs)
            + f"), {analysed_seconds / baseline:.1f}x the baseline; {compared} figures equal to the "
            "baseline's",
            flush=True,
        )
        print_profile("all records, after ANALYZE", contract, today)
    queries = count_queries(contract, today)
    assert queries == small_queries, f"{queries} queries at 100% but {small_queries} at 10%"
    print(f"compute_progress issues {queries} SQL queries, the same as at 10% of the records", flush=True)

    result = {
        "bench": "kpi",
        "database": vendor,
        "records": records,
        "seconds": round(seconds, 3),
        "baseline_seconds": round(baseline, 3),
        "ratio": round(seconds / baseline, 2),
        "timed_out": timed_out,
        "queries": queries,
        "queries_at_10_percent": small_queries,
        "seconds_at_10_percent": round(small_seconds, 3),
        "seconds_after_analyze": None if analysed_seconds is None else round(analysed_seconds, 3),
        "budget_seconds": BUDGET_SECONDS,
        "budget_ratio": BUDGET_RATIO,
    }
    within = not timed_out and result["seconds"] < BUDGET_SECONDS and result["ratio"] < BUDGET_RATIO
    print(
        f"compute_progress {'over ' if timed_out else ''}{result['seconds']} s, "
        f"{'over ' if timed_out else ''}{result['ratio']}x the baseline "
        f"({'within' if within else 'ABOVE'} the budget of {BUDGET_SECONDS} s and {BUDGET_RATIO}x) "
        f"on {machine()}, load average at start {load}",
        flush=True,
    )
    result["within_budget"] = within
    return result


def main(argv=None) -> int:
    args = parse_args(argv)
    scratch = Scratch(SCRATCH_DB)
    try:
        scratch.prepare()
        result = run(args, scratch)
    finally:
        scratch.cleanup()
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if args.check and not result["within_budget"] else 0


if __name__ == "__main__":
    sys.exit(main())
