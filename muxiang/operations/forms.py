from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.records import ContractRecordForm
from muxiang.operations.choices import AssetCountResult, InspectionKind, TrainingTopic
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
from muxiang.stations.models import Station

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]
# Phone keyboards: digits only for counts, digits and a point for yuan.
COUNT = forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "step": "1", "pattern": "[0-9]*"})
YUAN = forms.NumberInput(attrs={"inputmode": "decimal", "min": "0", "step": "0.01"})


class OperationsForm:
    """A model's ``clean()`` may name a field this form does not show (a station manager's form has
    no station): such a message is shown at the top of the form rather than lost (or a crash)."""

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            remapped: dict = {}
            for name, errors in error.error_dict.items():
                key = name if name == NON_FIELD_ERRORS or name in self.fields else NON_FIELD_ERRORS
                remapped.setdefault(key, []).extend(errors)
            error = ValidationError(remapped)
        super().add_error(field, error)


def month_field(label):
    return forms.DateField(label=label, input_formats=MONTH_FORMATS, widget=MONTH, help_text=_("如 2026-03"))


class MonthForm(OperationsForm, forms.ModelForm):
    def clean_month(self):
        month = self.cleaned_data.get("month")
        return month.replace(day=1) if month else month


class StationDailyReportForm(OperationsForm, forms.ModelForm):
    """The phone form of a station manager's day: big number fields, the phone's number keyboard."""

    class Meta:
        model = StationDailyReport
        fields = [
            "station",
            "day",
            "proxy_buying_orders",
            "proxy_buying_amount",
            "proxy_selling_orders",
            "proxy_selling_amount",
            "farm_product_amount",
            "parcels_sent",
            "parcels_received",
            "villagers_served",
            "convenience_services",
            "poor_households",
            "note",
        ]
        widgets = {
            "day": DATE,
            "proxy_buying_orders": COUNT,
            "proxy_buying_amount": YUAN,
            "proxy_selling_orders": COUNT,
            "proxy_selling_amount": YUAN,
            "farm_product_amount": YUAN,
            "parcels_sent": COUNT,
            "parcels_received": COUNT,
            "villagers_served": COUNT,
            "convenience_services": COUNT,
            "poor_households": COUNT,
        }

    FIGURES = [name for name in Meta.fields if name not in ("station", "day", "note")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("day"):
            self.initial["day"] = timezone.localdate()
        if "station" in self.fields:
            self.fields["station"].queryset = Station.objects.filter(opened_on__isnull=False)
        # A figure left empty is none that day: 0, as the spreadsheet import has it.
        for name in self.FIGURES:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.FIGURES:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = 0
        return cleaned


class ReportMonthForm(MonthForm):
    month = month_field(_("月份"))

    class Meta:
        model = ReportMonth
        fields = ["month", "note"]


class StationTransactionForm(OperationsForm, forms.ModelForm):
    class Meta:
        model = StationTransaction
        fields = ["number", "station", "day", "kind", "goods", "counterparty", "amount", "note"]
        widgets = {"day": DATE, "amount": YUAN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "station" in self.fields:
            # Premium stations first: the ledger is kept for them.
            self.fields["station"].queryset = Station.objects.filter(opened_on__isnull=False).order_by(
                "-is_premium", "code"
            )


class StationInspectionForm(ContractRecordForm, OperationsForm, forms.ModelForm):
    """The inspection form, filled on the phone at the station: the GPS fields are filled by the
    browser's geolocation (see the template), or typed."""

    kinds = forms.MultipleChoiceField(
        label=_("巡查类型"), choices=InspectionKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = StationInspection
        fields = [
            "contract",
            "number",
            "station",
            "visited_on",
            "kinds",
            "inspector",
            *StationInspection.CHECKLIST,
            "latitude",
            "longitude",
            "location_accuracy",
            "findings",
        ]
        widgets = {
            "visited_on": DATE,
            "findings": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        }


class InspectionProblemForm(OperationsForm, forms.ModelForm):
    class Meta:
        model = InspectionProblem
        fields = ["inspection", "description", "corrective_action", "due_on", "closed_on", "closure_note"]
        widgets = {"due_on": DATE, "closed_on": DATE}


class FixedAssetForm(OperationsForm, forms.ModelForm):
    class Meta:
        model = FixedAsset
        fields = [
            "asset_number",
            "station",
            "name",
            "serial_number",
            "value",
            "programme_funded",
            "acquired_on",
            "disposed_on",
            "note",
        ]
        widgets = {"acquired_on": DATE, "disposed_on": DATE, "value": YUAN}


class AssetCountLineForm(OperationsForm, forms.ModelForm):
    class Meta:
        model = AssetCountLine
        fields = ["inspection", "asset", "result", "note"]


class AssetCountForm(forms.Form):
    """The count of one visit: a result per asset of the station's register (built per visit)."""

    def __init__(self, *args, assets=(), lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = lines or {}
        choices = [("", _("未清点"))] + AssetCountResult.choices
        self.assets = list(assets)
        for asset in self.assets:
            line = lines.get(asset.pk)
            self.fields[f"result_{asset.pk}"] = forms.ChoiceField(
                label=str(asset), choices=choices, required=False, initial=line.result if line else ""
            )
            self.fields[f"note_{asset.pk}"] = forms.CharField(
                label=_("备注"), max_length=200, required=False, initial=line.note if line else ""
            )

    def results(self) -> dict[int, tuple[str, str]]:
        return {
            asset.pk: (self.cleaned_data[f"result_{asset.pk}"], self.cleaned_data[f"note_{asset.pk}"])
            for asset in self.assets
        }

    def rows(self):
        return [(asset, self[f"result_{asset.pk}"], self[f"note_{asset.pk}"]) for asset in self.assets]


class ManagerTrainingForm(ContractRecordForm, OperationsForm, forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("培训内容"),
        choices=TrainingTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ManagerTraining
        fields = [
            "contract",
            "number",
            "title",
            "held_on",
            "topics",
            "format",
            "location",
            "trainer",
            "attendees",
            "note",
        ]
        widgets = {"held_on": DATE, "attendees": COUNT}


class StationEvaluationForm(ContractRecordForm, OperationsForm, forms.ModelForm):
    class Meta:
        model = StationEvaluation
        fields = ["contract", "number", "title", "held_on", "criteria", "summary"]
        widgets = {
            "held_on": DATE,
            "criteria": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


class EvaluationEntryForm(OperationsForm, forms.ModelForm):
    class Meta:
        model = EvaluationEntry
        fields = ["evaluation", "station", "score", "award", "note"]
        widgets = {"score": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})}


class AppCheckInForm(OperationsForm, forms.ModelForm):
    class Meta:
        model = AppCheckIn
        fields = ["station", "day"]
        widgets = {"day": DATE}


class AppActivityMonthForm(MonthForm):
    month = month_field(_("月份"))

    class Meta:
        model = AppActivityMonth
        fields = ["month", "note"]
