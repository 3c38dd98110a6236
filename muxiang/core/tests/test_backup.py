"""Backup and restore: the round trip (demo data and evidence files → archive → wiped installation →
restore) gives back every record and every file, on whichever database the suite runs (SQLite, or
PostgreSQL when DATABASE_URL points at it), by the database's own method and by portable JSON lines.
"""

import datetime
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connection

from muxiang.core import backup
from muxiang.core.models import Evidence, ObjectChange
from muxiang.core.services import attach_evidence, soft_delete_record
from muxiang.core.tests.test_evidence import png_bytes
from muxiang.demo.services import load_demo_data
from muxiang.people.models import Person
from muxiang.stations.models import Station

# The restore replaces the database wholesale: it cannot run inside the test's wrapping transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _backups_in_tmp(settings, tmp_path):
    settings.MUXIANG_BACKUP_DIR = tmp_path / "backups"  # restore unpacks its dump there


def stored_hashes() -> dict[str, str]:
    """Every file of the storage and the SHA-256 of its bytes."""
    hashes = {}
    for name in backup.stored_files():
        with default_storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def wipe() -> None:
    """What a lost machine leaves: empty tables and no files."""
    connection.ops.execute_sql_flush(sql_flush(no_style(), connection, reset_sequences=True))
    for name in list(backup.stored_files()):
        default_storage.delete(name)


@pytest.fixture
def installation(db, staff):
    """The demo data set plus evidence files on a station and a person, and a record in the
    recycle bin (soft-deleted rows are records too)."""
    load_demo_data(datetime.date(2025, 6, 30))
    station = Station.objects.order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    by = staff
    files = [
        attach_evidence(station, SimpleUploadedFile("门头.png", png_bytes(5, 4)), by, "站点门头"),
        attach_evidence(station, SimpleUploadedFile("内景.png", png_bytes(6, 4)), by, "站内"),
        attach_evidence(person, SimpleUploadedFile("证书.png", png_bytes(7, 4)), by, "结业证书"),
    ]
    soft_delete_record(Person.objects.order_by("pk").last(), staff)
    return files


@pytest.mark.parametrize("method", ["auto", "dumpdata"])
def test_a_wiped_installation_comes_back_whole_from_its_backup(installation, tmp_path, method):
    # given
    counts_before = backup.record_counts()
    files_before = stored_hashes()
    archive = tmp_path / "muxiang.zip"

    # when
    summary = backup.create_backup(archive, method=method)
    wipe()
    assert backup.database_is_empty() and not stored_hashes()
    restored = backup.restore_backup(archive)

    # then: the same rows of every model, the same files with the same bytes
    assert summary.counts == counts_before
    assert backup.record_counts() == counts_before
    assert restored.count_mismatches == [] and restored.files_written == len(files_before) == 3
    assert stored_hashes() == files_before
    for evidence in Evidence.all_objects.all():
        assert files_before[evidence.file.name] == evidence.sha256
    assert Person.all_objects.filter(deleted_at__isnull=False).count() == 1
    assert summary.method == {"auto": {"sqlite": "sqlite", "postgresql": "pg_dump"}[connection.vendor]}.get(
        method, "dumpdata"
    )


def test_the_manifest_names_the_counts_hashes_version_and_time(installation, tmp_path):
    archive = tmp_path / "muxiang.zip"
    backup.create_backup(archive)

    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))

    assert manifest["application"] == "muxiang" and manifest["format"] == backup.FORMAT
    assert manifest["version"] and datetime.datetime.fromisoformat(manifest["created_at"])
    assert manifest["counts"]["people.Person"] == Person.all_objects.count()
    assert manifest["counts"]["core.ObjectChange"] == ObjectChange.objects.count()
    assert manifest["records"] == sum(manifest["counts"].values())
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == stored_hashes()
    assert "core.0001_initial" in manifest["migrations"]


def test_restore_refuses_a_database_that_holds_records_unless_forced(installation, tmp_path):
    archive = tmp_path / "muxiang.zip"
    backup.create_backup(archive)
    Station.objects.filter(pk=Station.objects.order_by("pk").first().pk).update(name="改过的站点")

    with pytest.raises(backup.BackupError, match="--force"):
        backup.restore_backup(archive)
    assert Station.objects.filter(name="改过的站点").exists()

    backup.restore_backup(archive, force=True)
    assert not Station.objects.filter(name="改过的站点").exists()


def test_a_tampered_archive_is_refused_before_anything_is_touched(installation, tmp_path):
    archive = tmp_path / "muxiang.zip"
    backup.create_backup(archive)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith(backup.FILES_PREFIX) and info.filename.endswith(".png"):
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit flipped in one photo
            target.writestr(info, data)
    counts = backup.record_counts()
    wipe()

    with pytest.raises(backup.BackupError, match="校验值不符"):
        backup.restore_backup(tampered)

    assert backup.database_is_empty() and not stored_hashes()
    assert counts  # the original was not empty: the refusal, not an empty archive, left it empty


def test_restore_puts_files_back_through_the_storage_api(installation, tmp_path, settings):
    # given object storage (an in-memory storage stands in for S3: both are reached only through
    # Django's storage API, never the file system)
    archive = tmp_path / "muxiang.zip"
    backup.create_backup(archive)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    from django.core.files.storage import default_storage as memory

    assert not list(backup.stored_files())

    backup.restore_backup(archive, force=True)

    names = list(backup.stored_files())
    assert len(names) == 3
    for evidence in Evidence.all_objects.all():
        with memory.open(evidence.file.name, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == evidence.sha256


def test_the_commands_back_up_verify_and_restore(installation, tmp_path, capsys):
    archive = tmp_path / "muxiang.zip"

    call_command("backup", str(archive))
    call_command("restore", str(archive), "--verify-only")
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force")

    out = capsys.readouterr().out
    assert "已备份" in out and "校验通过" in out and "已恢复" in out
    with pytest.raises(CommandError, match=".zip"):
        call_command("backup", str(tmp_path / "muxiang.tar"))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "muxiang.tar"), "--verify-only")
    (tmp_path / "notes.zip").write_bytes(b"PK not really a zip")
    with pytest.raises(CommandError, match="不是 muxiang 备份文件"):
        call_command("restore", str(tmp_path / "notes.zip"), "--verify-only")


def test_a_backup_from_a_newer_version_is_refused(installation, tmp_path):
    archive = tmp_path / "muxiang.zip"
    backup.create_backup(archive)
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(newer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == backup.MANIFEST:
                manifest = json.loads(data)
                manifest["migrations"].append("core.9999_from_the_future")
                data = json.dumps(manifest).encode()
            target.writestr(info, data)

    with pytest.raises(backup.BackupError, match="core.9999_from_the_future"):
        backup.restore_backup(newer, force=True)


# --- the nightly backup ----------------------------------------------------------------------------


def test_the_nightly_backup_is_due_only_when_switched_on(settings):
    from muxiang.core.tasks import nightly_backup_due

    three_in_the_county = datetime.datetime(2026, 3, 1, 19, 0)  # UTC
    settings.MUXIANG_BACKUP_NIGHTLY = False
    assert not nightly_backup_due(three_in_the_county)
    settings.MUXIANG_BACKUP_NIGHTLY = True
    assert nightly_backup_due(three_in_the_county)
    assert not nightly_backup_due(datetime.datetime(2026, 3, 1, 19, 1))


def test_the_nightly_backup_job_writes_an_archive_and_keeps_the_newest(installation, tmp_path, settings):
    from muxiang.core.tasks import nightly_backup
    from muxiang.jobs.choices import JobState
    from muxiang.jobs.models import Job

    settings.MUXIANG_BACKUP_DIR = tmp_path / "backups"
    settings.MUXIANG_BACKUP_KEEP = 2
    settings.MUXIANG_BACKUP_DIR.mkdir()
    for day in ("20260101", "20260102"):
        (settings.MUXIANG_BACKUP_DIR / f"muxiang-{day}-030000.zip").write_bytes(b"old")

    nightly_backup.call_local()  # what the worker runs at 03:00; the job runs at once in tests

    job = Job.objects.get(kind="core.backup")
    assert job.state == JobState.SUCCEEDED, job.error
    kept = sorted(p.name for p in Path(settings.MUXIANG_BACKUP_DIR).iterdir())
    assert len(kept) == 2 and kept[0] == "muxiang-20260102-030000.zip"
    manifest, problems = backup.verify_backup(Path(job.summary["备份文件"]))
    assert problems == [] and manifest["records"] == job.summary["记录数"]

    # restored, the archive holds tonight's job as it was while running: no worker will finish it
    backup.restore_backup(Path(job.summary["备份文件"]), force=True)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "恢复备份时中断" in job.message


def test_a_backup_from_an_older_version_is_restored_and_migrated_to_this_one(tmp_path, staff):
    # given a backup written before the jobs app's latest migration (the job's uploaded file)
    archive = tmp_path / "older.zip"
    call_command("migrate", "jobs", "0001", verbosity=0)
    try:
        backup.create_backup(archive)
    finally:
        call_command("migrate", "jobs", verbosity=0)
    assert "jobs.0002_job_add_source" not in backup.read_manifest(archive)["migrations"]

    # when it is restored by this version
    restored = backup.restore_backup(archive, force=True)

    # then the schema is brought up to date and the records are all there
    from muxiang.accounts.models import User
    from muxiang.jobs.models import Job

    assert restored.migrated and restored.count_mismatches == []
    assert "jobs.0002_job_add_source" in backup.applied_migrations()
    assert User.objects.filter(username=staff.username).exists()
    Job.objects.create(kind="test", title="升级后", source="jobs/uploads/x.xlsx")  # the new column
