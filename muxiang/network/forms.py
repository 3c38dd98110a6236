from django import forms

from muxiang.network.models import Outlet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OutletForm(forms.ModelForm):
    class Meta:
        model = Outlet
        fields = [
            "code",
            "name",
            "kind",
            "operator",
            "region",
            "station",
            "address",
            "opened_on",
            "closed_on",
            "status",
            "digital",
            "notes",
        ]
        widgets = {"opened_on": DATE, "closed_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Towns and villages only, in tree order: the county itself holds no outlet.
        region = self.fields["region"]
        region.queryset = region.queryset.filter(level__in=("town", "village")).order_by("path")
        region.label_from_instance = lambda r: r.path.split("/", 1)[-1]
