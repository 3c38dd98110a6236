import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract
from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter
from muxiang.operations.choices import AssetCountResult, Award, InspectionKind, TransactionKind
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
from muxiang.stations.models import Station


def stations(request):
    """The stations offered in a filter: only those the user may read."""
    from muxiang.core import permissions

    # The API authenticates by token (request.auth); pages by session (request.user).
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return permissions.scope(Station.objects.all(), user) if user is not None else Station.objects.none()


class DatedFilter(django_filters.FilterSet):
    """Year and month of the record's date, and a date range."""

    year = django_filters.NumberFilter(label=_("年度"), method="in_year")
    month = django_filters.CharFilter(label=_("月份"), method="in_month", help_text=_("如 2026-03"))
    since = django_filters.DateFilter(label=_("起始日期"), method="from_day")
    until = django_filters.DateFilter(label=_("截止日期"), method="to_day")
    date_field = "day"

    def in_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__year": int(value)})

    def in_month(self, queryset, name, value):
        from muxiang.operations.services import month_end, parse_month

        try:
            first = parse_month(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(**{f"{self.date_field}__range": (first, month_end(first))})

    def from_day(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def to_day(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__lte": value})


class StationScopedFilter(DatedFilter):
    station = ModelChoiceFilter(label=_("站点"), queryset=stations)
    town = ModelChoiceFilter(
        label=_("镇/苏木"), queryset=Region.objects.towns().order_by("path"), method="in_town"
    )
    station_path = "station"

    def in_town(self, queryset, name, value):
        return queryset.filter(
            Q(**{f"{self.station_path}__region": value})
            | Q(**{f"{self.station_path}__region__parent": value})
        )


class ContractScopedFilter(DatedFilter):
    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())


class StationDailyReportFilter(StationScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = StationDailyReport
        fields = ["q", "station", "town", "month", "since", "until", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(station__name__icontains=value) | Q(station__code__icontains=value) | Q(note__icontains=value)
        )


class ReportMonthFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="month", lookup_expr="year")
    sent = YesNoFilter(label=_("已报送平台"), method="is_sent")

    class Meta:
        model = ReportMonth
        fields = ["year", "sent"]

    def is_sent(self, queryset, name, value):
        return queryset.filter(sent_at__isnull=not value)


class StationTransactionFilter(StationScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("交易类型"), choices=TransactionKind.choices)
    premium = YesNoFilter(label=_("精品站点"), field_name="station__is_premium")

    class Meta:
        model = StationTransaction
        fields = ["q", "station", "town", "kind", "premium", "month", "since", "until", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(goods__icontains=value)
            | Q(counterparty__icontains=value)
            | Q(station__name__icontains=value)
        )


class StationInspectionFilter(StationScopedFilter, ContractScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("巡查类型"), choices=InspectionKind.choices, method="with_kind")
    has_publicity = YesNoFilter(label=_("有横幅或刷墙宣传"))
    date_field = "visited_on"

    class Meta:
        model = StationInspection
        fields = ["q", "contract", "station", "town", "kind", "has_publicity", "month", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(station__name__icontains=value)
            | Q(inspector__icontains=value)
            | Q(findings__icontains=value)
        )

    def with_kind(self, queryset, name, value):
        # JSON containment is not available on SQLite; the kinds list is small and quoted.
        return queryset.filter(kinds__icontains=f'"{value}"')


class InspectionProblemFilter(StationScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    closed = YesNoFilter(label=_("已整改"), method="is_closed")
    overdue = YesNoFilter(label=_("逾期未整改"), method="is_overdue")
    station = ModelChoiceFilter(label=_("站点"), queryset=stations, field_name="inspection__station")
    station_path = "inspection__station"
    date_field = "inspection__visited_on"

    class Meta:
        model = InspectionProblem
        fields = ["q", "station", "town", "closed", "overdue"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(description__icontains=value)
            | Q(corrective_action__icontains=value)
            | Q(inspection__station__name__icontains=value)
        )

    def is_closed(self, queryset, name, value):
        return queryset.filter(closed_on__isnull=not value)

    def is_overdue(self, queryset, name, value):
        overdue = Q(closed_on__isnull=True, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class FixedAssetFilter(StationScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    programme_funded = YesNoFilter(label=_("项目资金购置"))
    in_register = YesNoFilter(label=_("在册（未报废/移交）"), method="is_in_register")
    date_field = "acquired_on"

    class Meta:
        model = FixedAsset
        fields = ["q", "station", "town", "programme_funded", "in_register"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(asset_number__icontains=value)
            | Q(name__icontains=value)
            | Q(serial_number__icontains=value)
            | Q(station__name__icontains=value)
        )

    def is_in_register(self, queryset, name, value):
        today = timezone.localdate()
        held = Q(disposed_on__isnull=True) | Q(disposed_on__gt=today)
        return queryset.filter(held) if value else queryset.exclude(held)


class AssetCountLineFilter(StationScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    result = ChoiceFilter(label=_("盘点结果"), choices=AssetCountResult.choices)
    station = ModelChoiceFilter(label=_("站点"), queryset=stations, field_name="inspection__station")
    station_path = "inspection__station"
    date_field = "inspection__visited_on"

    class Meta:
        model = AssetCountLine
        fields = ["q", "station", "town", "result", "month", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(inspection__number__icontains=value)
            | Q(asset__asset_number__icontains=value)
            | Q(asset__name__icontains=value)
        )


class ManagerTrainingFilter(ContractScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    date_field = "held_on"

    class Meta:
        model = ManagerTraining
        fields = ["q", "contract", "month", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(trainer__icontains=value)
        )


class StationEvaluationFilter(ContractScopedFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    date_field = "held_on"

    class Meta:
        model = StationEvaluation
        fields = ["q", "contract", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class EvaluationEntryFilter(StationScopedFilter):
    evaluation = ModelChoiceFilter(label=_("评选"), queryset=StationEvaluation.objects.all())
    award = ChoiceFilter(label=_("奖项"), choices=Award.choices)
    date_field = "evaluation__held_on"

    class Meta:
        model = EvaluationEntry
        fields = ["evaluation", "station", "town", "award", "year"]


class AppCheckInFilter(StationScopedFilter):
    class Meta:
        model = AppCheckIn
        fields = ["station", "town", "month", "since", "until", "year"]


class AppActivityMonthFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="month", lookup_expr="year")

    class Meta:
        model = AppActivityMonth
        fields = ["year"]


def default_month() -> datetime.date:
    return timezone.localdate().replace(day=1)
