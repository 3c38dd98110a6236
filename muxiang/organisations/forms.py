from django import forms

from muxiang.organisations.models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "credit_code",
            "region",
            "station",
            "contact_name",
            "contact_phone",
            "address",
            "main_products",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label_from_instance = lambda region: region.path

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper() or None
