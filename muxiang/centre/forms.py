from django import forms
from django.utils.translation import gettext_lazy as _

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
from muxiang.contracts.records import ContractRecordForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


class NumberMixin:
    """The number may be left blank: a new record then gets the next one on save
    (``GD-202603-001``), a stored record keeps its own."""

    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        return number or (self.instance.number if self.instance.pk else "")


class AttendeesMixin:
    """The number of attendees may be left empty (API calls that do not know it): it is then 0."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].required = False

    def clean_attendees(self):
        value = self.cleaned_data.get("attendees")
        return 0 if value is None else value


class ServiceCentreForm(forms.ModelForm):
    class Meta:
        model = ServiceCentre
        fields = ["name", "address", "floor_area", "opened_on", "notes"]
        widgets = {"opened_on": DATE}


class FunctionalAreaForm(forms.ModelForm):
    class Meta:
        model = FunctionalArea
        fields = ["centre", "code", "kind", "name", "floor_area", "capacity", "notes"]


class WorkOrderForm(ContractRecordForm, NumberMixin, AttendeesMixin, forms.ModelForm):
    class Meta:
        model = WorkOrder
        fields = [
            "contract",
            "number",
            "area",
            "requester_organisation",
            "requester_person",
            "requester_name",
            "purpose",
            "starts_at",
            "ends_at",
            "attendees",
            "outcome",
        ]
        widgets = {"starts_at": MOMENT, "ends_at": MOMENT, "outcome": TEXT}


class EventForm(ContractRecordForm, NumberMixin, AttendeesMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "contract",
            "number",
            "kind",
            "title",
            "held_on",
            "place",
            "organiser",
            "attendees",
            "sales_amount",
            "notes",
        ]
        widgets = {"held_on": DATE, "notes": TEXT}


class IncubationServiceForm(ContractRecordForm, NumberMixin, forms.ModelForm):
    class Meta:
        model = IncubationService
        fields = [
            "contract",
            "number",
            "recipient_organisation",
            "recipient_person",
            "kind",
            "directed",
            "provided_on",
            "delivered",
            "outcome",
        ]
        widgets = {"provided_on": DATE, "delivered": TEXT, "outcome": TEXT}


class IncubationFollowUpForm(NumberMixin, forms.ModelForm):
    """No contract field: a follow-up belongs to its incubation's contract (``IncubationFollowUp.clean``)."""

    class Meta:
        model = IncubationFollowUp
        fields = ["number", "incubation", "held_on", "content", "next_steps"]
        widgets = {"held_on": DATE, "content": TEXT, "next_steps": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each choice reads "FH-202603-001 <recipient>": fetch the recipients with the services.
        field = self.fields["incubation"]
        field.queryset = field.queryset.select_related("recipient_person", "recipient_organisation")


class FieldSurveyForm(ContractRecordForm, NumberMixin, forms.ModelForm):
    class Meta:
        model = FieldSurvey
        fields = [
            "contract",
            "number",
            "subject",
            "station",
            "surveyed_on",
            "place",
            "findings",
            "improvement_plan",
            "plan_status",
            "plan_due",
        ]
        widgets = {
            "surveyed_on": DATE,
            "plan_due": DATE,
            "findings": TEXT,
            "improvement_plan": forms.Textarea(attrs={"rows": 5}),
        }


class ValueAddedServiceForm(forms.ModelForm):
    class Meta:
        model = ValueAddedService
        fields = ["name", "description", "price", "unit", "active"]
        widgets = {"description": TEXT}
        help_texts = {"price": _("对外公示的参考价格，实际收费以收入记录为准")}


class ServiceIncomeForm(ContractRecordForm, NumberMixin, forms.ModelForm):
    class Meta:
        model = ServiceIncome
        fields = ["contract", "number", "service", "received_on", "customer", "amount", "notes"]
        widgets = {"received_on": DATE}
