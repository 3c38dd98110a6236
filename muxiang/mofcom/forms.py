from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.records import only_contract
from muxiang.mofcom.models import MinistryDelivery

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MinistryDeliveryForm(forms.ModelForm):
    """Schedule a delivery by hand (the daily run schedules them itself): a past day's station data
    or a past month's project data, by file or by the platform's API."""

    class Meta:
        model = MinistryDelivery
        fields = ["kind", "period", "contract", "transport", "note"]
        widgets = {"period": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "contract" in self.fields:
            self.fields["contract"].label_from_instance = lambda contract: contract.name
            if not self.instance.pk and not self.initial.get("contract"):
                contract = only_contract()
                if contract is not None:
                    self.initial["contract"] = contract.pk
        if "transport" in self.fields:
            from muxiang.mofcom.services import default_transport

            self.fields["transport"].required = False
            if not self.instance.pk:
                self.initial.setdefault("transport", default_transport())
        if self.instance.pk and self.instance.attempts:
            # What was attempted stays what it was: only the transport and the note may change.
            for name in ("kind", "period", "contract"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("已尝试报送，不能修改")

    def clean_transport(self):
        from muxiang.mofcom.services import default_transport

        chosen = self.cleaned_data.get("transport")
        return chosen or (self.instance.transport if self.instance.pk else default_transport())
