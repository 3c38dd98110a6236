"""The platform's own long work, run by the background worker.

- ``ledgers.export`` / ``ledgers.import``: the ledger engine's export of a large ledger and import of
  a large file. The list page's export link and the import form hand work over above a size
  (``settings.LEDGER_BACKGROUND_EXPORT_ROWS`` rows, ``LEDGER_BACKGROUND_IMPORT_KB`` of file); below
  it they answer in the request as before. The job runs *as the user who asked*: it rebuilds the
  same scoped queryset (``permissions.scope`` through the viewset), so a station manager's
  background export holds only their station, exactly as the direct download would.
- ``core.backup``: the nightly archive of the database and the files (``core.backup``), when
  ``MUXIANG_BACKUP_NIGHTLY`` is on (``core/tasks.py`` schedules it).
"""

import tempfile
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from muxiang.core import audit, permissions
from muxiang.core.backup import backup_file_name, create_backup, prune_backups
from muxiang.jobs.choices import FINISHED_STATES
from muxiang.jobs.models import Job
from muxiang.jobs.registry import JobOutput, job_kind
from muxiang.jobs.services import start_job

LEDGER_EXPORT_JOB = "ledgers.export"
LEDGER_IMPORT_JOB = "ledgers.import"
BACKUP_JOB = "core.backup"
# The job page lists at most this many of a refused import's problems (the engine stops at 500).
LISTED_PROBLEMS = 500


def ledger_viewset(route: str):
    """The viewset of the ledger whose list route is ``route`` ("people:list")."""
    from muxiang.core.views import RecordViewSet

    # The apps declare their viewsets in views.py, which the URLconf imports; the worker process
    # serves no request, so it imports the URLconf itself.
    import_module(settings.ROOT_URLCONF)
    viewset = RecordViewSet.by_route.get(route)
    if viewset is None or viewset.ledger_class is None:
        raise ValidationError(_("未知的台账：%(r)s") % {"r": route})
    return viewset


def may_export(user, params) -> bool:
    return permissions.can_view(user, ledger_viewset(params["ledger"]).model)


def may_import(user, params) -> bool:
    viewset = ledger_viewset(params["ledger"])
    return permissions.can_import(user, viewset.model) and getattr(viewset.ledger_class, "importable", True)


def _unfinished_twin(kind: str, params: dict, user) -> Job | None:
    """The same export already queued or running for the same user: a second click waits for it."""
    return (
        Job.objects.filter(kind=kind, created_by=user, params=params)
        .exclude(state__in=FINISHED_STATES)
        .first()
    )


def start_ledger_export(viewset, request) -> Job:
    """Queue the export of the ledger's list as filtered in ``request``."""
    query = request.GET.copy()
    query.pop("page", None)
    params = {"ledger": viewset.route_key(), "query": query.urlencode()}
    twin = _unfinished_twin(LEDGER_EXPORT_JOB, params, request.user)
    if twin is not None:
        return twin
    title = _("导出%(ledger)s台账") % {"ledger": viewset.model._meta.verbose_name_plural}
    with transaction.atomic():
        return start_job(LEDGER_EXPORT_JOB, params, request.user, title[:200])


def start_ledger_import(viewset, request, upload, dry_run: bool) -> Job:
    """Queue the import of an uploaded file; the file is kept on the job (in the storage, which
    the worker shares) until the worker has read it."""
    ctx = audit.current_context()
    params = {
        "ledger": viewset.route_key(),
        "filename": upload.name,
        "dry_run": bool(dry_run),
        # The import's audit entries lead back to the upload's request, as a direct import's do.
        "request_id": str(ctx.request_id),
        "remote_addr": ctx.remote_addr,
    }
    names = {"ledger": viewset.model._meta.verbose_name_plural, "file": upload.name}
    title = (_("试运行检查%(ledger)s：%(file)s") if dry_run else _("导入%(ledger)s：%(file)s")) % names
    # The worker starts when this transaction commits: by then the file is stored.
    with transaction.atomic():
        job = start_job(LEDGER_IMPORT_JOB, params, request.user, title[:200])
        job.source.save(upload.name, upload, save=True)
    return job


def _acting_request(job):
    """What the viewset's list reads from a request, rebuilt for the worker: the user who asked for
    the job (at their permissions of now, not of when they asked) and the list's filters."""
    return SimpleNamespace(user=job.created_by, GET=QueryDict(job.params.get("query", "")), htmx=False)


@job_kind(LEDGER_EXPORT_JOB, may_start=may_export)
def export_ledger_job(job, progress) -> JobOutput:
    viewset = ledger_viewset(job.params["ledger"])
    if job.created_by is None or not job.created_by.is_active or not may_export(job.created_by, job.params):
        raise PermissionDenied(_("发起人已无权导出此台账"))
    _filterset, queryset, _deleted = viewset.filtered(_acting_request(job))
    ledger = viewset.ledger_class(job.created_by)
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as spool:
        path = Path(spool.name)
    try:
        ledger.export(queryset, target=path, progress=progress)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return JobOutput(
        path=path,
        name=viewset.export_filename(ledger),
        summary={"台账": str(viewset.model._meta.verbose_name_plural), "行数": job.done},
    )


@job_kind(LEDGER_IMPORT_JOB, may_start=may_import)
def import_ledger_job(job, progress) -> JobOutput:
    viewset = ledger_viewset(job.params["ledger"])
    user = job.created_by
    if user is None or not user.is_active or not may_import(user, job.params):
        raise PermissionDenied(_("发起人已无权导入此台账"))
    with job.source.open("rb") as handle:
        data = handle.read()
    filename = job.params.get("filename") or Path(job.source.name).name
    with audit.change_context(user=user, source="import", remote_addr=job.params.get("remote_addr")) as ctx:
        if job.params.get("request_id"):
            ctx.request_id = job.params["request_id"]
        report = viewset.ledger_class(user).import_file(
            data, filename, dry_run=job.params.get("dry_run", False), progress=progress
        )
    # The records and their audit entries now hold what the file said; the upload (which may carry
    # ID numbers) is not kept. An attempt that raised above keeps it for the retry.
    job.source.delete(save=False)
    if not report.ok:
        message = _("导入未执行：发现 %(n)d 个问题，未写入任何数据") % {"n": len(report.problems)}
    elif report.dry_run:
        message = _("检查通过（试运行，未写入）")
    else:
        message = _("导入完成：新建 %(c)d 条，更新 %(u)d 条，未变化 %(n)d 条") % {
            "c": report.created,
            "u": report.updated,
            "n": report.unchanged,
        }
    summary = {
        "文件": filename,
        "行数": report.total,
        "新建": report.created,
        "更新": report.updated,
        "未变化": report.unchanged,
    }
    if report.problems:
        summary["problems"] = [
            {"row": p.row, "column": p.column, "message": p.message}
            for p in report.problems[:LISTED_PROBLEMS]
        ]
    return JobOutput(summary=summary, message=message)


def _nobody(user, params) -> bool:
    return False  # scheduled by the platform only (core/tasks.py), never started from a page


@job_kind(BACKUP_JOB, may_start=_nobody)
def backup_job(job, progress) -> JobOutput:
    """Write tonight's archive to MUXIANG_BACKUP_DIR and keep the newest MUXIANG_BACKUP_KEEP. The
    archive stays on this machine's disk, not in the storage it backs up: copying it elsewhere is
    the operator's step (docs/operations.md)."""
    directory = Path(settings.MUXIANG_BACKUP_DIR)
    path = directory / backup_file_name()
    summary = create_backup(path, progress=progress)
    pruned = prune_backups(directory, settings.MUXIANG_BACKUP_KEEP)
    return JobOutput(
        summary={
            "备份文件": str(path),
            "数据库": summary.method,
            "记录数": summary.records,
            "文件数": summary.files,
            "备份大小": filesizeformat(path.stat().st_size),
            "删除的旧备份": len(pruned),
        }
    )
