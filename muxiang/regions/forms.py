from django import forms

from muxiang.regions.models import Region


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "level", "parent", "code", "exited_poverty", "opened_on", "closed_on"]
        widgets = {
            "opened_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "closed_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Region.objects.exclude(level="village")
        self.fields["parent"].label_from_instance = lambda region: region.path
