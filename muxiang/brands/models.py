"""The brand system (品牌体系, contract section 2.3): the regional public brand (区域公共品牌), the
industry brands (产业品牌) and the enterprise brands (企业品牌); the enterprises that join the
regional brand and the brand services given to them; the product series (网销产品系列) with their
products; and the packaging produced for them (配套包装).

Every record is dated programme work under a contract (``ContractRecord``): its date places it in
a phase, and an accepted phase freezes it. A member, a service, a series, a series product and a
packaging run take their contract from the brand (or series) they belong to, never chosen apart.
None of them belongs to a station: station managers see none of them (``core.permissions``).

The brand promotions, the promo film and the launch event are publicity and centre records
(``publicity.Article`` / ``Video``, ``centre.Event`` of kind 品牌发布会); a brand's page lists them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from muxiang.brands.choices import BrandServiceKind, BrandTier, TrademarkStatus
from muxiang.contracts.records import ContractRecord


def not_in_future(value):
    # Brand work is recorded once it has happened: a future date is a typing error.
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


class BrandRecord(ContractRecord):
    """What the brand records share: unique natural keys checked against soft-deleted rows too
    (the database index counts them; a form's own check reads only live ones), the contract taken
    from the parent record (``contract_from``), and the rules of ``services`` gathered per field."""

    unique_fields: tuple[str, ...] = ()
    contract_from = ""  # the parent whose contract this record shares ("brand", "series", "member")

    class Meta:
        abstract = True

    def clean(self):
        parent = (
            getattr(self, self.contract_from)
            if self.contract_from and getattr(self, f"{self.contract_from}_id", None)
            else None
        )
        if parent is not None:
            # Set before the frozen-phase check, which needs the contract.
            self.contract_id = parent.contract_id
        errors: dict = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name in self.unique_fields:
            value = getattr(self, name, "")
            if value and name not in errors:
                problem = self.key_taken(name, value)
                if problem:
                    errors[name] = [problem]
        for name, problem in self.rule_problems().items():
            errors.setdefault(name, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def rule_problems(self) -> dict[str, str]:
        """Field name → what is wrong, from the app's rules (``brands.services``)."""
        return {}

    def key_taken(self, name: str, value) -> str | None:
        other = type(self).all_objects.filter(**{name: value}).exclude(pk=self.pk).first()
        if other is None:
            return None
        if other.deleted_at:
            return _("「%(k)s」已登记在已删除的记录「%(r)s」中，请先在回收站恢复") % {"k": value, "r": other}
        return _("「%(k)s」已登记：%(r)s") % {"k": value, "r": other}

    def assert_writable(self) -> None:
        super().assert_writable()
        if self.deleted_at:
            # Restoring brings the record's rules back into force (one regional brand, one
            # membership at a time …): another record may have taken its place meanwhile.
            problems = self.rule_problems()
            if problems:
                raise ValidationError(next(iter(problems.values())))


class Brand(BrandRecord):
    """A brand the programme builds or integrates and then manages (第二条 2.3): the one regional
    public brand that tells "the story of Urad Middle Banner", an industry brand of one of the three
    leading industries, or an enterprise brand of one enterprise or cooperative (which must name
    its owner). Its assets — logo, visual identity guidelines, brand story, trademark certificate —
    are its evidence files (photo, document). Counted from its establishment on, cumulatively."""

    name = models.CharField(gettext_lazy("品牌名称"), max_length=100, unique=True)
    tier = models.CharField(gettext_lazy("品牌层级"), max_length=20, choices=BrandTier.choices)
    industry = models.CharField(
        gettext_lazy("所属产业"),
        max_length=50,
        blank=True,
        help_text=gettext_lazy("如：肉羊、奶制品、向日葵"),
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=gettext_lazy("权属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="brands",
        help_text=gettext_lazy("企业品牌必填：品牌所属的企业或合作社"),
    )
    trademark_number = models.CharField(gettext_lazy("商标注册号"), max_length=50, blank=True)
    trademark_status = models.CharField(
        gettext_lazy("商标状态"), max_length=20, choices=TrademarkStatus.choices, default=TrademarkStatus.NONE
    )
    established_on = models.DateField(
        gettext_lazy("建立日期"),
        validators=[not_in_future],
        help_text=gettext_lazy("建立或整合进品牌体系的日期"),
    )
    story = models.TextField(
        gettext_lazy("品牌故事"),
        blank=True,
        help_text=gettext_lazy("区域品牌讲乌拉特中旗故事，产业品牌讲产业故事"),
    )
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "established_on"
    # A trademark is registered long after the brand is founded.
    later_fields = ("trademark_number", "trademark_status")
    unique_fields = ("name",)

    class Meta:
        ordering = ["tier", "name"]
        verbose_name = pgettext_lazy("singular", "品牌")
        verbose_name_plural = gettext_lazy("品牌")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "tier", "established_on"], name="brands_brand_tier_date")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("brands:brand-detail", args=[self.pk])

    def rule_problems(self):
        from muxiang.brands import services

        return services.brand_problems(self)


class BrandMember(BrandRecord):
    """A 成员企业: a local enterprise or cooperative that joined the regional public brand system
    under an authorisation (授权书, its evidence) and may use the brand on its products. It may leave
    and later join again, but never holds two memberships at once. Members joined and not left by a
    window's end count toward "no fewer than 10 enterprises" (第二条 2.3 一)."""

    brand = models.ForeignKey(
        Brand,
        verbose_name=gettext_lazy("区域公共品牌"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=gettext_lazy("成员企业"),
        on_delete=models.PROTECT,
        related_name="brand_memberships",
    )
    authorisation_number = models.CharField(
        gettext_lazy("授权编号"),
        max_length=50,
        unique=True,
        help_text=gettext_lazy("品牌使用授权书的编号，如 WLT-SQ-001；导入时按此匹配"),
    )
    joined_on = models.DateField(gettext_lazy("加入日期"), validators=[not_in_future])
    left_on = models.DateField(gettext_lazy("退出日期"), null=True, blank=True)
    products = models.CharField(gettext_lazy("授权产品"), max_length=200, blank=True)
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "joined_on"
    # A member that joined in an accepted phase may still leave later.
    later_fields = ("left_on",)
    unique_fields = ("authorisation_number",)
    contract_from = "brand"

    class Meta:
        ordering = ["-joined_on", "-id"]
        verbose_name = pgettext_lazy("singular", "成员企业")
        verbose_name_plural = gettext_lazy("成员企业")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["brand", "organisation"], name="brands_member_brand_org")]

    def __str__(self):
        return f"{self.organisation}（{self.authorisation_number}）" if self.organisation_id else ""

    def get_absolute_url(self):
        return reverse("brands:member-detail", args=[self.pk])

    def rule_problems(self):
        from muxiang.brands import services

        return services.member_problems(self)


class BrandService(BrandRecord):
    """A 品牌服务 given to a member enterprise: brand building, incubation, design, marketing,
    training … (第二条 2.3 一: "对体系内的企业提供品牌建设与孵化服务"), dated within its membership.
    Numbered PF-001 … when the number is left blank."""

    number = models.CharField(
        gettext_lazy("服务编号"),
        max_length=30,
        unique=True,
        help_text=gettext_lazy("留空则自动编号（PF-001）"),
    )
    member = models.ForeignKey(
        BrandMember, verbose_name=gettext_lazy("成员企业"), on_delete=models.PROTECT, related_name="services"
    )
    kind = models.CharField(gettext_lazy("服务类型"), max_length=20, choices=BrandServiceKind.choices)
    provided_on = models.DateField(gettext_lazy("服务日期"), validators=[not_in_future])
    content = models.TextField(gettext_lazy("服务内容"))
    outcome = models.CharField(gettext_lazy("服务成果"), max_length=300, blank=True)

    date_field = "provided_on"
    unique_fields = ("number",)
    contract_from = "member"
    number_prefix = "PF-"

    class Meta:
        ordering = ["-provided_on", "-id"]
        verbose_name = pgettext_lazy("singular", "品牌服务")
        verbose_name_plural = gettext_lazy("品牌服务")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("brands:service-detail", args=[self.pk])

    def rule_problems(self):
        from muxiang.brands import services

        return services.service_problems(self)


class ProductSeries(BrandRecord):
    """A 网销产品系列 of a brand (第二条 2.3 三: two series of at least six online products, shown
    and sold online and offline). Its photos and design document are the evidence; counted from
    its launch on, cumulatively."""

    code = models.CharField(
        gettext_lazy("系列编号"),
        max_length=30,
        unique=True,
        help_text=gettext_lazy("如 XL-01；导入时按此匹配"),
    )
    name = models.CharField(gettext_lazy("系列名称"), max_length=100)
    brand = models.ForeignKey(
        Brand, verbose_name=gettext_lazy("所属品牌"), on_delete=models.PROTECT, related_name="series"
    )
    launched_on = models.DateField(gettext_lazy("推出日期"), validators=[not_in_future])
    description = models.TextField(gettext_lazy("系列说明"), blank=True)

    date_field = "launched_on"
    unique_fields = ("code",)
    contract_from = "brand"

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("singular", "网销产品系列")
        verbose_name_plural = gettext_lazy("网销产品系列")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("brands:series-detail", args=[self.pk])


class SeriesProduct(BrandRecord):
    """A 网销产品: one catalogue product (``supply.Product``) placed in a series, from its launch
    date on. A product is in a series once; it may be in two series (gift box and everyday pack),
    and then counts once toward the "6 products" target (distinct products)."""

    series = models.ForeignKey(
        ProductSeries, verbose_name=gettext_lazy("产品系列"), on_delete=models.PROTECT, related_name="entries"
    )
    product = models.ForeignKey(
        "supply.Product",
        verbose_name=gettext_lazy("商品"),
        on_delete=models.PROTECT,
        related_name="series_entries",
    )
    launched_on = models.DateField(gettext_lazy("上线日期"), validators=[not_in_future])
    selling_points = models.CharField(gettext_lazy("卖点"), max_length=300, blank=True)

    date_field = "launched_on"
    contract_from = "series"

    class Meta:
        ordering = ["series", "product"]
        verbose_name = pgettext_lazy("singular", "网销产品")
        verbose_name_plural = gettext_lazy("网销产品")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["series", "product"],
                condition=models.Q(deleted_at__isnull=True),
                name="brands_product_once_per_series",
                violation_error_message=gettext_lazy("该商品已在这个系列中"),
            )
        ]

    def __str__(self):
        if not (self.series_id and self.product_id):
            return _("新网销产品")
        return f"{self.series.name}：{self.product}"

    def get_absolute_url(self):
        return reverse("brands:product-detail", args=[self.pk])

    def rule_problems(self):
        from muxiang.brands import services

        return services.series_product_problems(self)


class PackagingRun(BrandRecord):
    """A 包装生产批次: packaging made for a series (or one product of it) by a supplier on one
    invoice — the design, the units produced (配套包装 4,000 件 in phase 1, 第二条 2.3 三). The
    invoice and a photo of the packaging are its evidence. Numbered BZ-001 … when left blank."""

    number = models.CharField(
        gettext_lazy("批次编号"),
        max_length=30,
        unique=True,
        help_text=gettext_lazy("留空则自动编号（BZ-001）"),
    )
    series = models.ForeignKey(
        ProductSeries,
        verbose_name=gettext_lazy("产品系列"),
        on_delete=models.PROTECT,
        related_name="packaging_runs",
    )
    product = models.ForeignKey(
        "supply.Product",
        verbose_name=gettext_lazy("商品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="packaging_runs",
        help_text=gettext_lazy("整个系列通用的包装可不填；填写时须是该系列的产品"),
    )
    design = models.CharField(
        gettext_lazy("包装设计"), max_length=200, help_text=gettext_lazy("如：礼盒 2.5kg 装")
    )
    units = models.PositiveIntegerField(
        gettext_lazy("生产数量（件）"),
        validators=[MinValueValidator(1, message=gettext_lazy("生产数量应大于 0"))],
    )
    supplier = models.CharField(gettext_lazy("包装供应商"), max_length=200)
    invoice_number = models.CharField(gettext_lazy("发票号码"), max_length=50, blank=True)
    produced_on = models.DateField(gettext_lazy("生产日期"), validators=[not_in_future])
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "produced_on"
    unique_fields = ("number",)
    contract_from = "series"
    number_prefix = "BZ-"

    class Meta:
        ordering = ["-produced_on", "-id"]
        verbose_name = pgettext_lazy("singular", "包装生产")
        verbose_name_plural = gettext_lazy("包装生产")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "produced_on"], name="brands_packaging_date")]

    def __str__(self):
        return f"{self.number} {self.design}"

    def get_absolute_url(self):
        return reverse("brands:packaging-detail", args=[self.pk])

    def rule_problems(self):
        from muxiang.brands import services

        return services.packaging_problems(self)
