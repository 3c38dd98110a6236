"""The life of a report: draft, build, edit, submit, approve or return, and a new version.

Who may do what is asked of ``core.permissions`` (``can_draft_reports``, ``can_approve_reports``);
every write is one transaction and lands in the audit trail (``Report`` is audited, and the service
acts as the user it is told, also from a task or a command).
"""

import datetime
import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.core.services import acting_as, store_bytes_as_evidence
from muxiang.reports.choices import ReportKind, ReportStatus
from muxiang.reports.figures import build_figures
from muxiang.reports.models import Report
from muxiang.reports.periods import Period, parse_period
from muxiang.reports.render import render_pdf, render_xlsx

# The operator's text each kind asks for, in the order the report shows it.
TEXT_FIELDS = {
    ReportKind.MONTHLY: ("problems", "plan"),
    ReportKind.ANALYSIS: ("remarks",),
    ReportKind.TRAINING: ("adjustments", "remarks"),
    ReportKind.MERCHANTS: ("remarks",),
}


def snapshot_sha256(snapshot: dict) -> str:
    """The hash of the figures as canonical JSON (sorted keys, no spaces): the same figures give
    the same hash on any machine."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _period(kind: str, text: str, contract, today: datetime.date) -> Period:
    period = parse_period(kind, text, contract)
    if period.start > today:
        raise ValidationError({"period": _("报告期间 %(p)s 尚未开始，不能起草") % {"p": period.label}})
    return period


@transaction.atomic
def draft_report(contract, kind: str, period_text: str, by, today: datetime.date | None = None) -> Report:
    """A new draft of ``kind`` for ``period_text``: refused when a live report of that period
    exists (a correction of an approved one is ``draft_new_version``)."""
    _require(permissions.can_draft_reports(by), _("只有运营方人员可以起草报告"))
    today = today or timezone.localdate()
    try:
        period = _period(kind, period_text, contract, today)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc
    existing = (
        Report.objects.filter(contract=contract, kind=kind, period=period.text).order_by("-version").first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "period": _("%(p)s的%(k)s已存在（%(s)s）")
                % {"p": period.label, "k": existing.get_kind_display(), "s": existing.get_status_display()}
            }
        )
    with acting_as(by):
        return Report.objects.create(
            contract=contract,
            kind=kind,
            period=period.text,
            period_label=period.label,
            period_start=period.start,
            period_end=period.end,
            created_by=by,
        )


def texts_of(report: Report) -> dict:
    return {name: getattr(report, name) for name in TEXT_FIELDS[ReportKind(report.kind)]}


def _meta(report: Report) -> dict:
    return {
        "version": report.version,
        "sha256": report.snapshot_sha256,
        "status": report.get_status_display(),
    }


def _file_name(report: Report, extension: str) -> str:
    version = f"-v{report.version}" if report.version > 1 else ""
    return f"{report.contract.key}-{report.kind}-{report.period.replace('..', '_')}{version}.{extension}"


def render_files(report: Report) -> None:
    """The PDF and the .xlsx from the report's snapshot and text, stored on the report."""
    texts = texts_of(report)
    pdf = render_pdf(report.snapshot, texts, _meta(report))
    xlsx = render_xlsx(report.snapshot, texts, _meta(report))
    for field, data, extension in ((report.pdf, pdf, "pdf"), (report.xlsx, xlsx, "xlsx")):
        old = field.name
        field.save(_file_name(report, extension), ContentFile(data), save=False)
        if old and old != field.name:
            field.storage.delete(old)


def build_report(report: Report, by, today: datetime.date | None = None, progress=None) -> Report:
    """Compute the figures of a draft from the records (a fresh snapshot) and render its files.
    A submitted or approved report's figures are frozen: it is refused."""
    _require(permissions.can_draft_reports(by), _("只有运营方人员可以生成报告"))
    report_progress = progress or (lambda done, total=None, message="": None)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("只有草稿可以重新生成；已提交或已审定的报告数据已冻结"))
    period = parse_period(report.kind, report.period, report.contract)
    report_progress(0, 3, _("统计数据"))
    snapshot = build_figures(report.kind, report.contract, period, today)
    report_progress(1, 3, _("生成 PDF 与 Excel"))
    with transaction.atomic(), acting_as(by):
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.DRAFT:
            raise ValidationError(_("报告已提交，不能再生成"))
        report.snapshot = snapshot
        report.snapshot_sha256 = snapshot_sha256(snapshot)
        report.built_at = timezone.now()
        report.built_by = by
        render_files(report)
        report.save()
    report_progress(3, 3, _("完成"))
    return report


@transaction.atomic
def update_report_text(report: Report, values: dict, by) -> Report:
    """The operator's text of a draft (problems, plan, adjustments, remarks as the kind asks)."""
    _require(permissions.can_draft_reports(by), _("只有运营方人员可以修改报告"))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("只有草稿可以修改；已提交或已审定的报告不能再改"))
    changed = False
    for name in TEXT_FIELDS[ReportKind(report.kind)]:
        if name in values and (values[name] or "") != getattr(report, name):
            setattr(report, name, values[name] or "")
            changed = True
    if changed:
        report.text_updated_at = timezone.now()
        with acting_as(by):
            report.save()
    return report


@transaction.atomic
def submit_report(report: Report, by) -> Report:
    """Freeze the draft's snapshot and send it to the client's supervisor. The PDF submitted is
    kept as the report's evidence (a 文件资料), which the contract's targets ask for."""
    _require(permissions.can_draft_reports(by), _("只有运营方人员可以提交报告"))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("只有草稿可以提交"))
    if not report.snapshot or not report.pdf:
        raise ValidationError(_("报告尚未生成，请先生成报告再提交"))
    if report.is_stale:
        raise ValidationError(_("生成后又修改了文字，请重新生成报告再提交"))
    with acting_as(by):
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = by
        # The status shown in the files is the submitted one; the figures are those of the snapshot.
        render_files(report)
        report.save()
        with report.pdf.open("rb") as handle:
            data = handle.read()
    store_bytes_as_evidence(
        report, data, _file_name(report, "pdf"), by, description=str(report), kind="document"
    )
    return report


@transaction.atomic
def approve_report(report: Report, by) -> Report:
    """The client's supervisor accepts a submitted report: it counts toward its contract target
    from now on and keeps its snapshot for good."""
    _require(permissions.can_approve_reports(by), _("只有甲方监管人员可以审定报告"))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的报告可以审定"))
    with acting_as(by):
        report.status = ReportStatus.APPROVED
        report.approved_at = timezone.now()
        report.approved_by = by
        # The copy the client files must say it was approved; the figures are the frozen snapshot's
        # (the submitted PDF stays as the report's evidence).
        render_files(report)
        report.save()
    return report


@transaction.atomic
def return_report(report: Report, reason: str, by) -> Report:
    """The client's supervisor sends a submitted report back to draft, saying why."""
    _require(permissions.can_approve_reports(by), _("只有甲方监管人员可以退回报告"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的报告可以退回"))
    with acting_as(by):
        report.status = ReportStatus.DRAFT
        report.returned_at = timezone.now()
        report.returned_by = by
        report.return_reason = reason[:2000]
        report.save()
    return report


@transaction.atomic
def draft_new_version(report: Report, by) -> Report:
    """A correction of an approved report: a new draft of the same period, one version up, with
    the operator's text copied. The approved one stays as it is."""
    _require(permissions.can_draft_reports(by), _("只有运营方人员可以起草报告"))
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("只有已审定的报告需要起草新版本；草稿可直接修改"))
    latest = (
        Report.objects.filter(contract=report.contract, kind=report.kind, period=report.period)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.status != ReportStatus.APPROVED:
        raise ValidationError(_("该期间已有未审定的新版本（第 %(v)d 版）") % {"v": latest.version})
    with acting_as(by):
        return Report.objects.create(
            contract=report.contract,
            kind=report.kind,
            period=report.period,
            period_label=report.period_label,
            period_start=report.period_start,
            period_end=report.period_end,
            version=(latest.version if latest else report.version) + 1,
            created_by=by,
            **texts_of(report),
        )


def previous_month(today: datetime.date) -> Period:
    from muxiang.reports.periods import month_period

    last = today.replace(day=1) - datetime.timedelta(days=1)
    return month_period(last.year, last.month)


def active_contracts(today: datetime.date):
    """The contracts whose phases span ``today``'s previous month (their service has begun and
    not yet ended)."""
    from django.db.models import Max, Min

    from muxiang.contracts.models import Contract

    month = previous_month(today)
    return (
        Contract.objects.annotate(first=Min("phases__start"), last=Max("phases__end"))
        .filter(first__lte=month.end, last__gte=month.start)
        .order_by("key")
    )


@transaction.atomic
def draft_monthly_reports(today: datetime.date | None = None) -> list[Report]:
    """On the first of the month: a draft of last month's work report for every active contract
    that has none yet. Run twice, it drafts nothing the second time."""
    today = today or timezone.localdate()
    month = previous_month(today)
    drafted = []
    for contract in active_contracts(today):
        if Report.all_objects.filter(
            contract=contract, kind=ReportKind.MONTHLY, period=month.text, deleted_at__isnull=True
        ).exists():
            continue
        drafted.append(
            Report.objects.create(
                contract=contract,
                kind=ReportKind.MONTHLY,
                period=month.text,
                period_label=month.label,
                period_start=month.start,
                period_end=month.end,
            )
        )
    return drafted
