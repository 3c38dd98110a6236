"""Bench: the public scan page served as in production, against a trivial view on the same server.

Run from the repository root:

    .venv/bin/python bench/trace_scan.py                      # 15 s per target, 8 client threads
    .venv/bin/python bench/trace_scan.py --seconds 5          # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/trace_scan.py

What it does:

1. A throw-away database (``bench/scratch.py``), migrated, with one enrolled producer, a batch with
   its events and papers, 20,000 codes issued and 10,000 bound to the batch.
2. A settings module in the scratch directory: the project's settings, plus a trivial view
   (``/bench/hello``, a constant text response) and no per-client rate limit (every request comes
   from 127.0.0.1).
3. gunicorn as docs/operations.md serves it: ``--worker-class gthread --workers 2 --threads 4`` on a
   free port of 127.0.0.1, and the background worker (``muxiang run_huey``), which writes the
   queued scans to the database every few seconds while the load runs.
4. From a second process (``multiprocessing``), ``--threads`` client threads on keep-alive
   connections, for ``--seconds`` each: first ``/T/<code>`` of random bound codes (every request is
   a logged, counted scan), then ``/bench/hello``. Requests per second and p50/p99 latency of each.
5. After the load: the worker stopped, a last flush (timed), and a check that the database holds
   exactly one scan row per answered scan request and the codes' counters add up to them.
6. Budget: the scan page at least half the trivial view's throughput (``--check`` fails below).
"""

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import Scratch

REPO = Path(__file__).resolve().parents[1]
BUDGET_SHARE = 0.5
SCRATCH_DB = "bench_muxiang_trace_scan"

SETTINGS = """
from muxiang.settings import *  # noqa: F403

ROOT_URLCONF = "bench_trace_urls"
TRACE_SCANS_PER_MINUTE = 10**9
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
"""
URLS = """
from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello", hello), path("", include("muxiang.urls"))]
"""


def prepare_data(count: int) -> list[str]:
    import django

    django.setup()
    import datetime
    from decimal import Decimal

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from muxiang.contracts.services import load_contract
    from muxiang.organisations.models import Organisation
    from muxiang.supply.models import Product
    from muxiang.trace.models import Batch, Certificate, Enterprise, TraceEvent
    from muxiang.trace.services import bind_code_range, issue_trace_codes

    sample = REPO / "muxiang/contracts/tests/data/sample-county.toml"
    contract = load_contract(sample.read_text(encoding="utf-8"))
    organisation = Organisation.objects.create(name="乌拉特中旗草原牧歌肉业有限公司", kind="enterprise")
    enterprise = Enterprise.objects.create(
        contract=contract,
        organisation=organisation,
        enrolled_on="2026-01-10",
        industry="肉羊",
        regional_brand="乌拉特中旗羊肉",
    )
    product = Product.objects.create(
        code="SP-0001", name="乌拉特羊肉礼盒", specification="2.5kg", producer=organisation
    )
    batch = Batch.objects.create(
        enterprise=enterprise,
        product=product,
        lot="L20260301",
        kind="slaughter",
        produced_on=datetime.date(2026, 3, 1),
        quantity=Decimal(count),
        story="羊只在巴音哈太牧场自然放牧 10 个月。",
    )
    from django.utils import timezone

    for day, step, place in (
        (0, "slaughtering", "定点屠宰厂"),
        (1, "processing", "分割车间"),
        (3, "shipping", "冷库"),
    ):
        TraceEvent.objects.create(
            batch=batch,
            step=step,
            place=place,
            occurred_at=timezone.make_aware(datetime.datetime(2026, 3, 1 + day, 9)),
        )
    Certificate.objects.create(
        batch=batch, kind="compliance_certificate", issuer=organisation.name, issued_on="2026-03-02"
    )
    run = issue_trace_codes(organisation, count * 2, None, issued_on=datetime.date(2026, 3, 5))
    roll = run.tracecode_set.order_by("serial").values_list("code", flat=True)
    bind_code_range(roll[0], roll[count - 1], batch, None)
    from django.db import connections

    bound = list(batch.codes.values_list("code", flat=True))
    connections.close_all()
    return bound


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(port: int, paths, seconds: float, threads: int, queue) -> None:
    """The client process: ``threads`` keep-alive connections hitting ``paths()`` for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        bad = 0
        while time.perf_counter() < stop:
            path = paths(rng)
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"User-Agent": "bench-trace-scan"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    queue.put(
        {
            "requests": len(latencies),
            "errors": errors[0],
            "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
            "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        }
    )


def measure(port, paths, seconds, threads) -> dict:
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=load, args=(port, paths, seconds, threads, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


class ScanPaths:
    def __init__(self, codes):
        self.codes = codes

    def __call__(self, rng):
        return f"/T/{rng.choice(self.codes)}"


def hello_path(rng):
    return "/bench/hello"


def check_stored(scan: dict) -> dict:
    """The last flush, timed, and the check that every answered scan is stored exactly once."""
    from django.db.models import Sum

    from muxiang.trace.models import Scan, TraceCode
    from muxiang.trace.scans import flush_scans

    start = time.perf_counter()
    last = flush_scans()
    flush_s = time.perf_counter() - start
    rows = Scan.objects.count()
    counted = TraceCode.objects.aggregate(n=Sum("scan_count"))["n"] or 0
    answered = scan["requests"] - scan["errors"]
    assert rows == counted == answered, (rows, counted, answered)
    return {"scan_rows": rows, "last_flush_rows": last, "last_flush_s": round(flush_s, 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    scratch = Scratch(SCRATCH_DB)
    server = worker = None
    try:
        scratch.prepare()
        (scratch.var_dir / "bench_trace_settings.py").write_text(SETTINGS)
        (scratch.var_dir / "bench_trace_urls.py").write_text(URLS)
        sys.path.insert(0, str(scratch.var_dir))
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench_trace_settings"
        bound = prepare_data(args.codes)
        port = free_port()
        env = {**os.environ, "PYTHONPATH": f"{scratch.var_dir}{os.pathsep}{REPO}"}
        server = subprocess.Popen(
            [
                str(REPO / ".venv/bin/gunicorn"),
                "muxiang.wsgi",
                "--worker-class",
                "gthread",
                "--workers",
                "2",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=REPO,
        )
        worker = subprocess.Popen([sys.executable, "-m", "muxiang", "run_huey", "--quiet"], env=env, cwd=REPO)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        measure(port, hello_path, 1, 2)  # warm both workers
        scan = measure(port, ScanPaths(bound), args.seconds, args.threads)
        hello = measure(port, hello_path, args.seconds, args.threads)
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        server = worker = None
        written = check_stored(scan)
    finally:
        for process in (server, worker):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        scratch.cleanup()
    share = round(scan["rps"] / hello["rps"], 2) if hello["rps"] else 0
    from django.db import connection

    result = {
        "bench": "trace_scan",
        "database": connection.vendor,
        "scan": scan,
        "hello": hello,
        "share": share,
        "stored": written,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_at_end": os.getloadavg()[0],
    }
    verdict = "within" if share >= BUDGET_SHARE else "BELOW"
    print(
        f"scan page {scan['rps']} req/s (p99 {scan['p99_ms']} ms), trivial view {hello['rps']} req/s "
        f"(p99 {hello['p99_ms']} ms): share {share} ({verdict} the budget of {BUDGET_SHARE})",
        flush=True,
    )
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if args.check and share < BUDGET_SHARE else 0


if __name__ == "__main__":
    sys.exit(main())
