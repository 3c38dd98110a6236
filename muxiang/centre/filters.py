import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.centre.choices import (
    EventKind,
    FunctionalAreaKind,
    IncubationKind,
    PlanStatus,
    RecipientKind,
    SurveySubject,
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
from muxiang.contracts.models import Contract
from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter, YesNoFilter


def _clean(value: str) -> str:
    # PostgreSQL refuses NUL characters in text parameters; nobody types them on purpose.
    return value.replace("\x00", "")


class ServiceCentreFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = ServiceCentre
        fields = ["q"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class FunctionalAreaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("功能类型"), choices=FunctionalAreaKind.choices)
    centre = ModelChoiceFilter(label=_("服务中心"), queryset=ServiceCentre.objects.all())

    class Meta:
        model = FunctionalArea
        fields = ["q", "kind", "centre"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class ContractRecordFilter(django_filters.FilterSet):
    """The contract and the calendar year: the two ways every programme ledger is read."""

    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())
    year = django_filters.NumberFilter(label=_("年度"), method="in_year")
    date_field = ""

    def in_year(self, queryset, name, value):
        year = int(value)
        if not 1900 <= year <= 2999:
            return queryset.none()
        return queryset.filter(**{f"{self.date_field}__year": year})


class WorkOrderFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    area = ModelChoiceFilter(label=_("功能区"), queryset=FunctionalArea.objects.all())
    area_kind = ChoiceFilter(label=_("功能类型"), choices=FunctionalAreaKind.choices, field_name="area__kind")
    date_field = "starts_at"

    class Meta:
        model = WorkOrder
        fields = ["q", "area", "area_kind", "contract", "year"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(number__icontains=value)
            | Q(purpose__icontains=value)
            | Q(requester_name__icontains=value)
            | Q(requester_person__name__icontains=value)
            | Q(requester_organisation__name__icontains=value)
        )


class EventFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("活动类型"), choices=EventKind.choices)
    counted_fair = YesNoFilter(label=_("计入产销对接（≥1 万元）"), method="by_fair")
    date_field = "held_on"

    class Meta:
        model = Event
        fields = ["q", "kind", "counted_fair", "contract", "year"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(place__icontains=value)
            | Q(organiser__icontains=value)
        )

    def by_fair(self, queryset, name, value):
        counted = Q(kind=EventKind.MATCHMAKING, sales_amount__gte=Event.MIN_FAIR_SALES)
        return queryset.filter(counted) if value else queryset.exclude(counted)


class IncubationServiceFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("服务类型"), choices=IncubationKind.choices)
    recipient_kind = ChoiceFilter(
        label=_("服务对象类型"), choices=RecipientKind.choices, method="by_recipient"
    )
    directed = YesNoFilter(label=_("定向孵化"))
    date_field = "provided_on"

    class Meta:
        model = IncubationService
        fields = ["q", "kind", "recipient_kind", "directed", "contract", "year"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(number__icontains=value)
            | Q(recipient_person__name__icontains=value)
            | Q(recipient_organisation__name__icontains=value)
            | Q(delivered__icontains=value)
        )

    def by_recipient(self, queryset, name, value):
        return queryset.filter(recipient_organisation__isnull=value != RecipientKind.ENTERPRISE)


class IncubationFollowUpFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    directed = YesNoFilter(label=_("定向孵化"), field_name="incubation__directed")
    date_field = "held_on"

    class Meta:
        model = IncubationFollowUp
        fields = ["q", "directed", "contract", "year"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(number__icontains=value)
            | Q(incubation__number__icontains=value)
            | Q(incubation__recipient_person__name__icontains=value)
            | Q(incubation__recipient_organisation__name__icontains=value)
            | Q(content__icontains=value)
        )


class FieldSurveyFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    subject = ChoiceFilter(label=_("调研板块"), choices=SurveySubject.choices)
    plan_status = ChoiceFilter(label=_("方案状态"), choices=PlanStatus.choices)
    date_field = "surveyed_on"

    class Meta:
        model = FieldSurvey
        fields = ["q", "subject", "plan_status", "contract", "year"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(number__icontains=value)
            | Q(place__icontains=value)
            | Q(findings__icontains=value)
            | Q(station__name__icontains=value)
        )


class ValueAddedServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    active = YesNoFilter(label=_("在售"))

    class Meta:
        model = ValueAddedService
        fields = ["q", "active"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class ServiceIncomeFilter(ContractRecordFilter):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    service = ModelChoiceFilter(label=_("增值服务"), queryset=ValueAddedService.objects.all())
    date_field = "received_on"

    class Meta:
        model = ServiceIncome
        fields = ["q", "service", "contract", "year"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(Q(number__icontains=value) | Q(customer__icontains=value))
