from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.records import ContractRecordForm
from muxiang.trace.choices import AlertState
from muxiang.trace.models import Batch, Certificate, CodeRun, Enterprise, ProductionBase, TraceEvent

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class EnterpriseForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "contract",
            "organisation",
            "enrolled_on",
            "industry",
            "enterprise_brand",
            "regional_brand",
            "introduction",
            "notes",
        ]
        widgets = {"enrolled_on": DATE, "introduction": TEXT}


class ProductionBaseForm(forms.ModelForm):
    class Meta:
        model = ProductionBase
        fields = ["enterprise", "name", "region", "address", "area_mu", "latitude", "longitude"]


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = [
            "enterprise",
            "product",
            "base",
            "lot",
            "kind",
            "produced_on",
            "quantity",
            "unit",
            "inputs",
            "story",
        ]
        widgets = {"produced_on": DATE, "inputs": TEXT, "story": TEXT}


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["batch", "kind", "number", "issuer", "issued_on", "passed", "items"]
        widgets = {"issued_on": DATE}


class TraceEventForm(forms.ModelForm):
    class Meta:
        model = TraceEvent
        fields = ["batch", "step", "occurred_at", "place", "description", "is_public"]
        widgets = {"occurred_at": MOMENT}


class CodeRunForm(ContractRecordForm, forms.ModelForm):
    """Editing a run: its date, product and notes. A new run is issued through ``IssueForm``."""

    class Meta:
        model = CodeRun
        fields = ["contract", "issued_on", "product", "notes"]
        widgets = {"issued_on": DATE}


class IssueForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("溯源企业"), queryset=Enterprise.objects.select_related("organisation")
    )
    product = forms.ModelChoiceField(label=_("商品（印在标签上）"), queryset=None, required=False)
    count = forms.IntegerField(label=_("发码数量"), min_value=1)
    issued_on = forms.DateField(label=_("发码日期"), widget=DATE, required=False)
    notes = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from muxiang.supply.models import Product

        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.all()


class BindForm(forms.Form):
    """A roll by its first and last label, or a list of codes (one per line)."""

    batch = forms.ModelChoiceField(label=_("绑定到批次"), queryset=Batch.objects.select_related("product"))
    first = forms.CharField(label=_("首个标签的码"), max_length=40, required=False)
    last = forms.CharField(label=_("末个标签的码"), max_length=40, required=False)
    listed = forms.CharField(label=_("或逐个输入（每行一个）"), widget=TEXT, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("listed", "").strip() and not (data.get("first") and data.get("last")):
            raise forms.ValidationError(_("请填写首末两个标签的码，或逐个输入溯源码"))
        return data


class VoidForm(forms.Form):
    first = forms.CharField(label=_("首个标签的码"), max_length=40, required=False)
    last = forms.CharField(label=_("末个标签的码（作废一段时填写）"), max_length=40, required=False)
    listed = forms.CharField(label=_("或逐个输入（每行一个）"), widget=TEXT, required=False)
    reason = forms.CharField(label=_("作废原因"), max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("listed", "").strip() and not data.get("first"):
            raise forms.ValidationError(_("请填写要作废的溯源码"))
        return data


class AlertReviewForm(forms.Form):
    state = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (AlertState.DISMISSED, AlertState.DISMISSED.label),
            (AlertState.CONFIRMED, AlertState.CONFIRMED.label),
        ],
    )
    note = forms.CharField(label=_("处理说明"), max_length=300, required=False)
