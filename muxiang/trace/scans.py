"""The public page's fast path: what it needs of a code read from the cache, and the scan queued
rather than written — so that a scan costs about what a trivial page costs (bench/trace_scan.py).

**Page data.** A code's page needs the code's state, its batch and the first scan; the batch's
public story is cached apart (one entry per batch, shared by its codes). Both keys carry a
*generation* number, raised when anything a consumer sees may have changed — a code bound or
voided, a batch, product, producer, base, paper or event saved (``signals``): every entry of the
old generation is then out of use at once. Entries also expire (``PAGE_SECONDS``), which bounds how
long a process-local cache (LocMemCache, without Redis) may show a change made in another process.

**Count.** The count shown is a cache counter per code (``cache.incr``: atomic in Redis and within
a process), started from the stored count when absent. Without Redis each server process counts
its own scans on top of the stored count until its counter expires (``COUNT_SECONDS``); the stored
count, written by the flush, is exact either way.

**Queue.** Each scan is appended as one line to a journal file (``TRACE_SCAN_QUEUE_DIR``, under
the var directory) — one ``write`` to a file opened ``O_APPEND``, which the kernel places at the end
as a whole — and the background worker writes the queued scans to the database in bulk
(``flush_scans``): at least every ``FLUSH_SECONDS`` after a scan, and at once when the journal
passes ``FLUSH_BYTES``. The guarantee, with or without Redis:

- a scan whose page was answered is in the journal: the line is written before the response, and
  a write to a file survives the server process being killed (only a crash of the machine itself
  can lose the last lines the kernel had not yet written to disk; ``TRACE_SCAN_FSYNC`` closes that
  too, at the cost of a disk flush per scan);
- the flush first renames the journal (writers then start a new one) and takes an exclusive lock
  on the renamed file, which waits for any writer still holding the shared lock it appends under;
  a writer that locked the old file after the rename sees that its file is no longer the journal
  and appends to the new one instead. So no line is written to a file after the flush read it;
- the scans of a file and a ``ScanFlush`` row naming the file are committed in one transaction,
  and only then is the file removed: a flush that fails leaves the file for the next one, and a
  flush interrupted between commit and removal finds the name and only removes the file. A scan
  is written once, never lost, never twice.

The anomaly rules run at the flush, in the scans' time order, over the stored scans.
"""

import datetime
import fcntl
import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from muxiang.trace import codes
from muxiang.trace.choices import CodeState, ScanOutcome

logger = logging.getLogger(__name__)

PAGE_SECONDS = 60  # a change made in another process shows within a minute without Redis
COUNT_SECONDS = 300
FLUSH_SECONDS = 5
FLUSH_BYTES = 1_000_000  # about 5,000 scans
JOURNAL = "scans.jsonl"
PENDING_SUFFIX = ".flushing"
CACHE_PREFIX = "trace"


def queue_dir() -> Path:
    return Path(getattr(settings, "TRACE_SCAN_QUEUE_DIR", None) or settings.VAR_DIR / "trace-scans")


# --------------------------------------------------------------------------------------------------
# Page data


def generation() -> int:
    return cache.get(f"{CACHE_PREFIX}:gen") or 0


def bump_generation() -> None:
    """Something a consumer sees changed: every cached page entry is out of use from now."""
    key = f"{CACHE_PREFIX}:gen"
    try:
        cache.incr(key)
    except ValueError:
        # Absent (or evicted): start above any value this or another process may still hold.
        cache.set(key, int(timezone.now().timestamp()), None)


@dataclass
class CodeData:
    """What the public page needs of a code, as cached."""

    code_id: int
    state: str
    batch_id: int | None
    scan_count: int
    first_scanned_at: datetime.datetime | None
    first_scan_place: str


def code_data(code: str, current: int | None = None) -> CodeData | None:
    """The page data of a code (canonical), from the cache or one indexed query; None if unknown.
    ``current`` is the generation, when the caller has read it already."""
    from muxiang.trace.models import TraceCode

    key = f"{CACHE_PREFIX}:code:{generation() if current is None else current}:{code}"
    data = cache.get(key)
    if data is None:
        reader = _sqlite_reader()
        if reader is not None:
            try:
                row = reader.execute(_CODE_SQL, (code,)).fetchone()
            except sqlite3.Error:  # the file replaced (a restore), or the like: open it afresh next time
                _readers.connection = None
                reader = None
            else:
                if row and row[4] is not None:
                    row = (*row[:4], _utc(row[4]), row[5])
        if reader is None:
            row = (
                TraceCode.objects.filter(code=code)
                .values_list("pk", "state", "batch_id", "scan_count", "first_scanned_at", "first_scan_place")
                .first()
            )
        data = CodeData(*row) if row else False  # unknown codes are cached too (guessers)
        cache.set(key, data, PAGE_SECONDS)
    return data or None


_CODE_SQL = (
    "SELECT id, state, batch_id, scan_count, first_scanned_at, first_scan_place "
    "FROM trace_tracecode WHERE code = ?"
)
_readers = threading.local()


def _sqlite_reader():
    """On SQLite, a read-only connection kept open by each server thread for the code lookup.

    The project opens an SQLite connection per request (``CONN_MAX_AGE = 0``), and when the last
    connection to a database in WAL mode closes, SQLite checkpoints and removes the WAL: with the
    scan page's one lookup that made a scan cost ~5 ms instead of ~0.1 ms. A read-only connection
    in autocommit mode holds no lock between queries and sees every commit. None on PostgreSQL
    (connections are kept there) and for an in-memory database (the tests')."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db() or not os.path.exists(name):
        return None
    reader = getattr(_readers, "connection", None)
    if reader is None or _readers.name != name:
        reader = sqlite3.connect(f"file:{name}?mode=ro", uri=True, check_same_thread=True, timeout=20)
        _readers.connection, _readers.name = reader, name
    return reader


def _utc(text: str) -> datetime.datetime:
    """A datetime as Django stores it in SQLite (UTC, without the zone)."""
    value = parse_datetime(text)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def story(batch_id: int):
    """The batch's public story (``services.public_story``), cached per batch."""
    from muxiang.trace.services import public_story

    key = f"{CACHE_PREFIX}:story:{generation()}:{batch_id}"
    found = cache.get(key)
    if found is None:
        found = public_story(batch_id)
        cache.set(key, found, PAGE_SECONDS)
    return found


def count_scan(data: CodeData, now, place: str) -> tuple[int, datetime.datetime, str]:
    """Count this scan on the code's counter; returns the count and the first scan's time and
    place as the page shows them."""
    key = f"{CACHE_PREFIX}:count:{data.code_id}"
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, data.scan_count, COUNT_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted at once: show the stored count and this scan
            count = data.scan_count + 1
    if data.first_scanned_at is None:
        # The first scan this process knows of: remembered for the next scans of the page data.
        first_key = f"{CACHE_PREFIX}:first:{data.code_id}"
        cache.add(first_key, (now, place), COUNT_SECONDS)
        return count, *(cache.get(first_key) or (now, place))
    return count, data.first_scanned_at, data.first_scan_place


# --------------------------------------------------------------------------------------------------
# The queue


@dataclass
class QueuedScan:
    """One scan as queued and as stored."""

    asked: str
    code_id: int | None
    outcome: str
    scanned_at: datetime.datetime
    place: str = ""
    client: str = ""
    user_agent: str = ""
    latitude: float | None = None
    longitude: float | None = None

    def line(self) -> bytes:
        return (
            json.dumps(
                [
                    self.asked,
                    self.code_id,
                    self.outcome,
                    self.scanned_at.timestamp(),
                    self.place,
                    self.client,
                    self.user_agent,
                    self.latitude,
                    self.longitude,
                ],
                ensure_ascii=False,
            )
            + "\n"
        ).encode()

    @classmethod
    def from_line(cls, line: bytes) -> "QueuedScan":
        asked, code_id, outcome, at, place, client, agent, lat, lon = json.loads(line)
        return cls(
            asked,
            code_id,
            outcome,
            datetime.datetime.fromtimestamp(at, tz=datetime.UTC),
            place,
            client,
            agent,
            lat,
            lon,
        )


def queue_scan(scan: QueuedScan) -> None:
    """Append the scan to the journal (see the module's docstring for why this never loses it),
    and make sure a flush is coming."""
    directory = queue_dir()
    path = directory / JOURNAL
    line = scan.line()
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        except FileNotFoundError:
            directory.mkdir(parents=True, exist_ok=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                continue  # renamed by a flush between our open and lock: append to the next one
            mine = os.fstat(fd)
            if (mine.st_ino, mine.st_dev) != (current.st_ino, current.st_dev):
                continue
            os.write(fd, line)
            if getattr(settings, "TRACE_SCAN_FSYNC", False):
                os.fsync(fd)
            size = mine.st_size + len(line)
            break
        finally:
            os.close(fd)  # also releases the lock
    _schedule_flush(size >= FLUSH_BYTES)


_scheduled = [0.0]  # when this process last asked for a flush (time.monotonic)


def _schedule_flush(now: bool) -> None:
    """Ask the worker for a flush in ``FLUSH_SECONDS`` (at most one pending request per interval
    and process), or at once when the journal is large."""
    if not now:
        # Asked already by this process within the interval: no need to ask the cache.
        moment = time.monotonic()
        if moment - _scheduled[0] < FLUSH_SECONDS:
            return
        _scheduled[0] = moment
    key = f"{CACHE_PREFIX}:flush:{'now' if now else 'soon'}"
    if not cache.add(key, 1, 1 if now else FLUSH_SECONDS):
        return
    from muxiang.trace.tasks import flush_scans_task

    try:
        if now:
            flush_scans_task()
        else:
            flush_scans_task.schedule(delay=FLUSH_SECONDS)
    except Exception:  # the queue is down: the periodic flush picks the scans up
        logger.exception("could not schedule the scan flush")


def _pending_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{PENDING_SUFFIX}"))


def flush_scans() -> int:
    """Write every queued scan to the database; returns how many were written. Only one flush
    runs at a time (a lock file); another caller returns 0 at once."""
    directory = queue_dir()
    if not directory.exists():
        return 0
    with open(directory / ".flush.lock", "w") as guard:
        try:
            fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        journal = directory / JOURNAL
        if journal.exists() and journal.stat().st_size:
            name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{os.getpid()}{PENDING_SUFFIX}"
            os.rename(journal, directory / name)
        written = 0
        for path in _pending_files(directory):
            written += _flush_file(path)
        return written


def _flush_file(path: Path) -> int:
    from muxiang.trace.models import ScanFlush

    with open(path, "rb") as handle:
        # Waits for writers that locked the file before it was renamed; later ones go elsewhere.
        fcntl.flock(handle, fcntl.LOCK_EX)
        lines = handle.read().splitlines()
    queued = []
    for number, line in enumerate(lines, 1):
        try:
            queued.append(QueuedScan.from_line(line))
        except (ValueError, TypeError):  # a line cut short by a crash of the machine
            logger.warning("scan queue %s: line %s unreadable, skipped", path.name, number)
    with transaction.atomic():
        if ScanFlush.objects.filter(name=path.name).exists():
            written = 0
        else:
            store_scans(queued)
            ScanFlush.objects.create(name=path.name, scans=len(queued))
            written = len(queued)
    path.unlink()
    return written


# --------------------------------------------------------------------------------------------------
# Storing


def store_scans(queued: list[QueuedScan]) -> list:
    """Store scans: the log rows in one bulk insert, each code's counter raised by its scans in one
    statement per code (the first scan's time and place set only while empty), then the anomaly
    rules over them in time order. Returns the alerts raised."""
    from muxiang.core.bulk import insert_rows
    from muxiang.trace.anomalies import LIMITS, check_scan
    from muxiang.trace.models import Scan, TraceCode

    if not queued:
        return []
    queued = sorted(queued, key=lambda s: s.scanned_at)
    rows = [
        {
            "code_id": s.code_id,
            "asked": s.asked[:40],
            "scanned_at": s.scanned_at,
            "outcome": s.outcome,
            "place": s.place[:100],
            "client": s.client[:16],
            "user_agent": s.user_agent[:200],
            "latitude": s.latitude,
            "longitude": s.longitude,
        }
        for s in queued
    ]
    pks = insert_rows(Scan, rows)
    per_code: dict[int, list[QueuedScan]] = {}
    for scan in queued:
        if scan.code_id is not None:
            per_code.setdefault(scan.code_id, []).append(scan)
    table = TraceCode._meta.db_table
    ids = [int(code_id) for code_id in per_code]
    before: dict[int, int] = {}
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        # The ids are whole numbers (cast above), written into the statement: Django's IN (%s, …)
        # costs more per value than the query itself.
        for start in range(0, len(ids), 5_000):
            listed = ",".join(map(str, ids[start : start + 5_000]))
            cursor.execute(f"SELECT id, scan_count FROM {table} WHERE id IN ({listed})")
            before.update(cursor.fetchall())
        # SET expressions all read the row as it was, so the place is set from the old time.
        cursor.executemany(
            f"UPDATE {table} SET scan_count = scan_count + %s, "
            "first_scan_place = CASE WHEN first_scanned_at IS NULL THEN %s ELSE first_scan_place END, "
            "first_scanned_at = COALESCE(first_scanned_at, %s) WHERE id = %s",
            [
                (len(scans), scans[0].place[:100], adapt(scans[0].scanned_at), code_id)
                for code_id, scans in per_code.items()
            ],
        )
    # The rules, in time order, for the scans that can trigger one (most scans cannot: a bound
    # code, scanned a few times, with no place): the code instances only for those.
    running = dict(before)
    candidates = []
    for scan, pk, row in zip(queued, pks, rows, strict=True):
        count = 0
        if scan.code_id is not None:
            count = running[scan.code_id] = running.get(scan.code_id, 0) + 1
        if (
            scan.outcome != ScanOutcome.SHOWN
            or count > LIMITS.too_many_scans
            or scan.place
            or scan.latitude is not None
        ):
            candidates.append((pk, row, count))
    wanted = {row["code_id"] for _, row, _ in candidates if row["code_id"] is not None}
    codes_by_id = TraceCode.objects.in_bulk(list(wanted)) if wanted else {}
    alerts = []
    for pk, row, count in candidates:
        code = codes_by_id.get(row["code_id"])
        stored = Scan(pk=pk, code=code, **{k: v for k, v in row.items() if k != "code_id"})
        alerts += check_scan(stored, code, count)
    return alerts


def outcome_of(data: CodeData | None) -> str:
    if data is None:
        return ScanOutcome.UNKNOWN
    if data.state == CodeState.VOIDED:
        return ScanOutcome.VOIDED
    if data.state == CodeState.ISSUED:
        return ScanOutcome.UNBOUND
    return ScanOutcome.SHOWN


def canonical(asked: str) -> tuple[str, bool]:
    """The code as asked, canonical and cut to 40 characters, and whether it is a valid code."""
    text = codes.normalise(asked)[:40]
    return text, codes.is_valid(text)
