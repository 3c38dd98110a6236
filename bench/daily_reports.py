"""Bench: importing one year of daily reports of 1,000 stations (365,000 rows, .xlsx) against merely
reading the file, then the completeness grid of a month.

Run from the repository root, with nothing set up beforehand:

    .venv/bin/python bench/daily_reports.py                          # 1,000 stations × 365 days, SQLite
    .venv/bin/python bench/daily_reports.py --stations 50 --days 60  # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/daily_reports.py

What it does:

1. A throw-away database (``bench/scratch.py``): a temporary var directory with SQLite, or the
   scratch database ``bench_muxiang_daily_reports`` on the PostgreSQL server of DATABASE_URL,
   dropped at the end.
2. ``migrate``, an operator-staff user, the county with 10 towns of 10 villages each, and
   ``--stations`` stations (a tenth of them town stations), every one opened before the year
   imported, written with ``core.bulk.insert_rows``; their phones are set, a manager's name on each.
3. A sheet in the import template's layout (sheet 站点日报, headers from
   ``StationDailyReportLedger.columns``): one row per station and day for the ``--days`` days ending
   yesterday, station codes as text, days as date cells, counts and amounts as numbers (amounts
   with fen on most rows, 0 on many), a note on one row in fifty.
4. Times (time.perf_counter):
   a. the baseline: python-calamine reading the sheet into Python rows (median of 3 reads);
   b. the import: ``StationDailyReportLedger(user).import_file(data, "日报.xlsx")`` inside an audit
      ``change_context``, as the upload view runs it; checks every row created and audited;
   c. the re-import of the same file: nothing created or changed;
   d. the completeness grid of the last complete month (``services.completeness_grid``) for all
      the stations, and for one town's stations: time and query count (the count must not
      depend on the number of stations), and the "to chase today" list.
5. Prints a summary and, as the last line, one JSON object with the figures. The budget is an import
   at most ``BUDGET_RATIO`` times the baseline; ``--check`` makes the exit status fail above it.
"""

import argparse
import datetime
import gc
import json
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import scratch  # noqa: E402
from import_people import Phases, machine, problems_of, read_baseline  # noqa: E402
from scratch import Scratch  # noqa: E402  (bench/ is the script's own directory)

BUDGET_RATIO = 5
SCRATCH_DB = "bench_muxiang_daily_reports"
TOWNS = 10
VILLAGES_PER_TOWN = 10


class DailyReportPhases(Phases):
    """Wall time per step of the daily-report import (see ``import_people.Phases``)."""

    STEPS = (
        ("muxiang.core.ledgers", None, "read_table", "read .xlsx (calamine)"),
        ("muxiang.core.ledgers", "Ledger", "_parse", "parse and check cells, stations, keys"),
        ("muxiang.core.ledgers", "Ledger", "_match", "match (station, day) to reports"),
        (
            "muxiang.operations.ledgers",
            "StationDailyReportLedger",
            "validate_plans",
            "opening, frozen, locked",
        ),
        ("muxiang.operations.ledgers", "PairKeyLedger", "write", "write reports and audit entries"),
        ("muxiang.operations.ledgers", None, "insert_rows", "  of which: insert rows"),
        (
            "muxiang.operations.ledgers",
            None,
            "insert_entries_with_amounts",
            "  of which: audit entries (SQL)",
        ),
    )

    def lines(self, total):
        out = []
        for label in (step[-1] for step in self.STEPS if step[-1] in self.seconds):
            value = self.seconds[label]
            out.append(f"      {label:<44} {value:7.2f} s  {value / total:6.1%}")
        top = sum(v for k, v in self.seconds.items() if not k.startswith("  "))
        out.append(f"      {'other (commit, report)':<44} {total - top:7.2f} s  {(total - top) / total:6.1%}")
        return out


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=1000, help="stations (default 1000)")
    parser.add_argument("--days", type=int, default=365, help="days ending yesterday (default 365)")
    parser.add_argument(
        "--check", action="store_true", help=f"exit with status 1 when the ratio is above {BUDGET_RATIO}"
    )
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of the import to DIR")
    args = parser.parse_args(argv)
    if args.stations < TOWNS or args.days < 35:
        parser.error(f"--stations must be at least {TOWNS} and --days at least 35")
    return args


# ---------------------------------------------------------------------------------------------------
# Fixtures


def create_fixtures(stations: int, first_day: datetime.date):
    from django.utils import timezone

    from muxiang.accounts.models import User
    from muxiang.core.bulk import insert_rows
    from muxiang.core.permissions import Role
    from muxiang.people.models import Person
    from muxiang.regions.models import Region
    from muxiang.stations.models import Station

    user = User.objects.create_user(username="bench", role=Role.OPERATOR_STAFF, full_name="基准测试")
    county = Region.objects.create(name="乌拉特中旗", level="county", code="150824")
    towns, villages = [], []
    for t in range(TOWNS):
        town = Region.objects.create(name=f"第{t + 1}镇", level="town", parent=county)
        towns.append(town)
        for v in range(VILLAGES_PER_TOWN):
            villages.append(
                Region.objects.create(name=f"第{t + 1}镇第{v + 1}村", level="village", parent=town)
            )
    now = timezone.now()
    stamps = {"created_at": now, "updated_at": now}
    managers = insert_rows(
        Person,
        [
            {"name": f"站长{i:04d}", "mobile": f"138{i:08d}", "kinds": ["station_manager"]}
            for i in range(stations)
        ],
        defaults=stamps,
    )
    rows = []
    for i in range(stations):
        is_town = i % 10 == 0
        rows.append(
            {
                "code": f"ST-{i:04d}",
                "name": f"电商服务站{i:04d}",
                "level": "town" if is_town else "village",
                "region_id": towns[(i // 10) % TOWNS].pk if is_town else villages[i % len(villages)].pk,
                "status": "active",
                "opened_on": first_day - datetime.timedelta(days=30 + i % 200),
                "phone": f"139{i:08d}",
                "manager_id": managers[i],
                "services": ["proxy_buying", "proxy_selling", "parcels"],
                "is_premium": i % 150 == 0,
            }
        )
    insert_rows(Station, rows, defaults=stamps)
    return user, county, towns[0]


def write_xlsx(path: Path, stations: int, first_day: datetime.date, days: int) -> int:
    import xlsxwriter

    from muxiang.operations.ledgers import StationDailyReportLedger

    rng = random.Random(20261128)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(StationDailyReportLedger.sheet_name)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    headers = [c.header for c in StationDailyReportLedger.columns if c.importable]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
    amounts = [0, 0, 0, 12.5, 36.8, 58, 99.9, 120, 128.5, 236.4, 300, 488.88, 520, 1280.5]
    row = 1
    for d in range(days):
        day = first_day + datetime.timedelta(days=d)
        moment = datetime.datetime.combine(day, datetime.time())
        for i in range(stations):
            buying = rng.choice(amounts)
            selling = rng.choice(amounts)
            sheet.write_string(row, 0, f"ST-{i:04d}")
            sheet.write_datetime(row, 1, moment, date_format)
            sheet.write_number(row, 2, rng.randint(0, 6))
            sheet.write_number(row, 3, buying)
            sheet.write_number(row, 4, rng.randint(0, 4))
            sheet.write_number(row, 5, selling)
            sheet.write_number(row, 6, round(selling * 0.8, 2) if selling else 0)
            sheet.write_number(row, 7, rng.randint(0, 9))
            sheet.write_number(row, 8, rng.randint(0, 15))
            sheet.write_number(row, 9, rng.randint(0, 30))
            sheet.write_number(row, 10, rng.randint(0, 5))
            sheet.write_number(row, 11, rng.randint(0, 2))
            if row % 50 == 0:
                sheet.write_string(row, 12, "停电半天")
            row += 1
    workbook.close()
    return row - 1


def timed_import(user, data: bytes, profile_path: Path | None):
    from muxiang.operations.ledgers import StationDailyReportLedger

    return scratch.timed_import(
        StationDailyReportLedger(user), data, "日报.xlsx", DailyReportPhases(), profile_path
    )


def timed_grid(month, county=None, town=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from muxiang.operations import services

    gc.collect()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        grid = services.completeness_grid(month, county=county, town=town)
        seconds = time.perf_counter() - start
    return grid, seconds, len(queries)


def run(args, scratch: Scratch) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from muxiang.core.models import ObjectChange
    from muxiang.operations import services
    from muxiang.operations.ledgers import StationDailyReportLedger
    from muxiang.operations.models import StationDailyReport

    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    profile_dir = Path(args.profile) if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=args.days)

    step = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    user, county, town = create_fixtures(args.stations, first_day)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    print(f"set-up (migrate, {args.stations} stations): {time.perf_counter() - step:.1f} s", flush=True)

    step = time.perf_counter()
    path = scratch.var_dir / "daily-reports.xlsx"
    rows = write_xlsx(path, args.stations, first_day, args.days)
    data = path.read_bytes()
    print(
        f"generated {path.name}: {rows:,} rows ({args.stations} stations × {args.days} days), "
        f"{len(data) / 1048576:.1f} MB in {time.perf_counter() - step:.1f} s",
        flush=True,
    )

    baseline = read_baseline(data, StationDailyReportLedger.sheet_name, rows)
    print(f"(a) baseline, calamine read to Python rows: {baseline:.3f} s (median of 3)", flush=True)

    audit_before = ObjectChange.objects.count()
    report, seconds, cpu, phases = timed_import(
        user, data, profile_dir / "import.prof" if profile_dir else None
    )
    assert report.ok, f"import refused: {problems_of(report)}"
    assert report.created == rows, f"created {report.created}, expected {rows}"
    assert StationDailyReport.all_objects.count() == rows
    audit_entries = ObjectChange.objects.count() - audit_before
    assert audit_entries == rows, f"{audit_entries} audit entries, expected {rows}"
    print(
        f"(b) import: {seconds:.2f} s ({cpu:.2f} s CPU in this process), {rows / seconds:,.0f} rows/s, "
        f"created {report.created:,}, {audit_entries:,} audit entries",
        flush=True,
    )
    print("\n".join(phases.lines(seconds)), flush=True)

    report2, reimport_seconds, cpu2, phases2 = timed_import(
        user, data, profile_dir / "reimport.prof" if profile_dir else None
    )
    assert report2.ok, f"re-import refused: {problems_of(report2)}"
    assert report2.created == 0 and report2.updated == 0, report2
    assert report2.unchanged == rows, f"re-import: {report2.unchanged} unchanged, expected {rows}"
    assert ObjectChange.objects.count() - audit_before == rows, "the re-import wrote audit entries"
    print(
        f"(c) re-import: {reimport_seconds:.2f} s ({cpu2:.2f} s CPU), unchanged {report2.unchanged:,}",
        flush=True,
    )
    print("\n".join(phases2.lines(reimport_seconds)), flush=True)

    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    timed_grid(month, county=county)  # warm the connection and the page cache
    grid, grid_seconds, grid_queries = timed_grid(month, county=county)
    small, small_seconds, small_queries = timed_grid(month, county=county, town=town)
    in_month = StationDailyReport.objects.filter(day__range=(month, services.month_end(month))).count()
    assert grid.overall.reported == in_month, (grid.overall, in_month)
    start = time.perf_counter()
    chase = services.stations_to_chase(county)
    chase_seconds = time.perf_counter() - start
    print(
        f"(d) completeness grid of {month:%Y-%m}: {len(grid.rows)} stations × {len(grid.days)} days in "
        f"{grid_seconds:.3f} s, {grid_queries} queries; one town ({len(small.rows)} stations): "
        f"{small_seconds:.3f} s, {small_queries} queries; to chase today: {len(chase)} stations in "
        f"{chase_seconds:.3f} s",
        flush=True,
    )
    assert grid_queries == small_queries, "the grid's query count depends on the number of stations"

    result = {
        "bench": "daily_reports",
        "database": connection.vendor,
        "rows": rows,
        "stations": args.stations,
        "rows_per_second": round(rows / seconds),
        "baseline_seconds": round(baseline, 3),
        "seconds": round(seconds, 3),
        "ratio": round(seconds / baseline, 2),
        "reimport_seconds": round(reimport_seconds, 3),
        "reimport_ratio": round(reimport_seconds / baseline, 2),
        "grid_seconds": round(grid_seconds, 3),
        "grid_queries": grid_queries,
        "grid_stations": len(grid.rows),
        "grid_seconds_one_town": round(small_seconds, 3),
        "grid_queries_one_town": small_queries,
        "grid_stations_one_town": len(small.rows),
        "budget_ratio": BUDGET_RATIO,
    }
    verdict = "within" if result["ratio"] <= BUDGET_RATIO else "ABOVE"
    print(
        f"ratio import/baseline {result['ratio']}x, re-import/baseline {result['reimport_ratio']}x "
        f"({verdict} the budget of {BUDGET_RATIO}x) on {machine()}, load average at start {load}",
        flush=True,
    )
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
    if args.check and result["ratio"] > BUDGET_RATIO:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
