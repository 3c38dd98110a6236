"""The throw-away database every bench runs in, set up before Django is imported: a temporary
var directory (SQLite), or, when DATABASE_URL names a PostgreSQL server, a scratch database on it
that is created for the run and dropped after (the database named in the URL is never touched)."""

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class Scratch:
    """The temporary var directory and, for PostgreSQL, the scratch database on the caller's server."""

    def __init__(self, database: str):
        self.database = database
        self.var_dir = Path(tempfile.mkdtemp(prefix="muxiang-bench-"))
        self.pg_admin_url: str | None = None

    def prepare(self) -> None:
        os.environ["DJANGO_SETTINGS_MODULE"] = "muxiang.settings"
        os.environ["MUXIANG_VAR_DIR"] = str(self.var_dir)
        # DEBUG keeps every query in memory: it would distort the figures.
        os.environ["DEBUG"] = "0"
        url = os.environ.get("DATABASE_URL", "").strip()
        if not url:
            os.environ.pop("DATABASE_URL", None)  # settings fall back to VAR_DIR/muxiang.sqlite3
            return
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
            raise SystemExit(
                f"DATABASE_URL must name a PostgreSQL server (got {parts.scheme}://…); "
                "leave it unset for a temporary SQLite database"
            )
        import psycopg

        # Create and drop from the caller's own database (it exists), or from "postgres".
        admin_db = parts.path.strip("/") or "postgres"
        if admin_db == self.database:
            admin_db = "postgres"
        self.pg_admin_url = urlunsplit(parts._replace(scheme="postgresql", path=f"/{admin_db}"))
        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            # A run that was killed may have left it behind; the name is the bench's own.
            # (WITH (FORCE) needs PostgreSQL 13 or later.)
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.database}"))

    def cleanup(self) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not have been set up
            pass
        if self.pg_admin_url:
            import psycopg

            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        shutil.rmtree(self.var_dir, ignore_errors=True)


def timed_import(ledger, data: bytes, filename: str, phases, profile_path=None):
    """``ledger.import_file(data, filename)`` as the upload view runs it (inside an audit context of
    the ledger's user), timed: (report, wall seconds, CPU seconds, phases). ``phases`` is the bench's
    context manager that splits the time by engine step; with ``profile_path`` cProfile stats of the
    import are written there (their timings are inflated)."""
    import gc
    import time

    from muxiang.core import audit

    profiler = None
    if profile_path is not None:
        import cProfile

        profiler = cProfile.Profile()
    gc.collect()
    with phases as split, audit.change_context(user=ledger.user, source="web", remote_addr="127.0.0.1"):
        cpu = time.process_time()
        start = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = ledger.import_file(data, filename)
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
    if profiler is not None:
        profiler.dump_stats(str(profile_path))
    return report, seconds, cpu, split
