"""The rules of the service centre's records, each in one place: forms, the API, imports and the
demo all ask these functions, so a booking refused on the page is refused in a spreadsheet too.

The ``*_problem`` functions take plain values and return the Chinese message of what is wrong, or
None: the models' ``clean()`` and the ledgers' ``clean_row`` both call them.
"""

import datetime
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.centre.choices import EventKind, FunctionalAreaKind, PlanStatus, SurveySubject
from muxiang.centre.models import FunctionalArea, ServiceCentre, WorkOrder
from muxiang.contracts.records import local_date

# ---------------------------------------------------------------------------------------------------
# Numbers


# ---------------------------------------------------------------------------------------------------
# Work orders and the booking calendar


def requester_problem(person_id, organisation_id, name: str) -> str | None:
    if person_id or organisation_id or (name or "").strip():
        return None
    return _("请填写服务对象：选择登记的个人或单位，或填写服务对象名称")


def booking_time_problem(starts_at, ends_at) -> str | None:
    if starts_at is None or ends_at is None:
        return None  # the missing field has its own message
    if ends_at <= starts_at:
        return _("结束时间应晚于开始时间（%(s)s）") % {"s": format_moment(starts_at)}
    return None


def format_moment(moment) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def format_span(starts_at, ends_at) -> str:
    """``2026-03-15 09:00–11:30``, or both dates in full when the booking spans several days."""
    start, end = format_moment(starts_at), format_moment(ends_at)
    if start[:10] == end[:10]:
        return f"{start}–{end[11:]}"
    return f"{start} 至 {end}"


def find_overlapping_bookings(area, starts_at, ends_at, exclude=None):
    """The live work orders of ``area`` (an area or its id) whose time overlaps [starts_at, ends_at).
    Bookings that only touch (one ends when the other starts) do not overlap."""
    area_id = getattr(area, "pk", area)
    bookings = WorkOrder.objects.filter(area_id=area_id, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None:
        bookings = bookings.exclude(pk=getattr(exclude, "pk", exclude))
    return bookings.order_by("starts_at", "id")


def overlap_message(other: WorkOrder) -> str:
    return _("与工单 %(n)s（%(t)s）时间重叠，该功能区此时段已被预约") % {
        "n": other.number,
        "t": format_span(other.starts_at, other.ends_at),
    }


def assert_area_free(area, starts_at, ends_at, exclude=None) -> None:
    """Refuse (ValidationError on ``starts_at``) a booking of ``area`` that overlaps a live one.

    Called inside the transaction that writes the booking: the area's row is locked first, so that
    two bookings of the same slot saved at the same moment cannot both find it free."""
    area_id = getattr(area, "pk", area)
    list(FunctionalArea.all_objects.select_for_update().filter(pk=area_id).values_list("pk"))
    clash = find_overlapping_bookings(area_id, starts_at, ends_at, exclude=exclude).first()
    if clash is not None:
        raise ValidationError({"starts_at": overlap_message(clash)})


# The same rule for a whole spreadsheet at once: the rows among themselves, then the rows against the
# stored work orders in one query (``find_overlapping_bookings`` per row would cost a query a row).


@dataclass(frozen=True)
class Booking:
    """One booking of a file being imported: its spreadsheet row, the stored work order it
    changes (None for a new one), where and when."""

    row: int
    pk: int | None
    area_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    number: str


def booking_clashes_in_file(bookings: list[Booking]) -> list[tuple[int, str]]:
    """(row, message) of each row whose booking overlaps an earlier-starting row's of the same area."""
    clashes = []
    by_area: dict[int, list[Booking]] = {}
    for booking in bookings:
        by_area.setdefault(booking.area_id, []).append(booking)
    for rows in by_area.values():
        rows.sort(key=lambda b: (b.starts_at, b.row))
        reaching = None  # the row so far whose booking ends last
        for booking in rows:
            if reaching is not None and booking.starts_at < reaching.ends_at:
                clashes.append(
                    (
                        booking.row,
                        _("与第 %(r)d 行（工单 %(n)s，%(t)s）时间重叠")
                        % {
                            "r": reaching.row,
                            "n": reaching.number,
                            "t": format_span(reaching.starts_at, reaching.ends_at),
                        },
                    )
                )
            if reaching is None or booking.ends_at > reaching.ends_at:
                reaching = booking
    return sorted(clashes)


def booking_clashes_with_stored(bookings: list[Booking]) -> list[tuple[int, str]]:
    """(row, message) of each row whose booking overlaps a live stored work order the file does not
    itself change: one query for the whole file."""
    if not bookings:
        return []
    stored = (
        WorkOrder.objects.filter(
            area_id__in={b.area_id for b in bookings},
            starts_at__lt=max(b.ends_at for b in bookings),
            ends_at__gt=min(b.starts_at for b in bookings),
        )
        .exclude(pk__in=[b.pk for b in bookings if b.pk])
        .order_by("area_id", "ends_at", "id")
        .only("id", "number", "area_id", "starts_at", "ends_at")
    )
    ends: dict[int, list] = {}
    orders: dict[int, list[WorkOrder]] = {}
    for order in stored:
        ends.setdefault(order.area_id, []).append(order.ends_at)
        orders.setdefault(order.area_id, []).append(order)
    clashes = []
    for booking in bookings:
        area_orders = orders.get(booking.area_id)
        if not area_orders:
            continue
        # Stored bookings of one area do not overlap one another, so ordered by their end they are
        # ordered by their start too: the first that ends after this row starts is the one to test.
        index = bisect_right(ends[booking.area_id], booking.starts_at)
        for order in area_orders[index:]:
            if order.starts_at < booking.ends_at and order.ends_at > booking.starts_at:
                clashes.append((booking.row, overlap_message(order)))
                break
            if order.starts_at >= booking.ends_at:
                break
    return sorted(clashes)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def bookings_between(area, first: datetime.date, last: datetime.date):
    """The live work orders of ``area`` that touch the local days ``first`` to ``last``, in one query."""
    return (
        WorkOrder.objects.filter(
            area=area,
            starts_at__lt=local_midnight(last + datetime.timedelta(days=1)),
            ends_at__gt=local_midnight(first),
        )
        .select_related("requester_person", "requester_organisation")
        .order_by("starts_at", "id")
    )


class CalendarPeriodError(ValueError):
    """A ``week`` or ``month`` parameter of the calendar page that names no period."""


@dataclass
class CalendarPeriod:
    """The days a calendar page shows, and the links to the periods before and after."""

    kind: str  # "week" or "month"
    first: datetime.date
    last: datetime.date
    label: str
    previous: str  # query string of the previous period
    following: str

    @property
    def days(self) -> list[datetime.date]:
        return [self.first + datetime.timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def calendar_period(week: str = "", month: str = "", today: datetime.date | None = None) -> CalendarPeriod:
    """The period a calendar page asks for: ``week=2026-W12`` (ISO week) or ``month=2026-03``;
    neither gives the current week. A value that names no period raises ``CalendarPeriodError``."""
    today = today or timezone.localdate()
    if month:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2999:
            raise CalendarPeriodError(_("月份格式应为 2026-03：%(v)s") % {"v": month[:20]})
        first = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        return CalendarPeriod(
            "month",
            first,
            following - datetime.timedelta(days=1),
            _("%(y)d 年 %(m)d 月") % {"y": first.year, "m": first.month},
            f"month={previous:%Y-%m}",
            f"month={following:%Y-%m}",
        )
    if week:
        match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", week.strip(), flags=re.IGNORECASE)
        try:
            if not match or not 1900 <= int(match.group(1)) <= 2999:
                raise ValueError
            first = datetime.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError as exc:
            raise CalendarPeriodError(_("周的格式应为 2026-W12：%(v)s") % {"v": week[:20]}) from exc
    else:
        first = today - datetime.timedelta(days=today.weekday())
    last = first + datetime.timedelta(days=6)
    year, number, _weekday = first.isocalendar()
    before = (first - datetime.timedelta(days=7)).isocalendar()
    after = (first + datetime.timedelta(days=7)).isocalendar()
    return CalendarPeriod(
        "week",
        first,
        last,
        _("%(y)d 年第 %(w)d 周（%(a)s 至 %(b)s）")
        % {"y": year, "w": number, "a": first.isoformat(), "b": last.isoformat()},
        f"week={before[0]}-W{before[1]:02d}",
        f"week={after[0]}-W{after[1]:02d}",
    )


@dataclass
class CalendarDay:
    day: datetime.date
    bookings: list = field(default_factory=list)


def area_calendar(area, period: CalendarPeriod) -> list[CalendarDay]:
    """Each day of ``period`` with the bookings that touch it (a multi-day booking is listed on
    each of its days). One query whatever the number of bookings."""
    days = {day: CalendarDay(day) for day in period.days}
    for booking in bookings_between(area, period.first, period.last):
        first = max(local_date(booking.starts_at), period.first)
        # A booking ending at midnight does not occupy the day that starts then.
        last = min(local_date(booking.ends_at - datetime.timedelta(microseconds=1)), period.last)
        day = first
        while day <= last:
            days[day].bookings.append(booking)
            day += datetime.timedelta(days=1)
    return list(days.values())


# ---------------------------------------------------------------------------------------------------
# Events


def sales_problem(kind: str, sales_amount, held_on) -> str | None:
    if sales_amount is None:
        return None
    if kind and kind != EventKind.MATCHMAKING:
        return _("只有产销对接会记录销售额；其他活动请留空")
    if held_on and held_on > timezone.localdate():
        return _("活动尚未举办（%(d)s），不能填写销售额") % {"d": held_on.isoformat()}
    return None


# ---------------------------------------------------------------------------------------------------
# Incubation


def recipient_problem(person_id, organisation_id) -> str | None:
    if person_id and organisation_id:
        return _("服务对象只能是一家企业或一个人：请只选择其中一项")
    if not person_id and not organisation_id:
        return _("请选择服务对象：一家企业或一个人")
    return None


def follow_up_date_problem(provided_on, held_on) -> str | None:
    if provided_on and held_on and held_on < provided_on:
        return _("跟踪指导日期不能早于孵化服务日期（%(d)s）") % {"d": provided_on.isoformat()}
    return None


# ---------------------------------------------------------------------------------------------------
# Field surveys


def survey_problems(subject, station_id, surveyed_on, plan, status, due) -> dict[str, str]:
    """{field: message} of what is wrong with a survey's subject, station and plan."""
    problems = {}
    if subject == SurveySubject.STATION and not station_id:
        problems["station"] = _("调研板块为「站点」时，请选择调研的站点")
    if status in (PlanStatus.IN_PROGRESS, PlanStatus.DONE) and not (plan or "").strip():
        problems["improvement_plan"] = _("方案状态为「%(s)s」时，请填写服务提升方案") % {
            "s": PlanStatus(status).label
        }
    if due and surveyed_on and due < surveyed_on:
        problems["plan_due"] = _("计划完成日期不能早于调研日期（%(d)s）") % {"d": surveyed_on.isoformat()}
    return problems


# ---------------------------------------------------------------------------------------------------
# The centre at a glance


@dataclass
class CentreOverview:
    """A centre against the contract's venue obligation: its floor area (≥ 1,200 m²), which of
    the nine functions have an area, and the areas' own floor areas."""

    centre: ServiceCentre
    areas: list
    areas_floor_area: Decimal
    missing_kinds: list[str]  # labels of the functions without an area

    @property
    def meets_floor_area(self) -> bool:
        return self.centre.floor_area >= ServiceCentre.REQUIRED_FLOOR_AREA

    @property
    def has_all_functions(self) -> bool:
        return not self.missing_kinds


def centre_overviews() -> list[CentreOverview]:
    """Every live centre with its live areas, annotated with each area's work-order count: three
    queries whatever the number of centres and areas."""
    centres = list(ServiceCentre.objects.all())
    areas = (
        FunctionalArea.objects.filter(centre__in=centres)
        .annotate(order_count=Count("work_orders", filter=Q(work_orders__deleted_at__isnull=True)))
        .order_by("centre", "kind", "code")
    )
    by_centre: dict[int, list] = {}
    for area in areas:
        by_centre.setdefault(area.centre_id, []).append(area)
    overviews = []
    for centre in centres:
        own = by_centre.get(centre.pk, [])
        present = {a.kind for a in own}
        overviews.append(
            CentreOverview(
                centre=centre,
                areas=own,
                areas_floor_area=sum((a.floor_area or Decimal(0) for a in own), Decimal(0)),
                missing_kinds=[
                    str(label) for kind, label in FunctionalAreaKind.choices if kind not in present
                ],
            )
        )
    return overviews
