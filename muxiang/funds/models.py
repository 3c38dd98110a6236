from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import SoftDeleteModel

# Money is yuan with fen: 14 digits hold the largest contract (hundreds of millions) with room.
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}

# No ``scope_station_path`` on any model here: programme money belongs to the operator, not to a
# station, so ``permissions.scope`` gives a station manager none of it (list, detail, export, API).


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


class FundReceipt(SoftDeleteModel):
    """A 项目资金到账: money the client paid into the programme's dedicated account (资金使用专户,
    第七条 3), usually one of the contract's payment milestones. The bank slip is its evidence."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.PROTECT,
        related_name="fund_receipts",
    )
    voucher_number = models.CharField(
        _("凭证号"), max_length=60, unique=True, help_text=_("银行回单号或记账凭证号，全局唯一")
    )
    received_on = models.DateField(_("到账日期"), validators=[not_in_future])
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    payer = models.CharField(_("付款单位"), max_length=200)
    milestone = models.CharField(_("付款节点"), max_length=200, blank=True, help_text=_("如：首付款 45%"))
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = pgettext_lazy("singular", "项目资金到账")
        verbose_name_plural = _("项目资金到账")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.received_on} {self.payer} {self.amount}"


class Expense(SoftDeleteModel):
    """A 支出 of programme money (专款专用, 第七条 3): who was paid, how much, for which section of
    the contract. Its phase follows from the date (``services.phase_on``), never typed. Its invoice
    (发票) is the evidence attached to it; an expense without one is flagged 缺少发票."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("合同"), on_delete=models.PROTECT, related_name="expenses"
    )
    spent_on = models.DateField(_("支出日期"), validators=[not_in_future])
    payee = models.CharField(_("收款单位"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    section = models.CharField(_("合同条款"), max_length=20, help_text=_("如 1.1；通用支出填 4"))
    phase = models.ForeignKey(
        "contracts.Phase",
        verbose_name=_("阶段"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
        editable=False,
    )
    purpose = models.CharField(_("用途"), max_length=300)
    invoice_number = models.CharField(_("发票号码"), max_length=40, unique=True)

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = pgettext_lazy("singular", "支出")
        verbose_name_plural = _("支出")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "spent_on"], name="funds_expense_contract_date")]

    def __str__(self):
        return f"{self.spent_on} {self.payee} {self.amount}"


class EquipmentPurchase(SoftDeleteModel):
    """A 设备采购 paid with programme money. 第四条 4 demands its quotation record (询价记录): at
    least three quotations compared, the one chosen and why. Short of that it is flagged 询价记录不足.
    The expense that paid for it (``expense``, with its invoice) ties the equipment ledger to the
    spending ledger, so that the yearly auditor can follow one to the other."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.PROTECT,
        related_name="equipment_purchases",
    )
    asset_number = models.CharField(_("资产编号"), max_length=60, unique=True)
    name = models.CharField(_("设备名称"), max_length=200)
    specification = models.CharField(_("规格型号"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    purchased_on = models.DateField(_("采购日期"), validators=[not_in_future])
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    section = models.CharField(_("合同条款"), max_length=20, help_text=_("如 1.1；通用支出填 4"))
    choice_reason = models.TextField(_("选定理由"), blank=True)
    expense = models.ForeignKey(
        Expense,
        verbose_name=_("付款支出"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment",
        help_text=_("支付该设备的支出记录（含发票）"),
    )

    class Meta:
        ordering = ["-purchased_on", "-id"]
        verbose_name = pgettext_lazy("singular", "设备采购")
        verbose_name_plural = _("设备采购")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.asset_number} {self.name}"


class Quotation(SoftDeleteModel):
    """One supplier's 报价 for an equipment purchase; the quotation sheet is its evidence. Exactly
    one quotation of a purchase is the chosen one (选定)."""

    equipment = models.ForeignKey(
        EquipmentPurchase, verbose_name=_("设备采购"), on_delete=models.CASCADE, related_name="quotations"
    )
    supplier = models.CharField(_("供应商"), max_length=200)
    amount = models.DecimalField(_("报价（元）"), **MONEY)
    quoted_on = models.DateField(_("报价日期"), validators=[not_in_future])
    chosen = models.BooleanField(_("选定"), default=False)

    class Meta:
        ordering = ["equipment", "amount", "id"]
        verbose_name = pgettext_lazy("singular", "询价")
        verbose_name_plural = _("询价记录")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["equipment", "supplier"],
                condition=models.Q(deleted_at__isnull=True),
                name="funds_quotation_one_per_supplier",
                violation_error_message=_("该设备已有此供应商的报价"),
            ),
            models.UniqueConstraint(
                fields=["equipment"],
                condition=models.Q(chosen=True, deleted_at__isnull=True),
                name="funds_quotation_one_chosen",
                violation_error_message=_("每项设备只能选定一个报价"),
            ),
        ]

    def __str__(self):
        return f"{self.supplier} {self.amount}"
