from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.regions.models import Region
from muxiang.stations.choices import StationService
from muxiang.stations.models import Station


class StationForm(forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=_("服务项目"),
        choices=StationService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Station
        fields = [
            "code",
            "name",
            "level",
            "region",
            "address",
            "latitude",
            "longitude",
            "manager",
            "phone",
            "opened_on",
            "closed_on",
            "status",
            "services",
            "is_premium",
        ]
        widgets = {
            "opened_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "closed_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # StationManagerForm inherits this but has no region field.
        if "region" in self.fields:
            self.fields["region"].queryset = Region.objects.exclude(level="county")
            self.fields["region"].label_from_instance = lambda region: region.path


class StationManagerForm(StationForm):
    """What a station manager may correct about their own station: contact and location details."""

    class Meta(StationForm.Meta):
        fields = ["address", "latitude", "longitude", "phone", "services"]
