import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ChoiceFilter, ModelChoiceFilter
from muxiang.trace.choices import BatchKind, CertificateKind, EventStep
from muxiang.trace.models import Batch, Certificate, CodeRun, Enterprise, ProductionBase, TraceEvent


def _clean(value: str) -> str:
    # PostgreSQL refuses NUL characters in text parameters; nobody types them on purpose.
    return value.replace("\x00", "")


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = Enterprise
        fields = ["q"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(industry__icontains=value)
            | Q(enterprise_brand__icontains=value)
        )


class ProductionBaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    enterprise = ModelChoiceFilter(
        label=_("溯源企业"), queryset=Enterprise.objects.select_related("organisation")
    )

    class Meta:
        model = ProductionBase
        fields = ["q", "enterprise"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class BatchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    enterprise = ModelChoiceFilter(
        label=_("溯源企业"), queryset=Enterprise.objects.select_related("organisation")
    )
    kind = ChoiceFilter(label=_("日期类型"), choices=BatchKind.choices)

    class Meta:
        model = Batch
        fields = ["q", "enterprise", "kind"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(Q(lot__icontains=value) | Q(product__name__icontains=value))


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("类型"), choices=CertificateKind.choices)

    class Meta:
        model = Certificate
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(
            Q(number__icontains=value) | Q(issuer__icontains=value) | Q(batch__lot__icontains=value)
        )


class TraceEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    step = ChoiceFilter(label=_("环节"), choices=EventStep.choices)

    class Meta:
        model = TraceEvent
        fields = ["q", "step"]

    def search(self, queryset, name, value):
        value = _clean(value)
        return queryset.filter(Q(place__icontains=value) | Q(batch__lot__icontains=value))


class CodeRunFilter(django_filters.FilterSet):
    enterprise = ModelChoiceFilter(
        label=_("溯源企业"), queryset=Enterprise.objects.select_related("organisation")
    )
    since = django_filters.DateFilter(label=_("发码日期起"), field_name="issued_on", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("发码日期止"), field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = CodeRun
        fields = ["enterprise", "since", "until"]
