"""The service centre's pages: nine ledgers through ``RecordViewSet`` under the one ``centre`` URL
namespace (``centre:workorder-list`` …, through ``core.views.LedgerRoute``), the centre overview and
the booking calendar of each functional area."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.centre import services
from muxiang.centre.choices import EventKind, RecipientKind
from muxiang.centre.filters import (
    EventFilter,
    FieldSurveyFilter,
    FunctionalAreaFilter,
    IncubationFollowUpFilter,
    IncubationServiceFilter,
    ServiceCentreFilter,
    ServiceIncomeFilter,
    ValueAddedServiceFilter,
    WorkOrderFilter,
)
from muxiang.centre.forms import (
    EventForm,
    FieldSurveyForm,
    FunctionalAreaForm,
    IncubationFollowUpForm,
    IncubationServiceForm,
    ServiceCentreForm,
    ServiceIncomeForm,
    ValueAddedServiceForm,
    WorkOrderForm,
)
from muxiang.centre.ledgers import (
    EventLedger,
    FieldSurveyLedger,
    FunctionalAreaLedger,
    IncubationFollowUpLedger,
    IncubationServiceLedger,
    ServiceCentreLedger,
    ServiceIncomeLedger,
    ValueAddedServiceLedger,
    WorkOrderLedger,
)
from muxiang.centre.models import (
    Event,
    FieldSurvey,
    FunctionalArea,
    IncubationFollowUp,
    IncubationService,
    ServiceCentre,
    ServiceIncome,
    ValueAddedService,
    WorkOrder,
)
from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet


def _money(field):
    def cell(record, user):
        value = getattr(record, field)
        return "" if value is None else f"{value:,.2f}"

    return cell


def _area(field):
    def cell(record, user):
        value = getattr(record, field)
        return "" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")

    return cell


def _span(record, user):
    return services.format_span(record.starts_at, record.ends_at)


class ServiceCentreViewSet(RecordViewSet):
    model = ServiceCentre
    namespace = LedgerRoute("centre", "centre")
    url_prefix = "centres"
    form_class = ServiceCentreForm
    filterset_class = ServiceCentreFilter
    ledger_class = ServiceCentreLedger
    list_columns = [
        ListColumn(gettext_lazy("名称"), "name"),
        ListColumn(gettext_lazy("地址"), "address"),
        ListColumn(gettext_lazy("建筑面积（平方米）"), _area("floor_area")),
        ListColumn(gettext_lazy("启用日期"), "opened_on"),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        overview = next((o for o in services.centre_overviews() if o.centre.pk == record.pk), None)
        if overview is not None:
            rows.append((_("功能区面积合计（平方米）"), f"{overview.areas_floor_area:,.2f}"))
            rows.append(
                (
                    _("场地面积"),
                    _("达到合同要求（不低于 1200 平方米）")
                    if overview.meets_floor_area
                    else _("低于合同要求的 1200 平方米"),
                )
            )
            rows.append(
                (
                    _("九大功能"),
                    _("九大功能均已设置")
                    if overview.has_all_functions
                    else _("尚缺：%(k)s") % {"k": "、".join(overview.missing_kinds)},
                )
            )
        return rows

    @classmethod
    def related_sections(cls, record, user):
        areas = record.areas.all()
        return [
            (
                _("功能区"),
                [_("功能区编号"), _("名称"), _("功能类型"), _("面积（平方米）"), _("容纳人数")],
                [
                    (
                        reverse("centre:area-detail", args=[a.pk]),
                        [
                            a.code,
                            a.name,
                            a.get_kind_display(),
                            _area("floor_area")(a, user),
                            a.capacity or "",
                        ],
                    )
                    for a in areas
                ],
            )
        ]


class FunctionalAreaViewSet(RecordViewSet):
    model = FunctionalArea
    namespace = LedgerRoute("centre", "area")
    url_prefix = "areas"
    form_class = FunctionalAreaForm
    filterset_class = FunctionalAreaFilter
    ledger_class = FunctionalAreaLedger
    select_related = ("centre",)
    detail_template = "centre/area_detail.html"
    list_columns = [
        ListColumn(gettext_lazy("功能区编号"), "code"),
        ListColumn(gettext_lazy("名称"), "name"),
        ListColumn(gettext_lazy("功能类型"), "kind"),
        ListColumn(gettext_lazy("面积（平方米）"), _area("floor_area")),
        ListColumn(gettext_lazy("容纳人数"), "capacity"),
        ListColumn(gettext_lazy("所属服务中心"), "centre.name"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        recent = record.work_orders.select_related("requester_person", "requester_organisation")[:10]
        return [
            (
                _("最近的服务工单"),
                [_("工单编号"), _("时间"), _("服务对象"), _("使用事由")],
                [
                    (
                        reverse("centre:workorder-detail", args=[o.pk]),
                        [o.number, _span(o, user), o.requester, o.purpose],
                    )
                    for o in recent
                ],
            )
        ]


class WorkOrderViewSet(RecordViewSet):
    model = WorkOrder
    namespace = LedgerRoute("centre", "workorder")
    url_prefix = "work-orders"
    form_class = WorkOrderForm
    filterset_class = WorkOrderFilter
    ledger_class = WorkOrderLedger
    select_related = ("contract", "area", "requester_person", "requester_organisation")
    list_template = "centre/workorder_list.html"
    list_columns = [
        ListColumn(gettext_lazy("工单编号"), "number"),
        ListColumn(gettext_lazy("功能区"), lambda o, u: o.area.name),
        ListColumn(gettext_lazy("时间"), _span),
        ListColumn(gettext_lazy("服务对象"), lambda o, u: o.requester),
        ListColumn(gettext_lazy("使用事由"), "purpose"),
        ListColumn(gettext_lazy("参加人数"), "attendees"),
    ]

    @classmethod
    def context(cls, request, **extra):
        # The list page links each area's booking calendar; the query runs only if it is shown.
        return super().context(request, calendar_areas=FunctionalArea.objects.all(), **extra)


class EventViewSet(RecordViewSet):
    model = Event
    namespace = LedgerRoute("centre", "event")
    url_prefix = "events"
    form_class = EventForm
    filterset_class = EventFilter
    ledger_class = EventLedger
    select_related = ("contract",)
    list_columns = [
        ListColumn(gettext_lazy("活动编号"), "number"),
        ListColumn(gettext_lazy("活动名称"), "title"),
        ListColumn(gettext_lazy("活动类型"), "kind"),
        ListColumn(gettext_lazy("举办日期"), "held_on"),
        ListColumn(gettext_lazy("地点"), "place"),
        ListColumn(gettext_lazy("参加人数"), "attendees"),
        ListColumn(gettext_lazy("销售额（元）"), _money("sales_amount")),
        ListColumn(gettext_lazy("产销对接考核"), lambda e, u: _fair_state(e)),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        state = _fair_state(record)
        if state:
            rows.append((_("产销对接考核"), state))
        return rows


def _fair_state(event) -> str:
    """How a matchmaking fair stands against 2.5's floor of 10,000 yuan per fair."""
    if event.kind != EventKind.MATCHMAKING:
        return ""
    if event.counts_as_fair:
        return _("计入（达到 1 万元）")
    if event.sales_amount is None:
        return _("不计入：未填写销售额")
    return _("不计入：销售额不足 1 万元")


class IncubationServiceViewSet(RecordViewSet):
    model = IncubationService
    namespace = LedgerRoute("centre", "incubation")
    url_prefix = "incubations"
    form_class = IncubationServiceForm
    filterset_class = IncubationServiceFilter
    ledger_class = IncubationServiceLedger
    select_related = ("contract", "recipient_person", "recipient_organisation")
    list_columns = [
        ListColumn(gettext_lazy("服务编号"), "number"),
        ListColumn(gettext_lazy("服务对象"), lambda i, u: i.recipient),
        ListColumn(gettext_lazy("服务对象类型"), lambda i, u: RecipientKind(i.recipient_kind).label),
        ListColumn(gettext_lazy("服务类型"), "kind"),
        ListColumn(gettext_lazy("定向孵化"), lambda i, u: _("是") if i.directed else ""),
        ListColumn(gettext_lazy("服务日期"), "provided_on"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        follow_ups = record.follow_ups.all()
        return [
            (
                _("跟踪指导"),
                [_("跟踪编号"), _("指导日期"), _("指导内容"), _("下一步安排")],
                [
                    (
                        reverse("centre:followup-detail", args=[f.pk]),
                        [f.number, f.held_on, f.content, f.next_steps],
                    )
                    for f in follow_ups
                ],
            )
        ]


class IncubationFollowUpViewSet(RecordViewSet):
    model = IncubationFollowUp
    namespace = LedgerRoute("centre", "followup")
    url_prefix = "follow-ups"
    form_class = IncubationFollowUpForm
    filterset_class = IncubationFollowUpFilter
    ledger_class = IncubationFollowUpLedger
    select_related = (
        "contract",
        "incubation__recipient_person",
        "incubation__recipient_organisation",
    )
    list_columns = [
        ListColumn(gettext_lazy("跟踪编号"), "number"),
        ListColumn(gettext_lazy("孵化服务"), lambda f, u: f.incubation.number),
        ListColumn(gettext_lazy("服务对象"), lambda f, u: f.incubation.recipient),
        ListColumn(gettext_lazy("定向孵化"), lambda f, u: _("是") if f.incubation.directed else ""),
        ListColumn(gettext_lazy("指导日期"), "held_on"),
        ListColumn(gettext_lazy("指导内容"), "content"),
    ]


class FieldSurveyViewSet(RecordViewSet):
    model = FieldSurvey
    namespace = LedgerRoute("centre", "survey")
    url_prefix = "surveys"
    form_class = FieldSurveyForm
    filterset_class = FieldSurveyFilter
    ledger_class = FieldSurveyLedger
    select_related = ("contract", "station")
    list_columns = [
        ListColumn(gettext_lazy("调研编号"), "number"),
        ListColumn(gettext_lazy("调研板块"), "subject"),
        ListColumn(gettext_lazy("调研站点"), lambda s, u: s.station.name if s.station_id else ""),
        ListColumn(gettext_lazy("调研日期"), "surveyed_on"),
        ListColumn(gettext_lazy("方案状态"), "plan_status"),
        ListColumn(gettext_lazy("计划完成日期"), "plan_due"),
    ]


class ValueAddedServiceViewSet(RecordViewSet):
    model = ValueAddedService
    namespace = LedgerRoute("centre", "service")
    url_prefix = "services"
    form_class = ValueAddedServiceForm
    filterset_class = ValueAddedServiceFilter
    ledger_class = ValueAddedServiceLedger
    list_columns = [
        ListColumn(gettext_lazy("服务名称"), "name"),
        ListColumn(gettext_lazy("参考价格（元）"), _money("price")),
        ListColumn(gettext_lazy("计价单位"), "unit"),
        ListColumn(gettext_lazy("在售"), "active"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        incomes = record.incomes.all()[:20]
        return [
            (
                _("最近的收入"),
                [_("收入编号"), _("收款日期"), _("客户"), _("金额（元）")],
                [
                    (
                        reverse("centre:income-detail", args=[i.pk]),
                        [i.number, i.received_on, i.customer, f"{i.amount:,.2f}"],
                    )
                    for i in incomes
                ],
            )
        ]


class ServiceIncomeViewSet(RecordViewSet):
    model = ServiceIncome
    namespace = LedgerRoute("centre", "income")
    url_prefix = "incomes"
    form_class = ServiceIncomeForm
    filterset_class = ServiceIncomeFilter
    ledger_class = ServiceIncomeLedger
    select_related = ("contract", "service")
    list_columns = [
        ListColumn(gettext_lazy("收入编号"), "number"),
        ListColumn(gettext_lazy("增值服务"), lambda i, u: i.service.name),
        ListColumn(gettext_lazy("收款日期"), "received_on"),
        ListColumn(gettext_lazy("客户"), "customer"),
        ListColumn(gettext_lazy("金额（元）"), _money("amount")),
    ]


VIEWSETS = [
    ServiceCentreViewSet,
    FunctionalAreaViewSet,
    WorkOrderViewSet,
    EventViewSet,
    IncubationServiceViewSet,
    IncubationFollowUpViewSet,
    FieldSurveyViewSet,
    ValueAddedServiceViewSet,
    ServiceIncomeViewSet,
]


def _require_reader(user) -> None:
    # The centre is the operator's: station managers read none of it (their station's surveys
    # excepted, which they reach through the survey list).
    if not permissions.can_view(user, FunctionalArea):
        raise PermissionDenied


@login_required
def overview(request):
    """The centre at a glance: each centre against the 1,200 m² and nine-function obligation,
    its areas with their work-order counts, and links to every ledger of the app."""
    _require_reader(request.user)
    return render(
        request,
        "centre/overview.html",
        {
            "overviews": services.centre_overviews(),
            "required_floor_area": ServiceCentre.REQUIRED_FLOOR_AREA,
            "ledgers": [(v.model._meta.verbose_name_plural, v.url("list")) for v in VIEWSETS],
            "can_add_centre": permissions.can_add(request.user, ServiceCentre),
        },
    )


@login_required
def area_calendar(request, pk):
    """The bookings of one functional area by week (``?week=2026-W12``) or by month
    (``?month=2026-03``), day by day, so that it reads on a phone."""
    _require_reader(request.user)
    area = FunctionalAreaViewSet.get_record(request, pk)
    problem = None
    status = 200
    try:
        period = services.calendar_period(request.GET.get("week", ""), request.GET.get("month", ""))
    except services.CalendarPeriodError as exc:
        problem, status = str(exc), 400
        period = services.calendar_period()
    return render(
        request,
        "centre/area_calendar.html",
        {
            "area": area,
            "period": period,
            "days": services.area_calendar(area, period),
            "problem": problem,
            "can_book": permissions.can_add(request.user, WorkOrder),
        },
        status=status,
    )
