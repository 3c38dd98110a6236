"""What training contributes to the contract engine (contract 3, and 2.4's standardisation trainings).

Every figure is one or two aggregate queries over the records of the contract and the window,
whatever the number of rows. The person-times and the trained people are read from stored figures
(``training.rollups``: per-session counts, ``TrainedPerson``), not from the attendance rows. Where a target requires evidence (``EVIDENCE_PARAM``, the kinds of file
it names), only records that carry it count (``engine.evidenced``); person-times are proved by the
session's sign-in sheet and photos, so an attendance counts when its session carries them.

- ``training.person_times`` (``levels``, ``audiences``): attendance in the window, of sessions not
  deleted; ``training.poor_household_share``: the poor households' share of them, in percent;
- ``training.conversion_rate``: of the people trained by the window's end, the share with an outcome
  (selling online, employed at an e-commerce firm, influencer) recorded by then;
- ``training.million_yuan_merchants`` (``min_sales``): people whose yearly online sales reached
  ``min_sales`` in a year overlapping the window; ``training.placements`` and
  ``training.influencers``: people employed / become influencers, as recorded in the window;
- ``training.follow_up_visits``, ``training.merchant_census``, ``training.analysis_reports``: records
  dated in the window; ``standards.trainings``: sessions on the trade standard held in the window.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from muxiang.contracts.engine import EVIDENCE_PARAM, evidenced, memo, records_of, register
from muxiang.training import services
from muxiang.training.choices import TrainingTopic
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    TrainedPerson,
    TraineeOutcome,
    TrainingSession,
)

MILLION = Decimal(1_000_000)
CONVERTED = Q(sells_online=True) | Q(employed=True) | Q(influencer=True)


def _last_day(window):
    return min(window.end, window.as_of)


def _session_filters(params, prefix: str = "") -> Q:
    """The target's ``levels`` and ``audiences``, on sessions (``prefix`` "session__" from attendance)."""
    condition = Q()
    if params.get("levels"):
        condition &= Q(**{f"{prefix}level__in": list(params["levels"])})
    if params.get("audiences"):
        # JSON containment is not available on SQLite; the audience list is small and quoted.
        any_audience = Q()
        for audience in params["audiences"]:
            any_audience |= Q(**{f"{prefix}audiences__icontains": f'"{audience}"'})
        condition &= any_audience
    return condition


def counted_attendance(window, params, contract):
    """The person-times a window counts: live attendance of live sessions held in the window (and,
    where the target requires evidence, carrying it: the sign-in sheet and photos are the
    session's). The records behind the figure; the figure itself sums the sessions' stored counts
    (``person_time_figures``)."""
    rows = Attendance.objects.filter(
        _session_filters(params, "session__"),
        session__contract=contract,
        session__deleted_at__isnull=True,
        **window.date_filter("session__held_on"),
    )
    if params.get(EVIDENCE_PARAM):
        sessions = TrainingSession.objects.filter(contract=contract, **window.date_filter("held_on"))
        rows = rows.filter(session_id__in=evidenced(sessions, params).values("pk"))
    return rows


def person_time_figures(window, params, contract) -> dict:
    """{"total", "poor"}: the person-times of ``counted_attendance`` and those of poor households,
    summed over the sessions' stored counts (``training.rollups``): 2,500 sessions read instead of
    250,000 attendance rows. Person-times and the poor share of one window share the sums."""
    key = (
        "training.person_times",
        contract.pk,
        window.start,
        min(window.end, window.as_of),
        tuple(params.get("levels") or ()),
        tuple(params.get("audiences") or ()),
        tuple(params.get(EVIDENCE_PARAM) or ()),
    )

    def compute():
        sessions = TrainingSession.objects.filter(
            _session_filters(params), contract=contract, **window.date_filter("held_on")
        )
        figures = evidenced(sessions, params).aggregate(
            total=Sum("attendance_count"), poor=Sum("poor_attendance_count")
        )
        return {"total": figures["total"] or 0, "poor": figures["poor"] or 0}

    return memo(key, compute)


def counted_sessions(window, params, contract):
    """The sessions behind the person-times, each with its person-times: their sign-in sheets are
    the evidence a reader checks."""
    sessions = TrainingSession.objects.filter(
        _session_filters(params), contract=contract, **window.date_filter("held_on")
    )
    return services.with_attendance_counts(sessions).filter(person_times__gt=0)


@register("training.person_times")
def person_times(window, params, contract):
    return person_time_figures(window, params, contract)["total"]


@records_of("training.person_times")
def person_times_sessions(window, params, contract):
    return counted_sessions(window, params, contract)


@register("training.poor_household_share")
def poor_household_share(window, params, contract):
    """Percent of the window's person-times from poor households; None (not measurable yet) when
    there are no person-times, never 0/0."""
    figures = person_time_figures(window, params, contract)
    return services.poor_share(figures["total"], figures["poor"])


@records_of("training.poor_household_share")
def poor_household_sessions(window, params, contract):
    return counted_sessions(window, params, contract)


def _trained_people(window, contract):
    """The people trained under the contract by the window's end: the stored first training day of
    each (``TrainedPerson``, kept from the live attendance of live sessions)."""
    return TrainedPerson.objects.filter(contract=contract, first_trained_on__lte=_last_day(window))


def _converted_outcomes(window, params, contract):
    # One probe of TrainedPerson's unique (contract, person) index per outcome: cheaper than
    # "person_id IN (the people trained)", which SQLite materialises for every count.
    trained = _trained_people(window, contract).filter(person_id=OuterRef("person_id"))
    outcomes = TraineeOutcome.objects.filter(
        CONVERTED, Exists(trained), contract=contract, recorded_on__lte=_last_day(window)
    )
    return evidenced(outcomes, params)


@register("training.conversion_rate")
def conversion_rate(window, params, contract):
    """Percent of the people trained under the contract by the window's end (any session up to
    then) who sell online, work at an e-commerce firm or became influencers by then. None when
    nobody was trained yet."""
    # The phase that is running and the whole contract end on the same day: one count for both.
    trained = memo(
        ("training.trained", contract.pk, _last_day(window)),
        lambda: _trained_people(window, contract).count(),
    )
    if not trained:
        return None
    converted = _converted_outcomes(window, params, contract).aggregate(n=Count("person_id", distinct=True))[
        "n"
    ]
    return (Decimal(converted) * 100 / trained).quantize(Decimal("0.01"))


@records_of("training.conversion_rate")
def converted_outcomes(window, params, contract):
    return _converted_outcomes(window, params, contract).select_related("person")


def _million_outcomes(window, params, contract):
    threshold = Decimal(str(params.get("min_sales", MILLION)))
    outcomes = TraineeOutcome.objects.filter(
        contract=contract,
        year__gte=window.start.year,
        year__lte=_last_day(window).year,
        annual_online_sales__gte=threshold,
    )
    return evidenced(outcomes, params)


@register("training.million_yuan_merchants")
def million_yuan_merchants(window, params, contract):
    """People whose online sales of a year overlapping the window reached ``min_sales`` (default
    1,000,000 yuan): the year's figure is known only after the year, so its recording date does not
    matter."""
    return _million_outcomes(window, params, contract).aggregate(n=Count("person_id", distinct=True))["n"]


@records_of("training.million_yuan_merchants")
def million_yuan_outcomes(window, params, contract):
    return _million_outcomes(window, params, contract).select_related("person")


def _recorded_outcomes(window, params, contract, condition: Q):
    outcomes = TraineeOutcome.objects.filter(
        condition, contract=contract, **window.date_filter("recorded_on")
    )
    return evidenced(outcomes, params)


@register("training.placements")
def placements(window, params, contract):
    """People recorded in the window as employed at an e-commerce firm."""
    outcomes = _recorded_outcomes(window, params, contract, Q(employed=True))
    return outcomes.aggregate(n=Count("person_id", distinct=True))["n"]


@records_of("training.placements")
def placement_outcomes(window, params, contract):
    return _recorded_outcomes(window, params, contract, Q(employed=True)).select_related("person")


@register("training.influencers")
def influencers(window, params, contract):
    """People recorded in the window as online influencers."""
    outcomes = _recorded_outcomes(window, params, contract, Q(influencer=True))
    return outcomes.aggregate(n=Count("person_id", distinct=True))["n"]


@records_of("training.influencers")
def influencer_outcomes(window, params, contract):
    return _recorded_outcomes(window, params, contract, Q(influencer=True)).select_related("person")


def _visits(window, params, contract):
    visits = FollowUpVisit.objects.filter(contract=contract, **window.date_filter("visited_on"))
    return evidenced(visits, params)


@register("training.follow_up_visits")
def follow_up_visits(window, params, contract):
    return _visits(window, params, contract).count()


@records_of("training.follow_up_visits")
def follow_up_visit_records(window, params, contract):
    return _visits(window, params, contract).select_related("person", "organisation")


def _censuses(window, params, contract):
    censuses = MerchantCensus.objects.filter(contract=contract, **window.date_filter("counted_on"))
    return evidenced(censuses, params)


@register("training.merchant_census")
def merchant_census(window, params, contract):
    return _censuses(window, params, contract).count()


@records_of("training.merchant_census")
def merchant_census_records(window, params, contract):
    return _censuses(window, params, contract)


def _analyses(window, params, contract):
    analyses = FeedbackAnalysis.objects.filter(contract=contract, **window.date_filter("written_on"))
    return evidenced(analyses, params)


@register("training.analysis_reports")
def analysis_reports(window, params, contract):
    return _analyses(window, params, contract).count()


@records_of("training.analysis_reports")
def analysis_report_records(window, params, contract):
    return _analyses(window, params, contract)


def _standards_sessions(window, params, contract):
    sessions = TrainingSession.objects.filter(
        contract=contract, topic=TrainingTopic.STANDARDS, **window.date_filter("held_on")
    )
    return evidenced(sessions, params)


@register("standards.trainings")
def standards_trainings(window, params, contract):
    """Sessions on the trade standard (contract 2.4: 农产品网销标准化培训) held in the window."""
    return _standards_sessions(window, params, contract).count()


@records_of("standards.trainings")
def standards_training_sessions(window, params, contract):
    return _standards_sessions(window, params, contract)
