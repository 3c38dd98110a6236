"""Backup and restore of a whole installation: the database and every stored file, in one archive.

The archive is a ZIP (ZIP64, so it may exceed 4 GB) that any office machine opens::

    manifest.json                 what the archive holds: format, muxiang version, time, database
                                  vendor and method, applied migrations, record counts per model,
                                  size and SHA-256 of the database dump and of every file
    database/muxiang.sqlite3      SQLite: a consistent copy made by SQLite's online backup API
    database/muxiang.pgdump       PostgreSQL: ``pg_dump --format=custom`` (when pg_dump is installed)
    database/muxiang.jsonl        otherwise (or with ``method="dumpdata"``): every row of every model
                                  as Django's JSON lines, readable by any database Django supports
    files/<name>                  every file of the default storage (evidence, job results), read
                                  through Django's storage API, so object storage works the same

The record counts and the dump come from one snapshot (SQLite's backup copy; on PostgreSQL one
REPEATABLE READ transaction whose snapshot ``pg_dump --snapshot`` shares), so the manifest describes
exactly the rows in the archive. Files are read after the snapshot: evidence files are written
once, under their hash, before the row that names them commits, so every file the snapshot names is
there (files stored later are harmless extras).

Restore checks every hash before it touches anything, refuses a database that holds records unless
forced, replaces the database in one transaction (SQLite's backup API in one step, ``psql
--single-transaction`` for a pg_dump, one ``atomic`` block for JSON lines), then writes the files
back through the storage and compares the record counts with the manifest.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
DATABASE_MEMBERS = {
    "sqlite": "database/muxiang.sqlite3",
    "pg_dump": "database/muxiang.pgdump",
    "dumpdata": "database/muxiang.jsonl",
}
METHODS = ("auto", "native", "dumpdata")
CHUNK = 1 << 20
# Rows are written back in batches of this many: one INSERT per batch, not per row.
RESTORE_BATCH = 2000

Progress = Callable[..., None]


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, in the user's language."""


@dataclass
class BackupSummary:
    path: Path
    method: str
    records: int
    files: int
    file_bytes: int
    counts: dict = field(default_factory=dict)


@dataclass
class RestoreSummary:
    method: str
    records: int
    files_written: int
    files_unchanged: int
    migrated: bool
    count_mismatches: list[str] = field(default_factory=list)


def _no_progress(done, total=None, message=""):
    pass


# --- what is counted and dumped ----------------------------------------------------------------------


def backed_up_models() -> list:
    """Every model whose rows live in the database: concrete, managed, not a proxy; the many-to-many
    tables Django creates are included (counted, and dumped with the model that declares them)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _count_tables(cursor, quote, existing: set[str] | None = None) -> dict[str, int]:
    """Rows per model; with ``existing``, models whose table is not there (a restored older schema,
    before ``migrate``) are left out."""
    counts = {}
    for model in backed_up_models():
        if existing is not None and model._meta.db_table not in existing:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)}")
        counts[model._meta.label] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def record_counts() -> dict[str, int]:
    """Rows per model in the live database, keyed by ``app_label.Model``."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return _count_tables(cursor, connection.ops.quote_name, existing)


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def database_is_empty() -> bool:
    """No row in any of the platform's own tables (Django's content types and permissions, which
    ``migrate`` creates, do not count). A database without tables (never migrated) is empty."""
    existing = set(connection.introspection.table_names())
    for model in backed_up_models():
        if model._meta.db_table not in existing or not model._meta.app_config.name.startswith("muxiang."):
            continue
        if model._base_manager.exists():
            return False
    return True


def _version() -> str:
    try:
        return metadata.version("muxiang")
    except metadata.PackageNotFoundError:
        return "unknown"


def choose_method(method: str = "auto") -> str:
    """``sqlite`` or ``pg_dump`` (the database's own consistent copy) where available, else
    ``dumpdata`` (portable JSON lines; also what moves an installation from SQLite to PostgreSQL)."""
    if method not in METHODS:
        raise BackupError(_("未知的备份方式：%(m)s（可选 auto、native、dumpdata）") % {"m": method})
    if method == "dumpdata":
        return "dumpdata"
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql"):
            return "pg_dump"
        if method == "native":
            raise BackupError(_("找不到 pg_dump / pg_restore / psql：请安装 postgresql-client"))
        return "dumpdata"
    if method == "native":
        raise BackupError(_("%(v)s 数据库没有原生备份方式，请使用 dumpdata") % {"v": connection.vendor})
    return "dumpdata"


# --- files of the storage ----------------------------------------------------------------------------


def stored_files(storage=None) -> Iterator[str]:
    """Every file name of the storage, walked through its own ``listdir`` (local disk or S3 alike)."""
    storage = storage or default_storage
    skip = _backup_dir_in_storage()

    def walk(top: str):
        try:
            directories, files = storage.listdir(top)
        except FileNotFoundError:  # a fresh installation has no media directory yet
            return
        for name in sorted(files):
            yield f"{top}/{name}" if top else name
        for directory in sorted(directories):
            path = f"{top}/{directory}" if top else directory
            if path != skip:
                yield from walk(path)

    yield from walk("")


def _backup_dir_in_storage() -> str | None:
    """Backups kept inside MEDIA_ROOT would be backed up again each night: the walk skips them."""
    location = getattr(default_storage, "location", None)
    if not location:
        return None
    try:
        return Path(settings.MUXIANG_BACKUP_DIR).resolve().relative_to(Path(location).resolve()).as_posix()
    except ValueError:
        return None


class _HashingReader(io.RawIOBase):
    """Reads a stream while hashing it, so that a file is read once to both hash and archive it."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        self.digest.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


def _hash_stream(stream) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _zip_info(name: str, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    # Photos and PDFs are compressed already; deflating them again costs time and saves nothing.
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    return info


def _add_stream(archive: zipfile.ZipFile, name: str, stream, compress: bool) -> tuple[str, int]:
    reader = _HashingReader(stream)
    with archive.open(_zip_info(name, compress), "w", force_zip64=True) as target:
        shutil.copyfileobj(reader, target, CHUNK)
    return reader.digest.hexdigest(), reader.size


# --- backup ------------------------------------------------------------------------------------------


def create_backup(path: Path, method: str = "auto", progress: Progress = _no_progress) -> BackupSummary:
    """Write the archive to ``path`` (``.zip``). It is written under a temporary name and renamed
    when complete, so a backup cut short never looks like a good one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chosen = choose_method(method)
    partial = path.with_name(path.name + ".partial")
    manifest = {
        "format": FORMAT,
        "application": "muxiang",
        "version": _version(),
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor, "method": chosen, "member": DATABASE_MEMBERS[chosen]},
        "storage": f"{type(default_storage).__module__}.{type(default_storage).__name__}",
    }
    try:
        with (
            zipfile.ZipFile(partial, "w", allowZip64=True) as archive,
            tempfile.TemporaryDirectory(dir=path.parent, prefix=".muxiang-backup-") as scratch,
        ):
            progress(0, None, _("正在备份数据库"))
            dump = {"sqlite": _dump_sqlite, "pg_dump": _dump_pg, "dumpdata": _dump_jsonl}[chosen]
            counts, migrations, sha256, size = dump(archive, Path(scratch))
            manifest["database"].update(sha256=sha256, size=size)
            manifest["migrations"] = migrations
            manifest["counts"] = counts
            manifest["records"] = sum(counts.values())
            names = list(stored_files())
            files = []
            for done, name in enumerate(names, start=1):
                with default_storage.open(name, "rb") as handle:
                    sha256, size = _add_stream(archive, FILES_PREFIX + name, handle, compress=False)
                files.append({"name": name, "size": size, "sha256": sha256})
                progress(done, len(names), _("正在备份文件"))
            manifest["files"] = files
            manifest["file_bytes"] = sum(f["size"] for f in files)
            archive.writestr(
                _zip_info(MANIFEST, compress=True), json.dumps(manifest, ensure_ascii=False, indent=1)
            )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(
        path=path,
        method=chosen,
        records=manifest["records"],
        files=len(manifest["files"]),
        file_bytes=manifest["file_bytes"],
        counts=manifest["counts"],
    )


def _dump_sqlite(archive, scratch: Path):
    copy_path = scratch / "muxiang.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy_path)
    try:
        # One step (pages=-1): the copy is one consistent snapshot of the database.
        connection.connection.backup(target)
        cursor = target.cursor()
        counts = _count_tables(cursor, lambda name: '"' + name.replace('"', '""') + '"')
        migrations = sorted(
            f"{app}.{name}" for app, name in cursor.execute("SELECT app, name FROM django_migrations")
        )
    finally:
        target.close()
    with open(copy_path, "rb") as handle:
        sha256, size = _add_stream(archive, DATABASE_MEMBERS["sqlite"], handle, compress=True)
    return counts, migrations, sha256, size


@contextlib.contextmanager
def _snapshot():
    """One consistent view of the database for the counts and the dump. On PostgreSQL: a REPEATABLE
    READ, READ ONLY transaction whose snapshot is exported for pg_dump; its id, or None where the
    caller is already inside a transaction (the snapshot must be taken first)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic():
            yield None
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor.fetchone()[0]


def _pg_command(executable: str, parameters: list[str]) -> tuple[list[str], dict]:
    client = connection.client
    args, env = client.settings_to_cmd_args_env(connection.settings_dict, parameters)
    args[0] = executable
    return args, {**os.environ, **(env or {})}


def _run(args: list[str], env: dict, **kwargs) -> None:
    result = subprocess.run(args, env=env, capture_output=True, check=False, **kwargs)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(_("%(cmd)s 失败：%(msg)s") % {"cmd": Path(args[0]).name, "msg": message})


def _dump_pg(archive, scratch: Path):
    dump_path = scratch / "muxiang.pgdump"
    with _snapshot() as snapshot:
        counts = record_counts()
        migrations = applied_migrations()
        parameters = ["--format=custom", "--no-owner", "--no-privileges", f"--file={dump_path}"]
        if snapshot:
            parameters.append(f"--snapshot={snapshot}")
        args, env = _pg_command("pg_dump", parameters)
        _run(args, env)
    with open(dump_path, "rb") as handle:
        sha256, size = _add_stream(archive, DATABASE_MEMBERS["pg_dump"], handle, compress=False)
    return counts, migrations, sha256, size


def _dumped_models() -> list:
    """The models dumpdata writes: every concrete model (auto-created many-to-many tables travel with
    the model declaring the field), in dependency order so a reader meets a row's targets first."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [m for m in ordered if m._meta.managed and not m._meta.proxy]


def _dump_jsonl(archive, scratch: Path):
    with _snapshot():
        counts = record_counts()
        migrations = applied_migrations()
        with archive.open(_zip_info(DATABASE_MEMBERS["dumpdata"], True), "w", force_zip64=True) as raw:
            hashing = _HashingWriter(raw)
            stream = io.TextIOWrapper(hashing, encoding="utf-8", newline="\n")
            for model in _dumped_models():
                # The base manager: soft-deleted rows are records too (the recycle bin).
                rows = model._base_manager.order_by("pk").iterator(chunk_size=RESTORE_BATCH)
                serializers.serialize("jsonl", rows, stream=stream)
            stream.flush()
            stream.detach()
    return counts, migrations, hashing.digest.hexdigest(), hashing.size


class _HashingWriter(io.RawIOBase):
    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.digest.update(data)
        self.size += len(data)
        self.stream.write(data)
        return len(data)


# --- reading and checking an archive ----------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(_("找不到备份文件：%(p)s") % {"p": path}) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BackupError(_("不是 muxiang 备份文件，或文件已损坏：%(p)s") % {"p": path}) from exc
    if manifest.get("application") != "muxiang" or not isinstance(manifest.get("format"), int):
        raise BackupError(_("不是 muxiang 备份文件：%(p)s") % {"p": path})
    if manifest["format"] > FORMAT:
        raise BackupError(_("备份格式 %(f)s 比本程序新，请先升级 muxiang") % {"f": manifest["format"]})
    return manifest


def verify_backup(path: Path, progress: Progress = _no_progress) -> tuple[dict, list[str]]:
    """Re-hash the database dump and every file in the archive against the manifest: (manifest,
    problems). Reads the whole archive; writes nothing."""
    manifest = read_manifest(path)
    problems = []
    expected = [(manifest["database"]["member"], manifest["database"].get("sha256"), _("数据库"))]
    expected += [(FILES_PREFIX + f["name"], f["sha256"], f["name"]) for f in manifest.get("files", [])]
    with zipfile.ZipFile(path) as archive:
        present = set(archive.namelist())
        for done, (member, sha256, label) in enumerate(expected, start=1):
            if member not in present:
                problems.append(_("缺少：%(f)s") % {"f": label})
                continue
            try:
                with archive.open(member) as handle:
                    actual, _size = _hash_stream(handle)
            except (zipfile.BadZipFile, OSError, EOFError):
                problems.append(_("已损坏，无法读取：%(f)s") % {"f": label})
                continue
            if actual != sha256:
                problems.append(_("校验值不符（文件已被修改或损坏）：%(f)s") % {"f": label})
            progress(done, len(expected), _("正在校验备份"))
    return manifest, problems


# --- restore -----------------------------------------------------------------------------------------


def _check_migrations(manifest: dict) -> None:
    """A backup made by a newer muxiang names migrations this code does not have: restoring it would
    leave a schema the code cannot read."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            _("这份备份来自更新版本的 muxiang（本程序没有迁移：%(m)s），请先升级再恢复")
            % {"m": "、".join(unknown[:5])}
        )


def restore_backup(path: Path, force: bool = False, progress: Progress = _no_progress) -> RestoreSummary:
    """Put the archive's database and files back. Checks every hash first; refuses a database that
    already holds records unless ``force``. Run it with the web server and the worker stopped."""
    path = Path(path)
    manifest, problems = verify_backup(path, progress)
    if problems:
        raise BackupError(_("备份文件校验未通过，未做任何恢复：%(p)s") % {"p": "；".join(problems[:20])})
    _check_migrations(manifest)
    method = manifest["database"]["method"]
    if method != "dumpdata" and manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            _(
                "这份备份是 %(m)s 格式，只能恢复到同类数据库（当前为 %(v)s）；跨数据库迁移请用 dumpdata 方式备份"
            )
            % {"m": method, "v": connection.vendor}
        )
    if method == "pg_dump" and not (shutil.which("pg_restore") and shutil.which("psql")):
        raise BackupError(_("找不到 pg_restore / psql：请安装 postgresql-client"))
    if not force and not database_is_empty():
        raise BackupError(_("数据库中已有记录：恢复会覆盖它们。确认要覆盖，请加 --force"))
    progress(0, None, _("正在恢复数据库"))
    # The dump is unpacked on the server's own disk (the archive may sit on read-only media).
    scratch_parent = Path(settings.MUXIANG_BACKUP_DIR)
    scratch_parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as archive:
        member = manifest["database"]["member"]
        with tempfile.TemporaryDirectory(prefix=".muxiang-restore-", dir=scratch_parent) as scratch:
            if method == "sqlite":
                _restore_sqlite(archive, member, Path(scratch))
            elif method == "pg_dump":
                _restore_pg(archive, member, Path(scratch))
            else:
                _restore_jsonl(archive, member, manifest)
        ContentType.objects.clear_cache()
        cache.delete("muxiang:demo_loaded")
        counts = record_counts()
        mismatches = [
            _("%(model)s：备份 %(want)d 条，恢复后 %(have)d 条")
            % {"model": label, "want": want, "have": counts.get(label, 0)}
            for label, want in manifest["counts"].items()
            if counts.get(label, 0) != want
        ]
        migrated = False
        if method != "dumpdata" and set(_disk_migrations()) - set(manifest.get("migrations", [])):
            # An older backup: bring its schema up to this version of the code.
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
            migrated = True
        _close_interrupted_jobs()
        written, unchanged = _restore_files(archive, manifest, progress)
    return RestoreSummary(
        method=method,
        records=sum(counts.values()),
        files_written=written,
        files_unchanged=unchanged,
        migrated=migrated,
        count_mismatches=mismatches,
    )


def _close_interrupted_jobs() -> None:
    """Jobs queued or running when the backup was taken (tonight's backup job itself, at least) have
    no worker behind them after a restore: mark them failed rather than leave them spinning."""
    if not apps.is_installed("muxiang.jobs"):
        return
    job_model = apps.get_model("jobs", "Job")
    job_model.objects.filter(state__in=["queued", "running", "retrying"]).update(
        state="failed", message=_("恢复备份时中断，请重新发起"), finished_at=timezone.now()
    )


def _disk_migrations() -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [f"{app}.{name}" for app, name in loader.graph.nodes]


def _extract(archive, member: str, target: Path) -> Path:
    with archive.open(member) as source, open(target, "wb") as handle:
        shutil.copyfileobj(source, handle, CHUNK)
    return target


def _restore_sqlite(archive, member: str, scratch: Path) -> None:
    source = sqlite3.connect(_extract(archive, member, scratch / "muxiang.sqlite3"))
    try:
        connection.close()
        connection.ensure_connection()
        # One step: SQLite replaces the destination's pages in a single write transaction, so a
        # restore that fails leaves the database as it was.
        source.backup(connection.connection)
    finally:
        source.close()
        connection.close()


def _restore_pg(archive, member: str, scratch: Path) -> None:
    dump = _extract(archive, member, scratch / "muxiang.pgdump")
    # The tables present now go first (a newer schema may have tables the dump lacks), then the
    # dump's SQL: all in one psql transaction, so a failure leaves the database as it was.
    tables = connection.introspection.table_names()
    prelude = "".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(t)} CASCADE;\n" for t in tables)
    connection.close()
    # pg_restore only turns the archive into SQL here (no database flags); psql runs it.
    restore_args = ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)]
    psql_args, env = _pg_command(
        "psql", ["--single-transaction", "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1"]
    )
    with (
        subprocess.Popen(restore_args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as source,
        subprocess.Popen(
            psql_args, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        ) as sink,
    ):
        try:
            sink.stdin.write(prelude.encode("utf-8"))
            shutil.copyfileobj(source.stdout, sink.stdin, CHUNK)
        except BrokenPipeError:
            pass  # psql stopped at an error: its message follows
        finally:
            with contextlib.suppress(BrokenPipeError):
                sink.stdin.close()
        source_error = source.stderr.read()
        sink_error = sink.stderr.read()
        source.wait()
        sink.wait()
    if source.returncode != 0 or sink.returncode != 0:
        message = (sink_error or source_error).decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(_("恢复 PostgreSQL 数据库失败，数据库未改动：%(m)s") % {"m": message})


def _restore_jsonl(archive, member: str, manifest: dict) -> None:
    from django.core.management import call_command

    # JSON lines need this code's schema, at exactly the backup's migrations.
    call_command("migrate", verbosity=0, interactive=False)
    have = set(applied_migrations())
    want = set(manifest.get("migrations", []))
    if have != want:
        missing = sorted(have - want)
        raise BackupError(
            _("这份备份来自较旧版本的 muxiang（缺少迁移：%(m)s）：请用备份时的版本恢复，再升级")
            % {"m": "、".join(missing[:5])}
        )
    with transaction.atomic():
        # Foreign keys are checked when the transaction commits (Django declares them deferrable),
        # so rows may arrive in any order; a failure rolls the emptied tables back too.
        connection.ops.execute_sql_flush(sql_flush(no_style(), connection, reset_sequences=True))
        loaded = set()
        with archive.open(member) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8")
            batch, model, through_rows = [], None, {}
            for item in serializers.deserialize("jsonl", stream):
                instance = item.object
                if type(instance) is not model or len(batch) >= RESTORE_BATCH:
                    _flush_rows(model, batch)
                    batch, model = [], type(instance)
                batch.append(instance)
                loaded.add(model)
                for name, ids in (item.m2m_data or {}).items():
                    through = model._meta.get_field(name).remote_field.through
                    source_name = model._meta.get_field(name).m2m_field_name()
                    target_name = model._meta.get_field(name).m2m_reverse_field_name()
                    through_rows.setdefault(through, []).extend(
                        through(**{f"{source_name}_id": instance.pk, f"{target_name}_id": pk}) for pk in ids
                    )
            _flush_rows(model, batch)
            for through, rows in through_rows.items():
                through.objects.bulk_create(rows, batch_size=RESTORE_BATCH)
                loaded.add(through)
        statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def _flush_rows(model, batch) -> None:
    """Insert the rows as they were: a raw insert, as Django's own fixture loading does, so that
    ``auto_now`` fields keep their stored times instead of taking the restore's."""
    if model is None or not batch:
        return
    fields = model._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, batch) or len(batch)
    for start in range(0, len(batch), size):
        model._base_manager._insert(batch[start : start + size], fields=fields, raw=True)


def _restore_files(archive, manifest: dict, progress: Progress) -> tuple[int, int]:
    """Write each file back through the storage under its own name; a file already there with the
    same content is left alone, so a restore cut short can be run again."""
    written = unchanged = 0
    files = manifest.get("files", [])
    for done, entry in enumerate(files, start=1):
        name = entry["name"]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                if _hash_stream(handle)[0] == entry["sha256"]:
                    unchanged += 1
                    progress(done, len(files), _("正在恢复文件"))
                    continue
            default_storage.delete(name)
        with archive.open(FILES_PREFIX + name) as source:
            upload = File(source, name=name)
            upload.size = entry["size"]
            saved = default_storage.save(name, upload)
        if saved != name:
            raise BackupError(_("文件无法按原名恢复：%(n)s（存储改名为 %(s)s）") % {"n": name, "s": saved})
        written += 1
        progress(done, len(files), _("正在恢复文件"))
    return written, unchanged


# --- the nightly copy --------------------------------------------------------------------------------


def backup_file_name(now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"muxiang-{now:%Y%m%d-%H%M%S}.zip"


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest nightly archives of ``directory``; return the deleted."""
    archives = sorted(Path(directory).glob("muxiang-*.zip"))
    doomed = archives[: max(0, len(archives) - keep)]
    for archive in doomed:
        archive.unlink()
    return doomed
