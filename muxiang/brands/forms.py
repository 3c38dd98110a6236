from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.brands import services
from muxiang.brands.choices import BrandTier
from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, ProductSeries, SeriesProduct
from muxiang.contracts.records import ContractRecordForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NumberedForm:
    """A blank number is given the next one of the record's series (``services.next_number``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False

    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        return number or services.next_number(self._meta.model)


class BrandForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = Brand
        fields = [
            "contract",
            "name",
            "tier",
            "industry",
            "owner",
            "trademark_number",
            "trademark_status",
            "established_on",
            "story",
            "notes",
        ]
        widgets = {"established_on": DATE}


class BrandMemberForm(forms.ModelForm):
    """The contract is the brand's; only the regional public brand takes members."""

    class Meta:
        model = BrandMember
        fields = [
            "brand",
            "organisation",
            "authorisation_number",
            "joined_on",
            "left_on",
            "products",
            "notes",
        ]
        widgets = {"joined_on": DATE, "left_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = Brand.objects.filter(tier=BrandTier.REGIONAL)

    def limit_for_user(self, user):
        # scope_form_choices has narrowed the queryset already; keep the regional brands only.
        self.fields["brand"].queryset = self.fields["brand"].queryset.filter(tier=BrandTier.REGIONAL)


class BrandServiceForm(NumberedForm, forms.ModelForm):
    class Meta:
        model = BrandService
        fields = ["number", "member", "kind", "provided_on", "content", "outcome"]
        widgets = {"provided_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = BrandMember.objects.select_related("organisation")


class ProductSeriesForm(forms.ModelForm):
    class Meta:
        model = ProductSeries
        fields = ["code", "name", "brand", "launched_on", "description"]
        widgets = {"launched_on": DATE}


class SeriesProductForm(forms.ModelForm):
    class Meta:
        model = SeriesProduct
        fields = ["series", "product", "launched_on", "selling_points"]
        widgets = {"launched_on": DATE}


class PackagingRunForm(NumberedForm, forms.ModelForm):
    class Meta:
        model = PackagingRun
        fields = [
            "number",
            "series",
            "product",
            "design",
            "units",
            "supplier",
            "invoice_number",
            "produced_on",
            "notes",
        ]
        widgets = {"produced_on": DATE}
        error_messages = {"units": {"min_value": _("生产数量应大于 0")}}


class LeaveForm(forms.Form):
    """The one change a membership sees after joining: the day the enterprise left."""

    left_on = forms.DateField(label=_("退出日期"), widget=DATE)
