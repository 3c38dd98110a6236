"""Ministry platform pages: the delivery log (a ``RecordViewSet`` under ``mofcom:delivery-*``), the
overview with what is due, a preview and a file download of any period in the platform's fields,
and the operator's two buttons: schedule what is due, send what is due."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from muxiang.contracts.records import only_contract
from muxiang.core import permissions
from muxiang.core.ledgers import CellError, parse_date_text
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet, xlsx_response
from muxiang.mofcom import services
from muxiang.mofcom.choices import DeliveryKind, DeliveryState
from muxiang.mofcom.fields import build_rows
from muxiang.mofcom.filters import MinistryDeliveryFilter
from muxiang.mofcom.forms import MinistryDeliveryForm
from muxiang.mofcom.ledgers import MinistryDeliveryLedger
from muxiang.mofcom.models import MinistryDelivery
from muxiang.mofcom.transports import Message, csv_bytes, workbook_bytes


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class MinistryDeliveryViewSet(RecordViewSet):
    model = MinistryDelivery
    namespace = LedgerRoute("mofcom", "delivery")
    url_prefix = "deliveries"
    form_class = MinistryDeliveryForm
    filterset_class = MinistryDeliveryFilter
    ledger_class = MinistryDeliveryLedger
    select_related = ("contract",)
    list_columns = [
        ListColumn(gettext_lazy("报送编号"), "reference"),
        ListColumn(gettext_lazy("报送类型"), "kind"),
        ListColumn(gettext_lazy("报送方式"), "transport"),
        ListColumn(gettext_lazy("状态"), "state"),
        ListColumn(gettext_lazy("尝试次数"), "attempts"),
        ListColumn(gettext_lazy("报送成功时间"), lambda d, u: _moment(d.delivered_at)),
        ListColumn(gettext_lazy("下次尝试"), lambda d, u: _moment(d.next_attempt_at)),
        ListColumn(gettext_lazy("最近错误"), lambda d, u: d.last_error[:60]),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        for label, field in (
            (_("状态"), "state"),
            (_("尝试次数"), "attempts"),
            (_("报送成功时间"), "delivered_at"),
            (_("下次尝试时间"), "next_attempt_at"),
            (_("数据行数"), "rows"),
            (_("平台响应码"), "response_status"),
            (_("最近错误"), "last_error"),
            (_("幂等键"), "idempotency_key"),
        ):
            value = getattr(record, field)
            if field == "state":
                value = record.get_state_display()
            elif isinstance(value, datetime.datetime):
                value = _moment(value)
            rows.append((label, value))
        return rows

    @classmethod
    def related_sections(cls, record, user):
        return [
            (
                _("报送日志"),
                [_("时间"), _("方式"), _("结果"), _("响应码"), _("耗时（毫秒）"), _("说明")],
                [
                    (
                        "",
                        [
                            _moment(a.attempted_at),
                            a.get_transport_display(),
                            a.get_outcome_display(),
                            a.status_code or "",
                            a.duration_ms,
                            a.detail,
                        ],
                    )
                    for a in record.attempt_log.all()
                ],
            )
        ]


def _require_reader(user):
    if permissions.role_of(user) not in permissions.READ_EVERYTHING_ROLES:
        raise PermissionDenied


def _period(request) -> tuple[str, datetime.date | None, str | None]:
    kind = request.GET.get("kind", DeliveryKind.DAILY)
    if kind not in DeliveryKind.values:
        return DeliveryKind.DAILY, None, _("未知的报送类型：%(k)s") % {"k": kind[:20]}
    raw = request.GET.get("period", "").replace("\x00", "")
    if not raw:
        return kind, timezone.localdate() - datetime.timedelta(days=1), None
    try:
        if kind == DeliveryKind.MONTHLY and len(raw) <= 7:
            raw = raw + "-01"
        period = parse_date_text(raw)
    except CellError as exc:
        return kind, None, str(exc)
    if kind == DeliveryKind.MONTHLY:
        period = period.replace(day=1)
    return kind, period, None


@login_required
def overview(request):
    """What is due, what failed, and a preview of a period in the platform's fields."""
    _require_reader(request.user)
    kind, period, problem = _period(request)
    contract = only_contract()
    fields, records = [], []
    if period is not None and not problem:
        if kind == DeliveryKind.MONTHLY and contract is None:
            problem = _("每月项目数据须有合同")
        else:
            fields, records = build_rows(kind, period, contract)
    states = dict(MinistryDelivery.objects.values_list("state").annotate(n=Count("id")).order_by())
    return render(
        request,
        "mofcom/overview.html",
        {
            "kind": kind,
            "period": period,
            "problem": problem,
            "fields": fields,
            "records": [[record.get(f.platform_name) for f in fields] for record in records[:200]],
            "total": len(records),
            "states": [(label, states.get(value, 0), value) for value, label in DeliveryState.choices],
            "failed": MinistryDelivery.objects.filter(state=DeliveryState.RETRYING).order_by("period")[:20],
            "due": services.due_deliveries().count(),
            "can_run": permissions.can_add(request.user, MinistryDelivery),
            "kinds": DeliveryKind.choices,
            "transport": services.default_transport(),
        },
        status=400 if problem else 200,
    )


@login_required
def download(request):
    """Any period's data as a file in the platform's fields, for a manual upload or a check; it is
    not a delivery and changes nothing."""
    _require_reader(request.user)
    kind, period, problem = _period(request)
    contract = only_contract()
    if problem or period is None or (kind == DeliveryKind.MONTHLY and contract is None):
        messages.error(request, problem or _("每月项目数据须有合同"))
        return redirect("mofcom:overview")
    fields, records = build_rows(kind, period, contract)
    message = Message(kind, f"{kind}-{period.isoformat()}", period, "", fields, records)
    name = f"商务部平台-{message.reference}"
    if request.GET.get("format") == "csv":
        from django.http import HttpResponse
        from django.utils.http import content_disposition_header

        response = HttpResponse(csv_bytes(message), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{name}.csv"
        )
        return response
    return xlsx_response(workbook_bytes(message), f"{name}.xlsx")


@login_required
@require_POST
def schedule(request):
    """Schedule every day and month that is due and has no delivery yet."""
    if not permissions.can_add(request.user, MinistryDelivery):
        raise PermissionDenied
    try:
        created = services.schedule_due(request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已安排 %(n)d 项报送") % {"n": len(created)})
    return redirect("mofcom:overview")


@login_required
@require_POST
def run(request):
    """Send what is due now, one attempt each (the scheduled command retries with backoff): a page
    must not wait minutes for a platform that does not answer."""
    if not permissions.can_add(request.user, MinistryDelivery):
        raise PermissionDenied
    summary = services.run_pending(request.user, limit=50, tries=1)
    (messages.success if not summary.failed else messages.warning)(request, summary.message)
    return redirect("mofcom:overview")
