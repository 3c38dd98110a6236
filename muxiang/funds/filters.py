import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.models import Contract
from muxiang.core.filters import ModelChoiceFilter, YesNoFilter
from muxiang.funds.models import EquipmentPurchase, Expense, FundReceipt, Quotation
from muxiang.funds.services import MIN_QUOTATIONS


class ContractFilterSet(django_filters.FilterSet):
    contract = ModelChoiceFilter(label=_("合同"), queryset=Contract.objects.all())
    year = django_filters.NumberFilter(label=_("年度"), method="in_year")
    date_field = ""

    def in_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__year": int(value)})


class FundReceiptFilter(ContractFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    date_field = "received_on"

    class Meta:
        model = FundReceipt
        fields = ["q", "contract", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(payer__icontains=value) | Q(voucher_number__icontains=value) | Q(milestone__icontains=value)
        )


class ExpenseFilter(ContractFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    section = django_filters.CharFilter(label=_("合同条款"))
    missing_invoice = YesNoFilter(label=_("缺少发票"), method="by_invoice")
    date_field = "spent_on"

    class Meta:
        model = Expense
        fields = ["q", "contract", "year", "section", "missing_invoice"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(payee__icontains=value) | Q(purpose__icontains=value) | Q(invoice_number__icontains=value)
        )

    def by_invoice(self, queryset, name, value):
        # The list's queryset is annotated with has_invoice (ExpenseViewSet.base_queryset).
        return queryset.filter(has_invoice=not value)


class EquipmentPurchaseFilter(ContractFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    few_quotations = YesNoFilter(label=_("询价记录不足"), method="by_quotations")
    date_field = "purchased_on"

    class Meta:
        model = EquipmentPurchase
        fields = ["q", "contract", "year", "few_quotations"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(asset_number__icontains=value))

    def by_quotations(self, queryset, name, value):
        lacking = Q(quotation_count__lt=MIN_QUOTATIONS) | Q(chosen_count=0) | Q(choice_reason="")
        return queryset.filter(lacking) if value else queryset.exclude(lacking)


class QuotationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    chosen = YesNoFilter(label=_("选定"))

    class Meta:
        model = Quotation
        fields = ["q", "chosen"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(supplier__icontains=value)
            | Q(equipment__name__icontains=value)
            | Q(equipment__asset_number__icontains=value)
        )
