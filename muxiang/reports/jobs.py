"""Building a report in the background: the figures of a year of daily reports and the PDF with its
charts take seconds, so the report page queues the build and shows its progress."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from muxiang.accounts.models import User
from muxiang.core import permissions
from muxiang.jobs.registry import JobOutput, job_kind
from muxiang.reports import services
from muxiang.reports.models import Report

BUILD_JOB = "reports.build"


def may_build(user, params) -> bool:
    return permissions.can_draft_reports(user)


def build_params(report: Report) -> dict:
    if not report.is_draft:
        raise ValidationError(_("只有草稿可以重新生成；已提交或已审定的报告数据已冻结"))
    return {"report": report.pk}


def build_title(report: Report) -> str:
    return _("生成%(r)s") % {"r": str(report)}


@job_kind(BUILD_JOB, may_start=may_build)
def build_report_job(job, progress) -> JobOutput:
    report = Report.objects.select_related("contract").get(pk=job.params["report"])
    by = User.objects.filter(pk=job.created_by_id).first() if job.created_by_id else None
    report = services.build_report(report, by, progress=progress)
    return JobOutput(summary={"报告": str(report), "快照 SHA-256": report.snapshot_sha256[:16]})
