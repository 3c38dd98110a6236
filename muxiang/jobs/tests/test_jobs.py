"""Background jobs: the phase's dossier built by the worker with its progress, retries, failures kept
on the job, and who may see what."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from muxiang.contracts.services import load_contract
from muxiang.contracts.tests.test_dossier import SAMPLE
from muxiang.core.models import Evidence
from muxiang.core.services import attach_evidence
from muxiang.core.tests.test_evidence import png_bytes
from muxiang.jobs import registry, services
from muxiang.jobs.choices import JobState
from muxiang.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(county, station, other_town):
    return load_contract(SAMPLE)


@pytest.fixture
def photos(contract, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = contract.obligations.get(key="B-plan")
    return [
        attach_evidence(plan, SimpleUploadedFile(f"现场{n}.png", png_bytes(4 + n, 4)), staff)
        for n in range(3)
    ]


class FlakyWork:
    """A job kind that fails its first ``failures`` attempts, as a storage outage would."""

    def __init__(self, failures):
        self.failures = failures
        self.calls = 0

    def __call__(self, job, progress):
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("存储暂时不可用")
        progress(1, 1)
        return registry.JobOutput(summary={"ok": 1})


@pytest.fixture
def flaky():
    def install(failures):
        work = FlakyWork(failures)
        registry.KINDS["test.flaky"] = registry.JobKind("test.flaky", run=work, may_start=lambda u, p: True)
        return work

    yield install
    registry.KINDS.pop("test.flaky", None)


def queued(kind="test.flaky", by=None):
    return Job.objects.create(kind=kind, title="测试任务", created_by=by)


# --- the dossier in the background --------------------------------------------------------------


def test_the_operator_queues_the_dossier_and_downloads_it_when_done(
    login, staff, contract, photos, django_capture_on_commit_callbacks
):
    client = login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contracts:phase-dossier-build", args=[contract.key, 1]))

    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.state == JobState.SUCCEEDED and job.created_by == staff
    assert job.summary["佐证文件"] == 3
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已完成" in page and job.result_name in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert {"index.xlsx", "index.pdf", "manifest.csv"} <= set(archive.namelist())
    assert sum(name.startswith("evidence/") for name in archive.namelist()) == 3


def test_the_dossier_reports_its_progress_file_by_file(contract, photos, staff):
    from muxiang.contracts.jobs import DOSSIER_JOB

    job = queued(DOSSIER_JOB, staff)
    job.params = {"contract": contract.key, "phase": 1}
    job.save()
    seen = []
    original = services.Progress.__call__

    def spy(self, done, total=None, message=""):
        seen.append((done, total))
        original(self, done, total, message)

    services.Progress.__call__ = spy
    try:
        services.run_job(job.pk)
    finally:
        services.Progress.__call__ = original

    # one step per evidence file, then the index: four steps, counted in order
    assert [done for done, total in seen if total == 4] == [1, 2, 3, 3, 4]
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (4, 4, 100)


def test_a_station_manager_may_not_queue_a_dossier(login, manager, contract):
    response = login(manager).post(reverse("contracts:phase-dossier-build", args=[contract.key, 1]))

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_phase_the_contract_does_not_have_is_not_found(login, staff, contract):
    response = login(staff).post(reverse("contracts:phase-dossier-build", args=[contract.key, 9]))

    assert response.status_code == 404
    assert not Job.objects.exists()


# --- retries and failures -------------------------------------------------------------------------


def test_a_failed_attempt_is_retried_and_the_job_then_succeeds(flaky):
    work = flaky(failures=1)
    job = queued()

    with pytest.raises(RuntimeError):
        services.run_job(job.pk)  # the worker schedules the retry on this error
    job.refresh_from_db()
    assert job.state == JobState.RETRYING and "存储暂时不可用" in job.error

    services.run_job(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts, job.error, work.calls) == (JobState.SUCCEEDED, 2, "", 2)


def test_after_the_last_attempt_the_job_is_failed_with_its_error_kept(flaky):
    flaky(failures=services.MAX_ATTEMPTS)
    job = queued()

    for _attempt in range(services.MAX_ATTEMPTS - 1):
        with pytest.raises(RuntimeError):
            services.run_job(job.pk)
    services.run_job(job.pk)  # the last attempt does not raise: nothing more to schedule

    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == services.MAX_ATTEMPTS
    assert "存储暂时不可用" in job.error and job.finished_at is not None


def test_a_job_delivered_twice_by_the_queue_runs_once(flaky):
    work = flaky(failures=0)
    job = queued()

    services.run_job(job.pk)
    services.run_job(job.pk)

    assert work.calls == 1


def test_an_unknown_kind_is_refused_before_anything_is_queued(staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="未知的任务类型"):
        services.start_job("no.such", {}, staff, "x")
    assert not Job.objects.exists()


# --- who sees what --------------------------------------------------------------------------------


def test_a_station_manager_sees_only_their_own_jobs(login, manager, other_manager, flaky):
    flaky(failures=0)
    mine, theirs = queued(by=manager), queued(by=other_manager)
    client = login(manager)

    assert client.get(reverse("jobs:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("jobs:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[mine.pk]) in listing
    assert reverse("jobs:detail", args=[theirs.pk]) not in listing


def test_the_status_is_json_for_scripts(login, staff, flaky):
    flaky(failures=0)
    job = queued(by=staff)
    services.run_job(job.pk)

    status = login(staff).get(reverse("jobs:status", args=[job.pk])).json()

    assert status["state"] == "succeeded" and status["percent"] == 100


def test_a_running_job_page_polls_for_its_progress_and_a_finished_one_stops(login, staff, flaky):
    job = queued(by=staff)
    client = login(staff)

    assert 'hx-trigger="every 1s"' in client.get(job.get_absolute_url()).content.decode()
    flaky(failures=0)
    services.run_job(job.pk)
    assert "hx-trigger" not in client.get(job.get_absolute_url()).content.decode()


# --- scheduled work ------------------------------------------------------------------------------


def test_the_nightly_check_reports_an_evidence_file_changed_since_upload(
    contract, photos, django_capture_on_commit_callbacks
):
    changed = photos[0]
    with changed.file.open("wb") as handle:
        handle.write(b"overwritten")

    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_system_job("evidence.verify", "夜间佐证材料核验")

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.created_by is None
    assert job.summary["checked"] == Evidence.all_objects.count() == 3
    assert job.summary["problems"] == 1
    assert job.summary["listed"] == [
        {"status": "changed", "evidence": changed.pk, "file": changed.original_name}
    ]


def test_nobody_starts_the_nightly_check_from_a_page(operator_admin):
    with pytest.raises(PermissionDenied):
        services.start_job("evidence.verify", {}, operator_admin, "x")


@pytest.mark.parametrize(
    "utc, due",
    [
        ((18, 20), {"nightly_evidence_check"}),  # 02:20 in Asia/Shanghai
        ((1, 30), {"daily_ministry_push"}),  # 09:30 in Asia/Shanghai
        ((12, 0), set()),
    ],
)
def test_the_worker_runs_the_scheduled_jobs_at_their_hour(utc, due):
    import datetime

    from huey.contrib.djhuey import HUEY

    moment = datetime.datetime(2026, 11, 28, *utc)
    # The trace scan queue is flushed every minute as well (muxiang/trace/tasks.py).
    every_minute = {"flush_scans_every_minute"}
    assert {type(task).__name__ for task in HUEY.read_periodic(moment)} == due | every_minute


def test_the_auditor_may_build_the_dossier_as_a_read(
    login, auditor, contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(auditor).post(reverse("contracts:phase-dossier-build", args=[contract.key, 1]))

    assert response.status_code == 302
    assert Job.objects.get().state == JobState.SUCCEEDED
