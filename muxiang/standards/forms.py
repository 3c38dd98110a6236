from django import forms

from muxiang.standards.models import StandardAdoption, StandardVersion, TradeStandard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TradeStandardForm(forms.ModelForm):
    class Meta:
        model = TradeStandard
        fields = ["title", "industry", "issuer", "scope_text", "notes"]


class StandardVersionForm(forms.ModelForm):
    class Meta:
        model = StandardVersion
        fields = ["standard", "number", "version", "effective_on", "is_current", "changes"]
        widgets = {"effective_on": DATE}


class StandardAdoptionForm(forms.ModelForm):
    class Meta:
        model = StandardAdoption
        fields = ["standard", "organisation", "since", "products", "notes"]
        widgets = {"since": DATE}
