"""The ministry platform adapter's records: each delivery of data to 商务部业务系统统一平台 and the
log of its attempts.

A ``MinistryDelivery`` is one period's data of one kind: the trade data of every station on one day
(``daily-2026-03-15``) or the project's data of one month (``monthly-2026-03``). Its reference is
unique, so a period is delivered once: a delivery that failed is kept and retried (with the same
idempotency key, so that the platform can tell a retry from new data), never replaced; a delivered
one is never sent again. ``DeliveryAttempt`` rows are the delivery log, written by the adapter and
never edited.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import SoftDeleteModel
from muxiang.mofcom.choices import AttemptOutcome, DeliveryKind, DeliveryState, TransportKind


def reference_for(kind: str, period: datetime.date) -> str:
    return f"{kind}-{period:%Y-%m}" if kind == DeliveryKind.MONTHLY else f"{kind}-{period.isoformat()}"


def period_problem(kind: str, period: datetime.date) -> str | None:
    """Why ``period`` cannot be delivered yet: a day's data goes the day after, a month's the month
    after."""
    today = timezone.localdate()
    if kind == DeliveryKind.DAILY:
        complete = period < today
    else:
        complete = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) <= today
    if complete:
        return None
    return _("%(p)s 的数据尚未完整（每日数据次日报送，每月数据次月报送）") % {"p": period.isoformat()}


class MinistryDelivery(SoftDeleteModel):
    """One delivery to the ministry platform: a day's station trade data or a month's project data,
    with its transport, its state and the outcome of its last attempt. The monthly project data
    (每月报送的数据信息, contract 4.3) counts toward the contract; the file sent is kept as evidence."""

    reference = models.CharField(_("报送编号"), max_length=40, unique=True, editable=False)
    kind = models.CharField(_("报送类型"), max_length=10, choices=DeliveryKind.choices)
    period = models.DateField(_("数据日期"), help_text=_("每日数据为当天；每月数据为该月 1 日"))
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("每月项目数据所属的合同"),
    )
    transport = models.CharField(
        _("报送方式"), max_length=10, choices=TransportKind.choices, default=TransportKind.FILE
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING, editable=False
    )
    idempotency_key = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("开始报送时间"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("报送成功时间"), null=True, blank=True, editable=False)
    rows = models.PositiveIntegerField(_("数据行数"), null=True, blank=True, editable=False)
    payload_sha256 = models.CharField(_("数据摘要"), max_length=64, blank=True, editable=False)
    response_status = models.PositiveIntegerField(_("平台响应码"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("最近错误"), blank=True, editable=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["-period", "kind"]
        verbose_name = pgettext_lazy("singular", "平台报送")
        verbose_name_plural = _("商务部平台报送")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["kind", "period"], name="mofcom_delivery_kind_period")]

    def __str__(self):
        return self.reference or f"{self.kind}-{self.period}"

    def get_absolute_url(self):
        return reverse("mofcom:delivery-detail", args=[self.pk])

    @property
    def is_delivered(self) -> bool:
        return self.state == DeliveryState.DELIVERED

    def clean(self):
        errors = {}
        if self.kind and self.period:
            if self.kind == DeliveryKind.MONTHLY:
                self.period = self.period.replace(day=1)
            problem = period_problem(self.kind, self.period)
            if problem:
                errors["period"] = problem
            reference = reference_for(self.kind, self.period)
            if self.reference and self.reference != reference and self.attempts:
                errors["period"] = _("已尝试报送的记录不能改变报送类型或日期")
            elif MinistryDelivery.all_objects.filter(reference=reference).exclude(pk=self.pk).exists():
                errors["period"] = _("%(r)s 已有报送记录（已删除的请在回收站恢复）") % {"r": reference}
        if self.kind == DeliveryKind.MONTHLY and not self.contract_id:
            errors["contract"] = _("每月项目数据须选择合同")
        if self.pk and self.is_delivered:
            errors["__all__"] = _("已报送的记录不能修改")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.kind and self.period:
            if self.kind == DeliveryKind.MONTHLY:
                self.period = self.period.replace(day=1)
            self.reference = reference_for(self.kind, self.period)
        super().save(*args, **kwargs)

    def assert_writable(self) -> None:
        """Called by ``core.services`` before a delete or restore: a delivery that was attempted is
        part of the delivery log and is never removed."""
        if self.attempts or self.is_delivered:
            raise ValidationError(_("已尝试报送的记录是报送日志的一部分，不能删除"))


class DeliveryAttempt(models.Model):
    """One attempt to deliver: when, through what, and what the platform (or the file system)
    answered. Written by the adapter only; never changed or removed."""

    delivery = models.ForeignKey(
        MinistryDelivery, verbose_name=_("平台报送"), on_delete=models.PROTECT, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(_("时间"), default=timezone.now)
    transport = models.CharField(_("报送方式"), max_length=10, choices=TransportKind.choices)
    outcome = models.CharField(_("结果"), max_length=10, choices=AttemptOutcome.choices)
    status_code = models.PositiveIntegerField(_("响应码"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        ordering = ["delivery", "attempted_at", "id"]
        verbose_name = _("报送尝试")
        verbose_name_plural = _("报送日志")

    def __str__(self):
        return f"{self.delivery} {self.get_outcome_display()}"
