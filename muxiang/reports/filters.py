import django_filters
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract
from muxiang.core.filters import ModelChoiceFilter
from muxiang.reports.choices import ReportKind, ReportStatus
from muxiang.reports.models import Report


class ReportFilter(django_filters.FilterSet):
    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())
    kind = django_filters.ChoiceFilter(label=_("报告类型"), choices=ReportKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="period_start", lookup_expr="year")

    class Meta:
        model = Report
        fields = ["contract", "kind", "status", "year"]
