import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract
from muxiang.core import permissions
from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter
from muxiang.stations.models import Station
from muxiang.training.choices import TrainingAudience, TrainingLevel, TrainingTopic, VisitMethod
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    Textbook,
    TraineeOutcome,
    TrainingSession,
)


def _stations(request):
    # A station manager picks among the stations they may read: their own.
    stations = Station.objects.all()
    return permissions.scope(stations, request.user) if request is not None else stations.none()


class ContractRecordFilter(django_filters.FilterSet):
    """合同 and 年度 (the calendar year of the record's date), shared by every training ledger."""

    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())
    year = django_filters.NumberFilter(label=_("年度"), method="in_year")

    def __init__(self, data=None, *args, **kwargs):
        # PostgreSQL refuses NUL characters in text parameters; nobody types them on purpose.
        if data is not None and any("\x00" in value for value in data.values()):
            data = data.copy()
            for name in list(data):
                data.setlist(name, [value.replace("\x00", "") for value in data.getlist(name)])
        super().__init__(data, *args, **kwargs)

    def in_year(self, queryset, name, value):
        return queryset.filter(**{f"{self._meta.model.date_field}__year": int(value)})


class TrainingSessionFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    topic = ChoiceFilter(label=_("培训内容"), choices=TrainingTopic.choices)
    level = ChoiceFilter(label=_("培训类别"), choices=TrainingLevel.choices)
    audience = ChoiceFilter(label=_("培训对象"), choices=TrainingAudience.choices, method="for_audience")
    station = ModelChoiceFilter(label=_("举办站点"), queryset=_stations)

    class Meta:
        model = TrainingSession
        fields = ["q", "contract", "year", "topic", "level", "audience", "station"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | Q(title__icontains=value)
            | Q(teacher__icontains=value)
            | Q(place__icontains=value)
        )

    def for_audience(self, queryset, name, value):
        # JSON containment is not available on SQLite; the audience list is small and quoted.
        return queryset.filter(audiences__icontains=f'"{value}"')


class AttendanceFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    session = django_filters.CharFilter(label=_("场次编号"), field_name="session__code")
    level = ChoiceFilter(label=_("培训类别"), choices=TrainingLevel.choices, field_name="session__level")
    poor_household = YesNoFilter(label=_("贫困户/脱贫户"))

    class Meta:
        model = Attendance
        fields = ["q", "contract", "year", "session", "level", "poor_household"]

    def search(self, queryset, name, value):
        # Exact ID number only: a partial search would let masked viewers probe the hidden digits.
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(person__mobile__startswith=value)
            | Q(person__id_number=value.upper())
            | Q(session__code__icontains=value)
            | Q(session__title__icontains=value)
        )


class TraineeOutcomeFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    year = django_filters.NumberFilter(label=_("年度"))
    sells_online = YesNoFilter(label=_("开设网店/网上销售"))
    employed = YesNoFilter(label=_("进入电商企业任职"))
    influencer = YesNoFilter(label=_("成为网红"))

    class Meta:
        model = TraineeOutcome
        fields = ["q", "contract", "year", "sells_online", "employed", "influencer"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(person__mobile__startswith=value)
            | Q(shop__icontains=value)
            | Q(employer__icontains=value)
            | Q(account__icontains=value)
        )


class FollowUpVisitFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    method = ChoiceFilter(label=_("回访方式"), choices=VisitMethod.choices)

    class Meta:
        model = FollowUpVisit
        fields = ["q", "contract", "year", "method"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(person__name__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(findings__icontains=value)
            | Q(visitor__icontains=value)
        )


class TextbookFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = Textbook
        fields = ["q", "contract", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(version__icontains=value) | Q(published_where__icontains=value)
        )


class MerchantCensusFilter(ContractRecordFilter):
    year = django_filters.NumberFilter(label=_("统计年度"))

    class Meta:
        model = MerchantCensus
        fields = ["contract", "year"]


class FeedbackAnalysisFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = FeedbackAnalysis
        fields = ["q", "contract", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(next_plan__icontains=value)
        )
