"""Training rules that span records: numbering, the session facts copied onto its attendance, and
the year-on-year comparison of the online-merchant counts."""

import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from muxiang.core import numbering


def next_number(model, field: str, prefix: str, day: datetime.date | None) -> str:
    """The next free number of the day, ``PX-20260315-01``: what a form or the API assigns when the
    number is left blank (``core.numbering``: deleted records keep their numbers)."""
    return numbering.next_number(
        model.all_objects, field, f"{prefix}-{(day or timezone.localdate()):%Y%m%d}-", width=2
    )


def session_moved(session) -> bool:
    """Whether saving ``session`` changes the date or contract its attendance carries."""
    if session.pk is None:
        return False
    stored = type(session).all_objects.filter(pk=session.pk).values_list("held_on", "contract_id").first()
    return stored is not None and stored != (session.held_on, session.contract_id)


def sync_attendance(session) -> int:
    """Copy the session's date and contract onto its attendance rows (live and deleted alike, so that
    a restored row is right too). The copies are no facts of their own: the session's audit entry
    records the change, and the rows are updated in one statement, without entries of their own."""
    from muxiang.training.models import Attendance

    return (
        Attendance.all_objects.filter(session_id=session.pk)
        .filter(~Q(held_on=session.held_on) | ~Q(contract_id=session.contract_id))
        .update(held_on=session.held_on, contract_id=session.contract_id, updated_at=timezone.now())
    )


def with_attendance_counts(sessions):
    """Annotate ``person_times`` and ``poor_person_times`` (live attendance), in the same query."""
    from muxiang.training.models import TrainingSession

    alive = Q(attendances__deleted_at__isnull=True)
    # A GROUP BY query drops Meta.ordering; lists page through it, so order it again.
    return sessions.annotate(
        person_times=Count("attendances", filter=alive),
        poor_person_times=Count("attendances", filter=alive & Q(attendances__poor_household=True)),
    ).order_by(*TrainingSession._meta.ordering)


def poor_share(person_times: int, poor_person_times: int) -> Decimal | None:
    """The poor-household share in percent, one decimal; None without person-times (never 0/0)."""
    if not person_times:
        return None
    return (Decimal(poor_person_times) * 100 / person_times).quantize(Decimal("0.1"))


def with_previous_count(censuses):
    """Annotate ``previous_count``: the same contract's count of the year before (None if none)."""
    from muxiang.training.models import MerchantCensus

    previous = MerchantCensus.objects.filter(contract=OuterRef("contract"), year=OuterRef("year") - 1)
    return censuses.annotate(previous_count=Subquery(previous.values("merchant_count")[:1]))


def census_change(current: int, previous: int | None) -> str:
    """How a year's count compares with the year before: ``+12（+8.5%）``; empty without a previous
    count. Computed from the two counts, never typed."""
    if previous is None:
        return ""
    difference = current - previous
    sign = "+" if difference >= 0 else ""
    if not previous:
        return f"{sign}{difference}"
    percent = (Decimal(difference) * 100 / previous).quantize(Decimal("0.1"))
    return f"{sign}{difference}（{sign}{percent}%）"
