"""Deliveries to the ministry platform: scheduling each period once, sending with retries and
exponential backoff, and keeping the log.

A delivery moves pending → sending → delivered, or → retrying (failed; due again after a backoff
that doubles with each failed run) and back to sending on the next run. It is claimed with a
conditional UPDATE before it is sent, so two runs at once never send the same delivery; a claim
left by a run that died is taken over after ``STALE_CLAIM``, and the retry carries the same
idempotency key. A delivered period is never sent again; a failed one is never dropped.
"""

import datetime
import hashlib
import math
import time
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.core.choices import EvidenceKind
from muxiang.core.models import Evidence
from muxiang.core.services import acting_as
from muxiang.mofcom import conf
from muxiang.mofcom.choices import AttemptOutcome, DeliveryKind, DeliveryState, TransportKind
from muxiang.mofcom.fields import build_rows
from muxiang.mofcom.models import DeliveryAttempt, MinistryDelivery, reference_for
from muxiang.mofcom.transports import Message, backoff_seconds, file_bytes, timed_send, transport_for

# A run that claimed a delivery and died leaves it "sending": after this long it is due again.
STALE_CLAIM = datetime.timedelta(minutes=15)
# How far back ``schedule_due`` looks for days and months not yet scheduled.
DAILY_LOOKBACK_DAYS = 31
MONTHLY_LOOKBACK_MONTHS = 12


def default_transport() -> str:
    return TransportKind.HTTP if conf.setting("transport") == TransportKind.HTTP else TransportKind.FILE


# ---------------------------------------------------------------------------------------------------
# Scheduling


@transaction.atomic
def schedule_delivery(
    kind: str, period: datetime.date, by, transport: str = "", contract=None
) -> MinistryDelivery:
    """The delivery of ``kind`` for ``period``: the existing one, or a new pending one."""
    if not permissions.can_add(by, MinistryDelivery):
        raise PermissionDenied(_("您没有安排报送的权限"))
    if kind == DeliveryKind.MONTHLY:
        period = period.replace(day=1)
    existing = MinistryDelivery.all_objects.filter(reference=reference_for(kind, period)).first()
    if existing is not None:
        if existing.deleted_at:
            raise ValidationError(_("%(r)s 的报送记录已删除，请在回收站恢复") % {"r": existing.reference})
        return existing
    delivery = MinistryDelivery(
        kind=kind, period=period, contract=contract, transport=transport or default_transport()
    )
    delivery.full_clean()
    with acting_as(by):
        delivery.save()
    return delivery


def schedule_due(by, today: datetime.date | None = None, contract=None) -> list[MinistryDelivery]:
    """Pending deliveries for every complete day of the last month that has daily reports and no
    delivery yet, and for every complete month of the last year (with ``contract``, or the only
    contract loaded) that has none. A fixed number of queries plus one per delivery created."""
    from muxiang.contracts.records import only_contract
    from muxiang.operations.models import StationDailyReport
    from muxiang.operations.services import month_start

    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    since = today - datetime.timedelta(days=DAILY_LOOKBACK_DAYS)
    reported = set(
        StationDailyReport.objects.filter(day__range=(since, yesterday))
        .values_list("day", flat=True)
        .distinct()
    )
    taken = set(MinistryDelivery.all_objects.values_list("reference", flat=True))
    created = []
    for day in sorted(reported):
        if reference_for(DeliveryKind.DAILY, day) not in taken:
            created.append(schedule_delivery(DeliveryKind.DAILY, day, by))
    contract = contract or only_contract()
    if contract is not None:
        month = month_start(today)
        for _step in range(MONTHLY_LOOKBACK_MONTHS):
            month = month_start(month - datetime.timedelta(days=1))
            if not contract.phases.filter(start__lte=month_end_of(month), end__gte=month).exists():
                continue
            if reference_for(DeliveryKind.MONTHLY, month) not in taken:
                created.append(schedule_delivery(DeliveryKind.MONTHLY, month, by, contract=contract))
    return created


def month_end_of(month: datetime.date) -> datetime.date:
    from muxiang.operations.services import month_end

    return month_end(month)


# ---------------------------------------------------------------------------------------------------
# Delivering


def build_message(delivery: MinistryDelivery) -> Message:
    fields, records = build_rows(delivery.kind, delivery.period, delivery.contract)
    return Message(
        kind=delivery.kind,
        reference=delivery.reference,
        period=delivery.period,
        idempotency_key=str(delivery.idempotency_key),
        fields=fields,
        records=records,
    )


def _claim(delivery: MinistryDelivery, now: datetime.datetime) -> bool:
    """Take the delivery for this run, or learn that it is delivered or taken by another run."""
    due = Q(state__in=[DeliveryState.PENDING, DeliveryState.RETRYING]) | Q(
        state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    return bool(
        MinistryDelivery.objects.filter(due, pk=delivery.pk).update(
            state=DeliveryState.SENDING, claimed_at=now
        )
    )


def _keep_as_evidence(delivery: MinistryDelivery, message: Message) -> None:
    """The data sent, as an .xlsx, on the delivery: what the platform received, for the auditor (and
    the evidence the monthly-report target asks for). Written by the adapter, not uploaded by a
    user, so it is stored directly."""
    data, suffix = file_bytes(message, "xlsx")
    digest = hashlib.sha256(data).hexdigest()
    evidence = Evidence(
        content_type=ContentType.objects.get_for_model(MinistryDelivery),
        object_id=delivery.pk,
        original_name=f"{delivery.reference}{suffix}",
        description=_("报送商务部平台的数据（系统生成）"),
        sha256=digest,
        size=len(data),
        mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extension=suffix,
        kind=EvidenceKind.DOCUMENT,
    )
    evidence.file.save(f"{digest}{suffix}", ContentFile(data), save=False)
    evidence.save()


@dataclass
class DeliveryOutcome:
    delivery: MinistryDelivery
    sent: bool  # this call delivered it
    attempts: int = 0  # attempts made by this call
    detail: str = ""


def deliver(delivery: MinistryDelivery, by=None, transport=None, sleep=time.sleep, tries: int | None = None):
    """Send one delivery, up to ``tries`` times with exponential backoff between attempts, logging
    each attempt. Returns what happened; a delivery already delivered or taken by another run is
    left alone."""
    now = timezone.now()
    if not _claim(delivery, now):
        delivery.refresh_from_db()
        return DeliveryOutcome(delivery, False, detail=_("已报送或正在由另一进程报送"))
    delivery.refresh_from_db()
    transport = transport or transport_for(delivery.transport)
    tries = max(int(tries if tries is not None else conf.number("tries")), 1)
    made = 0
    result = None
    try:
        message = build_message(delivery)
    except Exception as exc:  # the data cannot be built (a contract without a county …): logged, kept
        message = None
        detail = f"{_('无法生成报送数据')}：{type(exc).__name__}: {exc}"[:500]
        DeliveryAttempt.objects.create(
            delivery=delivery, transport=delivery.transport, outcome=AttemptOutcome.FAILED, detail=detail
        )
        made = 1
    else:
        for attempt in range(1, tries + 1):
            if attempt > 1:
                sleep(backoff_seconds(attempt - 1, conf.number("backoff")))
            result, duration = timed_send(transport, message)
            made += 1
            DeliveryAttempt.objects.create(
                delivery=delivery,
                transport=transport.name,
                outcome=AttemptOutcome.OK if result.ok else AttemptOutcome.FAILED,
                status_code=result.status_code,
                detail=result.detail,
                duration_ms=duration,
            )
            if result.ok:
                break
    with transaction.atomic(), acting_as(by):
        delivery.attempts += made
        delivery.claimed_at = None
        if result is not None and result.ok:
            delivery.state = DeliveryState.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            delivery.response_status = result.status_code
            delivery.rows = len(message.records)
            delivery.payload_sha256 = message.sha256()
            delivery.last_error = ""
            delivery.save()
            if delivery.transport == TransportKind.FILE or delivery.kind == DeliveryKind.MONTHLY:
                _keep_as_evidence(delivery, message)
            if delivery.kind == DeliveryKind.MONTHLY:
                from muxiang.operations.services import lock_month

                lock_month(
                    delivery.period,
                    by,
                    note=_("月度数据已报送商务部平台（%(r)s）") % {"r": delivery.reference},
                )
            return DeliveryOutcome(delivery, True, made, result.detail)
        failed_runs = max(math.ceil(delivery.attempts / tries), 1)
        wait = backoff_seconds(failed_runs, conf.number("retry_after"), conf.number("retry_cap"))
        delivery.state = DeliveryState.RETRYING
        delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=wait)
        delivery.last_error = (result.detail if result is not None else detail)[:2000]
        delivery.response_status = result.status_code if result is not None else None
        delivery.save()
    return DeliveryOutcome(delivery, False, made, delivery.last_error)


def due_deliveries(now: datetime.datetime | None = None):
    """Deliveries to send now: pending, failed and due again, or claimed by a run that died."""
    now = now or timezone.now()
    waiting = Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.RETRYING, next_attempt_at__lte=now)
    stale = Q(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return MinistryDelivery.objects.filter(waiting | stale).order_by("period", "kind")


@dataclass
class RunSummary:
    delivered: list[MinistryDelivery] = field(default_factory=list)
    failed: list[MinistryDelivery] = field(default_factory=list)

    @property
    def message(self) -> str:
        return _("报送成功 %(ok)d 项，失败待重试 %(bad)d 项") % {
            "ok": len(self.delivered),
            "bad": len(self.failed),
        }


def run_pending(
    by=None, limit: int | None = None, transport=None, sleep=time.sleep, tries: int | None = None
):
    """Send every due delivery, oldest period first (a day's data before the next day's)."""
    summary = RunSummary()
    due = due_deliveries()
    for delivery in due[:limit] if limit else due:
        outcome = deliver(delivery, by, transport=transport, sleep=sleep, tries=tries)
        if outcome.sent:
            summary.delivered.append(outcome.delivery)
        elif outcome.delivery.state == DeliveryState.RETRYING:
            summary.failed.append(outcome.delivery)
    return summary
