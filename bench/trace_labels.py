"""Bench: a label sheet PDF of 60,000 trace codes, against merely encoding the 60,000 QR matrices.

Run from the repository root:

    .venv/bin/python bench/trace_labels.py                 # 60,000 labels, A4 40-up
    .venv/bin/python bench/trace_labels.py --count 2000    # a quick run

A throw-away SQLite database (``bench/scratch.py``), one run of ``--count`` codes issued, then
(time.perf_counter):

a. the baseline: ``segno.make(url, error="m")`` for every code's URL (the QR matrices alone);
b. the sheet: ``labels.build_label_sheet(run, "a4-40", path)``, the PDF written.

Prints labels per second and the ratio sheet / baseline, and as the last line one JSON object.
Budget: ratio at most 1.5 (``--check`` fails above it).
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import Scratch

BUDGET_RATIO = 1.5
SCRATCH_DB = "bench_muxiang_trace_labels"


def run(count: int, var_dir: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import segno

    from muxiang.contracts.services import load_contract
    from muxiang.organisations.models import Organisation
    from muxiang.supply.models import Product
    from muxiang.trace.labels import build_label_sheet, code_url
    from muxiang.trace.models import Enterprise, TraceCode
    from muxiang.trace.services import issue_trace_codes

    sample = Path(__file__).resolve().parents[1] / "muxiang/contracts/tests/data/sample-county.toml"
    contract = load_contract(sample.read_text(encoding="utf-8"))
    organisation = Organisation.objects.create(name="乌拉特中旗草原牧歌肉业有限公司", kind="enterprise")
    Enterprise.objects.create(
        contract=contract, organisation=organisation, enrolled_on="2026-01-10", industry="肉羊"
    )
    product = Product.objects.create(code="SP-0001", name="乌拉特羊肉礼盒", producer=organisation)
    issued = issue_trace_codes(
        organisation, count, None, product=product, issued_on=contract.phases.first().start
    )
    urls = [code_url(c) for c in TraceCode.objects.filter(run=issued).values_list("code", flat=True)]

    start = time.perf_counter()
    for url in urls:
        segno.make(url, error="m", micro=False)
    baseline_s = time.perf_counter() - start

    path = var_dir / "labels.pdf"
    start = time.perf_counter()
    build_label_sheet(issued, "a4-40", path)
    sheet_s = time.perf_counter() - start
    return {
        "bench": "trace_labels",
        "count": count,
        "baseline_s": round(baseline_s, 3),
        "sheet_s": round(sheet_s, 3),
        "labels_per_s": round(count / sheet_s, 1),
        "ratio": round(sheet_s / baseline_s, 2),
        "pdf_bytes": path.stat().st_size,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_at_start": os.getloadavg()[0],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60_000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    scratch = Scratch(SCRATCH_DB)
    try:
        scratch.prepare()
        result = run(args.count, scratch.var_dir)
    finally:
        scratch.cleanup()
    verdict = "within" if result["ratio"] <= BUDGET_RATIO else "ABOVE"
    print(
        f"{result['count']:,} labels in {result['sheet_s']} s ({result['labels_per_s']} labels/s); "
        f"QR matrices alone {result['baseline_s']} s: ratio {result['ratio']}x ({verdict} {BUDGET_RATIO}x)",
        flush=True,
    )
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if args.check and result["ratio"] > BUDGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
