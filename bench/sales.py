"""Bench: the sales target over 1,000,000 sales rows — the per-phase sum of the contract metric
(``sales.amount``, evidenced sales only) and the list page's totals by channel and by phase —
against the bare SQL aggregates that answer the same questions.

Run from the repository root, with nothing set up beforehand:

    .venv/bin/python bench/sales.py                   # 1,000,000 sales, SQLite
    .venv/bin/python bench/sales.py --rows 100000     # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/sales.py

What it does:

1. A throw-away database (``bench/scratch.py``): a temporary SQLite file, or the scratch database
   ``bench_muxiang_sales`` on the PostgreSQL server of DATABASE_URL, dropped at the end.
2. ``migrate``, the shipped contract (three 12-month phases from 2025-01-01), a county, 20 sellers,
   8 products; ``--rows`` sales spread over the three phases and the eight channels, and a
   ``sales_proof`` evidence row on 95% of them, both written with ``core.bulk.insert_rows``;
   then ANALYZE.
3. Times (median of 5, after one warm-up), each with its bare SQL twin:
   a. the metric: ``measure("sales.amount", phase 1)`` with the target's evidence requirement;
   b. the page's totals by channel (``services.totals_by_channel``) over the contract's sales;
   c. the page's totals by phase (``services.totals_by_phase``: count, yuan, evidenced yuan).
4. Prints a summary and, as the last line, one JSON object. Budget: every figure under
   ``BUDGET_SECONDS`` and at most ``BUDGET_RATIO`` times its bare SQL; ``--check`` makes the exit
   status fail otherwise.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scratch import Scratch  # noqa: E402  (bench/ is the script's own directory)

BUDGET_SECONDS = 1.0
BUDGET_RATIO = 2.0
SCRATCH_DB = "bench_muxiang_sales"
START = datetime.date(2025, 1, 1)
CHANNELS = [
    "farm_market",
    "supermarket",
    "community_chain",
    "welfare_procurement",
    "ecommerce",
    "group_buying",
    "social_media",
    "special",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when over budget")
    return parser.parse_args(argv)


def timed(function, repeat=5):
    function()  # warm the page cache and the connection
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def create_fixtures(rows: int):
    from django.contrib.contenttypes.models import ContentType

    from muxiang.contracts.services import load_contract
    from muxiang.core.bulk import insert_rows
    from muxiang.core.models import Evidence
    from muxiang.demo.services import SHIPPED_CONTRACT
    from muxiang.organisations.models import Organisation
    from muxiang.regions.models import Region
    from muxiang.sales.models import Sale
    from muxiang.supply.models import Product

    contract = load_contract(SHIPPED_CONTRACT.read_text(encoding="utf-8"), start=START)
    county = Region.objects.create(name="乌拉特中旗", level="county", code="150824")
    contract.county = county
    contract.save()
    sellers = [Organisation.objects.create(name=f"销售主体{n}", kind="cooperative") for n in range(20)]
    products = [Product.objects.create(code=f"SP-{n:04d}", name=f"商品{n}") for n in range(8)]
    phases = list(contract.phases.all())
    first, last = phases[0].start, phases[-1].end
    span = (last - first).days + 1
    rng = random.Random(150824)
    content_type = ContentType.objects.get_for_model(Sale).pk
    now = datetime.datetime.now(datetime.UTC)
    chunk = 100_000
    for begin in range(0, rows, chunk):
        batch = []
        for n in range(begin, min(rows, begin + chunk)):
            channel = CHANNELS[n % 8]
            batch.append(
                {
                    "contract_id": contract.pk,
                    "source": "抖音小店" if n % 2 else "销售单据",
                    "order_number": f"{n:010d}",
                    "sold_on": first + datetime.timedelta(days=rng.randrange(span)),
                    "seller_id": sellers[n % 20].pk,
                    "product_id": products[n % 8].pk,
                    "quantity": Decimal(rng.randint(1, 50)),
                    "amount": Decimal(rng.randint(1000, 99999)) / 100,
                    "channel": channel,
                    "mode": "online"
                    if channel in ("ecommerce", "group_buying", "social_media")
                    else "offline",
                    "buyer_kind": "consumer",
                }
            )
        pks = insert_rows(Sale, batch, defaults={"created_at": now, "updated_at": now})
        evidence = [
            {
                "content_type_id": content_type,
                "object_id": pk,
                "file": "evidence/bench.pdf",
                "original_name": "销售证明.pdf",
                "kind": "sales_proof",
                "sha256": "0" * 64,
                "size": 1,
                "mime_type": "application/pdf",
                "extension": ".pdf",
            }
            for index, pk in enumerate(pks)
            if index % 20 != 7
        ]
        insert_rows(Evidence, evidence, defaults={"created_at": now, "updated_at": now}, returning=False)
        print(f"  {min(rows, begin + chunk):,} sales written", flush=True)
    return contract, content_type


def bare(sql: str, params: list):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def run(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from muxiang.contracts.engine import EVIDENCE_PARAM, Window, measure
    from muxiang.sales import services
    from muxiang.sales.models import Sale

    start = time.perf_counter()
    contract, content_type = create_fixtures(args.rows)
    print(f"fixtures: {args.rows:,} sales in {time.perf_counter() - start:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    phases = list(contract.phases.all())
    phase = phases[0]
    window = Window(phase.start, phase.end, phase.end)
    evidenced = (
        "EXISTS (SELECT 1 FROM core_evidence e WHERE e.content_type_id = %s AND e.object_id = s.id "
        "AND e.deleted_at IS NULL AND e.kind IN ('sales_proof'))"
    )
    results = {}

    figure, seconds = timed(
        lambda: measure("sales.amount", window, {EVIDENCE_PARAM: ("sales_proof",)}, contract)
    )
    [(bare_figure,)], bare_seconds = timed(
        bare(
            f"SELECT SUM(s.amount) FROM sales_sale s WHERE s.contract_id = %s AND s.deleted_at IS NULL "
            f"AND s.sold_on BETWEEN %s AND %s AND {evidenced}",
            [contract.pk, phase.start, phase.end, content_type],
        )
    )
    # SQLite sums decimals as floats: the two agree to the fen.
    assert abs(Decimal(str(bare_figure)) - figure) < Decimal("0.01"), (bare_figure, figure)
    results["metric"] = (seconds, bare_seconds)

    sales = Sale.objects.filter(contract=contract)
    channels, seconds = timed(lambda: services.totals_by_channel(sales))
    bare_rows, bare_seconds = timed(
        bare(
            "SELECT channel, COUNT(*), SUM(amount) FROM sales_sale WHERE contract_id = %s "
            "AND deleted_at IS NULL GROUP BY channel",
            [contract.pk],
        )
    )
    assert sum(t.count for t in channels) == args.rows == sum(r[1] for r in bare_rows)
    results["channel_totals"] = (seconds, bare_seconds)

    by_phase, seconds = timed(lambda: services.totals_by_phase(sales, contract))
    columns = ", ".join(
        f"COUNT(*) FILTER (WHERE s.sold_on BETWEEN %s AND %s), SUM(s.amount) FILTER (WHERE s.sold_on BETWEEN %s AND %s), "
        f"SUM(s.amount) FILTER (WHERE s.sold_on BETWEEN %s AND %s AND {evidenced})"
        for _p in phases
    )
    params = [v for p in phases for v in (p.start, p.end, p.start, p.end, p.start, p.end, content_type)]
    _rows, bare_seconds = timed(
        bare(
            f"SELECT {columns} FROM sales_sale s WHERE s.contract_id = %s AND s.deleted_at IS NULL",
            [*params, contract.pk],
        )
    )
    assert abs(by_phase[0].counted - figure) < Decimal("0.01"), (by_phase[0].counted, figure)
    results["phase_totals"] = (seconds, bare_seconds)

    summary = {
        "bench": "sales",
        "database": connection.vendor,
        "rows": args.rows,
        "budget_seconds": BUDGET_SECONDS,
        "budget_ratio": BUDGET_RATIO,
    }
    ok = True
    for name, (seconds, bare_seconds) in results.items():
        ratio = seconds / bare_seconds if bare_seconds else 0
        within = seconds < BUDGET_SECONDS and ratio <= BUDGET_RATIO
        ok &= within
        print(
            f"{name}: {seconds:.3f} s, bare SQL {bare_seconds:.3f} s, ratio {ratio:.2f} "
            f"({'within' if within else 'ABOVE'} budget)",
            flush=True,
        )
        summary[f"{name}_seconds"] = round(seconds, 3)
        summary[f"{name}_bare_seconds"] = round(bare_seconds, 3)
        summary[f"{name}_ratio"] = round(ratio, 2)
    summary["within_budget"] = ok
    return summary


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
