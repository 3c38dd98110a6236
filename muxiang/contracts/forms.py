from django import forms
from django.utils.translation import gettext_lazy as _


class ManualFigureForm(forms.Form):
    target = forms.ChoiceField(label=_("绩效目标"))
    value = forms.DecimalField(label=_("数值"), max_digits=16, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("佐证材料"))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.key, f"{t.section} {t.title}") for t in targets]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("付款日期"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("付款凭证"))
