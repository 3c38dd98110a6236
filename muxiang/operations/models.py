"""Station operations (contract section 1.2): what the stations report and what the operator does
for them.

- ``StationDailyReport``: a station's 站点日报, one per station and day, entered from the station
  manager's phone or imported by the operator; ``ReportMonth`` marks a month sent to the ministry
  platform (which locks its reports) and carries the platform's screenshot.
- ``StationTransaction``: a line of a premium station's 交易额账目, the turnover that must reach
  72,000 yuan over the contract period.
- ``StationInspection`` (一对一指导, 站点巡查, 固定资产盘点) with its ``InspectionProblem``s and, when
  the visit counts the assets, its ``AssetCountLine``s against the station's ``FixedAsset`` register.
- ``ManagerTraining``, ``StationEvaluation`` and its ``EvaluationEntry``s.
- ``AppCheckIn``: the 智慧乡村 APP's check-ins, imported from its export; ``AppActivityMonth``
  carries the app's screenshot of a month's activity.

Daily reports, transactions and check-ins are the station's own records, not programme work under
one contract: they subclass ``StationDatedRecord`` (frozen with any contract's accepted phase).
Inspections, trainings and evaluations are programme work: ``ContractRecord``.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.contracts.acceptance import frozen_phase_for
from muxiang.contracts.records import ContractRecord, frozen_message
from muxiang.core.models import EvidenceMarked, SoftDeleteModel
from muxiang.operations.choices import (
    AssetCountResult,
    Award,
    InspectionKind,
    TrainingFormat,
    TrainingTopic,
    TransactionKind,
)

ZERO = Decimal("0")
# Money is yuan with fen: 14 digits hold any station's figures with room.
MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(ZERO)]
POSITIVE = [MinValueValidator(Decimal("0.01"))]


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


def first_of_month(value):
    if value and value.day != 1:
        raise ValidationError(_("月份请填写该月 1 日，如 2026-03-01：%(v)s") % {"v": value.isoformat()})


def station_open_problem(station, day: datetime.date) -> str | None:
    """Why ``station`` cannot have a record dated ``day``: before it opened or after it closed."""
    if station is None or day is None:
        return None
    if station.opened_on is None:
        return _("站点「%(s)s」尚未填写开业日期，不能填报") % {"s": station.name}
    if day < station.opened_on:
        return _("%(d)s 早于站点「%(s)s」的开业日期 %(o)s") % {
            "d": day.isoformat(),
            "s": station.name,
            "o": station.opened_on.isoformat(),
        }
    if station.closed_on is not None and day >= station.closed_on:
        return _("站点「%(s)s」已于 %(c)s 关闭：%(d)s") % {
            "d": day.isoformat(),
            "s": station.name,
            "c": station.closed_on.isoformat(),
        }
    return None


class NumberedMixin:
    """A record with a human number (``XC-202603-007``): typed, or given on save when left blank,
    from the prefix and the month of the record's date. Imports match rows on it."""

    number_prefix = ""

    def next_number(self) -> str:
        from muxiang.core.numbering import next_monthly_number

        return next_monthly_number(type(self), self.number_prefix, self.work_date)

    def save(self, *args, **kwargs):
        if self.number:
            return super().save(*args, **kwargs)
        # Two records of the same month saved at once could draw the same number: the unique index
        # refuses the second, which then draws again.
        for attempt in range(5):
            self.number = self.next_number()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if attempt == 4 or not type(self).all_objects.filter(number=self.number).exists():
                    raise
                self._state.adding = True
        return None


class StationDatedRecord(SoftDeleteModel):
    """A station's own dated record (a daily report, a transaction, a check-in). It is not bound to
    one contract, so it is frozen when its day falls in an accepted phase of any contract."""

    date_field = "day"

    class Meta:
        abstract = True

    @property
    def work_date(self) -> datetime.date | None:
        return getattr(self, self.date_field, None)

    def stored_day(self) -> datetime.date | None:
        if self.pk is None:
            return None
        return type(self).all_objects.filter(pk=self.pk).values_list(self.date_field, flat=True).first()

    def frozen_problem(self) -> str | None:
        """Why this record may not be written now, or None: moving a record out of an accepted
        phase changes that phase as much as moving one into it."""
        for day in {d for d in (self.stored_day(), self.work_date) if d is not None}:
            phase = frozen_phase_for(day)
            if phase is not None:
                return frozen_message(day, phase)
        return None

    def clean(self):
        super().clean()
        problem = self.frozen_problem()
        if problem:
            raise ValidationError({self.date_field: problem})

    def assert_writable(self) -> None:
        """Called by ``core.services`` before a delete or restore."""
        problem = self.frozen_problem()
        if problem:
            raise ValidationError(problem)


# ---------------------------------------------------------------------------------------------------
# Daily reports


class ReportMonth(SoftDeleteModel, EvidenceMarked):
    """A calendar month of daily reports as the ministry platform (商务部业务系统统一平台) knows it.
    Once the month's data is sent (``sent_at``, set by the ``mofcom`` adapter) the month's reports
    are locked. The platform's screenshot of the month is the evidence the daily-reporting target
    asks for."""

    month = models.DateField(_("月份"), unique=True, validators=[first_of_month], help_text=_("该月 1 日"))
    sent_at = models.DateTimeField(_("报送平台时间"), null=True, blank=True, editable=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = pgettext_lazy("singular", "日报月度报送")
        verbose_name_plural = _("日报月度报送")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.month:%Y-%m} 站点日报"

    def get_absolute_url(self):
        return reverse("operations:reportmonth-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.sent_at is not None


class StationMonth(models.Model):
    """A station's month as the rates see it: its live daily reports and its live app check-in days
    on days the station was open. A stored figure (``operations.rollups``), recomputed from the
    reports and check-ins whenever one of them or the station's opening dates change, so that the
    reporting and app-activity rates of a whole month read 1,200 rows instead of 36,000; the
    station's deletion and region are applied when the rates are read. A station-month without
    reports or check-ins has no row."""

    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    reports = models.PositiveIntegerField(_("日报份数"), default=0)
    check_in_days = models.PositiveIntegerField(_("APP 签到天数"), default=0)

    class Meta:
        verbose_name = _("站点月度汇总")
        verbose_name_plural = _("站点月度汇总")
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="operations_stmonth_once")]
        indexes = [
            models.Index(
                fields=["month", "station", "reports", "check_in_days"], name="operations_stmonth_by_month"
            )
        ]

    def __str__(self):
        return f"{self.station_id} {self.month:%Y-%m}"


def month_locked(day: datetime.date) -> bool:
    return ReportMonth.objects.filter(month=day.replace(day=1), sent_at__isnull=False).exists()


class StationDailyReport(StationDatedRecord):
    """A 站点日报: what one station did on one day — proxy buying (下行, 代买) and proxy selling
    (上行, 代卖) with the farm produce among the sales, parcels, villagers served, convenience
    services and the poor households involved. One per station and day; the station edits it
    until it is locked (its month sent to the ministry platform, or its day in an accepted phase).

    The table is kept lean (365 rows per station and year): only the unique (station, day) index of
    live rows, which also serves every query by station; no index on the deletion columns."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("站点"),
        on_delete=models.PROTECT,
        related_name="daily_reports",
        db_index=False,  # the unique (station, day) index leads with the station
    )
    day = models.DateField(_("日期"), validators=[not_in_future])
    proxy_buying_orders = models.PositiveIntegerField(_("代买单数"), default=0)
    proxy_buying_amount = models.DecimalField(
        _("代买金额（元）"), **MONEY, default=ZERO, validators=NOT_NEGATIVE
    )
    proxy_selling_orders = models.PositiveIntegerField(_("代卖单数"), default=0)
    proxy_selling_amount = models.DecimalField(
        _("代卖金额（元）"), **MONEY, default=ZERO, validators=NOT_NEGATIVE
    )
    farm_product_amount = models.DecimalField(
        _("其中农产品金额（元）"),
        **MONEY,
        default=ZERO,
        validators=NOT_NEGATIVE,
        help_text=_("代卖金额中农产品的部分"),
    )
    parcels_sent = models.PositiveIntegerField(_("寄出快递（件）"), default=0)
    parcels_received = models.PositiveIntegerField(_("收到快递（件）"), default=0)
    villagers_served = models.PositiveIntegerField(_("服务村民（人次）"), default=0)
    convenience_services = models.PositiveIntegerField(
        _("便民服务（笔）"), default=0, help_text=_("缴费、充值等")
    )
    poor_households = models.PositiveIntegerField(_("带动贫困户（户）"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # Overridden without their indexes: a year of 1,000 stations is 365,000 rows, and every index
    # is paid on each of them at import.
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )

    scope_station_path = "station"
    scope_manager_actions = ("add", "change")
    date_field = "day"

    class Meta:
        ordering = ["-day", "station_id"]
        verbose_name = pgettext_lazy("singular", "站点日报")
        verbose_name_plural = _("站点日报")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["station", "day"],
                condition=Q(deleted_at__isnull=True),
                name="operations_daily_report_one_per_day",
                violation_error_message=_("该站点当天已有日报"),
            )
        ]

    def __str__(self):
        return f"{self.station} {self.day}"

    def get_absolute_url(self):
        return reverse("operations:dailyreport-detail", args=[self.pk])

    @property
    def turnover(self) -> Decimal:
        return (self.proxy_buying_amount or ZERO) + (self.proxy_selling_amount or ZERO)

    def frozen_problem(self) -> str | None:
        problem = super().frozen_problem()
        if problem:
            return problem
        for day in {d for d in (self.stored_day(), self.day) if d is not None}:
            if month_locked(day):
                return _("%(m)s 的日报已报送商务部平台，已锁定，不能再修改") % {"m": f"{day:%Y-%m}"}
        return None

    def clean(self):
        errors = {}
        if self.station_id and self.day:
            problem = station_open_problem(self.station, self.day)
            if problem:
                errors["day"] = problem
            elif (
                StationDailyReport.objects.filter(station_id=self.station_id, day=self.day)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["day"] = _("%(s)s 在 %(d)s 已有日报，每个站点每天只报一份") % {
                    "s": self.station.name,
                    "d": self.day.isoformat(),
                }
        if (
            self.farm_product_amount is not None
            and self.proxy_selling_amount is not None
            and self.farm_product_amount > self.proxy_selling_amount
        ):
            errors["farm_product_amount"] = _("农产品金额 %(f)s 不能大于代卖金额 %(s)s") % {
                "f": self.farm_product_amount,
                "s": self.proxy_selling_amount,
            }
        if errors:
            raise ValidationError(errors)
        super().clean()


# ---------------------------------------------------------------------------------------------------
# Premium stations' transaction ledgers


class StationTransaction(NumberedMixin, StationDatedRecord, EvidenceMarked):
    """A line of a 精品站点's 交易额账目: a sale or purchase the station handled, with its amount. The
    contract wants each premium station to reach 72,000 yuan over the contract period; the
    dashboard's per-station minimum is the smallest sum of these lines (with their receipts or
    ledger pages as evidence, when the target asks for them)."""

    number = models.CharField(
        _("账目编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 JY-202603-001")
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("站点"),
        on_delete=models.PROTECT,
        related_name="transactions",
        db_index=False,  # served by the (station, day) index
    )
    day = models.DateField(_("交易日期"), validators=[not_in_future])
    kind = models.CharField(_("交易类型"), max_length=20, choices=TransactionKind.choices)
    goods = models.CharField(_("商品或服务"), max_length=200, help_text=_("如：羊肉 20 斤、河套面粉"))
    counterparty = models.CharField(_("交易对象"), max_length=100, blank=True)
    amount = models.DecimalField(_("金额（元）"), **MONEY, validators=POSITIVE)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    scope_station_path = "station"
    number_prefix = "JY"

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = pgettext_lazy("singular", "精品站点交易")
        verbose_name_plural = _("精品站点交易台账")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["station", "day"], name="operations_txn_station_day")]

    def __str__(self):
        return self.number or f"{self.station} {self.day}"

    def get_absolute_url(self):
        return reverse("operations:transaction-detail", args=[self.pk])

    def clean(self):
        if self.station_id and self.day:
            problem = station_open_problem(self.station, self.day)
            if problem:
                raise ValidationError({"day": problem})
        super().clean()


# ---------------------------------------------------------------------------------------------------
# Inspections, problems, assets


class StationInspection(NumberedMixin, ContractRecord, EvidenceMarked):
    """A visit to a station: 一对一指导, 站点巡查 and/or 固定资产盘点, with its checklist, photos (the
    evidence), the GPS point the visitor's phone gave, the problems found (``InspectionProblem``)
    and, when it counts the assets, one ``AssetCountLine`` per registered asset."""

    number = models.CharField(
        _("巡查编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 XC-202603-001")
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("站点"), on_delete=models.PROTECT, related_name="inspections"
    )
    visited_on = models.DateField(_("巡查日期"), validators=[not_in_future])
    kinds = models.JSONField(_("巡查类型"), default=list, blank=True)
    inspector = models.CharField(_("巡查人"), max_length=100)
    has_signage = models.BooleanField(_("门头标识规范"), default=False)
    keeps_hours = models.BooleanField(_("按时营业"), default=False)
    equipment_working = models.BooleanField(_("设备运行正常"), default=False)
    keeps_ledger = models.BooleanField(_("台账齐全"), default=False)
    offers_services = models.BooleanField(_("代买代卖等服务正常开展"), default=False)
    has_publicity = models.BooleanField(_("有横幅或刷墙宣传"), default=False)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_accuracy = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    findings = models.TextField(_("巡查情况"), blank=True)

    scope_station_path = "station"
    date_field = "visited_on"
    number_prefix = "XC"
    list_choices = {"kinds": InspectionKind.choices}
    CHECKLIST = (
        "has_signage",
        "keeps_hours",
        "equipment_working",
        "keeps_ledger",
        "offers_services",
        "has_publicity",
    )

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = pgettext_lazy("singular", "站点巡查")
        verbose_name_plural = _("站点巡查")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "visited_on"], name="operations_insp_contract_day")]

    def __str__(self):
        return f"{self.number} {self.station}" if self.number else str(self.station)

    def get_absolute_url(self):
        return reverse("operations:inspection-detail", args=[self.pk])

    def get_kinds_display(self) -> str:
        labels = dict(InspectionKind.choices)
        return "、".join(str(labels.get(k, k)) for k in self.kinds or [])

    @property
    def counts_assets(self) -> bool:
        return InspectionKind.ASSET_COUNT in (self.kinds or [])

    def clean(self):
        errors = {}
        unknown = [k for k in self.kinds or [] if k not in InspectionKind.values]
        if unknown:
            errors["kinds"] = _("未知的巡查类型：%(k)s") % {"k": "、".join(map(str, unknown))}
        elif not self.kinds:
            errors["kinds"] = _("请至少选择一种巡查类型")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("经纬度需同时填写")
        if self.station_id and self.visited_on:
            problem = station_open_problem(self.station, self.visited_on)
            if problem and self.station.opened_on is not None and self.visited_on < self.station.opened_on:
                # A visit before opening is guidance while it is set up: allowed. After it closed, not.
                problem = None
            if problem:
                errors["visited_on"] = problem
        if errors:
            raise ValidationError(errors)
        super().clean()


class InspectionProblem(SoftDeleteModel):
    """A problem an inspection found, the corrective action (整改措施) agreed, its due date and its
    closure. Open problems past their due date are listed as overdue."""

    number = models.CharField(
        _("问题编号"),
        max_length=50,
        unique=True,
        blank=True,
        help_text=_("留空则自动编号，如 XC-202603-001-01"),
    )
    inspection = models.ForeignKey(
        StationInspection, verbose_name=_("巡查"), on_delete=models.PROTECT, related_name="problems"
    )
    description = models.CharField(_("发现的问题"), max_length=300)
    corrective_action = models.CharField(_("整改措施"), max_length=300, blank=True)
    due_on = models.DateField(_("整改期限"), null=True, blank=True)
    closed_on = models.DateField(_("整改完成日期"), null=True, blank=True, validators=[not_in_future])
    closure_note = models.CharField(_("整改情况"), max_length=300, blank=True)

    scope_station_path = "inspection__station"

    class Meta:
        ordering = ["inspection", "number"]
        verbose_name = pgettext_lazy("singular", "巡查问题")
        verbose_name_plural = _("巡查问题与整改")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.number} {self.description[:30]}" if self.number else self.description[:40]

    def get_absolute_url(self):
        return reverse("operations:problem-detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.closed_on is None and self.due_on is not None and self.due_on < timezone.localdate()

    def save(self, *args, **kwargs):
        if not self.number and self.inspection_id:
            taken = InspectionProblem.all_objects.filter(inspection_id=self.inspection_id).count()
            stem = self.inspection.number
            number = f"{stem}-{taken + 1:02d}"
            while InspectionProblem.all_objects.filter(number=number).exists():
                taken += 1
                number = f"{stem}-{taken + 1:02d}"
            self.number = number
        return super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        visited = self.inspection.visited_on if self.inspection_id else None
        if visited and self.due_on and self.due_on < visited:
            errors["due_on"] = _("整改期限不能早于巡查日期 %(d)s") % {"d": visited.isoformat()}
        if visited and self.closed_on and self.closed_on < visited:
            errors["closed_on"] = _("整改完成日期不能早于巡查日期 %(d)s") % {"d": visited.isoformat()}
        if self.closed_on and not self.corrective_action.strip():
            errors["corrective_action"] = _("整改完成的问题须写明整改措施")
        if errors:
            raise ValidationError(errors)


class FixedAsset(SoftDeleteModel):
    """A fixed asset (固定资产) of a station: a computer, a printer, a shelf, a sign. Those funded by
    the programme must be found at each count; ``disposed_on`` takes an asset out of the register
    from that day (scrapped, handed back)."""

    asset_number = models.CharField(_("资产编号"), max_length=60, unique=True)
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("站点"), on_delete=models.PROTECT, related_name="fixed_assets"
    )
    name = models.CharField(_("资产名称"), max_length=200)
    serial_number = models.CharField(_("序列号"), max_length=100, blank=True)
    value = models.DecimalField(_("价值（元）"), **MONEY, default=ZERO, validators=NOT_NEGATIVE)
    programme_funded = models.BooleanField(_("项目资金购置"), default=False)
    acquired_on = models.DateField(_("配置日期"), null=True, blank=True, validators=[not_in_future])
    disposed_on = models.DateField(_("报废/移交日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    scope_station_path = "station"

    class Meta:
        ordering = ["station_id", "asset_number"]
        verbose_name = pgettext_lazy("singular", "固定资产")
        verbose_name_plural = _("固定资产")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.asset_number} {self.name}"

    def get_absolute_url(self):
        return reverse("operations:asset-detail", args=[self.pk])

    def clean(self):
        if self.acquired_on and self.disposed_on and self.disposed_on < self.acquired_on:
            raise ValidationError({"disposed_on": _("报废/移交日期不能早于配置日期")})


class AssetCountLine(SoftDeleteModel):
    """What a visit's asset count (固定资产盘点) found of one registered asset of the station. The
    count report reconciles the register (what should be there on the day) against these lines."""

    inspection = models.ForeignKey(
        StationInspection, verbose_name=_("巡查"), on_delete=models.PROTECT, related_name="asset_lines"
    )
    asset = models.ForeignKey(
        FixedAsset, verbose_name=_("资产"), on_delete=models.PROTECT, related_name="count_lines"
    )
    result = models.CharField(_("盘点结果"), max_length=10, choices=AssetCountResult.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_station_path = "inspection__station"

    class Meta:
        ordering = ["inspection", "asset__asset_number"]
        verbose_name = pgettext_lazy("singular", "资产盘点记录")
        verbose_name_plural = _("资产盘点记录")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "asset"],
                condition=Q(deleted_at__isnull=True),
                name="operations_count_line_once",
                violation_error_message=_("该资产在本次盘点中已有记录"),
            )
        ]

    def __str__(self):
        return f"{self.asset} {self.get_result_display()}" if self.asset_id else str(self.pk)

    def get_absolute_url(self):
        return reverse("operations:countline-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.inspection_id and self.asset_id:
            inspection, asset = self.inspection, self.asset
            if asset.station_id != inspection.station_id:
                errors["asset"] = _("资产「%(a)s」不属于被巡查的站点「%(s)s」") % {
                    "a": asset.asset_number,
                    "s": inspection.station,
                }
            elif not inspection.counts_assets:
                errors["inspection"] = _("巡查「%(n)s」的类型不含固定资产盘点") % {"n": inspection.number}
            elif (
                AssetCountLine.objects.filter(inspection_id=self.inspection_id, asset_id=self.asset_id)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["asset"] = _("资产「%(a)s」在本次盘点中已有记录") % {"a": asset.asset_number}
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------
# Trainings and evaluations


class ManagerTraining(NumberedMixin, ContractRecord, EvidenceMarked):
    """A training of station managers (contract 1.2 一): station business, guidance on the online
    (上行) shop, data reporting … Counted per phase; its photos and sign-in sheet are the evidence."""

    number = models.CharField(
        _("培训编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 ZP-202603-001")
    )
    title = models.CharField(_("培训主题"), max_length=200)
    held_on = models.DateField(_("培训日期"), validators=[not_in_future])
    topics = models.JSONField(_("培训内容"), default=list, blank=True)
    format = models.CharField(
        _("培训形式"), max_length=10, choices=TrainingFormat.choices, default=TrainingFormat.OFFLINE
    )
    location = models.CharField(_("地点"), max_length=200, blank=True)
    trainer = models.CharField(_("授课人"), max_length=100, blank=True)
    attendees = models.PositiveIntegerField(_("参训站点负责人（人）"), default=0)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "held_on"
    number_prefix = "ZP"
    list_choices = {"topics": TrainingTopic.choices}

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = pgettext_lazy("singular", "站点负责人培训")
        verbose_name_plural = _("站点负责人培训")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "held_on"], name="operations_mtr_contract_day")]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("operations:training-detail", args=[self.pk])

    def get_topics_display(self) -> str:
        labels = dict(TrainingTopic.choices)
        return "、".join(str(labels.get(t, t)) for t in self.topics or [])

    def clean(self):
        unknown = [t for t in self.topics or [] if t not in TrainingTopic.values]
        if unknown:
            raise ValidationError(
                {"topics": _("未知的培训内容：%(t)s") % {"t": "、".join(map(str, unknown))}}
            )
        super().clean()


class StationEvaluation(NumberedMixin, ContractRecord, EvidenceMarked):
    """A 站点综合评选: a contest that scores and ranks stations on published criteria and gives
    awards, with its plan, its process material and its summary as evidence."""

    number = models.CharField(
        _("评选编号"), max_length=40, unique=True, blank=True, help_text=_("留空则自动编号，如 PX-202603-001")
    )
    title = models.CharField(_("评选名称"), max_length=200)
    held_on = models.DateField(_("评选日期"), validators=[not_in_future], help_text=_("公布结果的日期"))
    criteria = models.TextField(
        _("评选标准"), help_text=_("如：交易额 40%；服务人次 30%；日报完整率 20%；站容站貌 10%")
    )
    summary = models.TextField(_("工作总结"), blank=True)

    date_field = "held_on"
    number_prefix = "PX"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = pgettext_lazy("singular", "站点综合评选")
        verbose_name_plural = _("站点综合评选")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "held_on"], name="operations_eval_contract_day")]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("operations:evaluation-detail", args=[self.pk])


class EvaluationEntry(SoftDeleteModel):
    """A station's entry in an evaluation: its score (0–100) and award. The ranking follows from the
    scores (``services.ranked_entries``), so it never disagrees with them."""

    evaluation = models.ForeignKey(
        StationEvaluation, verbose_name=_("评选"), on_delete=models.PROTECT, related_name="entries"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("站点"),
        on_delete=models.PROTECT,
        related_name="evaluation_entries",
    )
    score = models.DecimalField(
        _("得分"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    award = models.CharField(_("奖项"), max_length=12, choices=Award.choices, blank=True)
    note = models.CharField(_("评语"), max_length=300, blank=True)

    scope_station_path = "station"

    class Meta:
        ordering = ["evaluation", "-score", "station_id"]
        verbose_name = pgettext_lazy("singular", "评选得分")
        verbose_name_plural = _("评选得分")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "station"],
                condition=Q(deleted_at__isnull=True),
                name="operations_entry_once",
                violation_error_message=_("该站点在本次评选中已有得分"),
            )
        ]

    def __str__(self):
        return f"{self.station} {self.score}" if self.station_id else str(self.score)

    def get_absolute_url(self):
        return reverse("operations:entry-detail", args=[self.pk])

    def clean(self):
        if (
            self.evaluation_id
            and self.station_id
            and EvaluationEntry.objects.filter(evaluation_id=self.evaluation_id, station_id=self.station_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"station": _("站点「%(s)s」在本次评选中已有得分") % {"s": self.station}})


# ---------------------------------------------------------------------------------------------------
# App activity


class AppCheckIn(StationDatedRecord):
    """A day on which a station checked in on the ministry's 智慧乡村 APP, from the app's export
    (several check-ins of one day are one row). A station is active in a month when it checked in
    at least once; the contract wants 80% of the open stations active."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("站点"),
        on_delete=models.PROTECT,
        related_name="app_check_ins",
        db_index=False,  # the unique (station, day) index leads with the station
    )
    day = models.DateField(_("签到日期"), validators=[not_in_future])
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )

    scope_station_path = "station"

    class Meta:
        ordering = ["-day", "station_id"]
        verbose_name = pgettext_lazy("singular", "APP 签到")
        verbose_name_plural = _("智慧乡村 APP 签到")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["station", "day"],
                condition=Q(deleted_at__isnull=True),
                name="operations_check_in_once_a_day",
                violation_error_message=_("该站点当天已有签到"),
            )
        ]

    def __str__(self):
        return f"{self.station} {self.day}" if self.station_id else str(self.day)

    def get_absolute_url(self):
        return reverse("operations:checkin-detail", args=[self.pk])

    def clean(self):
        if self.station_id and self.day:
            problem = station_open_problem(self.station, self.day)
            if problem:
                raise ValidationError({"day": problem})
            if (
                AppCheckIn.objects.filter(station_id=self.station_id, day=self.day)
                .exclude(pk=self.pk)
                .exists()
            ):
                raise ValidationError(
                    {"day": _("%(s)s 在 %(d)s 已有签到") % {"s": self.station, "d": self.day}}
                )
        super().clean()


class AppActivityMonth(SoftDeleteModel, EvidenceMarked):
    """A month of 智慧乡村 APP activity as the app shows it: its screenshot is the evidence the
    app-activity target asks for (the check-ins themselves come from the app's export)."""

    month = models.DateField(_("月份"), unique=True, validators=[first_of_month], help_text=_("该月 1 日"))
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = pgettext_lazy("singular", "APP 月度活跃")
        verbose_name_plural = _("APP 月度活跃")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.month:%Y-%m} 智慧乡村 APP 活跃度"

    def get_absolute_url(self):
        return reverse("operations:appmonth-detail", args=[self.pk])
