from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.records import ContractRecordForm
from muxiang.training.choices import TrainingAudience
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    Textbook,
    TraineeOutcome,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class TrainingSessionForm(ContractRecordForm, forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("培训对象"),
        choices=TrainingAudience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TrainingSession
        fields = [
            "contract",
            "code",
            "title",
            "topic",
            "level",
            "audiences",
            "held_on",
            "place",
            "teacher",
            "station",
            "notes",
        ]
        widgets = {"held_on": DATE}


class AttendanceForm(forms.ModelForm):
    # Three answers, not two: a sheet that leaves the column empty means "as the person is registered".
    poor_household = forms.NullBooleanField(
        label=_("贫困户/脱贫户"),
        required=False,
        widget=forms.Select(choices=[("", _("按人员登记")), ("true", _("是")), ("false", _("否"))]),
        help_text=_("按签到表登记；不选则取人员登记的情况"),
    )

    class Meta:
        model = Attendance
        fields = ["session", "person", "poor_household"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].label_from_instance = lambda s: f"{s.code} {s.held_on} {s.title}"
        self.fields["person"].label_from_instance = lambda p: f"{p.name} {p.mobile}".strip()

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if cleaned.get("poor_household") is None and person is not None:
            cleaned["poor_household"] = person.poor_household
        return cleaned


class TraineeOutcomeForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = TraineeOutcome
        fields = [
            "contract",
            "person",
            "year",
            "recorded_on",
            "sells_online",
            "shop",
            "employed",
            "employer",
            "influencer",
            "account",
            "annual_online_sales",
            "notes",
        ]
        widgets = {"recorded_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = lambda p: f"{p.name} {p.mobile}".strip()


class FollowUpVisitForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = FollowUpVisit
        fields = [
            "contract",
            "number",
            "visited_on",
            "person",
            "organisation",
            "method",
            "visitor",
            "findings",
            "help_given",
        ]
        widgets = {"visited_on": DATE, "findings": TEXT, "help_given": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = lambda p: f"{p.name} {p.mobile}".strip()


class TextbookForm(ContractRecordForm, forms.ModelForm):
    url = forms.URLField(label=_("链接"), max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = Textbook
        fields = ["contract", "title", "version", "published_on", "published_where", "url", "notes"]
        widgets = {"published_on": DATE}


class MerchantCensusForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = MerchantCensus
        fields = ["contract", "year", "counted_on", "merchant_count", "method", "notes"]
        widgets = {"counted_on": DATE}


class FeedbackAnalysisForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = FeedbackAnalysis
        fields = [
            "contract",
            "number",
            "title",
            "period_from",
            "period_to",
            "written_on",
            "respondents",
            "satisfaction",
            "summary",
            "next_plan",
        ]
        widgets = {
            "period_from": DATE,
            "period_to": DATE,
            "written_on": DATE,
            "summary": TEXT,
            "next_plan": TEXT,
        }
