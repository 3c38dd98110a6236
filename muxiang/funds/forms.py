from django import forms
from django.utils.translation import gettext as _

from muxiang.funds import services
from muxiang.funds.models import EquipmentPurchase, Expense, FundReceipt, Quotation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractChoiceMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "contract" in self.fields:
            self.fields["contract"].label_from_instance = lambda contract: contract.name


class SectionMixin:
    """The section must be one the contract names (its targets' sections, or 4)."""

    def clean(self):
        cleaned = super().clean()
        contract, section = cleaned.get("contract"), cleaned.get("section")
        if contract is not None and section:
            problem = services.section_problem(section.strip(), services.allowed_sections(contract))
            if problem:
                self.add_error("section", problem)
            else:
                cleaned["section"] = section.strip()
        return cleaned


class FundReceiptForm(ContractChoiceMixin, forms.ModelForm):
    class Meta:
        model = FundReceipt
        fields = ["contract", "voucher_number", "received_on", "amount", "payer", "milestone", "note"]
        widgets = {"received_on": DATE}


class ExpenseForm(ContractChoiceMixin, SectionMixin, forms.ModelForm):
    class Meta:
        model = Expense
        fields = ["contract", "spent_on", "payee", "amount", "section", "purpose", "invoice_number"]
        widgets = {"spent_on": DATE}

    def clean(self):
        cleaned = super().clean()
        contract, spent_on = cleaned.get("contract"), cleaned.get("spent_on")
        if contract is not None and spent_on is not None and "spent_on" not in self.errors:
            # The phase follows from the date: nobody types it, so it cannot disagree with it.
            self.instance.phase = services.phase_on(contract, spent_on)
        return cleaned


class EquipmentPurchaseForm(ContractChoiceMixin, SectionMixin, forms.ModelForm):
    class Meta:
        model = EquipmentPurchase
        fields = [
            "contract",
            "asset_number",
            "name",
            "specification",
            "quantity",
            "purchased_on",
            "amount",
            "section",
            "choice_reason",
            "expense",
        ]
        widgets = {"purchased_on": DATE, "choice_reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "expense" in self.fields:
            self.fields["expense"].queryset = Expense.objects.select_related("contract")
            self.fields["expense"].label_from_instance = lambda e: (
                f"{e.invoice_number} · {e.payee} · {e.amount}"
            )

    def clean(self):
        cleaned = super().clean()
        expense = cleaned.get("expense")
        if expense is not None and "amount" not in self.errors and "contract" not in self.errors:
            self.instance.contract = cleaned.get("contract")
            self.instance.amount = cleaned.get("amount")
            problem = services.expense_problem(self.instance, expense)
            if problem:
                self.add_error("expense", problem)
        return cleaned


class QuotationForm(forms.ModelForm):
    class Meta:
        model = Quotation
        fields = ["equipment", "supplier", "amount", "quoted_on", "chosen"]
        widgets = {"quoted_on": DATE}

    def clean(self):
        cleaned = super().clean()
        equipment, supplier = cleaned.get("equipment"), cleaned.get("supplier")
        if equipment is None:
            return cleaned
        others = Quotation.objects.filter(equipment=equipment).exclude(pk=self.instance.pk)
        if supplier and others.filter(supplier=supplier.strip()).exists():
            self.add_error("supplier", _("该设备已有此供应商的报价"))
        if cleaned.get("chosen") and others.filter(chosen=True).exists():
            self.add_error("chosen", _("该设备已选定另一个报价，请先取消那一个"))
        return cleaned
