"""The reports pages: the list (filtered by kind, status and contract), a new draft, the report's
page with its figures, the operator's text and the buttons of its life (build, submit, approve,
return, new version), and the downloads. Station managers are refused before anything is read:
reports hold every station's figures."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from muxiang.core import permissions
from muxiang.reports import services
from muxiang.reports.filters import ReportFilter
from muxiang.reports.forms import ReportCreateForm, ReportReturnForm, ReportTextForm
from muxiang.reports.models import Report


def reader_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.can_read_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _report(request, pk) -> Report:
    return permissions.get_scoped_or_404(
        Report.objects.select_related(
            "contract", "created_by", "built_by", "submitted_by", "approved_by", "returned_by"
        ),
        request.user,
        pk=pk,
    )


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@reader_required
def report_list(request):
    reports = Report.objects.select_related("contract", "created_by").order_by(
        "-period_start", "kind", "-version"
    )
    filtered = ReportFilter(request.GET, queryset=permissions.scope(reports, request.user))
    page = Paginator(filtered.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {
            "filter": filtered,
            "page": page,
            "reports": page.object_list,
            "can_draft": permissions.can_draft_reports(request.user),
            "create_form": ReportCreateForm() if permissions.can_draft_reports(request.user) else None,
        },
    )


@login_required
@reader_required
def report_create(request):
    if not permissions.can_draft_reports(request.user):
        raise PermissionDenied
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.draft_report(
                form.cleaned_data["contract"],
                form.cleaned_data["kind"],
                form.cleaned_data["period"],
                request.user,
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("已起草%(r)s") % {"r": report})
            return redirect(report)
    return render(request, "reports/report_create.html", {"form": form})


@login_required
@reader_required
def report_detail(request, pk):
    report = _report(request, pk)
    can_draft = permissions.can_draft_reports(request.user)
    text_form = None
    if can_draft and report.is_draft:
        text_form = ReportTextForm(request.POST or None, instance=report, kind=report.kind)
        if request.method == "POST" and text_form.is_valid():
            try:
                services.update_report_text(report, text_form.cleaned_data, request.user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("已保存文字；请重新生成报告，使 PDF 与 Excel 包含修改"))
            return redirect(report)
    elif request.method == "POST":
        raise PermissionDenied
    versions = Report.objects.filter(
        contract=report.contract, kind=report.kind, period=report.period
    ).exclude(pk=report.pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "snapshot": report.snapshot,
            "texts": [
                (Report._meta.get_field(name).verbose_name, value)
                for name, value in services.texts_of(report).items()
            ],
            "text_form": text_form,
            "return_form": ReportReturnForm(),
            "can_draft": can_draft,
            "can_approve": permissions.can_approve_reports(request.user),
            "versions": versions.order_by("-version"),
        },
    )


def _transition(request, pk, action):
    report = _report(request, pk)
    try:
        result = action(report)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(report)
    return result


@login_required
@reader_required
@require_POST
def report_build(request, pk):
    """Queue the build in the background and show its progress."""
    from muxiang.jobs.services import start_job
    from muxiang.reports import jobs

    def build(report):
        job = start_job(jobs.BUILD_JOB, jobs.build_params(report), request.user, jobs.build_title(report))
        return redirect(job)

    return _transition(request, pk, build)


@login_required
@reader_required
@require_POST
def report_submit(request, pk):
    def submit(report):
        report = services.submit_report(report, request.user)
        messages.success(request, _("已提交%(r)s，等待甲方审定") % {"r": report})
        return redirect(report)

    return _transition(request, pk, submit)


@login_required
@reader_required
@require_POST
def report_approve(request, pk):
    def approve(report):
        report = services.approve_report(report, request.user)
        messages.success(request, _("已审定%(r)s") % {"r": report})
        return redirect(report)

    return _transition(request, pk, approve)


@login_required
@reader_required
@require_POST
def report_return(request, pk):
    def send_back(report):
        form = ReportReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写退回原因"))
            return redirect(report)
        report = services.return_report(report, form.cleaned_data["reason"], request.user)
        messages.success(request, _("已退回%(r)s") % {"r": report})
        return redirect(report)

    return _transition(request, pk, send_back)


@login_required
@reader_required
@require_POST
def report_new_version(request, pk):
    def new_version(report):
        draft = services.draft_new_version(report, request.user)
        messages.success(request, _("已起草新版本：%(r)s") % {"r": draft})
        return redirect(draft)

    return _transition(request, pk, new_version)


@login_required
@reader_required
@require_POST
def report_delete(request, pk):
    """A draft no one needs any more leaves the list (soft delete, audited; only a draft)."""
    from muxiang.core.services import soft_delete_record

    report = _report(request, pk)
    if not permissions.can_draft_reports(request.user):
        raise PermissionDenied
    try:
        soft_delete_record(report, request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(report)
    messages.success(request, _("已删除%(r)s") % {"r": report})
    return redirect("reports:list")


@login_required
@reader_required
def report_download(request, pk, fmt):
    report = _report(request, pk)
    stored = {"pdf": report.pdf, "xlsx": report.xlsx}.get(fmt)
    if not stored:
        raise Http404
    name = stored.name.rsplit("/", 1)[-1]
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)
