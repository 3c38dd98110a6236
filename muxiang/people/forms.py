from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.core.validators import normalise_id_number
from muxiang.people.choices import PersonKind
from muxiang.people.models import Person


class PersonForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("人员类别"), choices=PersonKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "id_number",
            "mobile",
            "kinds",
            "poor_household",
            "region",
            "station",
            "organisation",
            "notes",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label_from_instance = lambda region: region.path

    def clean_id_number(self):
        return normalise_id_number(self.cleaned_data.get("id_number")) or None
