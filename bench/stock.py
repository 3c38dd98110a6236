"""Bench: concurrent writers on the stock ledger.

1. A throw-away database (``bench/scratch.py``): a temporary SQLite file, or — when DATABASE_URL
   names a PostgreSQL server — a scratch database created for the run and dropped after (the
   database named in the URL is never touched).
2. ``migrate``, one county warehouse, 100 products.
3. 4 writers (threads, each with its own database connection) post 20,000 movements in all
   against those 100 products through ``supply.services.post_movements`` — 55% receipts, 45%
   deliveries, dated over 60 days so that many are back-dated behind later ones. A delivery the
   stock cannot bear is refused (as the rule says) and counts as refused, not posted.
4. Check that no (stock point, product) balance is below zero on any day (one window query) and
   that the balances add up to the posted movements.

Run from the repository root: ``.venv/bin/python bench/stock.py`` (SQLite: the writers serialise
on the database lock) or ``DATABASE_URL=postgres://… .venv/bin/python bench/stock.py``.
The last line printed is one JSON object.
"""

import datetime
import json
import os
import random
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import Scratch

SCRATCH_DB = "muxiang_bench_stock"
WRITERS = int(os.environ.get("BENCH_WRITERS", "4"))
ATTEMPTS = int(os.environ.get("BENCH_MOVEMENTS", "20000"))
PRODUCTS = 100
FIRST_DAY = datetime.date(2026, 3, 1)
DAYS = 60


def run() -> dict:
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import OperationalError, connection, connections
    from django.db.models import Sum

    call_command("migrate", verbosity=0, interactive=False)
    from muxiang.core import audit
    from muxiang.supply import services
    from muxiang.supply.models import Product, StockMovement, Warehouse

    warehouse = Warehouse.objects.create(code="CK-B", name="基准测试仓", kind="county")
    products = Product.objects.bulk_create(
        [Product(code=f"B-{n:03d}", name=f"基准商品{n}", unit="件") for n in range(PRODUCTS)]
    )
    counts = {"posted": 0, "refused": 0, "retried": 0}
    lock = threading.Lock()

    def writer(number: int, attempts: int) -> None:
        rng = random.Random(number)
        try:
            with audit.change_context(source="system"):
                for _ in range(attempts):
                    product = rng.choice(products)
                    day = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
                    receipt = rng.random() < 0.55
                    quantity = Decimal(rng.randint(5, 40) if receipt else -rng.randint(1, 25))
                    posting = services.Posting(
                        warehouse, product, day, quantity, "receipt" if receipt else "delivery"
                    )
                    for _retry in range(20):
                        try:
                            services.post_movements([posting], None)
                            outcome = "posted"
                        except ValidationError:
                            outcome = "refused"
                        except OperationalError:  # SQLite: the database stayed locked too long
                            with lock:
                                counts["retried"] += 1
                            continue
                        break
                    with lock:
                        counts[outcome] += 1
        finally:
            connections.close_all()

    share = [ATTEMPTS // WRITERS + (1 if n < ATTEMPTS % WRITERS else 0) for n in range(WRITERS)]
    threads = [threading.Thread(target=writer, args=(n, share[n])) for n in range(WRITERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started

    negative = services.negative_balance_days()
    stored = StockMovement.objects.count()
    total = StockMovement.objects.aggregate(total=Sum("quantity"))["total"] or Decimal(0)
    balances_total = sum(
        b.quantity for b in services.balances(warehouse, FIRST_DAY + datetime.timedelta(days=DAYS))
    )
    return {
        "bench": "stock",
        "database": connection.vendor,
        "writers": WRITERS,
        "products": PRODUCTS,
        "attempts": ATTEMPTS,
        "posted": counts["posted"],
        "refused": counts["refused"],
        "lock_retries": counts["retried"],
        "movements_stored": stored,
        "seconds": round(seconds, 2),
        "attempts_per_second": round(ATTEMPTS / seconds, 1),
        "movements_per_second": round(counts["posted"] / seconds, 1),
        "negative_balance_days": len(negative),
        "balances_match_movements": balances_total == total and stored == counts["posted"],
        "ok": not negative and stored == counts["posted"],
    }


def main() -> None:
    scratch = Scratch(SCRATCH_DB)
    try:
        scratch.prepare()
        result = run()
    finally:
        scratch.cleanup()
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
