"""Demo records of the ministry adapter (see ``muxiang.demo.activity``): every complete month's
project data delivered to the platform by its API (the latest one failing and waiting to be
retried, so the overview shows what a failure looks like), and the last month's daily station
data, delivered as files for manual upload, the last days still pending.

No request leaves the machine: the deliveries are written as the adapter records them, with their
attempt log, and the delivered months are locked as the adapter locks them.
"""

import datetime
import hashlib

from muxiang.mofcom.choices import AttemptOutcome, DeliveryKind, DeliveryState, TransportKind
from muxiang.mofcom.models import DeliveryAttempt, MinistryDelivery
from muxiang.operations.services import lock_month, month_end, months_between

ONE_DAY = datetime.timedelta(days=1)
DAILY_DAYS = 30


def seed(demo) -> dict[str, int]:
    today = demo.today
    start = demo.phase(1).start
    last_month = today.replace(day=1) - ONE_DAY
    monthly = []
    for month in months_between(start, last_month):
        failing = month == last_month.replace(day=1)
        sent_at = demo.moment(month_end(month) + datetime.timedelta(days=3), 10)
        delivery = _delivery(demo, DeliveryKind.MONTHLY, month, TransportKind.HTTP, sent_at, failing, rows=1)
        if not failing:
            monthly.append(delivery)
            lock_month(month, note=f"月度数据已报送商务部平台（{delivery.reference}）")
    # The file sent is the evidence of a monthly report; the latest delivered month's copy is missing.
    demo.attach_required(monthly[:-1], "mofcom.monthly_deliveries")
    daily = 0
    for offset in range(DAILY_DAYS, 0, -1):
        day = today - datetime.timedelta(days=offset)
        if day < start:
            continue
        pending = offset <= 2
        _delivery(
            demo,
            DeliveryKind.DAILY,
            day,
            TransportKind.FILE,
            demo.moment(day + ONE_DAY, 9),
            False,
            pending=pending,
        )
        daily += 1
    return {"ministry_monthly_deliveries": len(monthly), "ministry_daily_deliveries": daily}


def _delivery(demo, kind, period, transport, sent_at, failing, rows=None, pending=False):
    delivery = MinistryDelivery.objects.create(
        kind=kind,
        period=period,
        contract=demo.contract if kind == DeliveryKind.MONTHLY else None,
        transport=transport,
        note="示例数据",
    )
    if pending:
        return delivery
    digest = hashlib.sha256(f"{delivery.reference}:{delivery.idempotency_key}".encode()).hexdigest()
    if failing:
        for attempt in range(3):
            DeliveryAttempt.objects.create(
                delivery=delivery,
                attempted_at=sent_at + datetime.timedelta(seconds=2**attempt),
                transport=transport,
                outcome=AttemptOutcome.FAILED,
                status_code=503,
                detail="HTTP 503：平台维护中，请稍后再试",
                duration_ms=demo.rng.randint(200, 900),
            )
        delivery.state = DeliveryState.RETRYING
        delivery.attempts = 3
        delivery.last_error = "HTTP 503：平台维护中，请稍后再试"
        delivery.response_status = 503
        delivery.next_attempt_at = sent_at + datetime.timedelta(minutes=5)
    else:
        DeliveryAttempt.objects.create(
            delivery=delivery,
            attempted_at=sent_at,
            transport=transport,
            outcome=AttemptOutcome.OK,
            status_code=201 if transport == TransportKind.HTTP else None,
            detail="平台已接收" if transport == TransportKind.HTTP else f"已导出 {delivery.reference}.xlsx",
            duration_ms=demo.rng.randint(80, 600),
        )
        delivery.state = DeliveryState.DELIVERED
        delivery.attempts = 1
        delivery.delivered_at = sent_at
        delivery.rows = rows if rows is not None else len(demo.stations)
        delivery.payload_sha256 = digest
        delivery.response_status = 201 if transport == TransportKind.HTTP else None
    delivery.save()
    return delivery
