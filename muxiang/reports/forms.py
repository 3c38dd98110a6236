from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract
from muxiang.reports.choices import ReportKind
from muxiang.reports.models import Report


class ReportCreateForm(forms.Form):
    """A new draft: the contract (preselected when only one is loaded), the kind and the period
    as people write it. The period is checked by ``services.draft_report``."""

    contract = forms.ModelChoiceField(label=_("合同"), queryset=Contract.objects.order_by("key"))
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    period = forms.CharField(
        label=_("报告期间"),
        max_length=30,
        help_text=_(
            "月度、数据分析报告：2026-10；培训分析报告：第1阶段 或 2026-01-01..2026-06-30；网商统计：2026"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contracts = list(Contract.objects.order_by("key")[:2])
        if len(contracts) == 1:
            self.fields["contract"].initial = contracts[0].pk


class ReportTextForm(forms.ModelForm):
    """The operator's text of a draft; the fields shown are those the kind asks for."""

    class Meta:
        model = Report
        fields = ["problems", "plan", "adjustments", "remarks"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}

    def __init__(self, *args, kind: str, **kwargs):
        from muxiang.reports.services import TEXT_FIELDS

        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in TEXT_FIELDS[ReportKind(kind)]:
                del self.fields[name]


class ReportReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
