"""The trace system's background work: the label sheet of a run, which for a run of tens of
thousands of codes takes minutes, so the run's page queues it and shows its progress."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.jobs.registry import JobOutput, job_kind
from muxiang.trace.labels import LAYOUTS, build_label_sheet
from muxiang.trace.models import CodeRun

LABELS_JOB = "trace.labels"


def may_print_labels(user, params) -> bool:
    """Those who issue codes (the operator's staff)."""
    return permissions.can_add(user, CodeRun)


def labels_params(run: CodeRun, layout: str) -> dict:
    if layout not in LAYOUTS:
        raise ValidationError(_("未知的标签规格：%(l)s") % {"l": layout})
    return {"run": run.pk, "layout": layout}


def labels_title(run: CodeRun, layout: str) -> str:
    return _("%(run)s 标签（%(layout)s）") % {"run": run, "layout": LAYOUTS[layout].title}


@job_kind(LABELS_JOB, may_start=may_print_labels)
def build_labels_job(job, progress) -> JobOutput:
    run = CodeRun.objects.select_related("enterprise__organisation", "product").get(pk=job.params["run"])
    layout = job.params["layout"]
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as spool:
        path = Path(spool.name)
    try:
        count = build_label_sheet(run, layout, path, progress=progress)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return JobOutput(
        path=path,
        name=f"trace-labels-run-{run.pk}-{layout}.pdf",
        summary={"标签数": count, "规格": LAYOUTS[layout].title},
    )
