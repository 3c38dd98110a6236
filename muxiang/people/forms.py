from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.core import permissions
from muxiang.core.validators import mask_id_number, normalise_id_number
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label_from_instance = lambda region: region.path
        self.keep_hidden_id = False

    def limit_for_user(self, user):
        """Roles that see ID numbers masked must not get the full number in the edit form either:
        the field starts empty, and leaving it empty keeps the registered number."""
        registered = self.instance.pk and self.instance.id_number
        if registered and not permissions.sees_full_id(user):
            self.keep_hidden_id = True
            self.initial["id_number"] = ""
            self.fields["id_number"].help_text = _("已登记：%(m)s；留空则保持不变") % {
                "m": mask_id_number(self.instance.id_number)
            }

    def clean_id_number(self):
        value = normalise_id_number(self.cleaned_data.get("id_number")) or None
        if value is None and self.keep_hidden_id:
            return self.instance.id_number
        return value
