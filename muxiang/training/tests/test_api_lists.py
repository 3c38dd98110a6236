"""The training API's lists cost the same queries for 3 records as for 30: no N+1 in a schema's
resolver (the pages' own guard is test_records.test_list_pages_cost_the_same_queries_…)."""

import datetime
from decimal import Decimal

import pytest

from muxiang.core.testing import api_list_paths, assert_list_cost_is_constant
from muxiang.people.models import Person
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    Textbook,
    TraineeOutcome,
    TrainingSession,
)
from muxiang.training.tests.conftest import (
    make_analysis,
    make_attendance,
    make_census,
    make_outcome,
    make_session,
    make_textbook,
    make_visit,
)

PREFIX = "/api/training/"

# What each list of the API shows. A list the schema has and this does not fails below: a new
# route needs its records built here, so that it is guarded too.
LISTED = {
    "/api/training/sessions/": TrainingSession,
    "/api/training/attendance/": Attendance,
    "/api/training/outcomes/": TraineeOutcome,
    "/api/training/follow-ups/": FollowUpVisit,
    "/api/training/textbooks/": Textbook,
    "/api/training/merchant-census/": MerchantCensus,
    "/api/training/feedback-analyses/": FeedbackAnalysis,
}

# Lists known to cost a query per row: path -> why (the field of the Out schema that queries).
N_PLUS_ONE: dict[str, str] = {}


def api_lists():
    return api_list_paths(PREFIX)


def cases():
    return [
        pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=N_PLUS_ONE[path]))
        if path in N_PLUS_ONE
        else path
        for path in api_lists()
    ]


@pytest.fixture
def build(contract, station, other_station, town, organisation, other_organisation):
    """``build(first, count)``: ``count`` records of every kind, every relation filled (a session at
    a station, its attendance, a trainee's outcome, a visit to a trainee and a business …)."""

    def _build(first, count):
        people = Person.objects.bulk_create(
            Person(
                name=f"学员{n}",
                mobile=f"1390000{n:04d}",
                poor_household=bool(n % 2),
                region=town,
                station=station if n % 2 else other_station,
                organisation=organisation if n % 2 else other_organisation,
            )
            for n in range(first, first + count)
        )
        for n, person in zip(range(first, first + count), people, strict=True):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
            session = make_session(
                contract,
                code=f"PX-API-{n:03d}",
                held_on=day,
                station=station if n % 2 else other_station,
                notes=f"第{n}场",
            )
            make_attendance(session, person)
            make_outcome(
                contract,
                person,
                recorded_on=day,
                sells_online=True,
                shop=f"网店{n}",
                employed=True,
                employer="牧歌电商",
                influencer=True,
                account=f"抖音 @学员{n}",
                annual_online_sales=Decimal("12000.00"),
                notes="好",
            )
            make_visit(
                contract,
                person=person,
                organisation=organisation if n % 2 else other_organisation,
                visited_on=day,
                visitor="李强",
                help_given="指导直播",
            )
            make_textbook(contract, version=f"第{n + 1}版", published_on=day)
            # One count a year, each with the year before it (the annotated previous_count).
            make_census(contract, year=2026 - n, counted_on=datetime.date(2026 - n, 3, 1))
            make_analysis(contract, written_on=day)

    return _build


def test_every_kind_the_schema_lists_has_its_builder():
    assert api_lists(), f"the schema has no list under {PREFIX}"
    assert set(api_lists()) == set(LISTED)


@pytest.mark.parametrize("path", cases())
def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
    assert path in LISTED, f"{path}: no builder makes its records (add it to LISTED and to build)"
    assert_list_cost_is_constant(client, api_token(auditor), path, build)
