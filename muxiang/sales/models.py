"""农产品销售 (contract 2.5): the sales the programme brought about, toward 3, 6 and 6 million yuan
in the three phases, and the 农村产品数据库 (rural product census) updated once a year.

A ``Sale`` is one order or one sales document: who sold which product, how much, for how many
yuan, through which of the contract's channels, and which programme activity brought it about (a
matchmaking fair, a brand promotion, a station). Its invoice or order export is its evidence
(``sales_proof``); only evidenced sales count toward the target. A ``ProductCensus`` is one year's
version of the census, holding its rows (``CensusEntry``: a product category in a town) and the
industry improvement proposal written from that year's update.

Sales of a station (``station``) are visible to that station's manager, read only; the census is
the operator's.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.contracts.records import ContractRecord
from muxiang.core.models import EvidenceMarked, SoftDeleteModel
from muxiang.sales.choices import BuyerKind, SaleMode, SalesChannel

MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}
# The source of rows typed in on the page rather than imported from a platform's export.
MANUAL_SOURCE = "手工登记"


class Sale(ContractRecord, EvidenceMarked):
    """A 农产品销售 record: one order of a platform's export, or one sales document (invoice,
    delivery note) of an offline sale. Identified by its source and order number, so re-importing
    the same export never counts a sale twice; typed-in rows get the next ``XS-YYYYMM-NNN``."""

    source = models.CharField(
        _("订单来源"),
        max_length=50,
        default=MANUAL_SOURCE,
        help_text=_("平台或单据来源，如：抖音小店、淘宝、手工登记"),
    )
    order_number = models.CharField(
        _("订单号"),
        max_length=60,
        blank=True,
        help_text=_("平台订单号或单据号；留空则自动编号，如 XS-202603-001"),
    )
    sold_on = models.DateField(_("销售日期"))
    seller = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("销售主体"),
        on_delete=models.PROTECT,
        related_name="sales",
    )
    product = models.ForeignKey(
        "supply.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="sales"
    )
    quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY_DIGITS)
    channel = models.CharField(_("销售渠道"), max_length=24, choices=SalesChannel.choices)
    mode = models.CharField(_("线上/线下"), max_length=8, choices=SaleMode.choices)
    buyer_kind = models.CharField(
        _("买家类型"), max_length=16, choices=BuyerKind.choices, default=BuyerKind.CONSUMER
    )
    buyer = models.CharField(_("买家"), max_length=100, blank=True)
    event = models.ForeignKey(
        "centre.Event",
        verbose_name=_("产销对接会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        limit_choices_to={"kind": "matchmaking"},
        help_text=_("带来这笔销售的产销对接会"),
    )
    promotion = models.ForeignKey(
        "publicity.Article",
        verbose_name=_("品牌宣传"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        limit_choices_to={"promotes_brand": True},
        help_text=_("带来这笔销售的区域公共品牌宣传文章"),
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        help_text=_("代卖或带动这笔销售的电商服务站点"),
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "sold_on"
    scope_station_path = "station"
    # A station manager reads the sales of their station; the ledger is the operator's.
    scope_manager_actions = ()

    class Meta:
        ordering = ["-sold_on", "-id"]
        verbose_name = pgettext_lazy("singular", "农产品销售")
        verbose_name_plural = _("农产品销售")
        base_manager_name = "all_objects"
        constraints = [
            # Deleted rows keep their key: a re-imported order finds its deleted row, not a new one.
            models.UniqueConstraint(fields=["source", "order_number"], name="sales_sale_order_key"),
        ]
        indexes = [
            # The per-phase sum and the per-channel totals read (contract, date range) and sum the
            # amount of the live (and, for the target, proven) sales: with channel, amount,
            # deletion and the evidence mark in the index the rows are never visited.
            models.Index(
                fields=["contract", "sold_on", "channel", "amount", "deleted_at", "evidence_mask"],
                name="sales_sale_contract_day_sum",
            ),
            models.Index(fields=["station", "sold_on"], name="sales_sale_station_date"),
        ]

    def __str__(self):
        return f"{self.source} {self.order_number}".strip()

    def get_absolute_url(self):
        return reverse("sales:sale-detail", args=[self.pk])

    def clean(self):
        from muxiang.sales.services import sale_problems

        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field, message in sale_problems(
            self.amount, self.channel, self.mode, self.source, self.order_number, exclude=self.pk
        ).items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.mode and self.channel:
            from muxiang.sales.services import default_mode

            self.mode = default_mode(self.channel)
        if self.order_number:
            return super().save(*args, **kwargs)
        from muxiang.sales.services import next_order_number

        # Two typed-in sales of the same month saved at once could draw the same number: the
        # unique index refuses the second, which then draws again.
        for attempt in range(5):
            self.order_number = next_order_number(self.source, self.sold_on)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if attempt == 4:
                    raise
        return None


class ProductCensus(ContractRecord, EvidenceMarked):
    """One year's version of the 农村产品数据库: the survey of what the banner's towns produce and
    how it is sold, one per contract and year (年度更新), completed on ``completed_on`` (which places
    it in a phase), with the industry improvement proposal (产业提升建议方案) written from it. The
    proposal document is its evidence."""

    year = models.PositiveIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    completed_on = models.DateField(
        _("完成日期"), null=True, blank=True, help_text=_("摸底更新完成之日；未完成时留空，不计入考核")
    )
    summary = models.TextField(_("摸底情况概述"), blank=True)
    proposal = models.TextField(_("产业提升建议方案"), blank=True)

    date_field = "completed_on"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = pgettext_lazy("singular", "农村产品数据库年度版本")
        verbose_name_plural = _("农村产品数据库")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year"],
                condition=models.Q(deleted_at__isnull=True),
                name="sales_census_one_per_year",
                violation_error_message=_("该合同本年度已有农村产品数据库版本"),
            )
        ]

    def __str__(self):
        return _("%(y)s年度农村产品数据库") % {"y": self.year}

    def get_absolute_url(self):
        return reverse("sales:census-detail", args=[self.pk])

    def clean(self):
        from muxiang.sales.services import census_problems

        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field, message in census_problems(
            self.contract_id, self.year, self.completed_on, self.proposal, exclude=self.pk
        ).items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)


class CensusEntry(SoftDeleteModel):
    """A row of a census year: one product category in one town — planted area or herd size,
    output, market season, quality and technology level, the traditional channels with their
    shares (adding up to 100%), own brands and the e-commerce firms selling it."""

    census = models.ForeignKey(
        ProductCensus, verbose_name=_("年度版本"), on_delete=models.PROTECT, related_name="entries"
    )
    category = models.CharField(_("产品品类"), max_length=50, help_text=_("如：肉羊、向日葵、河套面粉"))
    town = models.ForeignKey(
        "regions.Region", verbose_name=_("镇/苏木"), on_delete=models.PROTECT, related_name="census_entries"
    )
    planted_area = models.DecimalField(
        _("种植面积（亩）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    herd_size = models.PositiveIntegerField(_("存栏量（头/只）"), null=True, blank=True)
    output = models.DecimalField(
        _("产量"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    output_unit = models.CharField(_("产量单位"), max_length=10, default="吨")
    market_season = models.CharField(_("上市时间"), max_length=50, help_text=_("如：9—11 月"))
    quality_level = models.CharField(
        _("质量水平"), max_length=100, blank=True, help_text=_("如：绿色食品认证、地理标志")
    )
    technology_level = models.CharField(
        _("技术水平"), max_length=100, blank=True, help_text=_("如：标准化养殖、滴灌")
    )
    channel_shares = models.JSONField(
        _("传统销售渠道及比例"),
        default=list,
        help_text=_("如：收购商 60、农贸市场 30、合作社统销 10（合计 100%）"),
    )
    own_brands = models.CharField(_("自主品牌情况"), max_length=200, blank=True)
    ecommerce_firms = models.CharField(_("农产品电商企业情况"), max_length=300, blank=True)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["census", "category", "town__path"]
        verbose_name = pgettext_lazy("singular", "农村产品数据库条目")
        verbose_name_plural = _("农村产品数据库条目")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["census", "category", "town"],
                condition=models.Q(deleted_at__isnull=True),
                name="sales_census_entry_unique",
                violation_error_message=_("本年度该镇已有该品类的记录"),
            )
        ]

    def __str__(self):
        return (
            f"{self.census.year} {self.category} {self.town.name}"
            if self.census_id and self.town_id
            else self.category
        )

    def get_absolute_url(self):
        return reverse("sales:entry-detail", args=[self.pk])

    def clean(self):
        from muxiang.sales.services import entry_problems

        super().clean()
        problems = entry_problems(
            self.census if self.census_id else None,
            self.category,
            self.town if self.town_id else None,
            self.planted_area,
            self.herd_size,
            self.channel_shares,
            exclude=self.pk,
        )
        if problems:
            raise ValidationError(problems)

    def assert_writable(self) -> None:
        """A row of a census in an accepted phase is frozen with it."""
        if self.census_id:
            problem = self.census.frozen_problem()
            if problem:
                raise ValidationError(problem)
