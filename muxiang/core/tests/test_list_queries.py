"""Query-count guards: every list page, every API list, the home page and the coverage page cost the
same number of queries for 5 records as for 50. A column that reaches through a relation without
``select_related`` (an N+1) shows up here as a count that grows with the rows."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.core.models import ObjectChange
from muxiang.core.validators import make_credit_code, make_id_number
from muxiang.organisations.models import Organisation
from muxiang.people.models import Person
from muxiang.regions.models import Region
from muxiang.stations.models import Station

# --- building rows in bulk: rows ``start`` .. ``start + count - 1``, every relation filled -----------


def add_regions(world, start, count):
    parent = world.other_town
    Region.objects.bulk_create(
        Region(
            name=f"测试村{i}",
            level="village",
            parent=parent,
            path=f"{parent.path}/测试村{i}",
            exited_poverty=i % 2 == 0,
            opened_on=datetime.date(2020, 1, 1),
        )
        for i in range(start, start + count)
    )


def add_stations(world, start, count):
    Station.objects.bulk_create(
        Station(
            code=f"Q-{i:03d}",
            name=f"测试站{i}",
            level="village",
            region=world.village,
            manager=world.person,
            phone="13900000000",
            status="active",
            opened_on=datetime.date(2024, 1, 1),
            services=["parcels"],
            is_premium=i % 3 == 0,
        )
        for i in range(start, start + count)
    )


def add_organisations(world, start, count):
    Organisation.objects.bulk_create(
        Organisation(
            name=f"测试组织{i}",
            kind="cooperative",
            credit_code=make_credit_code(f"93150824MA0Q{i:05d}"),
            region=world.town,
            station=world.station,
            contact_name="联系人",
            contact_phone="13900000000",
        )
        for i in range(start, start + count)
    )


def add_people(world, start, count):
    Person.objects.bulk_create(
        Person(
            name=f"测试人员{i}",
            id_number=make_id_number("150824", datetime.date(1980, 1, 1) + datetime.timedelta(days=i), i),
            mobile=f"139{i:08d}",
            kinds=["trainee", "contact"],
            poor_household=i % 2 == 0,
            region=world.town,
            station=world.station,
            organisation=world.organisation,
        )
        for i in range(start, start + count)
    )


def add_changes(world, start, count):
    person_type = ContentType.objects.get_for_model(Person)
    old, new = world.person.id_number, make_id_number("150824", datetime.date(1990, 2, 2), 77)
    ObjectChange.objects.bulk_create(
        ObjectChange(
            user=world.staff,
            user_name=world.staff.username,
            source="web",
            action="update",
            content_type=person_type,
            object_id=world.person.pk,
            object_repr=f"{world.person.name}{i}",
            before={"id_number": old, "name": f"旧名{i}", "station_id": None},
            after={"id_number": new, "name": f"新名{i}", "station_id": world.station.pk},
        )
        for i in range(start, start + count)
    )


def add_towns_with_stations(world, start, count):
    """Towns, each with a village and an active station in both: what coverage and home count."""
    county = world.county
    towns = Region.objects.bulk_create(
        Region(name=f"测试镇{i}", level="town", parent=county, path=f"{county.path}/测试镇{i}")
        for i in range(start, start + count)
    )
    villages = Region.objects.bulk_create(
        Region(
            name=f"测试嘎查{i}",
            level="village",
            parent=town,
            path=f"{town.path}/测试嘎查{i}",
            exited_poverty=i % 2 == 0,
        )
        for i, town in zip(range(start, start + count), towns, strict=True)
    )
    opened = datetime.date(2024, 1, 1)
    Station.objects.bulk_create(
        [
            Station(
                code=f"T-{i:03d}",
                name=f"测试镇站{i}",
                level="town",
                region=town,
                status="active",
                opened_on=opened,
            )
            for i, town in zip(range(start, start + count), towns, strict=True)
        ]
        + [
            Station(
                code=f"V-{i:03d}",
                name=f"测试村站{i}",
                level="village",
                region=village,
                status="active",
                opened_on=opened,
            )
            for i, village in zip(range(start, start + count), villages, strict=True)
        ]
    )


def add_home_rows(world, start, count):
    add_towns_with_stations(world, start, count)
    add_organisations(world, start, count)
    add_people(world, start, count)


# --- measuring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url: str
    add: Callable  # (world, start, count) -> None
    shown: Callable  # response -> how many of the records the response shows
    api: bool = False


def add_contracts(world, start, count):
    from muxiang.contracts.models import Contract, Phase

    contracts = Contract.objects.bulk_create(
        Contract(
            key=f"c-{i}",
            name=f"合同{i}",
            county_name="乌拉特中旗",
            client_name="甲",
            operator_name="乙",
            total_amount=100,
        )
        for i in range(start, start + count)
    )
    Phase.objects.bulk_create(
        Phase(contract=c, number=1, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
        for c in contracts
    )


def listed_rows(response) -> int:
    return len(response.context["page"].object_list)


def api_items(response) -> int:
    return len(response.json()["items"])


def api_list(response) -> int:
    return len(response.json())


def home_people(response) -> int:
    return response.context["people"]


def coverage_towns(response) -> int:
    return len(response.context["towns"])


PAGES = {
    "stations": Page("/stations/?per_page=100", add_stations, listed_rows),
    "people": Page("/people/?per_page=100", add_people, listed_rows),
    "organisations": Page("/organisations/?per_page=100", add_organisations, listed_rows),
    "regions": Page("/regions/?per_page=100", add_regions, listed_rows),
    # Only the rows added here (updates): the fixtures' own creations reference other kinds of
    # records, whose names cost one query per kind, not per row.
    "audit": Page("/audit/?action=update", add_changes, listed_rows),
    "home": Page("/", add_home_rows, home_people),
    "coverage": Page("/stations/coverage/", add_towns_with_stations, coverage_towns),
    "api stations": Page("/api/stations/?limit=100", add_stations, api_items, api=True),
    "api people": Page("/api/people/?limit=100", add_people, api_items, api=True),
    "api organisations": Page("/api/organisations/?limit=100", add_organisations, api_items, api=True),
    "api regions": Page("/api/regions/?limit=100", add_regions, api_items, api=True),
    "api contracts": Page("/api/contracts/", add_contracts, api_list, api=True),
}

# Who looks: the operator sees every row; the manager and the supervisor go through scoping and
# ID masking, so their paths are measured where they see the rows.
CASES = [
    *[pytest.param(name, "staff", id=f"{name}-staff") for name in PAGES],
    *[
        pytest.param(name, "manager", id=f"{name}-manager")
        for name in ("people", "organisations", "home", "api people", "api organisations")
    ],
    *[
        pytest.param(name, "client_supervisor", id=f"{name}-client_supervisor")
        for name in ("people", "audit", "coverage", "api people")
    ],
]


SELF_GUARDED = (
    "/api/funds/",
    "/api/centre/",
    "/api/publicity/",
    "/api/training/",
    "/api/operations/",
    "/api/mofcom/",
    "/api/supply/",
    "/api/network/",
    "/api/sales/",
    "/api/brands/",
    "/api/standards/",
    "/api/trace/",
    "/api/reports/",
)


def test_every_list_endpoint_is_guarded():
    from muxiang.api import api

    # A contract's progress is one contract's figures, not a list of records: its query count is
    # guarded with the dashboard (muxiang/contracts/tests); the lists of the apps of several ledgers
    # are guarded in their own tests (muxiang/<app>/tests).
    api_lists = {
        path
        for path in api.get_openapi_schema()["paths"]
        if "{pk}" not in path and not path.endswith("/progress") and not path.startswith(SELF_GUARDED)
    }
    guarded = {page.url.split("?")[0] for page in PAGES.values()}
    assert api_lists <= guarded
    assert {"/stations/", "/people/", "/organisations/", "/regions/", "/audit/", "/"} <= guarded


def measure(client, page: Page, headers: dict):
    # A first request warms what is cached per process or per minute (content types, the demo flag,
    # the token's last-used time), so both measurements see the same steady state.
    client.get(page.url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url, **headers)
    assert response.status_code == 200, response.content.decode()[:500]
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("name, persona", CASES)
def test_page_costs_the_same_number_of_queries_for_5_records_as_for_50(
    client, api_token, world, name, persona
):
    # given
    page = PAGES[name]
    user = getattr(world, persona)
    headers = api_token(user) if page.api else {}
    if not page.api:
        client.force_login(user)
    # when
    page.add(world, 0, 5)
    few_response, few = measure(client, page, headers)
    page.add(world, 5, 45)
    many_response, many = measure(client, page, headers)
    # then
    assert page.shown(many_response) > page.shown(few_response), "the page should show the new rows"
    extra = "\n".join(sql for sql in many if sql not in few) or "\n".join(many)
    assert len(many) == len(few), f"{len(few)} queries for 5 rows, {len(many)} for 50:\n{extra}"
