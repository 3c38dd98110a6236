"""Station operations pages: twelve ledgers through ``RecordViewSet`` under the one ``operations``
URL namespace (``operations:dailyreport-list`` …), and the pages built on them: the completeness
grid with the list of stations to chase, premium stations' progress, app activity by month, a
visit's asset count, and a station manager's "today" shortcut to the phone form."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.core import permissions
from muxiang.core.services import with_evidence
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet
from muxiang.operations import services
from muxiang.operations.filters import (
    AppActivityMonthFilter,
    AppCheckInFilter,
    AssetCountLineFilter,
    EvaluationEntryFilter,
    FixedAssetFilter,
    InspectionProblemFilter,
    ManagerTrainingFilter,
    ReportMonthFilter,
    StationDailyReportFilter,
    StationEvaluationFilter,
    StationInspectionFilter,
    StationTransactionFilter,
)
from muxiang.operations.forms import (
    AppActivityMonthForm,
    AppCheckInForm,
    AssetCountForm,
    AssetCountLineForm,
    EvaluationEntryForm,
    FixedAssetForm,
    InspectionProblemForm,
    ManagerTrainingForm,
    ReportMonthForm,
    StationDailyReportForm,
    StationEvaluationForm,
    StationInspectionForm,
    StationTransactionForm,
)
from muxiang.operations.ledgers import (
    AppActivityMonthLedger,
    AppCheckInLedger,
    AssetCountLineLedger,
    EvaluationEntryLedger,
    FixedAssetLedger,
    InspectionProblemLedger,
    ManagerTrainingLedger,
    ReportMonthLedger,
    StationDailyReportLedger,
    StationEvaluationLedger,
    StationInspectionLedger,
    StationTransactionLedger,
)
from muxiang.operations.models import (
    AppActivityMonth,
    AppCheckIn,
    AssetCountLine,
    EvaluationEntry,
    FixedAsset,
    InspectionProblem,
    ManagerTraining,
    ReportMonth,
    StationDailyReport,
    StationEvaluation,
    StationInspection,
    StationTransaction,
)
from muxiang.regions.models import Region


def _money(field):
    return lambda record, user: f"{getattr(record, field):,.2f}"


def _yes(value) -> str:
    return _("是") if value else ""


class OperationsViewSet(RecordViewSet):
    """The operations ledgers share the ``operations`` URL namespace."""

    list_template = "operations/record_list.html"


# ---------------------------------------------------------------------------------------------------
# Daily reports


class StationDailyReportViewSet(OperationsViewSet):
    model = StationDailyReport
    namespace = LedgerRoute("operations", "dailyreport")
    url_prefix = "reports"
    form_class = StationDailyReportForm
    filterset_class = StationDailyReportFilter
    ledger_class = StationDailyReportLedger
    select_related = ("station",)
    form_template = "operations/dailyreport_form.html"
    list_columns = [
        ListColumn(gettext_lazy("日期"), "day"),
        ListColumn(gettext_lazy("站点"), "station.name"),
        ListColumn(
            gettext_lazy("代买（单/元）"),
            lambda r, u: f"{r.proxy_buying_orders} / {r.proxy_buying_amount:,.2f}",
        ),
        ListColumn(
            gettext_lazy("代卖（单/元）"),
            lambda r, u: f"{r.proxy_selling_orders} / {r.proxy_selling_amount:,.2f}",
        ),
        ListColumn(gettext_lazy("其中农产品（元）"), _money("farm_product_amount")),
        ListColumn(gettext_lazy("快递寄/收"), lambda r, u: f"{r.parcels_sent} / {r.parcels_received}"),
        ListColumn(gettext_lazy("服务人次"), "villagers_served"),
        ListColumn(gettext_lazy("便民服务"), "convenience_services"),
    ]

    @classmethod
    def make_form(cls, user, *args, **kwargs):
        # A station manager's form has no station field: the new report is theirs before it is
        # checked (one per day, not before the station opened), not only when it is saved.
        instance = kwargs.get("instance")
        if instance is not None and instance.pk is None and permissions.is_station_manager(user):
            instance.station_id = user.station_id
        return super().make_form(user, *args, **kwargs)

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        record = extra.get("record")
        if record is not None and context.get("can_change") and record.frozen_problem():
            # A locked report offers no edit button: the form would only refuse it.
            context["can_change"] = False
        return context

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        rows.append((_("交易额（代买+代卖，元）"), f"{record.turnover:,.2f}"))
        problem = record.frozen_problem()
        rows.append((_("状态"), problem or _("可修改")))
        rows.append(
            (
                _("报送时间"),
                timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M")
                + ("" if services.is_on_time(record.day, record.created_at) else _("（补报）")),
            )
        )
        return rows


class ReportMonthViewSet(OperationsViewSet):
    model = ReportMonth
    namespace = LedgerRoute("operations", "reportmonth")
    url_prefix = "report-months"
    form_class = ReportMonthForm
    filterset_class = ReportMonthFilter
    ledger_class = ReportMonthLedger
    list_columns = [
        ListColumn(gettext_lazy("月份"), lambda m, u: f"{m.month:%Y-%m}"),
        ListColumn(
            gettext_lazy("报送平台"),
            lambda m, u: (
                timezone.localtime(m.sent_at).strftime("%Y-%m-%d %H:%M") if m.sent_at else _("未报送")
            ),
        ),
        ListColumn(gettext_lazy("备注"), "note"),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        rows.append(
            (
                _("报送平台时间"),
                timezone.localtime(record.sent_at).strftime("%Y-%m-%d %H:%M")
                if record.sent_at
                else _("未报送（本月日报可修改）"),
            )
        )
        return rows


# ---------------------------------------------------------------------------------------------------
# Premium stations' transactions


class StationTransactionViewSet(OperationsViewSet):
    model = StationTransaction
    namespace = LedgerRoute("operations", "transaction")
    url_prefix = "transactions"
    form_class = StationTransactionForm
    filterset_class = StationTransactionFilter
    ledger_class = StationTransactionLedger
    select_related = ("station",)
    list_columns = [
        ListColumn(gettext_lazy("账目编号"), "number"),
        ListColumn(gettext_lazy("交易日期"), "day"),
        ListColumn(
            gettext_lazy("站点"), lambda t, u: f"{t.station.name}{' ★' if t.station.is_premium else ''}"
        ),
        ListColumn(gettext_lazy("交易类型"), "kind"),
        ListColumn(gettext_lazy("商品或服务"), "goods"),
        ListColumn(gettext_lazy("金额（元）"), _money("amount")),
    ]


# ---------------------------------------------------------------------------------------------------
# Inspections, problems, assets


class StationInspectionViewSet(OperationsViewSet):
    model = StationInspection
    namespace = LedgerRoute("operations", "inspection")
    url_prefix = "inspections"
    form_class = StationInspectionForm
    filterset_class = StationInspectionFilter
    ledger_class = StationInspectionLedger
    select_related = ("station", "contract")
    form_template = "operations/inspection_form.html"
    detail_template = "operations/inspection_detail.html"
    list_columns = [
        ListColumn(gettext_lazy("巡查编号"), "number"),
        ListColumn(gettext_lazy("巡查日期"), "visited_on"),
        ListColumn(gettext_lazy("站点"), "station.name"),
        ListColumn(gettext_lazy("巡查类型"), lambda i, u: i.get_kinds_display()),
        ListColumn(gettext_lazy("巡查人"), "inspector"),
        ListColumn(
            gettext_lazy("检查项"),
            lambda i, u: (
                f"{sum(1 for name in StationInspection.CHECKLIST if getattr(i, name))}/"
                f"{len(StationInspection.CHECKLIST)}"
            ),
        ),
        ListColumn(gettext_lazy("定位"), lambda i, u: _("有") if i.latitude is not None else ""),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = []
        for label, value in super().detail_rows(record, user):
            if str(label) == str(StationInspection._meta.get_field("kinds").verbose_name):
                value = record.get_kinds_display()
            rows.append((label, value))
        return rows

    @classmethod
    def related_sections(cls, record, user):
        problems = record.problems.all()
        return [
            (
                _("发现的问题与整改"),
                [_("问题编号"), _("发现的问题"), _("整改措施"), _("整改期限"), _("整改完成")],
                [
                    (
                        reverse("operations:problem-detail", args=[p.pk]),
                        [
                            p.number,
                            p.description,
                            p.corrective_action,
                            p.due_on or "",
                            p.closed_on or (_("逾期") if p.is_overdue else _("未完成")),
                        ],
                    )
                    for p in problems
                ],
            )
        ]

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        record = extra.get("record")
        if record is not None and "detail_rows" in extra and record.counts_assets:
            context["count_report"] = services.reconcile_assets(record)
        return context


class InspectionProblemViewSet(OperationsViewSet):
    model = InspectionProblem
    namespace = LedgerRoute("operations", "problem")
    url_prefix = "problems"
    form_class = InspectionProblemForm
    filterset_class = InspectionProblemFilter
    ledger_class = InspectionProblemLedger
    select_related = ("inspection", "inspection__station")
    list_columns = [
        ListColumn(gettext_lazy("问题编号"), "number"),
        ListColumn(gettext_lazy("站点"), "inspection.station.name"),
        ListColumn(gettext_lazy("发现的问题"), "description"),
        ListColumn(gettext_lazy("整改措施"), "corrective_action"),
        ListColumn(gettext_lazy("整改期限"), "due_on"),
        ListColumn(
            gettext_lazy("整改情况"),
            lambda p, u: (
                p.closed_on.isoformat() if p.closed_on else (_("逾期") if p.is_overdue else _("未完成"))
            ),
        ),
    ]


class FixedAssetViewSet(OperationsViewSet):
    model = FixedAsset
    namespace = LedgerRoute("operations", "asset")
    url_prefix = "assets"
    form_class = FixedAssetForm
    filterset_class = FixedAssetFilter
    ledger_class = FixedAssetLedger
    select_related = ("station",)
    list_columns = [
        ListColumn(gettext_lazy("资产编号"), "asset_number"),
        ListColumn(gettext_lazy("资产名称"), "name"),
        ListColumn(gettext_lazy("站点"), "station.name"),
        ListColumn(gettext_lazy("价值（元）"), _money("value")),
        ListColumn(gettext_lazy("项目资金"), lambda a, u: _yes(a.programme_funded)),
        ListColumn(gettext_lazy("配置日期"), "acquired_on"),
        ListColumn(gettext_lazy("报废/移交"), "disposed_on"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        lines = record.count_lines.select_related("inspection")
        return [
            (
                _("历次盘点"),
                [_("巡查编号"), _("巡查日期"), _("盘点结果"), _("备注")],
                [
                    (
                        reverse("operations:inspection-detail", args=[line.inspection_id]),
                        [
                            line.inspection.number,
                            line.inspection.visited_on,
                            line.get_result_display(),
                            line.note,
                        ],
                    )
                    for line in lines
                ],
            )
        ]


class AssetCountLineViewSet(OperationsViewSet):
    model = AssetCountLine
    namespace = LedgerRoute("operations", "countline")
    url_prefix = "asset-counts"
    form_class = AssetCountLineForm
    filterset_class = AssetCountLineFilter
    ledger_class = AssetCountLineLedger
    select_related = ("inspection", "inspection__station", "asset")
    list_columns = [
        ListColumn(gettext_lazy("巡查编号"), "inspection.number"),
        ListColumn(gettext_lazy("巡查日期"), "inspection.visited_on"),
        ListColumn(gettext_lazy("站点"), "inspection.station.name"),
        ListColumn(gettext_lazy("资产"), lambda line, u: str(line.asset)),
        ListColumn(gettext_lazy("盘点结果"), "result"),
        ListColumn(gettext_lazy("备注"), "note"),
    ]


# ---------------------------------------------------------------------------------------------------
# Trainings and evaluations


class ManagerTrainingViewSet(OperationsViewSet):
    model = ManagerTraining
    namespace = LedgerRoute("operations", "training")
    url_prefix = "trainings"
    form_class = ManagerTrainingForm
    filterset_class = ManagerTrainingFilter
    ledger_class = ManagerTrainingLedger
    select_related = ("contract",)
    list_columns = [
        ListColumn(gettext_lazy("培训编号"), "number"),
        ListColumn(gettext_lazy("培训日期"), "held_on"),
        ListColumn(gettext_lazy("培训主题"), "title"),
        ListColumn(gettext_lazy("培训内容"), lambda t, u: t.get_topics_display()),
        ListColumn(gettext_lazy("培训形式"), "format"),
        ListColumn(gettext_lazy("参训人数"), "attendees"),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        label = str(ManagerTraining._meta.get_field("topics").verbose_name)
        return [
            (name, record.get_topics_display() if str(name) == label else value)
            for name, value in super().detail_rows(record, user)
        ]


class StationEvaluationViewSet(OperationsViewSet):
    model = StationEvaluation
    namespace = LedgerRoute("operations", "evaluation")
    url_prefix = "evaluations"
    form_class = StationEvaluationForm
    filterset_class = StationEvaluationFilter
    ledger_class = StationEvaluationLedger
    select_related = ("contract",)
    list_columns = [
        ListColumn(gettext_lazy("评选编号"), "number"),
        ListColumn(gettext_lazy("评选日期"), "held_on"),
        ListColumn(gettext_lazy("评选名称"), "title"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        entries = permissions.scope(services.ranked_entries(record), user)
        return [
            (
                _("排名与奖项"),
                [_("名次"), _("站点"), _("得分"), _("奖项"), _("评语")],
                [
                    (
                        reverse("operations:entry-detail", args=[e.pk]),
                        [e.rank, e.station.name, e.score, e.get_award_display(), e.note],
                    )
                    for e in entries
                ],
            )
        ]


class EvaluationEntryViewSet(OperationsViewSet):
    model = EvaluationEntry
    namespace = LedgerRoute("operations", "entry")
    url_prefix = "evaluation-entries"
    form_class = EvaluationEntryForm
    filterset_class = EvaluationEntryFilter
    ledger_class = EvaluationEntryLedger
    select_related = ("evaluation", "station")
    list_columns = [
        ListColumn(gettext_lazy("评选"), lambda e, u: str(e.evaluation)),
        ListColumn(gettext_lazy("站点"), "station.name"),
        ListColumn(gettext_lazy("得分"), "score"),
        ListColumn(gettext_lazy("奖项"), "award"),
    ]


# ---------------------------------------------------------------------------------------------------
# App activity


class AppCheckInViewSet(OperationsViewSet):
    model = AppCheckIn
    namespace = LedgerRoute("operations", "checkin")
    url_prefix = "check-ins"
    form_class = AppCheckInForm
    filterset_class = AppCheckInFilter
    ledger_class = AppCheckInLedger
    select_related = ("station",)
    list_columns = [
        ListColumn(gettext_lazy("签到日期"), "day"),
        ListColumn(gettext_lazy("站点"), "station.name"),
        ListColumn(gettext_lazy("站点编号"), "station.code"),
    ]


class AppActivityMonthViewSet(OperationsViewSet):
    model = AppActivityMonth
    namespace = LedgerRoute("operations", "appmonth")
    url_prefix = "app-months"
    form_class = AppActivityMonthForm
    filterset_class = AppActivityMonthFilter
    ledger_class = AppActivityMonthLedger
    list_columns = [
        ListColumn(gettext_lazy("月份"), lambda m, u: f"{m.month:%Y-%m}"),
        ListColumn(gettext_lazy("备注"), "note"),
    ]


# ---------------------------------------------------------------------------------------------------
# Pages


def _require_operations_reader(user) -> None:
    """The summary pages show every station: the operator, the client and the auditor read them."""
    if permissions.role_of(user) not in permissions.READ_EVERYTHING_ROLES:
        raise PermissionDenied


def _county():
    return Region.objects.filter(level="county").order_by("path").first()


def _month_param(request) -> tuple[datetime.date, str | None]:
    raw = request.GET.get("month", "").replace("\x00", "")
    default = timezone.localdate().replace(day=1)
    if not raw:
        return default, None
    try:
        return services.parse_month(raw), None
    except ValueError as exc:
        return default, str(exc)


def _town_param(request):
    raw = request.GET.get("town", "")
    if not raw.isdigit():
        return None
    return Region.objects.towns().filter(pk=int(raw)).first()


@login_required
def completeness(request):
    """The month grid of daily reports per station, rates per town and overall, and the stations
    to chase today with their managers' phones."""
    _require_operations_reader(request.user)
    month, problem = _month_param(request)
    town = _town_param(request)
    county = _county()
    grid = services.completeness_grid(month, county=county, town=town)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = services.month_end(month) + datetime.timedelta(days=1)
    return render(
        request,
        "operations/completeness.html",
        {
            "grid": grid,
            "month": month,
            "problem": problem,
            "town": town,
            "towns": Region.objects.towns().order_by("path"),
            "previous": previous,
            "following": following if following <= timezone.localdate() else None,
            "chase": services.stations_to_chase(town or county),
            "today": timezone.localdate(),
            "can_import": permissions.can_import(request.user, StationDailyReport),
        },
        status=400 if problem else 200,
    )


@login_required
def premium(request):
    """Premium stations' turnover from their transaction ledgers against 72,000 yuan."""
    _require_operations_reader(request.user)
    from muxiang.contracts.records import only_contract

    contract = only_contract()
    today = timezone.localdate()
    start = None
    if contract is not None:
        phases = list(contract.phases.all())
        if phases:
            start = phases[0].start
    start = start or datetime.date(today.year, 1, 1)
    rows = services.premium_progress(_county(), start, today)
    return render(
        request,
        "operations/premium.html",
        {
            "rows": rows,
            "start": start,
            "today": today,
            "floor": services.PREMIUM_MIN_TURNOVER,
            "contract": contract,
            "lowest": min((row.turnover for row in rows), default=None),
        },
    )


@login_required
def app_activity(request):
    """The app's activity rate month by month (the last twelve) against 80%."""
    _require_operations_reader(request.user)
    today = timezone.localdate()
    last = today - datetime.timedelta(days=1)
    start = (last.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    months = services.app_activity_months(start, last, _county())
    evidenced = services.evidenced_months(AppActivityMonth, with_evidence, [m.month for m in months])
    records = {m.month: m for m in AppActivityMonth.objects.filter(month__in=[m.month for m in months])}
    return render(
        request,
        "operations/app_activity.html",
        {
            "rows": [(m, records.get(m.month), m.month in evidenced) for m in reversed(months)],
            "floor": services.APP_ACTIVITY_FLOOR,
        },
    )


@login_required
def today(request):
    """A station manager's shortcut from the phone's home screen: today's report, new or to edit.
    Everyone else lands on the completeness grid."""
    if not permissions.is_station_manager(request.user):
        return redirect("operations:completeness")
    if not request.user.station_id:
        raise PermissionDenied
    report = StationDailyReport.objects.filter(
        station_id=request.user.station_id, day=timezone.localdate()
    ).first()
    if report is None:
        return redirect("operations:dailyreport-add")
    if report.frozen_problem():
        return redirect("operations:dailyreport-detail", report.pk)
    return redirect("operations:dailyreport-edit", report.pk)


@login_required
def inspection_count(request, pk):
    """The asset count of one visit: a result for each asset of the station's register."""
    inspection = permissions.get_scoped_or_404(
        StationInspection.objects.select_related("station"), request.user, pk=pk
    )
    if not permissions.can_change(request.user, inspection):
        raise PermissionDenied
    assets = list(services.register_on(inspection.station_id, inspection.visited_on))
    lines = {line.asset_id: line for line in inspection.asset_lines.all()}
    form = AssetCountForm(request.POST or None, assets=assets, lines=lines)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                written = services.record_asset_count(inspection, form.results(), request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("盘点结果已保存（%(n)d 项）") % {"n": written})
                return redirect("operations:inspection-detail", inspection.pk)
        status = 400
    if not inspection.counts_assets:
        form.add_error(None, _("该巡查的类型不含固定资产盘点：请先编辑巡查，勾选「固定资产盘点」"))
    return render(
        request, "operations/inspection_count.html", {"inspection": inspection, "form": form}, status=status
    )
