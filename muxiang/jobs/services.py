"""Starting background work, running it in the worker, and reporting its progress.

A job is created in the request (``start_job``) and handed to the worker once the transaction that
created it commits; the worker (``run_job``, called by the Huey task in ``tasks.py``) runs the
kind's function, stores the file it produced and records the outcome. A failed attempt is retried
by the worker (``MAX_ATTEMPTS`` in all, with a growing delay) before the job is marked failed; the
error is kept on the job, never lost in a log only.
"""

import logging
import time
import traceback

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.jobs.choices import JobState
from muxiang.jobs.models import Job
from muxiang.jobs.registry import KINDS, JobOutput

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Progress is written at most this often: a dossier packing thousands of photos would otherwise
# write the job row thousands of times.
PROGRESS_INTERVAL_SECONDS = 0.5


def kind_of(key: str):
    try:
        return KINDS[key]
    except KeyError as exc:
        raise ValidationError(_("未知的任务类型：%(kind)s") % {"kind": key}) from exc


def start_job(kind: str, params: dict, by, title: str) -> Job:
    """Queue ``kind`` with ``params`` for ``by``; the worker picks it up once this transaction
    commits (before that it could not read the job)."""
    job_kind = kind_of(kind)
    if not job_kind.may_start(by, params):
        raise PermissionDenied
    job = Job.objects.create(kind=kind, params=params, title=title, created_by=by)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def start_system_job(kind: str, title: str, params: dict | None = None) -> Job:
    """Queue work the platform schedules itself (nightly checks, the daily ministry push): no one
    asked for it, so no one's permission is checked."""
    kind_of(kind)
    job = Job.objects.create(kind=kind, params=params or {}, title=title)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    from muxiang.jobs.tasks import run_job_task

    run_job_task(job_id)


class Progress:
    """Called by a job's service as it goes: ``progress(done, total, message)``."""

    def __init__(self, job: Job):
        self.job = job
        self.last_write = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        if message:
            job.message = message[:200]
        now = time.monotonic()
        finished_a_step = job.total and done >= job.total
        if now - self.last_write >= PROGRESS_INTERVAL_SECONDS or finished_a_step:
            self.last_write = now
            Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message)


def run_job(job_id: int) -> Job:
    """Run one attempt of the job. Returns the job; raises the attempt's error when another attempt
    is due, so that the worker schedules the retry."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job  # delivered twice by the queue: the first delivery did the work
    job.state = JobState.RUNNING
    job.attempts += 1
    job.started_at = job.started_at or timezone.now()
    job.error = ""
    job.save(update_fields=["state", "attempts", "started_at", "error"])
    try:
        output = kind_of(job.kind).run(job, Progress(job))
    except Exception as exc:
        job.error = f"{exc}\n\n{traceback.format_exc()}"[:20000]
        if job.attempts < MAX_ATTEMPTS:
            job.state = JobState.RETRYING
            job.message = _("第 %(n)d 次尝试失败，稍后重试") % {"n": job.attempts}
            job.save(update_fields=["state", "message", "error"])
            raise
        logger.exception("job %s (%s) failed after %s attempts", job.pk, job.kind, job.attempts)
        job.state = JobState.FAILED
        job.message = _("失败：%(error)s") % {"error": str(exc)[:150]}
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "message", "error", "finished_at"])
        return job
    _store_output(job, output)
    return job


def _store_output(job: Job, output: JobOutput | None) -> None:
    output = output or JobOutput()
    if output.path is not None:
        with open(output.path, "rb") as handle:
            job.result.save(output.name or output.path.name, File(handle), save=False)
        job.result_name = output.name or output.path.name
        output.path.unlink(missing_ok=True)
    job.summary = output.summary
    job.state = JobState.SUCCEEDED
    job.done = job.total or job.done
    job.message = (output.message or _("已完成"))[:200]
    job.finished_at = timezone.now()
    job.save()


def visible_jobs(user):
    """The jobs ``user`` may see: the operator's roles and the client's see every job they could
    have started themselves, everyone else only their own."""
    jobs = Job.objects.select_related("created_by")
    if permissions.can_read_audit(user):
        return jobs
    return jobs.filter(created_by=user) if user.is_authenticated else jobs.none()
