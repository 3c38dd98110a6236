from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract
from muxiang.contracts.records import ContractRecordForm
from muxiang.sales.models import CensusEntry, ProductCensus, Sale
from muxiang.sales.services import format_channel_shares, parse_channel_shares

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class SaleForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = Sale
        fields = [
            "contract",
            "source",
            "order_number",
            "sold_on",
            "seller",
            "product",
            "quantity",
            "amount",
            "channel",
            "mode",
            "buyer_kind",
            "buyer",
            "event",
            "promotion",
            "station",
            "notes",
        ]
        widgets = {"sold_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the mode follows the channel (online for the e-commerce channels).
        self.fields["mode"].required = False
        self.fields["order_number"].required = False

    def clean_order_number(self):
        number = (self.cleaned_data.get("order_number") or "").strip()
        return number or (self.instance.order_number if self.instance.pk else "")

    def validate_unique(self):
        # The order key is checked by ``Sale.clean`` with a message that says what to do.
        exclude = self._get_validation_exclusions()
        exclude.update({"source", "order_number"})
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)


class ChannelSharesField(forms.CharField):
    """The traditional channels and their shares typed as 「收购商 60、农贸市场 40」."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return format_channel_shares(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        try:
            return parse_channel_shares(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ProductCensusForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = ProductCensus
        fields = ["contract", "year", "completed_on", "summary", "proposal"]
        widgets = {"completed_on": DATE, "summary": TEXT, "proposal": TEXT}

    def validate_constraints(self):
        # "One per year" is asked by ``ProductCensus.clean`` (the constraint's condition names
        # ``deleted_at``, which no form holds).
        pass


class CensusEntryForm(forms.ModelForm):
    channel_shares = ChannelSharesField(
        label=_("传统销售渠道及比例"),
        help_text=_("如：收购商 60、农贸市场 30、合作社统销 10（合计 100%）"),
        required=False,
    )

    class Meta:
        model = CensusEntry
        fields = [
            "census",
            "category",
            "town",
            "planted_area",
            "herd_size",
            "output",
            "output_unit",
            "market_season",
            "quality_level",
            "technology_level",
            "channel_shares",
            "own_brands",
            "ecommerce_firms",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = self.fields["town"].queryset.filter(level="town").order_by("path")
        census = self.fields["census"]
        census.queryset = census.queryset.select_related("contract")
        if Contract.objects.count() > 1:
            # With the contracts of several counties, "2026年度农村产品数据库" is not enough to choose by.
            census.label_from_instance = lambda c: f"{c}（{c.contract.name}）"

    def validate_constraints(self):
        pass
