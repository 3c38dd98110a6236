"""The centre's list pages and exports cost the same queries for 3 records as for 30 (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muxiang.centre.models import FunctionalArea
from muxiang.centre.tests.conftest import (
    at,
    make_event,
    make_follow_up,
    make_income,
    make_incubation,
    make_service,
    make_survey,
    make_work_order,
)
from muxiang.core.testing import api_list_paths, assert_list_cost_is_constant

LISTS = ["centre", "area", "workorder", "event", "incubation", "followup", "survey", "service", "income"]


@pytest.fixture
def build(contract, centre, station, organisation, person):
    def _build(first, count):
        service = make_service(f"增值服务{first}")
        for n in range(first, first + count):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
            area = FunctionalArea.objects.create(
                centre=centre, code=f"A-{n}", kind="training", name=f"教室{n}"
            )
            make_work_order(
                contract,
                area,
                at(day, 9),
                at(day, 10),
                requester_person=person if n % 2 else None,
                requester_organisation=organisation if n % 3 == 0 else None,
            )
            make_event(contract, kind="matchmaking", sales="12000", held_on=day)
            incubation = make_incubation(
                contract,
                organisation=organisation if n % 2 else None,
                person=None if n % 2 else person,
                provided_on=day,
                directed=True,
            )
            make_follow_up(incubation, held_on=day)
            make_survey(contract, station=station, surveyed_on=day)
            make_income(contract, service, received_on=day)

    return _build


@pytest.mark.parametrize("route", [f"{name}-list" for name in LISTS] + [f"{name}-export" for name in LISTS])
def test_the_page_costs_the_same_queries_for_3_and_30_records(login, auditor, build, route):
    client = login(auditor)
    url = reverse(f"centre:{route}")
    build(0, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    build(3, 27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), route


def test_the_overview_costs_the_same_queries_for_3_and_30_areas(login, auditor, build):
    client = login(auditor)
    build(0, 3)
    client.get(reverse("centre:overview"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("centre:overview"))
    build(3, 27)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("centre:overview"))
    assert len(many) == len(few)


@pytest.mark.parametrize("path", api_list_paths("/api/centre/"))
def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
    # The centre is one record, and one service is built per call: those lists are not counted.
    counts = None if path.endswith(("/centres/", "/services/")) else (3, 30)
    assert_list_cost_is_constant(client, api_token(auditor), path, build, counts)
