"""What the service centre contributes to the contract engine (sections 1.1, 2.3, 2.5 and 3 三).

Every figure is one aggregate query over the contract's live records dated in the window (both
ends included, local dates); with the target's evidence requirement only records carrying
evidence count. The ``@records_of`` functions give the records behind each figure.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q, Sum

from muxiang.centre.choices import EventKind, RecipientKind
from muxiang.centre.models import (
    Event,
    FieldSurvey,
    IncubationFollowUp,
    IncubationService,
    ServiceIncome,
    WorkOrder,
)
from muxiang.centre.services import local_midnight
from muxiang.contracts.engine import evidenced, records_of, register


def _listed(params: dict, name: str) -> list[str] | None:
    """A list parameter (``kinds = ["salon", "seminar"]``); a single value is a list of one; absent
    means no restriction."""
    value = params.get(name)
    if value is None:
        return None
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _dated(queryset, window, field: str):
    return queryset.filter(**window.date_filter(field))


def _started_in(queryset, window):
    """Work orders that start on a local day of the window: compared as timestamps against local
    midnights, so the index on (contract, starts_at) serves it."""
    last = min(window.end, window.as_of)
    return queryset.filter(
        starts_at__gte=local_midnight(window.start),
        starts_at__lt=local_midnight(last + datetime.timedelta(days=1)),
    )


# --- 1.1 events -----------------------------------------------------------------------------------


def events(window, params, contract):
    queryset = _dated(Event.objects.filter(contract=contract), window, "held_on")
    kinds = _listed(params, "kinds")
    return queryset.filter(kind__in=kinds) if kinds is not None else queryset


@register("centre.events")
def event_count(window, params, contract):
    """Events of every kind (or of ``kinds``) held in the window: salons, seminars, matchmaking
    fairs … (the contract's list is open, so a fair counts here whatever its sales)."""
    return evidenced(events(window, params, contract), params).count()


records_of("centre.events")(events)


# --- 1.1 work orders ------------------------------------------------------------------------------


def work_orders(window, params, contract):
    queryset = _started_in(WorkOrder.objects.filter(contract=contract), window)
    areas = _listed(params, "areas")
    queryset = queryset.filter(area__kind__in=areas) if areas is not None else queryset
    return queryset.select_related("area")


@register("centre.work_orders")
def work_order_count(window, params, contract):
    """Uses of the functional areas (of ``areas``, area kinds, when given): work orders that start
    in the window."""
    return evidenced(work_orders(window, params, contract), params).count()


records_of("centre.work_orders")(work_orders)


# --- 1.1 incubation -------------------------------------------------------------------------------


def incubations(window, params, contract, directed: bool | None = None):
    queryset = _dated(IncubationService.objects.filter(contract=contract), window, "provided_on")
    if directed is not None:
        queryset = queryset.filter(directed=directed)
    kinds = _listed(params, "kinds")
    if kinds is not None:
        wanted = Q(pk__in=[])
        if RecipientKind.ENTERPRISE in kinds:
            wanted |= Q(recipient_organisation__isnull=False)
        if RecipientKind.PERSON in kinds:
            wanted |= Q(recipient_person__isnull=False)
        queryset = queryset.filter(wanted)
    return queryset


def _distinct_recipients(queryset) -> int:
    """Enterprises and persons served, each counted once: one query, two distinct counts (an
    incubation has exactly one of the two)."""
    counts = queryset.aggregate(
        enterprises=Count("recipient_organisation", distinct=True),
        persons=Count("recipient_person", distinct=True),
    )
    return counts["enterprises"] + counts["persons"]


@register("centre.incubated_recipients")
def incubated_recipients(window, params, contract):
    """Distinct enterprises and persons that received an incubation service in the window.
    ``kinds`` narrows to ``["enterprise"]`` (organisations) or ``["person"]`` (persons)."""
    return _distinct_recipients(evidenced(incubations(window, params, contract), params))


@records_of("centre.incubated_recipients")
def incubated_recipient_records(window, params, contract):
    return incubations(window, params, contract).select_related("recipient_person", "recipient_organisation")


@register("training.directed_incubations")
def directed_incubations(window, params, contract):
    """Distinct enterprises and persons given a directed incubation (定向孵化) in the window."""
    return _distinct_recipients(evidenced(incubations(window, params, contract, directed=True), params))


@records_of("training.directed_incubations")
def directed_incubation_records(window, params, contract):
    return incubations(window, params, contract, directed=True).select_related(
        "recipient_person", "recipient_organisation"
    )


def directed_follow_ups(window, params, contract):
    # A follow-up of a deleted incubation no longer stands for guidance of anyone.
    return _dated(
        IncubationFollowUp.objects.filter(
            contract=contract, incubation__directed=True, incubation__deleted_at__isnull=True
        ),
        window,
        "held_on",
    )


@register("training.follow_up_guidance")
def follow_up_guidance(window, params, contract):
    """Follow-up guidance sessions of directed incubations held in the window."""
    return evidenced(directed_follow_ups(window, params, contract), params).count()


records_of("training.follow_up_guidance")(directed_follow_ups)


# --- 1.1 field surveys ----------------------------------------------------------------------------


def field_surveys(window, params, contract):
    queryset = _dated(FieldSurvey.objects.filter(contract=contract), window, "surveyed_on")
    subjects = _listed(params, "subjects")
    return queryset.filter(subject__in=subjects) if subjects is not None else queryset


@register("centre.field_surveys")
def field_survey_count(window, params, contract):
    """Field surveys (of ``subjects`` when given) made in the window."""
    return evidenced(field_surveys(window, params, contract), params).count()


records_of("centre.field_surveys")(field_surveys)


# --- 1.1 the market mechanism ---------------------------------------------------------------------


def incomes(window, params, contract):
    return _dated(ServiceIncome.objects.filter(contract=contract), window, "received_on").select_related(
        "service"
    )


@register("centre.value_added_income")
def value_added_income(window, params, contract):
    """Yuan received for value-added services in the window."""
    total = evidenced(incomes(window, params, contract), params).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


records_of("centre.value_added_income")(incomes)


# --- 2.3 and 2.5 events ---------------------------------------------------------------------------


def matchmaking_fairs(window, params, contract):
    try:
        floor = Decimal(str(params.get("min_sales", Event.MIN_FAIR_SALES)))
    except InvalidOperation:
        floor = Event.MIN_FAIR_SALES
    return _dated(
        Event.objects.filter(contract=contract, kind=EventKind.MATCHMAKING, sales_amount__gte=floor),
        window,
        "held_on",
    )


@register("sales.matchmaking_fairs")
def matchmaking_fair_count(window, params, contract):
    """Matchmaking fairs (产销对接会) held in the window whose sales reach ``min_sales`` yuan
    (10,000 when the target does not say); a fair without sales recorded does not count."""
    return evidenced(matchmaking_fairs(window, params, contract), params).count()


records_of("sales.matchmaking_fairs")(matchmaking_fairs)


def launch_events(window, params, contract):
    return _dated(Event.objects.filter(contract=contract, kind=EventKind.BRAND_LAUNCH), window, "held_on")


@register("brands.launch_events")
def launch_event_count(window, params, contract):
    """Brand launches (品牌发布会) held in the window."""
    return evidenced(launch_events(window, params, contract), params).count()


records_of("brands.launch_events")(launch_events)
