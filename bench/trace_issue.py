"""Bench: issuing 1,000,000 trace codes and storing them, against merely generating the same number
of codes in memory.

Run from the repository root, with nothing set up beforehand:

    .venv/bin/python bench/trace_issue.py                  # 1,000,000 codes, SQLite
    .venv/bin/python bench/trace_issue.py --count 100000   # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/trace_issue.py

What it does:

1. A throw-away database (``bench/scratch.py``): a temporary SQLite file, or the scratch database
   ``bench_muxiang_trace_issue`` on the PostgreSQL server of DATABASE_URL, dropped at the end.
2. ``migrate``, the sample contract, an organisation enrolled in the trace system.
3. Times (time.perf_counter):
   a. the baseline: ``codes.generate(count)``, the codes drawn and encoded in memory (median of 3);
   b. the issue: ``services.issue_trace_codes(producer, count, None)``, one run, codes stored;
      checks the run holds ``count`` distinct valid codes.
4. Prints the figures and, as the last line, one JSON object. Budget: issue / generate ≤ 4 on
   SQLite; ``--check`` makes the exit status fail above it.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import Scratch

BUDGET_RATIO = 4.0
SCRATCH_DB = "bench_muxiang_trace_issue"


def run(count: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from muxiang.contracts.services import load_contract
    from muxiang.organisations.models import Organisation
    from muxiang.trace import codes
    from muxiang.trace.models import Enterprise, TraceCode
    from muxiang.trace.services import issue_trace_codes

    sample = Path(__file__).resolve().parents[1] / "muxiang/contracts/tests/data/sample-county.toml"
    contract = load_contract(sample.read_text(encoding="utf-8"))
    organisation = Organisation.objects.create(name="乌拉特中旗草原牧歌肉业有限公司", kind="enterprise")
    Enterprise.objects.create(
        contract=contract, organisation=organisation, enrolled_on="2026-01-10", industry="肉羊"
    )

    codes.generate(1)  # the lookup tables are built once per process, not part of either figure
    baseline = []
    for _ in range(3):
        start = time.perf_counter()
        codes.generate(count)
        baseline.append(time.perf_counter() - start)
    generate_s = statistics.median(baseline)

    start = time.perf_counter()
    run = issue_trace_codes(organisation, count, None, issued_on=contract.phases.first().start)
    issue_s = time.perf_counter() - start

    stored = TraceCode.objects.filter(run=run).count()
    assert stored == count, (stored, count)
    sample_codes = TraceCode.objects.filter(run=run).order_by("?").values_list("code", flat=True)[:1000]
    assert all(codes.is_valid(c) for c in sample_codes)
    from django.db import connection

    return {
        "bench": "trace_issue",
        "database": connection.vendor,
        "count": count,
        "generate_s": round(generate_s, 3),
        "issue_s": round(issue_s, 3),
        "ratio": round(issue_s / generate_s, 2),
        "codes_per_s": round(count / issue_s),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_at_start": os.getloadavg()[0],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--check", action="store_true", help="fail above the budget")
    args = parser.parse_args(argv)
    scratch = Scratch(SCRATCH_DB)
    try:
        scratch.prepare()
        result = run(args.count)
    finally:
        scratch.cleanup()
    verdict = "within" if result["ratio"] <= BUDGET_RATIO else "ABOVE"
    print(
        f"issued {result['count']:,} codes in {result['issue_s']} s, generating them alone {result['generate_s']} s: "
        f"ratio {result['ratio']}x ({verdict} the budget of {BUDGET_RATIO}x), load {result['load_at_start']}",
        flush=True,
    )
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if args.check and result["ratio"] > BUDGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
