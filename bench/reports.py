"""Bench: the monthly work report and the data analysis report over a year of daily reports of
1,000 stations, figures, PDF and .xlsx.

Run from the repository root, with nothing set up beforehand:

    .venv/bin/python bench/reports.py                   # about 830,000 records, temporary SQLite
    .venv/bin/python bench/reports.py --records 100000  # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reports.py

What it does:

1. A throw-away database (``scratch.Scratch``: a temporary SQLite file, or a scratch PostgreSQL
   database ``bench_reports`` on the server DATABASE_URL names, dropped at the end), ``migrate``,
   and the shipped contract loaded so that today falls in phase 2.
2. The county's records from ``bench/kpi.py``'s generators (every kind the contract measures, the
   stations' daily reports, app check-ins and premium-station ledgers, the sales ledger …), at a
   scale that gives about 1,000 stations (``--records`` 833,333 by default: kpi's 1,200 stations per
   1,000,000 records), in two steps: 10% of every kind, then the other 90%.
3. After each step, counts the SQL queries of the figures of both reports for last month
   (CaptureQueriesContext): the count must not grow with the records.
4. After the full set, times each report end to end: the figures (``reports.figures``), the PDF
   (WeasyPrint with the matplotlib charts) and the .xlsx, as the build job does; median of
   ``--runs``.
5. Prints the figures and, as the last line, one JSON object. The budget is ``BUDGET_SECONDS`` per
   report; ``--check`` makes the exit status fail above it.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
for path in (str(REPO), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

import kpi  # noqa: E402  (bench/ is the script's own directory)
from scratch import Scratch  # noqa: E402

BUDGET_SECONDS = 30
SCRATCH_DB = "bench_reports"
DEFAULT_RECORDS = 833_333  # kpi's shape has 1,200 stations per 1,000,000 records: 1,000 stations


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", type=int, default=DEFAULT_RECORDS, help="records in all (default 833333)"
    )
    parser.add_argument("--runs", type=int, default=1, help="timed runs of each report (median)")
    parser.add_argument("--check", action="store_true", help=f"exit with status 1 above {BUDGET_SECONDS} s")
    return parser.parse_args(argv)


def queries_of(contract, period) -> dict[str, list[str]]:
    """The SQL of each report's figures, as templates (literals blanked) so that two sizes compare."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from muxiang.reports.figures import build_figures

    statements = {}
    for kind in ("monthly", "analysis"):
        with CaptureQueriesContext(connection) as queries:
            build_figures(kind, contract, period)
        statements[kind] = [
            re.sub(r"IN \((?:\?, )*\?\)", "IN (…)", re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]))
            for q in queries.captured_queries
        ]
    return statements


def differences(small: dict, full: dict) -> list[str]:
    lines = []
    for kind in small:
        extra = Counter(small[kind]) - Counter(full[kind])
        fewer = Counter(full[kind]) - Counter(small[kind])
        lines += [f"{kind}: only at 10% ×{n}: {sql[:160]}" for sql, n in extra.items()]
        lines += [f"{kind}: only in full ×{n}: {sql[:160]}" for sql, n in fewer.items()]
    return lines


def count(statements: dict) -> dict[str, int]:
    return {kind: len(sql) for kind, sql in statements.items()}


def one_report(kind: str, contract, period) -> dict[str, float]:
    from muxiang.reports.figures import build_figures
    from muxiang.reports.render import render_pdf, render_xlsx

    texts = {"problems": "部分站点日报迟报。", "plan": "开展站点巡查。"} if kind == "monthly" else {}
    started = time.perf_counter()
    snapshot = build_figures(kind, contract, period)
    figures = time.perf_counter()
    pdf = render_pdf(snapshot, texts)
    rendered = time.perf_counter()
    xlsx = render_xlsx(snapshot, texts)
    done = time.perf_counter()
    return {
        "figures": figures - started,
        "pdf": rendered - figures,
        "xlsx": done - rendered,
        "total": done - started,
        "pdf_bytes": len(pdf),
        "xlsx_bytes": len(xlsx),
    }


def run(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from muxiang.contracts.services import load_contract
    from muxiang.operations.models import StationDailyReport
    from muxiang.reports.services import previous_month
    from muxiang.stations.models import Station

    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    today = timezone.localdate()
    start = kpi.contract_start(today)
    call_command("migrate", verbosity=0, interactive=False)
    gen = kpi.Generator(args.records, start, today)
    kpi.add_county(gen)
    contract = load_contract(kpi.CONTRACT_FILE.read_text(encoding="utf-8"), start=start)
    gen.contract = contract
    gen.requirements = {}
    for target in contract.targets.all():
        gen.requirements.setdefault(target.metric, [])
        gen.requirements[target.metric] += [
            r for r in target.evidence or () if r not in gen.requirements[target.metric]
        ]
    period = previous_month(today)
    print(f"database: {connection.vendor}; contract {contract.key}; report period {period.text}; load {load}")

    seconds = kpi.generate(gen, 0.0, 0.1)
    small_records = gen.records
    queries_of(contract, period)  # warm-up: the content types are read once per process, then cached
    small = queries_of(contract, period)
    print(f"generated {small_records:,} records (10%) in {seconds:.1f} s; queries {count(small)}", flush=True)

    seconds = kpi.generate(gen, 0.1, 1.0)
    full = queries_of(contract, period)
    stations = Station.objects.count()
    reports = StationDailyReport.objects.count()
    last_year = StationDailyReport.objects.filter(day__gte=today.replace(year=today.year - 1)).count()
    print(
        f"generated {gen.records:,} records in all ({seconds:.1f} s for the other 90%): {stations:,} stations, "
        f"{reports:,} daily reports ({last_year:,} in the last year); queries {count(full)}",
        flush=True,
    )
    for line in differences(small, full):
        print("    " + line)
    timings = {}
    for kind in ("monthly", "analysis"):
        one_report(kind, contract, period)  # warm-up: fonts, templates, matplotlib
        runs = [one_report(kind, contract, period) for _run in range(args.runs)]
        median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        timings[kind] = median
        print(
            f"{kind}: {median['total']:.2f} s (figures {median['figures']:.2f} s, PDF {median['pdf']:.2f} s "
            f"[{median['pdf_bytes'] / 1024:.0f} KB], xlsx {median['xlsx']:.2f} s)",
            flush=True,
        )
    load_after = "/".join(f"{v:.1f}" for v in os.getloadavg())
    monthly, analysis = timings["monthly"]["total"], timings["analysis"]["total"]
    return {
        "bench": "reports",
        "database": connection.vendor,
        "records": gen.records,
        "stations": stations,
        "daily_reports": reports,
        "monthly_seconds": round(monthly, 2),
        "monthly_figures_seconds": round(timings["monthly"]["figures"], 2),
        "analysis_seconds": round(analysis, 2),
        "analysis_figures_seconds": round(timings["analysis"]["figures"], 2),
        "queries_small": sum(count(small).values()),
        "queries_full": sum(count(full).values()),
        "queries_equal": count(small) == count(full),
        "budget_seconds": BUDGET_SECONDS,
        "within_budget": monthly < BUDGET_SECONDS
        and analysis < BUDGET_SECONDS
        and count(small) == count(full),
        "load": f"{load} → {load_after}",
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    scratch = Scratch(SCRATCH_DB)
    try:
        scratch.prepare()
        result = run(args)
    finally:
        scratch.cleanup()
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if args.check and not result["within_budget"] else 0


if __name__ == "__main__":
    sys.exit(main())
