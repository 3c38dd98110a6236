"""The traceability system of contract section 2.4 (溯源体系): producers enrolled in it, their
production bases, the batches they produce with the inspection papers and the events of each
batch's way to the consumer, and the trace codes (溯源码) put on the packages — issued in runs,
bound to a batch, perhaps voided — with every scan of them and the anomalies the scans reveal.

Who sees what: all of it is the operator's work with the enterprises, so no model has a
``scope_station_path``: staff and admin write, the client's supervisor and the auditor read, a
station manager sees none of it. The consumer sees only a batch's public story, on ``/t/<CODE>``.

``TraceCode``, ``Scan`` and ``ScanAlert`` are plain models, not audited ledgers: codes are stored in
the millions and written in bulk; what was done to them is kept on the runs (``CodeRun``), on the
batch (a 包装赋码 event per binding, with who did it) and in the scan log.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.contracts.records import ContractRecord
from muxiang.core.models import SoftDeleteModel
from muxiang.trace import codes
from muxiang.trace.choices import (
    AlertState,
    AnomalyRule,
    BatchKind,
    CertificateKind,
    CodeState,
    EventStep,
    ScanOutcome,
)

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


def not_in_future(value):
    today = timezone.localdate()
    day = timezone.localtime(value).date() if hasattr(value, "hour") else value
    if day and day > today:
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": day.isoformat()})


class Enterprise(ContractRecord):
    """A producer enrolled in the trace system (优选的本地生产流通企业): an organisation of the
    registry, from the day it joined. The contract wants at least five, chosen in phase 1 and served
    to the end; each counts once it carries its enrolment document (入驻协议/建设方案)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="trace_enrolments",
    )
    enrolled_on = models.DateField(_("入驻日期"), validators=[not_in_future])
    industry = models.CharField(_("重点产业"), max_length=50, help_text=_("例如 肉羊、奶食品、向日葵"))
    enterprise_brand = models.CharField(_("企业品牌"), max_length=100, blank=True)
    regional_brand = models.CharField(
        _("区域公用品牌"), max_length=100, blank=True, help_text=_("例如 乌拉特中旗羊肉")
    )
    introduction = models.TextField(_("企业简介（公开）"), blank=True, help_text=_("消费者扫码时可见"))
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "enrolled_on"

    class Meta:
        ordering = ["enrolled_on", "id"]
        verbose_name = pgettext_lazy("singular", "溯源企业")
        verbose_name_plural = _("溯源企业")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(deleted_at__isnull=True),
                name="trace_enterprise_once",
                violation_error_message=_("该企业已入驻溯源体系"),
            )
        ]

    def __str__(self):
        return self.organisation.name

    def get_absolute_url(self):
        return reverse("trace:enterprise-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.organisation_id:
            others = Enterprise.objects.filter(organisation_id=self.organisation_id).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"organisation": _("该企业已入驻溯源体系")})


class ProductionBase(SoftDeleteModel):
    """A 生产基地 of an enrolled producer: a pasture, a field, a barn or a workshop, with its place,
    area and GPS position (shown to consumers as the batch's origin)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("溯源企业"), on_delete=models.PROTECT, related_name="bases"
    )
    name = models.CharField(_("基地名称"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    area_mu = models.DecimalField(
        _("面积（亩）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = pgettext_lazy("singular", "生产基地")
        verbose_name_plural = _("生产基地")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("trace:base-detail", args=[self.pk])


class Batch(SoftDeleteModel):
    """A 批次: one production, harvest or slaughter of one product at one base, with its date,
    quantity and the inputs used (feed, veterinary drugs, fertiliser …). Its inspection papers are
    ``Certificate`` rows, its way to the consumer ``TraceEvent`` rows; the trace codes bound to it
    show its public story."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("溯源企业"), on_delete=models.PROTECT, related_name="batches"
    )
    product = models.ForeignKey(
        "supply.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="trace_batches"
    )
    base = models.ForeignKey(
        ProductionBase,
        verbose_name=_("生产基地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="batches",
    )
    lot = models.CharField(
        _("批次号"), max_length=20, help_text=_("同一商品内唯一，GS1 数字链接中的批号（10）")
    )
    kind = models.CharField(
        _("日期类型"), max_length=20, choices=BatchKind.choices, default=BatchKind.PRODUCTION
    )
    produced_on = models.DateField(_("生产/屠宰日期"), validators=[not_in_future])
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)
    unit = models.CharField(_("单位"), max_length=10, default="件")
    inputs = models.TextField(
        _("投入品"), blank=True, help_text=_("饲料、兽药、肥料等投入品及用量，一行一项")
    )
    story = models.TextField(_("产品故事（公开）"), blank=True, help_text=_("消费者扫码时可见"))

    class Meta:
        ordering = ["-produced_on", "-id"]
        verbose_name = pgettext_lazy("singular", "批次")
        verbose_name_plural = _("批次")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot"],
                condition=models.Q(deleted_at__isnull=True),
                name="trace_batch_lot_per_product",
                violation_error_message=_("该商品已有同一批次号"),
            )
        ]

    def __str__(self):
        return f"{self.lot}（{self.product.name}）"

    def get_absolute_url(self):
        return reverse("trace:batch-detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.product_id and self.enterprise_id:
            producer = self.product.producer_id
            if producer and producer != self.enterprise.organisation_id:
                errors["product"] = _("该商品的生产企业不是本溯源企业")
        if self.base_id and self.enterprise_id and self.base.enterprise_id != self.enterprise_id:
            errors["base"] = _("该生产基地不属于本溯源企业")
        if self.product_id and self.lot:
            namesakes = Batch.objects.filter(product_id=self.product_id, lot=self.lot.strip())
            if namesakes.exclude(pk=self.pk).exists():
                errors["lot"] = _("该商品已有批次号 %(lot)s") % {"lot": self.lot}
        if errors:
            raise ValidationError(errors)


class Certificate(SoftDeleteModel):
    """An inspection report (检测报告), a 承诺达标合格证 (the producer's compliance certificate) or a
    quarantine certificate of a batch; the scanned paper is attached as evidence. Consumers see the
    kind, issuer, date and result."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=CertificateKind.choices)
    number = models.CharField(_("编号"), max_length=50, blank=True)
    issuer = models.CharField(_("出具单位"), max_length=100)
    issued_on = models.DateField(_("出具日期"), validators=[not_in_future])
    passed = models.BooleanField(_("结论合格"), default=True)
    items = models.CharField(_("检测项目"), max_length=300, blank=True)

    class Meta:
        ordering = ["batch", "issued_on", "id"]
        verbose_name = pgettext_lazy("singular", "检测与合格证")
        verbose_name_plural = _("检测与合格证")
        base_manager_name = "all_objects"

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    def get_absolute_url(self):
        return reverse("trace:certificate-detail", args=[self.pk])


class TraceEvent(SoftDeleteModel):
    """One step of a batch's way (EPCIS-like): *what* (the batch), *when* (``occurred_at``),
    *where* (the place), *why* (the business step), and who recorded it. Listed in time order."""

    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="events")
    step = models.CharField(_("环节"), max_length=20, choices=EventStep.choices)
    occurred_at = models.DateTimeField(_("发生时间"), validators=[not_in_future])
    place = models.CharField(_("地点"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_public = models.BooleanField(_("向消费者展示"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["batch", "occurred_at", "id"]
        verbose_name = pgettext_lazy("singular", "溯源事件")
        verbose_name_plural = _("溯源事件")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["batch", "occurred_at"], name="trace_event_batch_time_idx")]

    def __str__(self):
        return f"{self.get_step_display()} {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("trace:event-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.batch_id and self.occurred_at:
            day = timezone.localtime(self.occurred_at).date()
            if day < self.batch.produced_on and self.step not in (EventStep.RAISING, EventStep.INSPECTING):
                raise ValidationError(
                    {
                        "occurred_at": _("%(step)s不能早于批次的生产/屠宰日期 %(day)s")
                        % {"step": self.get_step_display(), "day": self.batch.produced_on.isoformat()}
                    }
                )


class CodeRun(ContractRecord):
    """A 发码 run: ``count`` trace codes issued at once for one enrolled producer (one print run of
    labels). The contract counts codes by these runs — the codes themselves are millions of rows —
    and a run counts once it carries its document (发码清单/申领单) and the label printing invoice."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("溯源企业"), on_delete=models.PROTECT, related_name="code_runs"
    )
    product = models.ForeignKey(
        "supply.Product",
        verbose_name=_("商品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trace_code_runs",
        help_text=_("标签上印的商品名称"),
    )
    issued_on = models.DateField(_("发码日期"), validators=[not_in_future])
    count = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发码人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "issued_on"

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = pgettext_lazy("singular", "发码记录")
        verbose_name_plural = _("发码记录")
        base_manager_name = "all_objects"

    def __str__(self):
        return _("%(e)s %(day)s 发码 %(n)s 个") % {
            "e": self.enterprise,
            "day": self.issued_on.isoformat() if self.issued_on else "",
            "n": f"{self.count:,}",
        }

    def get_absolute_url(self):
        return reverse("trace:run-detail", args=[self.pk])

    def assert_writable(self) -> None:
        super().assert_writable()
        if self.pk and TraceCode.objects.filter(run=self).exclude(state=CodeState.ISSUED).exists():
            raise ValidationError(_("该批溯源码已有绑定或作废的码，不能删除"))


class TraceCode(models.Model):
    """One trace code (溯源码): 16 characters (``codes``), issued in a run at position ``serial``
    (labels of a roll are printed in that order, so a roll is bound by its first and last label),
    then bound to a batch, perhaps voided. The scan counters are updated atomically by the scan
    page (``F()``), never read-modify-written."""

    code = models.CharField(_("溯源码"), max_length=codes.LENGTH, unique=True)
    # The (run, serial) index serves lookups by run: no separate index on the foreign key.
    run = models.ForeignKey(CodeRun, verbose_name=_("发码记录"), on_delete=models.CASCADE, db_index=False)
    serial = models.PositiveIntegerField(_("序号"))
    state = models.CharField(_("状态"), max_length=10, choices=CodeState.choices, default=CodeState.ISSUED)
    # Indexed only where set (the partial index below): codes are inserted unbound, by the million.
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="codes",
        db_index=False,
    )
    bound_at = models.DateTimeField(_("绑定时间"), null=True, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    scan_count = models.PositiveIntegerField(_("扫码次数"), default=0)
    first_scanned_at = models.DateTimeField(_("首次扫码时间"), null=True, blank=True)
    first_scan_place = models.CharField(_("首次扫码地点"), max_length=100, blank=True)

    class Meta:
        ordering = ["run", "serial"]
        verbose_name = pgettext_lazy("singular", "溯源码")
        verbose_name_plural = _("溯源码")
        constraints = [models.UniqueConstraint(fields=["run", "serial"], name="trace_code_serial_per_run")]
        indexes = [
            models.Index(
                fields=["batch"], condition=models.Q(batch__isnull=False), name="trace_code_bound_batch_idx"
            )
        ]

    def __str__(self):
        return self.code

    @property
    def grouped(self) -> str:
        return codes.grouped(self.code)


class Scan(models.Model):
    """One load of the public page of a code: when, the outcome, a coarse place (the city the
    reverse proxy's geolocation gives, where it does), the client (a hash of its network, never
    the address itself) and the browser. Unknown codes are logged with what was asked."""

    code = models.ForeignKey(
        TraceCode,
        verbose_name=_("溯源码"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scans",
    )
    asked = models.CharField(_("请求的码"), max_length=40)
    scanned_at = models.DateTimeField(_("扫码时间"), default=timezone.now)
    outcome = models.CharField(_("结果"), max_length=10, choices=ScanOutcome.choices)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    client = models.CharField(_("来源"), max_length=16, db_index=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)
    # The coarse position the proxy's geolocation gives with the city (X-Geo-Latitude/Longitude),
    # where it does: the far-apart rule then compares distances rather than names.
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)

    class Meta:
        ordering = ["-scanned_at", "-id"]
        verbose_name = pgettext_lazy("singular", "扫码记录")
        verbose_name_plural = _("扫码记录")
        indexes = [
            models.Index(fields=["code", "scanned_at"], name="trace_scan_code_time_idx"),
            models.Index(fields=["scanned_at"], name="trace_scan_time_idx"),
        ]

    def __str__(self):
        return f"{self.asked} {timezone.localtime(self.scanned_at):%Y-%m-%d %H:%M}"


class ScanAlert(models.Model):
    """An entry of the review queue: a code (or, for guessing, a client) that an anomaly rule
    flagged. Alerts never void anything: an operator looks, then dismisses or confirms (and voids
    by hand if need be). One open alert per rule and code (or client); later hits add to it."""

    rule = models.CharField(_("规则"), max_length=20, choices=AnomalyRule.choices)
    code = models.ForeignKey(
        TraceCode,
        verbose_name=_("溯源码"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    client = models.CharField(_("来源"), max_length=16, blank=True)
    detail = models.CharField(_("情况"), max_length=300)
    hits = models.PositiveIntegerField(_("触发次数"), default=1)
    first_seen_at = models.DateTimeField(_("首次发现"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近发现"), default=timezone.now)
    state = models.CharField(_("状态"), max_length=10, choices=AlertState.choices, default=AlertState.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    review_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = pgettext_lazy("singular", "扫码异常")
        verbose_name_plural = _("扫码异常")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "code", "client"],
                condition=models.Q(state="open"),
                name="trace_alert_open_once",
            )
        ]

    def __str__(self):
        return f"{self.get_rule_display()} {self.code or self.client}"


class ScanFlush(models.Model):
    """One file of queued scans written to the database (``scans.flush_scans``). The scans and
    this row are committed together, so a flush interrupted after its commit but before the file
    was removed finds its name here and does not write the scans twice."""

    name = models.CharField(_("队列文件"), max_length=100, unique=True)
    scans = models.PositiveIntegerField(_("扫码数"))
    flushed_at = models.DateTimeField(_("写入时间"), default=timezone.now)

    class Meta:
        ordering = ["-flushed_at", "-id"]
        verbose_name = pgettext_lazy("singular", "扫码写入批")
        verbose_name_plural = _("扫码写入批")

    def __str__(self):
        return self.name
