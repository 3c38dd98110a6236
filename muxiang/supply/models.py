"""Supply chain services (contract section 2.1): the product catalogue, suppliers and stock points,
centralised purchasing (集中采购) with its receipts, unified distribution (统一配送) with proof of
delivery, the stock ledger of immutable movements with its inventory counts (盘点), the systematic
services given to local enterprises, cooperatives and large growers, and the county supply chains
integrated (2.1 二).

Stock is never stored as a figure: a balance is the sum of the movements of a (stock point,
product) up to a day. Movements are only ever added — by ``services`` functions that lock the pair's
``StockLock`` row, check that no day from the posting date on goes negative, and write — and never
changed or deleted: a correction is a reversal, a new movement of the opposite sign.

Scoping: a station manager reads their own station's stock point (``Warehouse.station``), its
movements and counts, and the deliveries that concern their station (``Delivery.station``: the
station delivered to, or the station stock point delivered from). Purchasing, suppliers, services
and supply chains are the operator's.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.contracts.records import ContractRecord
from muxiang.core.models import AuditedModel, SoftDeleteModel
from muxiang.core.validators import validate_mobile
from muxiang.supply.choices import (
    SYSTEMATIC_RECIPIENT_KINDS,
    MovementKind,
    SystematicServiceKind,
    WarehouseKind,
)
from muxiang.supply.validators import validate_gtin

# Quantities in the product's unit, to the gram of a 斤 or the millilitre of a litre.
QUANTITY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.001"))]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


def format_quantity(value) -> str:
    """3.500 → "3.5", 20.000 → "20"."""
    if value is None:
        return ""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Product(SoftDeleteModel):
    """A product (SKU) of the county's catalogue: what is purchased, stocked and delivered for the
    small businesses (2.1), what the sales ledger sells (2.5), what the brands' product series
    group (2.3) and what trace codes are issued for (2.4). Identified by its own code; the GTIN
    (商品条码) where the producer has one, which the trace system's GS1 Digital Link answers."""

    code = models.CharField(
        _("商品编号"), max_length=40, unique=True, help_text=_("例如 SP-0001，导入时用于匹配")
    )
    name = models.CharField(_("商品名称"), max_length=100)
    category = models.CharField(
        _("品类"),
        max_length=50,
        blank=True,
        help_text=_("例如 肉羊、奶制品、向日葵，农村产品数据库按品类汇总"),
    )
    specification = models.CharField(_("规格"), max_length=100, blank=True, help_text=_("例如 500g×2 袋"))
    unit = models.CharField(_("计量单位"), max_length=10, default="件", help_text=_("例如 件、箱、斤、袋"))
    gtin = models.CharField(
        _("商品条码（GTIN）"), max_length=14, unique=True, null=True, blank=True, validators=[validate_gtin]
    )
    producer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("生产企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    is_agricultural = models.BooleanField(_("农产品"), default=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    # The catalogue is reference data: a station manager reads it (their stock point lists it).
    scope_public = True

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("singular", "商品")
        verbose_name_plural = _("商品")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.name}（{self.specification}）" if self.specification else self.name

    def get_absolute_url(self):
        return reverse("supply:product-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.gtin = (self.gtin or "").strip() or None
        super().save(*args, **kwargs)


class Supplier(SoftDeleteModel):
    """A 供应商 the centralised purchases are bought from: a producer, a wholesaler, a cooperative.
    Named once; linked to the organisation registry where it is registered there."""

    name = models.CharField(_("供应商名称"), max_length=150, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("对应组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplier_roles",
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_mobile])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    supplies = models.CharField(_("主供商品"), max_length=200, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("singular", "供应商")
        verbose_name_plural = _("供应商")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supply:supplier-detail", args=[self.pk])


class Warehouse(SoftDeleteModel):
    """A stock point (库存点): the county warehouse the purchases arrive at and the deliveries leave
    from, or a station that keeps stock for its villages. A station has at most one."""

    code = models.CharField(_("库存点编号"), max_length=30, unique=True, help_text=_("例如 CK-01"))
    name = models.CharField(_("库存点名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=WarehouseKind.choices)
    station = models.OneToOneField(
        "stations.Station",
        verbose_name=_("所属站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_point",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    scope_station_path = "station"

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = pgettext_lazy("singular", "库存点")
        verbose_name_plural = _("库存点")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supply:warehouse-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.kind == WarehouseKind.STATION and not self.station_id:
            raise ValidationError({"station": _("站点库存点请选择所属站点")})
        if self.kind == WarehouseKind.COUNTY and self.station_id:
            raise ValidationError({"station": _("县级仓库不属于站点，请清空所属站点")})


class NumberedRecord(ContractRecord):
    """A contract record with a human number (``PS-202603-007``): typed, or given on save when left
    blank, from the prefix and the month of the record's date."""

    number_prefix = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.number:
            return super().save(*args, **kwargs)
        from muxiang.core.numbering import next_monthly_number

        # Two records of the same month saved at once could draw the same number: the unique index
        # refuses the second, which then draws again.
        for attempt in range(5):
            self.number = next_monthly_number(type(self), self.number_prefix, self.work_date)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if attempt == 4 or not type(self).all_objects.filter(number=self.number).exists():
                    raise
                self._state.adding = True
        return None


class PostedDocument(NumberedRecord):
    """A document whose lines were posted to the stock ledger (a receipt, a delivery, a count).
    Its stock effect cannot be taken back by deleting it: it is cancelled (作废) by
    ``services.cancel_document``, which reverses its movements and then deletes it, and a
    cancelled document stays cancelled (record it anew)."""

    class Meta:
        abstract = True

    def movements(self):
        raise NotImplementedError

    def assert_writable(self) -> None:
        super().assert_writable()
        if self.deleted_at:
            raise ValidationError(_("已作废的单据不能恢复（其库存已冲销），请重新录入"))
        if self.movements().filter(reversal__isnull=True).exists():
            raise ValidationError(_("该单据已记入库存流水，不能直接删除；请使用「作废并冲销」"))


# ---------------------------------------------------------------------------------------------------
# Centralised purchasing


class PurchaseOrder(NumberedRecord):
    """A centralised purchase (集中采购): the needs of several client businesses gathered into one
    order to one supplier, received at one stock point. Each line is one business's need of one
    product; receipts arrive against the lines, partly or wholly, never beyond what was ordered."""

    number_prefix = "CG"

    number = models.CharField(_("采购单号"), max_length=40, unique=True, blank=True)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("供应商"), on_delete=models.PROTECT, related_name="orders"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("收货库存点"), on_delete=models.PROTECT, related_name="purchase_orders"
    )
    ordered_on = models.DateField(_("下单日期"), validators=[not_in_future])
    expected_on = models.DateField(_("预计到货日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    date_field = "ordered_on"

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = pgettext_lazy("singular", "采购单")
        verbose_name_plural = _("集中采购")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "ordered_on"], name="supply_po_contract_day_idx")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("supply:order-detail", args=[self.pk])


class PurchaseOrderLine(AuditedModel):
    """One line of a centralised purchase: how much of a product one client business needs."""

    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("采购单"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("行号"))
    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.PROTECT, related_name="order_lines"
    )
    client = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("需求企业"),
        on_delete=models.PROTECT,
        related_name="supply_order_lines",
    )
    quantity = models.DecimalField(_("采购数量"), **QUANTITY, validators=POSITIVE)
    unit_price = models.DecimalField(_("单价（元）"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE)

    class Meta:
        ordering = ["order", "position"]
        verbose_name = _("采购明细")
        verbose_name_plural = _("采购明细")
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="supply_po_line_position"),
        ]

    def __str__(self):
        return f"{self.order.number} 第 {self.position} 行"


class Receipt(PostedDocument):
    """A 到货入库: goods of a purchase order that arrived at its stock point, all or part of what
    the lines ordered. Its lines post receipt movements."""

    number_prefix = "RK"

    number = models.CharField(_("入库单号"), max_length=40, unique=True, blank=True)
    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("采购单"), on_delete=models.PROTECT, related_name="receipts"
    )
    received_on = models.DateField(_("到货日期"), validators=[not_in_future])
    received_by = models.CharField(_("验收人"), max_length=50, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    date_field = "received_on"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = pgettext_lazy("singular", "到货入库单")
        verbose_name_plural = _("到货入库")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("supply:receipt-detail", args=[self.pk])

    def movements(self):
        return StockMovement.objects.filter(receipt_line__receipt=self)


class ReceiptLine(AuditedModel):
    receipt = models.ForeignKey(
        Receipt, verbose_name=_("入库单"), on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine, verbose_name=_("采购明细"), on_delete=models.PROTECT, related_name="receipt_lines"
    )
    quantity = models.DecimalField(_("到货数量"), **QUANTITY, validators=POSITIVE)

    class Meta:
        ordering = ["receipt", "order_line__position"]
        verbose_name = _("入库明细")
        verbose_name_plural = _("入库明细")

    def __str__(self):
        return f"{self.receipt.number}：{self.order_line}"


# ---------------------------------------------------------------------------------------------------
# Unified distribution


class Delivery(PostedDocument):
    """A unified delivery (统一配送): goods taken out of a stock point to a client business or to a
    station, along a route, signed for on arrival (the signature photo is its evidence). It is the
    record that proves a client business was served (``supply.client_businesses``)."""

    number_prefix = "PS"

    number = models.CharField(_("配送单号"), max_length=40, unique=True, blank=True)
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("发货库存点"), on_delete=models.PROTECT, related_name="deliveries"
    )
    client = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("收货企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supply_deliveries",
    )
    to_station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("收货站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supply_deliveries_received",
    )
    # The station the delivery concerns, for the scoping layer: the station delivered to, else the
    # station stock point it leaves from. Derived on save.
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("相关站点"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="supply_deliveries",
    )
    delivered_on = models.DateField(_("配送日期"), validators=[not_in_future])
    route = models.CharField(
        _("配送线路"), max_length=200, blank=True, help_text=_("例如 海流图镇—德岭山镇—石哈河镇")
    )
    receiver_name = models.CharField(_("签收人"), max_length=50, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    date_field = "delivered_on"
    scope_station_path = "station"

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = pgettext_lazy("singular", "配送单")
        verbose_name_plural = _("统一配送")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "delivered_on"], name="supply_delivery_day_idx")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("supply:delivery-detail", args=[self.pk])

    @property
    def recipient(self) -> str:
        if self.client_id:
            return str(self.client)
        return str(self.to_station) if self.to_station_id else ""

    def clean(self):
        super().clean()
        if bool(self.client_id) == bool(self.to_station_id):
            raise ValidationError({"client": _("请选择收货企业或收货站点（二选一）")})

    def save(self, *args, **kwargs):
        self.station_id = self.to_station_id or (self.warehouse.station_id if self.warehouse_id else None)
        super().save(*args, **kwargs)

    def movements(self):
        return StockMovement.objects.filter(delivery_line__delivery=self)


class DeliveryLine(AuditedModel):
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("配送单"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.PROTECT, related_name="delivery_lines"
    )
    quantity = models.DecimalField(_("配送数量"), **QUANTITY, validators=POSITIVE)

    class Meta:
        ordering = ["delivery", "id"]
        verbose_name = _("配送明细")
        verbose_name_plural = _("配送明细")

    def __str__(self):
        return f"{self.delivery.number}：{self.product}"


# ---------------------------------------------------------------------------------------------------
# Inventory counts


class StockCount(PostedDocument):
    """An inventory count (盘点) of a stock point on a day: for each product counted, the book
    balance of that day and what was found; the difference is posted as an adjustment movement."""

    number_prefix = "PD"

    number = models.CharField(_("盘点单号"), max_length=40, unique=True, blank=True)
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("库存点"), on_delete=models.PROTECT, related_name="counts"
    )
    counted_on = models.DateField(_("盘点日期"), validators=[not_in_future])
    counted_by = models.CharField(_("盘点人"), max_length=100, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    date_field = "counted_on"
    scope_station_path = "warehouse__station"

    class Meta:
        ordering = ["-counted_on", "-id"]
        verbose_name = pgettext_lazy("singular", "盘点单")
        verbose_name_plural = _("库存盘点")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("supply:count-detail", args=[self.pk])

    def movements(self):
        return StockMovement.objects.filter(count_line__count=self)


class StockCountLine(AuditedModel):
    count = models.ForeignKey(
        StockCount, verbose_name=_("盘点单"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(Product, verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+")
    book_quantity = models.DecimalField(_("账面数量"), **QUANTITY)
    counted_quantity = models.DecimalField(_("实盘数量"), **QUANTITY, validators=NOT_NEGATIVE)

    class Meta:
        ordering = ["count", "product__code"]
        verbose_name = _("盘点明细")
        verbose_name_plural = _("盘点明细")

    def __str__(self):
        return f"{self.count.number}：{self.product}"

    @property
    def difference(self) -> Decimal:
        return self.counted_quantity - self.book_quantity


# ---------------------------------------------------------------------------------------------------
# The stock ledger


class ImmutableMovement(Exception):
    pass


class StockMovement(AuditedModel):
    """One movement of the stock ledger (库存流水): a signed quantity of a product in or out of a
    stock point on a day, with the document line that caused it. Never changed, never deleted: a
    mistake is corrected by a reversal, a new movement pointing at the one it cancels."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("库存点"), on_delete=models.PROTECT, related_name="movements"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.PROTECT, related_name="movements"
    )
    day = models.DateField(_("记账日期"))
    quantity = models.DecimalField(_("数量（入正出负）"), **QUANTITY)
    kind = models.CharField(_("类型"), max_length=20, choices=MovementKind.choices)
    receipt_line = models.ForeignKey(
        ReceiptLine,
        verbose_name=_("入库明细"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    delivery_line = models.ForeignKey(
        DeliveryLine,
        verbose_name=_("配送明细"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    count_line = models.ForeignKey(
        StockCountLine,
        verbose_name=_("盘点明细"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    # The two halves of one transfer share this id.
    transfer_id = models.UUIDField(_("调拨编号"), null=True, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的流水"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记账人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_station_path = "warehouse__station"

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = pgettext_lazy("singular", "库存流水")
        verbose_name_plural = _("库存流水")
        indexes = [models.Index(fields=["warehouse", "product", "day"], name="supply_movement_point_day_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="supply_movement_not_zero"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.product.name} {format_quantity(self.quantity)}"

    def get_absolute_url(self):
        return reverse("supply:movement-detail", args=[self.pk])

    @property
    def document(self):
        """The receipt, delivery or count that caused the movement, or None."""
        if self.receipt_line_id:
            return self.receipt_line.receipt
        if self.delivery_line_id:
            return self.delivery_line.delivery
        if self.count_line_id:
            return self.count_line.count
        return None

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableMovement("stock movements are never changed: post a reversal")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableMovement("stock movements are never deleted: post a reversal")


class StockLock(models.Model):
    """The lock row of one (stock point, product): every posting takes it with SELECT … FOR UPDATE
    before it reads the balances, so two deliveries posted at the same moment cannot both pass the
    stock check. It holds no figure; balances come from the movements."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "product"], name="supply_lock_point_product")
        ]

    def __str__(self):
        return f"{self.warehouse_id}/{self.product_id}"


# ---------------------------------------------------------------------------------------------------
# 2.1 二: systematic services and supply chains


class SystematicService(NumberedRecord):
    """A systematic service (系统化服务) given to a local enterprise, cooperative or large grower:
    brand registration, testing, a marketing plan, a matchmaking event … with what was done and
    what came of it (服务记录与服务成果资料)."""

    number_prefix = "FW"

    number = models.CharField(_("服务编号"), max_length=40, unique=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("服务对象"),
        on_delete=models.PROTECT,
        related_name="systematic_services",
    )
    kind = models.CharField(_("服务类型"), max_length=30, choices=SystematicServiceKind.choices)
    provided_on = models.DateField(_("服务日期"), validators=[not_in_future])
    content = models.TextField(_("服务内容"))
    result = models.TextField(_("服务成果"), blank=True)

    date_field = "provided_on"

    class Meta:
        ordering = ["-provided_on", "-id"]
        verbose_name = pgettext_lazy("singular", "系统化服务")
        verbose_name_plural = _("系统化服务")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("supply:service-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.organisation_id and self.organisation.kind not in SYSTEMATIC_RECIPIENT_KINDS:
            raise ValidationError(
                {
                    "organisation": _("系统化服务的对象应为本地企业、合作社或种养大户：%(o)s 是%(k)s")
                    % {"o": self.organisation, "k": self.organisation.get_kind_display()}
                }
            )


class SupplyChain(NumberedRecord):
    """A county supply chain integrated (整合的县域供应链, 2.1 二): a product line with the
    producers, processors, logistics and sellers brought together in it."""

    number_prefix = "GYL"

    number = models.CharField(_("编号"), max_length=40, unique=True, blank=True)
    name = models.CharField(_("供应链名称"), max_length=150)
    product_line = models.CharField(
        _("产品线"), max_length=200, help_text=_("例如 巴美肉羊：养殖—屠宰分割—冷链—网销")
    )
    participants = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("参与主体"), blank=True, related_name="supply_chains"
    )
    participant_notes = models.CharField(_("其他参与方"), max_length=300, blank=True)
    integrated_on = models.DateField(_("整合日期"), validators=[not_in_future])
    description = models.TextField(_("整合情况"))

    date_field = "integrated_on"

    class Meta:
        ordering = ["-integrated_on", "-id"]
        verbose_name = pgettext_lazy("singular", "县域供应链")
        verbose_name_plural = _("县域供应链")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supply:chain-detail", args=[self.pk])
