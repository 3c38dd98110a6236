"""The 电子商务公共服务中心 (contract section 1.1): the centre and its nine functional areas, the
work orders that record each use of an area, the events held there, the incubation services and
their follow-ups, the field surveys with their improvement plans, and the paid value-added services
of the centre's market mechanism with the income they bring.

None of these models has a ``scope_station_path`` except ``FieldSurvey``: the centre is the
operator's, so ``permissions.scope`` gives a station manager nothing of it, apart from the surveys
of their own station (read only: no ``scope_manager_actions``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.centre.choices import (
    EventKind,
    FunctionalAreaKind,
    IncubationKind,
    PlanStatus,
    RecipientKind,
    SurveySubject,
)
from muxiang.contracts.records import ContractRecord
from muxiang.core.models import EvidenceMarked, SoftDeleteModel

# Money is yuan with fen: 14 digits hold the largest contract with room.
MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
AREA = {"max_digits": 10, "decimal_places": 2}


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


class NumberedRecord(ContractRecord):
    """A contract record with a human number (``GD-202603-007``): typed, or given on save when left
    blank, from the prefix and the month of the record's date. Imports match rows on it."""

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
        return None


# ---------------------------------------------------------------------------------------------------
# The centre and its areas (reference data)


class ServiceCentre(SoftDeleteModel):
    """The county's 电子商务公共服务中心: an indoor site in the banner's town of at least 1,200 m²
    (第二条 1.1) housing the nine functional areas of the "9+1" model. Usually there is one."""

    REQUIRED_FLOOR_AREA = Decimal("1200")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    address = models.CharField(_("地址"), max_length=200)
    floor_area = models.DecimalField(
        _("建筑面积（平方米）"), **AREA, validators=[MinValueValidator(Decimal("0.01"))]
    )
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = pgettext_lazy("singular", "公共服务中心")
        verbose_name_plural = _("公共服务中心")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centre:centre-detail", args=[self.pk])


class FunctionalArea(SoftDeleteModel):
    """One of the centre's 功能区: a room or zone serving one of the nine functions. A centre may
    have several of a kind (two live-stream rooms); each use of an area is a ``WorkOrder``."""

    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("所属服务中心"), on_delete=models.PROTECT, related_name="areas"
    )
    code = models.CharField(
        _("功能区编号"), max_length=30, unique=True, help_text=_("例如 ZB-01，导入工单时用于指明功能区")
    )
    kind = models.CharField(_("功能类型"), max_length=30, choices=FunctionalAreaKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    floor_area = models.DecimalField(
        _("面积（平方米）"), **AREA, null=True, blank=True, validators=NOT_NEGATIVE
    )
    capacity = models.PositiveIntegerField(_("容纳人数"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["centre", "kind", "code"]
        verbose_name = pgettext_lazy("singular", "功能区")
        verbose_name_plural = _("功能区")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "name"],
                condition=models.Q(deleted_at__isnull=True),
                name="centre_area_name_per_centre",
                violation_error_message=_("该服务中心已有同名功能区"),
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self):
        return reverse("centre:area-detail", args=[self.pk])

    def clean(self):
        super().clean()
        # Django cannot check the conditional unique constraint from a form (its condition names
        # ``deleted_at``, which no form holds), so the rule is asked here.
        if self.centre_id and self.name:
            namesakes = FunctionalArea.objects.filter(centre_id=self.centre_id, name=self.name.strip())
            if namesakes.exclude(pk=self.pk).exists():
                raise ValidationError({"name": _("该服务中心已有同名功能区：%(n)s") % {"n": self.name}})

    def assert_writable(self) -> None:
        """Called by ``core.services`` before a delete or restore: a deleted area comes back only
        while no live area of its centre has taken its name."""
        if (
            self.deleted_at
            and FunctionalArea.objects.filter(centre_id=self.centre_id, name=self.name).exists()
        ):
            raise ValidationError(_("该服务中心已有同名功能区「%(n)s」，请先改名再恢复") % {"n": self.name})


# ---------------------------------------------------------------------------------------------------
# Work orders


class WorkOrder(NumberedRecord, EvidenceMarked):
    """A 服务工单: one use of a functional area — who used it, for what, from when to when, how many
    came and what came of it. The contract counts the centre's use by its work orders (300 over
    the contract period). Two live work orders of one area may not overlap in time (back to back is
    fine): the rule lives in ``centre.services`` (``find_overlapping_bookings`` for one booking,
    ``booking_clashes_*`` for a whole import), and a save asks it again under a lock on the area."""

    number = models.CharField(
        _("工单编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 GD-202603-001")
    )
    area = models.ForeignKey(
        FunctionalArea, verbose_name=_("功能区"), on_delete=models.PROTECT, related_name="work_orders"
    )
    requester_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("服务对象（个人）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centre_work_orders",
    )
    requester_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("服务对象（单位）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centre_work_orders",
    )
    requester_name = models.CharField(
        _("服务对象名称"), max_length=100, blank=True, help_text=_("未登记的个人或单位，填写名称")
    )
    purpose = models.CharField(_("使用事由"), max_length=300)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    attendees = models.PositiveIntegerField(_("参加人数"), default=0)
    outcome = models.TextField(_("服务成果"), blank=True)

    date_field = "starts_at"
    number_prefix = "GD"

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = pgettext_lazy("singular", "服务工单")
        verbose_name_plural = _("服务工单")
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["contract", "starts_at"], name="centre_workorder_contract_date"),
            models.Index(fields=["area", "starts_at"], name="centre_workorder_area_time"),
        ]

    def __str__(self):
        return self.number or _("新工单")

    def get_absolute_url(self):
        return reverse("centre:workorder-detail", args=[self.pk])

    @property
    def requester(self) -> str:
        if self.requester_organisation_id:
            return str(self.requester_organisation)
        if self.requester_person_id:
            return str(self.requester_person)
        return self.requester_name

    def clean(self):
        from muxiang.centre import services

        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
        problem = services.requester_problem(
            self.requester_person_id, self.requester_organisation_id, self.requester_name
        )
        if problem:
            errors.setdefault("requester_name", []).append(problem)
        problem = services.booking_time_problem(self.starts_at, self.ends_at)
        if problem:
            errors.setdefault("ends_at", []).append(problem)
        elif self.area_id and self.starts_at and self.ends_at and not self.deleted_at:
            clash = services.find_overlapping_bookings(
                self.area_id, self.starts_at, self.ends_at, exclude=self.pk
            ).first()
            if clash is not None:
                errors.setdefault("starts_at", []).append(services.overlap_message(clash))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from muxiang.centre import services

        with transaction.atomic():
            if self.area_id and self.starts_at and self.ends_at and not self.deleted_at:
                services.assert_area_free(self.area_id, self.starts_at, self.ends_at, exclude=self.pk)
            return super().save(*args, **kwargs)

    def assert_writable(self) -> None:
        super().assert_writable()
        if self.deleted_at:
            # Restoring a work order puts its booking back on the calendar, where another may
            # have taken the slot meanwhile.
            from muxiang.centre import services

            services.assert_area_free(self.area_id, self.starts_at, self.ends_at, exclude=self.pk)


# ---------------------------------------------------------------------------------------------------
# Events


class Event(NumberedRecord, EvidenceMarked):
    """An 电商活动 held or organised by the centre: a salon, a seminar, a training meeting, a
    产销对接会 (matchmaking fair), a brand launch or a live-stream session. Every kind counts toward
    the 1.1 events target; a matchmaking fair also counts toward 2.5 when the sales made there reach
    10,000 yuan (``MIN_FAIR_SALES``), and a brand launch toward 2.3's launch event."""

    MIN_FAIR_SALES = Decimal("10000")

    number = models.CharField(
        _("活动编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 HD-202603-001")
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=200)
    organiser = models.CharField(_("主办单位"), max_length=200, blank=True)
    attendees = models.PositiveIntegerField(_("参加人数"), default=0)
    sales_amount = models.DecimalField(
        _("销售额（元）"),
        **MONEY_DIGITS,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("仅产销对接会填写：现场及会后达成的销售额，每场不少于 1 万元方计入考核"),
    )
    notes = models.TextField(_("备注"), blank=True)

    date_field = "held_on"
    number_prefix = "HD"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = pgettext_lazy("singular", "电商活动")
        verbose_name_plural = _("电商活动")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "held_on"], name="centre_event_contract_date")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("centre:event-detail", args=[self.pk])

    @property
    def counts_as_fair(self) -> bool:
        """Whether this is a matchmaking fair whose sales reach the contract's floor."""
        return (
            self.kind == EventKind.MATCHMAKING
            and self.sales_amount is not None
            and self.sales_amount >= self.MIN_FAIR_SALES
        )

    def clean(self):
        from muxiang.centre import services

        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
        problem = services.sales_problem(self.kind, self.sales_amount, self.held_on)
        if problem:
            errors.setdefault("sales_amount", []).append(problem)
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------
# Incubation


class IncubationService(NumberedRecord, EvidenceMarked):
    """A 孵化服务: guidance the centre gave one enterprise or one person — product guidance, brand
    building, a marketing plan, data analysis or shop operation (第二条 1.1 四). ``directed`` marks
    the 定向孵化 of section 3 三, whose recipients are followed up (``IncubationFollowUp``).
    Distinct recipients count toward the "20 enterprises or persons" targets."""

    number = models.CharField(
        _("服务编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 FH-202603-001")
    )
    recipient_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("服务对象（企业）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incubation_services",
    )
    recipient_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("服务对象（个人）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incubation_services",
    )
    kind = models.CharField(_("服务类型"), max_length=20, choices=IncubationKind.choices)
    directed = models.BooleanField(
        _("定向孵化"), default=False, help_text=_("第二条 3 三：定向辅导、孵化的企业或个人")
    )
    provided_on = models.DateField(_("服务日期"), validators=[not_in_future])
    delivered = models.TextField(_("服务内容"), help_text=_("提供了哪些指导、材料或方案"))
    outcome = models.TextField(_("服务成果"), blank=True)

    date_field = "provided_on"
    number_prefix = "FH"

    class Meta:
        ordering = ["-provided_on", "-id"]
        verbose_name = pgettext_lazy("singular", "孵化服务")
        verbose_name_plural = _("孵化服务")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "provided_on"], name="centre_incub_contract_date")]

    def __str__(self):
        return f"{self.number} {self.recipient}".strip()

    def get_absolute_url(self):
        return reverse("centre:incubation-detail", args=[self.pk])

    @property
    def recipient(self) -> str:
        if self.recipient_organisation_id:
            return str(self.recipient_organisation)
        if self.recipient_person_id:
            return str(self.recipient_person)
        return ""

    @property
    def recipient_kind(self) -> str:
        return RecipientKind.ENTERPRISE if self.recipient_organisation_id else RecipientKind.PERSON

    def clean(self):
        from muxiang.centre import services

        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
        problem = services.recipient_problem(self.recipient_person_id, self.recipient_organisation_id)
        if problem:
            errors.setdefault("recipient_organisation", []).append(problem)
        if errors:
            raise ValidationError(errors)


class IncubationFollowUp(NumberedRecord, EvidenceMarked):
    """A 跟踪指导 session after an incubation service: what was gone over and what comes next. The
    follow-ups of directed incubations count toward section 3 三 (at least 10). Its contract is
    the incubation's, never chosen separately."""

    number = models.CharField(
        _("跟踪编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 GZ-202603-001")
    )
    incubation = models.ForeignKey(
        IncubationService, verbose_name=_("孵化服务"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    held_on = models.DateField(_("指导日期"), validators=[not_in_future])
    content = models.TextField(_("指导内容"))
    next_steps = models.TextField(_("下一步安排"), blank=True)

    date_field = "held_on"
    number_prefix = "GZ"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = pgettext_lazy("singular", "跟踪指导")
        verbose_name_plural = _("跟踪指导")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "held_on"], name="centre_followup_contract_date")]

    def __str__(self):
        return self.number or _("新跟踪指导")

    def get_absolute_url(self):
        return reverse("centre:followup-detail", args=[self.pk])

    def clean(self):
        from muxiang.centre import services

        if self.incubation_id:
            # The follow-up belongs to the incubation's contract: set before the frozen check.
            self.contract_id = self.incubation.contract_id
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
        if self.incubation_id:
            problem = services.follow_up_date_problem(self.incubation.provided_on, self.held_on)
            if problem:
                errors.setdefault("held_on", []).append(problem)
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------
# Field surveys


class FieldSurvey(NumberedRecord, EvidenceMarked):
    """A 现场调研 of a station, a brand, the supply chain or another part of the programme
    (统筹指导, 第二条 1.1 五): what was found, and the improvement plan (服务提升方案) drawn up from
    it, with its status. A survey of a station names it, and that station's manager may read it."""

    number = models.CharField(
        _("调研编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 DY-202603-001")
    )
    subject = models.CharField(_("调研板块"), max_length=20, choices=SurveySubject.choices)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("调研站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_surveys",
        help_text=_("调研板块为「站点」时必填"),
    )
    surveyed_on = models.DateField(_("调研日期"), validators=[not_in_future])
    place = models.CharField(_("调研地点"), max_length=200, blank=True)
    findings = models.TextField(_("调研发现"))
    improvement_plan = models.TextField(_("服务提升方案"), blank=True)
    plan_status = models.CharField(
        _("方案状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    plan_due = models.DateField(_("计划完成日期"), null=True, blank=True)

    date_field = "surveyed_on"
    number_prefix = "DY"
    scope_station_path = "station"
    # A station manager reads the surveys of their station; writing them is the operator's.
    scope_manager_actions = ()

    class Meta:
        ordering = ["-surveyed_on", "-id"]
        verbose_name = pgettext_lazy("singular", "现场调研")
        verbose_name_plural = _("现场调研")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "surveyed_on"], name="centre_survey_contract_date")]

    def __str__(self):
        return f"{self.number} {self.get_subject_display()}".strip()

    def get_absolute_url(self):
        return reverse("centre:survey-detail", args=[self.pk])

    def clean(self):
        from muxiang.centre import services

        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
        for field, problem in services.survey_problems(
            self.subject,
            self.station_id,
            self.surveyed_on,
            self.improvement_plan,
            self.plan_status,
            self.plan_due,
        ).items():
            errors.setdefault(field, []).append(problem)
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------
# The market mechanism


class ValueAddedService(SoftDeleteModel):
    """A paid 增值服务 the centre offers (the "1" of "9+1": the market mechanism that keeps the
    centre running after the programme), such as renting the live-stream room, product photography
    or shop set-up. Its income is recorded as ``ServiceIncome``."""

    name = models.CharField(_("服务名称"), max_length=100, unique=True)
    description = models.TextField(_("服务说明"), blank=True)
    price = models.DecimalField(
        _("参考价格（元）"), **MONEY_DIGITS, null=True, blank=True, validators=NOT_NEGATIVE
    )
    unit = models.CharField(_("计价单位"), max_length=20, blank=True, help_text=_("如：次、小时、件"))
    active = models.BooleanField(_("在售"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = pgettext_lazy("singular", "增值服务项目")
        verbose_name_plural = _("增值服务项目")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centre:service-detail", args=[self.pk])


class ServiceIncome(NumberedRecord, EvidenceMarked):
    """Money the centre received for a value-added service: the figure that shows the market
    mechanism works. The receipt or bank slip is its evidence."""

    number = models.CharField(
        _("收入编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 SR-202603-001")
    )
    service = models.ForeignKey(
        ValueAddedService, verbose_name=_("增值服务"), on_delete=models.PROTECT, related_name="incomes"
    )
    received_on = models.DateField(_("收款日期"), validators=[not_in_future])
    customer = models.CharField(_("客户"), max_length=200)
    amount = models.DecimalField(
        _("金额（元）"), **MONEY_DIGITS, validators=[MinValueValidator(Decimal("0.01"))]
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "received_on"
    number_prefix = "SR"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = pgettext_lazy("singular", "增值服务收入")
        verbose_name_plural = _("增值服务收入")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "received_on"], name="centre_income_contract_date")]

    def __str__(self):
        return f"{self.number} {self.customer} {self.amount}".strip()

    def get_absolute_url(self):
        return reverse("centre:income-detail", args=[self.pk])
