"""The permission promises of ``muxiang.core.permissions``, proved on every route of the REST API.

Routes are read from the API's own OpenAPI schema, and the schema is checked against Django's URL
patterns, so a route added to the API is either driven by the matrices below or fails
``test_every_api_route_is_one_these_tests_know_how_to_call``.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from muxiang.accounts.services import revoke_api_token
from muxiang.api import api
from muxiang.core.validators import make_id_number, mask_id_number
from muxiang.organisations.models import Organisation
from muxiang.people.models import Person
from muxiang.regions.models import Region
from muxiang.stations.models import Station

REFUSED = {403, 404}


# --- the four ledgers of the API --------------------------------------------------------------------


@dataclass(frozen=True)
class ApiLedger:
    """How the tests drive one ledger's API routes."""

    name: str  # the URL segment: /api/<name>/
    model: type
    own: str  # attribute of ``world``: a record of 巴特尔's station (for regions: its town)
    other: str  # a record of 其其格's station (for regions: its village)
    changed: tuple[str, str]  # the field a PATCH changes, and its new value
    new_record: Callable  # (world, station) -> payload of a new record attached to ``station``
    lookup: dict  # finds the record ``new_record`` creates
    # What the promise lets a station manager do to their own station's rows, by operation.
    manager_may: frozenset[str]

    @property
    def scoped_by_station(self) -> bool:
        return self.name != "regions"


MANAGER_READS = frozenset({"list", "read"})

LEDGERS = [
    ApiLedger(
        name="regions",
        model=Region,
        own="town",
        other="village",
        changed=("name", "改名村"),
        new_record=lambda w, station: {"name": "新设村", "level": "village", "parent": w.other_town.pk},
        lookup={"name": "新设村"},
        manager_may=MANAGER_READS,
    ),
    ApiLedger(
        name="stations",
        model=Station,
        own="station",
        other="other_station",
        changed=("phone", "13900000099"),
        new_record=lambda w, station: {
            "code": "NEW-001",
            "name": "新建服务站",
            "level": "village",
            "region": w.village.pk,
            "status": "planned",
        },
        lookup={"code": "NEW-001"},
        manager_may=MANAGER_READS | {"update"},
    ),
    ApiLedger(
        name="organisations",
        model=Organisation,
        own="organisation",
        other="other_organisation",
        changed=("name", "改名合作社"),
        new_record=lambda w, station: {"name": "新建合作社", "kind": "cooperative", "station": station.pk},
        lookup={"name": "新建合作社"},
        manager_may=MANAGER_READS | {"create", "update"},
    ),
    ApiLedger(
        name="people",
        model=Person,
        own="person",
        other="other_person",
        changed=("name", "改名人"),
        new_record=lambda w, station: {
            "name": "新学员",
            "mobile": "13900000009",
            "kinds": ["trainee"],
            "station": station.pk,
        },
        lookup={"name": "新学员"},
        manager_may=MANAGER_READS | {"create", "update"},
    ),
]
LEDGER = {ledger.name: ledger for ledger in LEDGERS}
STATION_LEDGERS = [ledger for ledger in LEDGERS if ledger.scoped_by_station]

MANAGER_PAIRS = [
    pytest.param("manager", "own", "other", "station", "other_station", id="巴特尔"),
    pytest.param("other_manager", "other", "own", "other_station", "station", id="其其格"),
]

# --- routes, read from the API's schema ----------------------------------------------------------

OPERATIONS = {
    ("GET", False): "list",
    ("POST", False): "create",
    ("GET", True): "read",
    ("PATCH", True): "update",
    ("DELETE", True): "delete",
}
# Served without a token: the interactive documentation and the schema it reads (no records).
PUBLIC_API_ROUTES = {"api/docs", "api/openapi.json", "api/"}
# Routes whose permission tests live next to their app: contracts (not ledger CRUD,
# muxiang/contracts/tests/test_contracts_api.py), and the apps of several ledgers each (funds,
# centre, publicity, training, operations, mofcom, network, sales: their tests/test_permissions.py).
# centre, publicity, training, operations, mofcom, brands, standards: their tests/test_permissions.py).
OTHER_API_PREFIXES = (
    "/api/contracts/",
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


def is_other_route(path: str) -> bool:
    return path.startswith(OTHER_API_PREFIXES)


def api_routes() -> list[tuple[str, str, str]]:
    """(ledger name, path template, method) of every operation the API publishes."""
    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if is_other_route(path):
            continue
        for method in operations:
            routes.append((path.strip("/").split("/")[1], path, method.upper()))
    return routes


def operation(path: str, method: str) -> str:
    return OPERATIONS[(method, "{pk}" in path)]


def route_params(ledgers, only=None):
    names = {ledger.name for ledger in ledgers}
    return [
        pytest.param(LEDGER[name], path, method, id=f"{method} {path}")
        for name, path, method in api_routes()
        if name in names and (only is None or only(operation(path, method)))
    ]


ALL_ROUTES = route_params(LEDGERS)


def test_every_api_route_is_one_these_tests_know_how_to_call():
    # given: what Django routes under /api/, with ninja's "{pk}" spelling of a path parameter
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield (prefix + str(pattern.pattern)).replace("<int:pk>", "{pk}").replace("<key>", "{key}")

    served = {path for path in walk(get_resolver().url_patterns, "") if path.startswith("api/")}
    published = {path.lstrip("/") for path in api.get_openapi_schema()["paths"]}
    # then
    assert served - PUBLIC_API_ROUTES == published, "a route is served that the schema does not publish"
    assert any(is_other_route("/" + path) for path in published)
    for name, path, method in api_routes():
        assert name in LEDGER, f"{path} belongs to no ledger these tests know"
        assert (method, "{pk}" in path) in OPERATIONS, f"{method} {path}"
    assert len(api_routes()) == len(LEDGERS) * len(OPERATIONS)


# --- calling a route -------------------------------------------------------------------------------


@pytest.fixture
def call(client, api_token):
    """``call(user, ledger, path, method, record=None, payload=None)``; ``user`` None is anonymous."""
    tokens = {}

    def _call(user, ledger, path, method, record=None, payload=None, **headers):
        if user is not None:
            tokens.setdefault(user.pk, api_token(user))
            headers = tokens[user.pk] | headers
        url = path.format(pk=record.pk if record is not None else 0)
        if method == "GET":
            return client.get(url, {"limit": 1000} if "{pk}" not in path else {}, **headers)
        if method == "DELETE":
            return client.delete(url, **headers)
        body = json.dumps(payload if payload is not None else {})
        send = client.post if method == "POST" else client.patch
        return send(url, body, content_type="application/json", **headers)

    return _call


def payload_for(world, ledger, path, method, station=None):
    op = operation(path, method)
    if op == "create":
        return ledger.new_record(world, station or world.station)
    if op == "update":
        field, value = ledger.changed
        return {field: value}
    return None


def stored(ledger):
    return list(ledger.model.all_objects.order_by("pk").values())


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content.decode()[:500]
    return {item["id"] for item in response.json()["items"]}


def assert_refused(call, user, world, ledger, path, method, record=None, statuses=REFUSED, payload=None):
    before = stored(ledger)
    payload = payload if payload is not None else payload_for(world, ledger, path, method)
    response = call(user, ledger, path, method, record, payload)
    assert response.status_code in statuses, (
        f"{method} {path}: {response.status_code} {response.content[:300]}"
    )
    assert stored(ledger) == before, f"{method} {path} was refused but changed the ledger"
    return response


def assert_done(call, user, world, ledger, path, method, record=None, payload=None):
    op = operation(path, method)
    payload = payload if payload is not None else payload_for(world, ledger, path, method)
    response = call(user, ledger, path, method, record, payload)
    expected = {"list": 200, "read": 200, "create": 201, "update": 200, "delete": 204}[op]
    assert response.status_code == expected, f"{method} {path}: {response.content.decode()[:800]}"
    model = ledger.model
    if op == "create":
        assert model.objects.filter(**ledger.lookup).exists()
    elif op == "update":
        field, value = ledger.changed
        assert getattr(model.objects.get(pk=record.pk), field) == value
    elif op == "delete":
        assert model.all_objects.get(pk=record.pk).deleted_at is not None
    return response


# --- 1. a station manager reaches nothing of another station's records ----------------------------


@pytest.mark.parametrize("viewer, mine, theirs, my_station, their_station", MANAGER_PAIRS)
@pytest.mark.parametrize("ledger, path, method", route_params(STATION_LEDGERS))
def test_station_manager_cannot_reach_another_stations_records_through_any_api_route(
    call, world, viewer, mine, theirs, my_station, their_station, ledger, path, method
):
    # given
    user = getattr(world, viewer)
    my_record = getattr(world, getattr(ledger, mine))
    their_record = getattr(world, getattr(ledger, theirs))
    op = operation(path, method)
    # when / then
    if op == "list":
        listing = ids(call(user, ledger, path, method))
        assert my_record.pk in listing
        assert their_record.pk not in listing
        searched = call(user, ledger, path + f"?q={their_record.name}", method)
        assert their_record.pk not in ids(searched)
    elif op == "create":
        # The payload attaches the new record to the other manager's station.
        payload = ledger.new_record(world, getattr(world, their_station))
        if "create" in ledger.manager_may:
            response = assert_done(call, user, world, ledger, path, method, payload=payload)
            created = ledger.model.objects.get(**ledger.lookup)
            assert created.station_id == getattr(world, my_station).pk
            assert response.json()["station_id"] == getattr(world, my_station).pk
        else:
            assert_refused(call, user, world, ledger, path, method, payload=payload, statuses={403})
    else:
        response = assert_refused(call, user, world, ledger, path, method, their_record)
        assert response.status_code == 404


@pytest.mark.parametrize(
    "ledger", [LEDGER["organisations"], LEDGER["people"]], ids=lambda ledger: ledger.name
)
def test_station_manager_cannot_move_their_own_record_to_another_station_by_api(call, world, ledger):
    # when
    response = call(
        world.manager,
        ledger,
        f"/api/{ledger.name}/{{pk}}",
        "PATCH",
        getattr(world, ledger.own),
        {"station": world.other_station.pk},
    )
    # then
    assert response.status_code == 200
    assert ledger.model.objects.get(pk=getattr(world, ledger.own).pk).station_id == world.station.pk


def test_station_manager_cannot_name_another_stations_organisation_as_a_persons_employer_by_api(call, world):
    # given
    ledger = LEDGER["people"]
    payload = ledger.new_record(world, world.station) | {"organisation": world.other_organisation.pk}
    # when
    response = call(world.manager, ledger, "/api/people/", "POST", payload=payload)
    # then
    assert response.status_code == 400
    assert not Person.objects.filter(**ledger.lookup).exists()


def test_station_manager_changes_only_the_contact_details_of_their_own_station_by_api(call, world):
    # when
    response = call(
        world.manager,
        LEDGER["stations"],
        "/api/stations/{pk}",
        "PATCH",
        world.station,
        {"phone": "13900000099", "is_premium": True, "code": "X-1", "status": "closed"},
    )
    # then
    assert response.status_code == 200, response.content.decode()[:800]
    world.station.refresh_from_db()
    assert world.station.phone == "13900000099"
    assert (world.station.is_premium, world.station.code, world.station.status) == (
        False,
        "HLT-001",
        "active",
    )


# --- 2. a station manager works on their own station's records where the promise allows -----------


@pytest.mark.parametrize("ledger, path, method", ALL_ROUTES)
def test_station_manager_uses_the_api_on_their_own_records_exactly_as_the_promise_allows(
    call, world, ledger, path, method
):
    # given
    record = getattr(world, ledger.own)
    op = operation(path, method)
    # when / then
    if op in ledger.manager_may:
        response = assert_done(call, world.manager, world, ledger, path, method, record)
        if op == "list":
            assert record.pk in ids(response)
        if op == "create":
            assert ledger.model.objects.get(**ledger.lookup).station_id == world.station.pk
    else:
        assert_refused(call, world.manager, world, ledger, path, method, record, statuses={403})


def test_station_manager_reads_every_region_by_api(call, world):
    listing = ids(call(world.manager, LEDGER["regions"], "/api/regions/", "GET"))
    assert {world.county.pk, world.town.pk, world.other_town.pk, world.village.pk} <= listing


# --- 3. the client supervisor and the auditor read everything and change nothing ------------------


READ_ONLY_ROLES = [pytest.param("client_supervisor", id="赵监"), pytest.param("auditor", id="孙审")]


@pytest.mark.parametrize("persona", READ_ONLY_ROLES)
@pytest.mark.parametrize("ledger, path, method", ALL_ROUTES)
def test_read_only_roles_read_every_record_by_api_and_change_nothing(
    call, world, persona, ledger, path, method
):
    # given
    user = getattr(world, persona)
    own, other = getattr(world, ledger.own), getattr(world, ledger.other)
    op = operation(path, method)
    # when / then
    if op == "list":
        assert {own.pk, other.pk} <= ids(call(user, ledger, path, method))
    elif op == "read":
        for record in (own, other):
            response = call(user, ledger, path, method, record)
            assert response.status_code == 200
            assert response.json()["id"] == record.pk
    else:
        assert_refused(call, user, world, ledger, path, method, other, statuses={403})


# --- 4. operator staff and admin change everything (the API has no purge) --------------------------


@pytest.mark.parametrize(
    "persona", [pytest.param("operator_admin", id="王敏"), pytest.param("staff", id="李强")]
)
@pytest.mark.parametrize("ledger, path, method", ALL_ROUTES)
def test_operator_roles_use_every_api_route(call, world, persona, ledger, path, method):
    # given
    user = getattr(world, persona)
    own, other = getattr(world, ledger.own), getattr(world, ledger.other)
    # when / then
    response = assert_done(call, user, world, ledger, path, method, other)
    if operation(path, method) == "list":
        assert {own.pk, other.pk} <= ids(response)
    if operation(path, method) == "create" and ledger.name in ("organisations", "people"):
        # The operator attaches records to any station they name.
        assert ledger.model.objects.get(**ledger.lookup).station_id == world.station.pk


def test_operator_staff_attach_a_new_record_to_the_station_they_name(call, world):
    ledger = LEDGER["people"]
    payload = ledger.new_record(world, world.other_station)
    assert_done(call, world.staff, world, ledger, "/api/people/", "POST", payload=payload)
    assert Person.objects.get(**ledger.lookup).station_id == world.other_station.pk


# --- 5. anonymous callers get 401 ------------------------------------------------------------------


@pytest.mark.parametrize("ledger, path, method", ALL_ROUTES)
@pytest.mark.parametrize(
    "credentials",
    ["none", "garbage", "revoked", "inactive user", "session only"],
)
def test_caller_without_a_valid_token_gets_401_on_every_api_route(
    call, client, api_token, world, ledger, path, method, credentials
):
    # given
    headers = {}
    if credentials == "garbage":
        headers = {"HTTP_AUTHORIZATION": "Bearer mx_not-a-token"}
    elif credentials == "revoked":
        from muxiang.accounts.models import ApiToken

        headers = api_token(world.staff)
        revoke_api_token(ApiToken.objects.get(user=world.staff))
    elif credentials == "inactive user":
        headers = api_token(world.staff)
        world.staff.is_active = False
        world.staff.save()
    elif credentials == "session only":
        # Signed in to the web pages is not enough: the API wants a token.
        client.force_login(world.staff)
    before = stored(ledger)
    # when
    response = call(
        None,
        ledger,
        path,
        method,
        getattr(world, ledger.other),
        payload_for(world, ledger, path, method),
        **headers,
    )
    # then
    assert response.status_code == 401, f"{method} {path}: {response.status_code}"
    assert "detail" in response.json()
    assert stored(ledger) == before


def test_the_public_api_schema_holds_no_records(client, world):
    schema = client.get("/api/openapi.json").content.decode("unicode_escape")
    assert world.person.name not in schema
    assert world.station.name not in schema


# --- 6. resident ID numbers in full only for operator roles ----------------------------------------

ID_PERSONAS = [pytest.param(p, True, id=f"{p}-full") for p in ("operator_admin", "staff")] + [
    pytest.param(p, False, id=f"{p}-masked") for p in ("manager", "client_supervisor", "auditor")
]


@pytest.mark.parametrize("persona, full", ID_PERSONAS)
def test_api_shows_resident_id_numbers_in_full_only_to_operator_roles(call, world, persona, full):
    # given
    user = getattr(world, persona)
    person = world.person
    expected = person.id_number if full else mask_id_number(person.id_number)
    # when
    listing = call(user, LEDGER["people"], "/api/people/", "GET")
    one = call(user, LEDGER["people"], "/api/people/{pk}", "GET", person)
    # then
    by_id = {item["id"]: item for item in listing.json()["items"]}
    assert by_id[person.pk]["id_number"] == expected
    assert one.json()["id_number"] == expected
    if not full:
        assert person.id_number not in listing.content.decode()


def test_station_manager_gets_the_id_number_masked_back_after_registering_a_person_by_api(call, world):
    # given
    number = make_id_number("150824", datetime.date(1995, 6, 1), 88)
    payload = LEDGER["people"].new_record(world, world.station) | {"id_number": number}
    # when
    response = call(world.manager, LEDGER["people"], "/api/people/", "POST", payload=payload)
    # then
    assert response.status_code == 201, response.content.decode()[:800]
    assert response.json()["id_number"] == mask_id_number(number)
    assert number not in response.content.decode()
    assert Person.objects.get(pk=response.json()["id"]).id_number == number


def test_station_manager_changing_a_person_by_api_neither_sees_nor_loses_the_id_number(call, world):
    # when
    response = call(
        world.manager, LEDGER["people"], "/api/people/{pk}", "PATCH", world.person, {"mobile": "13900000077"}
    )
    # then
    assert response.status_code == 200, response.content.decode()[:800]
    assert response.json()["id_number"] == mask_id_number(world.person.id_number)
    assert world.person.id_number not in response.content.decode()
    assert Person.objects.get(pk=world.person.pk).id_number == world.person.id_number
