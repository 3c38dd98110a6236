"""Reports in the API: the list (filtered like the page) and one report with its snapshot, for the
operator, the client and the auditor; station managers are refused."""

import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from muxiang.core import permissions
from muxiang.reports.filters import ReportFilter
from muxiang.reports.models import Report

router = Router(tags=["reports 工作报告"])


class ReportOut(Schema):
    id: int
    contract: str
    kind: str
    period: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    version: int
    status: str
    snapshot_sha256: str
    built_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    return_reason: str
    pdf_url: str | None
    xlsx_url: str | None

    @staticmethod
    def resolve_contract(obj):
        return obj.contract.key

    @staticmethod
    def resolve_pdf_url(obj):
        return f"/reports/{obj.pk}/download/pdf/" if obj.pdf else None

    @staticmethod
    def resolve_xlsx_url(obj):
        return f"/reports/{obj.pk}/download/xlsx/" if obj.xlsx else None


class ReportDetailOut(ReportOut):
    problems: str
    plan: str
    adjustments: str
    remarks: str
    snapshot: dict | None


class ReportFilterIn(Schema):
    contract: str | None = None
    kind: str | None = None
    status: str | None = None
    year: int | None = None


def _require_reader(request):
    if not permissions.can_read_reports(request.auth):
        raise HttpError(403, _("您没有查看工作报告的权限"))


@router.get("/", response=list[ReportOut], summary="List reports", operation_id="reports_list")
def list_reports(request, filters: Query[ReportFilterIn]):
    _require_reader(request)
    data = {k: v for k, v in filters.dict().items() if v is not None}
    if "contract" in data:
        from muxiang.contracts.models import Contract

        found = Contract.objects.filter(key=data["contract"]).first()
        if found is None:
            raise HttpError(404, _("找不到合同「%(k)s」") % {"k": data["contract"]})
        data["contract"] = found.pk
    reports = permissions.scope(Report.objects.select_related("contract"), request.auth)
    filtered = ReportFilter(data, queryset=reports)
    if not filtered.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filtered.errors.items()))
    return list(filtered.qs.order_by("-period_start", "kind", "-version")[:500])


@router.get(
    "/{int:pk}",
    response=ReportDetailOut,
    summary="One report with its figures",
    operation_id="reports_detail",
)
def report_detail(request, pk: int):
    _require_reader(request)
    report = permissions.scope(Report.objects.select_related("contract"), request.auth).filter(pk=pk).first()
    if report is None:
        raise HttpError(404, _("找不到报告 %(id)s") % {"id": pk})
    return report
