"""The permission promises of ``muxiang.core.permissions``, proved on every web route of every ledger.

Routes are read from the URL resolver rather than listed by hand: a route added to a ledger's
``RecordViewSet`` is visited by every matrix below, and one the matrices do not know how to visit
fails ``test_every_web_route_is_one_these_tests_know_how_to_visit`` instead of escaping.

The promises, each persona against each route:

1. A station manager reaches nothing of another station's records.
2. A station manager sees their own station's records and changes them where the promise allows.
3. The client supervisor and the auditor read everything and change nothing.
4. Operator staff do everything but purge; only the operator admin purges.
5. Anonymous visitors are sent to the login page.
6. Resident ID numbers are shown in full only to operator roles.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from python_calamine import CalamineWorkbook

from muxiang.core import services
from muxiang.core.models import Evidence
from muxiang.core.validators import make_credit_code, make_id_number, mask_id_number
from muxiang.organisations.models import Organisation
from muxiang.organisations.views import OrganisationViewSet
from muxiang.people.models import Person
from muxiang.people.views import PersonViewSet
from muxiang.regions.models import Region
from muxiang.regions.views import RegionViewSet
from muxiang.stations.models import Station
from muxiang.stations.views import StationViewSet

REFUSED = {403, 404}

# --- the world every test starts from ------------------------------------------------------------


# --- the four ledgers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerCase:
    """How the tests drive one ledger: which records belong to whom and what valid input looks like."""

    namespace: str
    viewset: type
    own: str  # attribute of ``world``: a record of 巴特尔's station (for regions: its town)
    other: str  # a record of 其其格's station (for regions: its village)
    changed: tuple[str, str]  # the field an edit changes, and its new value
    new_record: Callable  # world -> (form data of a new record, lookup that finds it)
    import_csv: Callable  # world -> (CSV text creating one record, lookup that finds it)
    fresh: Callable  # world -> a throwaway record (deleted, restored and purged by the tests)
    # What the promise lets a station manager do to their own station's rows, by route name.
    manager_may: frozenset[str]

    @property
    def model(self):
        return self.viewset.model

    @property
    def scoped_by_station(self) -> bool:
        return self.namespace != "regions"


MANAGER_READS = frozenset({"list", "export", "template", "detail"})

LEDGERS = [
    LedgerCase(
        namespace="regions",
        viewset=RegionViewSet,
        own="town",
        other="village",
        changed=("name", "改名村"),
        new_record=lambda w: (
            {"name": "新设村", "level": "village", "parent": w.other_town.pk},
            {"name": "新设村"},
        ),
        import_csv=lambda w: ("名称,级别,上级\n导入村,村/嘎查,乌拉特中旗/乌加河镇\n", {"name": "导入村"}),
        fresh=lambda w: Region.objects.create(name="待撤村", level="village", parent=w.other_town),
        # Reference data: read by every role, written only by the operator.
        manager_may=MANAGER_READS,
    ),
    LedgerCase(
        namespace="stations",
        viewset=StationViewSet,
        own="station",
        other="other_station",
        changed=("phone", "13900000099"),
        new_record=lambda w: (
            {
                "code": "NEW-001",
                "name": "新建服务站",
                "level": "village",
                "region": w.village.pk,
                "status": "planned",
            },
            {"code": "NEW-001"},
        ),
        import_csv=lambda w: (
            "站点编号,站点名称,级别,服务区域,状态\nIMP-001,导入服务站,村级站点,乌拉特中旗/乌加河镇/巴音村,筹建中\n",
            {"code": "IMP-001"},
        ),
        fresh=lambda w: Station.objects.create(
            code="DEL-001", name="待删服务站", level="village", region=w.village, status="planned"
        ),
        manager_may=MANAGER_READS | {"edit", "evidence"},
    ),
    LedgerCase(
        namespace="organisations",
        viewset=OrganisationViewSet,
        own="organisation",
        other="other_organisation",
        changed=("name", "改名合作社"),
        new_record=lambda w: (
            {"name": "新建合作社", "kind": "cooperative", "station": w.other_station.pk},
            {"name": "新建合作社"},
        ),
        import_csv=lambda w: (
            f"名称,类型,统一社会信用代码\n导入合作社,合作社,{make_credit_code('93150824MA0N00009')}\n",
            {"name": "导入合作社"},
        ),
        fresh=lambda w: Organisation.objects.create(
            name="待删组织", kind="enterprise", station=w.other_station
        ),
        manager_may=MANAGER_READS | {"add", "edit", "evidence"},
    ),
    LedgerCase(
        namespace="people",
        viewset=PersonViewSet,
        own="person",
        other="other_person",
        changed=("name", "改名人"),
        new_record=lambda w: (
            {"name": "新学员", "mobile": "13900000009", "kinds": ["trainee"], "station": w.other_station.pk},
            {"name": "新学员"},
        ),
        import_csv=lambda w: (
            f"姓名,身份证号\n导入学员,{make_id_number('150824', datetime.date(1990, 1, 1), 55)}\n",
            {"name": "导入学员"},
        ),
        fresh=lambda w: Person.objects.create(name="待删人员", station=w.other_station),
        manager_may=MANAGER_READS | {"add", "edit", "evidence"},
    ),
]
LEDGER = {ledger.namespace: ledger for ledger in LEDGERS}
STATION_LEDGERS = [ledger for ledger in LEDGERS if ledger.scoped_by_station]


def ledger_id(ledger):
    return ledger.namespace


# The two managers, each with their own station's record attribute and the other's.
MANAGER_PAIRS = [
    pytest.param("manager", "own", "other", id="巴特尔"),
    pytest.param("other_manager", "other", "own", id="其其格"),
]

# --- routes, read from the resolver ---------------------------------------------------------------

READ_ROUTES = {"list", "export", "template", "detail", "coverage"}
WRITE_ROUTES = {"add", "import", "edit", "delete", "restore", "purge", "evidence"}
RECORD_ROUTES = {"detail", "edit", "delete", "restore", "purge", "evidence"}
# Routes that change a deleted record rather than a live one.
DELETED_RECORD_ROUTES = {"restore", "purge"}


def ledger_routes(namespace: str) -> dict[str, bool]:
    """Route name -> whether it addresses one record (takes a ``pk``), for one ledger namespace."""
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    routes = {}
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern), f"{namespace} nests {pattern}; teach ledger_routes about it"
        routes[pattern.name] = "pk" in pattern.pattern.converters
    return routes


def route_params(ledgers, only=None):
    return [
        pytest.param(ledger, name, id=f"{ledger.namespace}:{name}")
        for ledger in ledgers
        for name, takes_pk in ledger_routes(ledger.namespace).items()
        if only is None or only(name, takes_pk)
    ]


ALL_ROUTES = route_params(LEDGERS)


def test_every_web_route_is_one_these_tests_know_how_to_visit():
    for ledger in LEDGERS:
        routes = ledger_routes(ledger.namespace)
        unknown = set(routes) - READ_ROUTES - WRITE_ROUTES
        assert not unknown, f"{ledger.namespace} has routes no permission test visits: {unknown}"
        for name, takes_pk in routes.items():
            assert takes_pk == (name in RECORD_ROUTES), f"{ledger.namespace}:{name}"


def test_the_models_declare_what_the_promise_lets_a_station_manager_do():
    assert Region.scope_public and not getattr(Region, "scope_station_path", None)
    assert not getattr(Region, "scope_manager_actions", ())
    assert Station.scope_manager_actions == ("change",)
    assert set(Organisation.scope_manager_actions) == {"add", "change"}
    assert set(Person.scope_manager_actions) == {"add", "change"}


# --- visiting a route ----------------------------------------------------------------------------


def edit_data(ledger, record, world) -> dict:
    """What the full edit form posts back for ``record``, with the ledger's one change made."""
    form = ledger.viewset.make_form(world.staff, instance=record)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    field, value = ledger.changed
    data[field] = value
    return data


def evidence_upload():
    return SimpleUploadedFile("签到表.txt", b"2024-05-01 sign-in sheet\n", content_type="text/plain")


def url_of(ledger, route, record=None):
    args = [record.pk] if route in RECORD_ROUTES else []
    return reverse(f"{ledger.namespace}:{route}", args=args)


def visit(client, world, ledger, route, record=None):
    """Use ``route`` the way its page does: GET for pages and files, POST with valid data for changes."""
    url = url_of(ledger, route, record)
    if route in READ_ROUTES:
        return client.get(url)
    if route == "edit":
        return client.post(url, edit_data(ledger, record, world))
    if route in ("delete", "restore", "purge"):
        return client.post(url)
    if route == "evidence":
        return client.post(url, {"file": evidence_upload(), "description": "签到表"})
    if route == "add":
        return client.post(url, ledger.new_record(world)[0])
    if route == "import":
        text, _lookup = ledger.import_csv(world)
        return client.post(url, {"file": SimpleUploadedFile("台账.csv", text.encode("utf-8"))})
    raise AssertionError(f"no way to visit {ledger.namespace}:{route}")


def stored(ledger):
    """Everything the ledger and the evidence store hold, to show that a refused request wrote nothing."""
    return (
        list(ledger.model.all_objects.order_by("pk").values()),
        list(Evidence.all_objects.order_by("pk").values()),
    )


def target(world, ledger, route, which: str):
    """The record a record route acts on: ``own``, ``other`` or a ``fresh`` one; deleted first when the
    route is about deleted records (restore, purge)."""
    if route not in RECORD_ROUTES:
        return None
    record = ledger.fresh(world) if which == "fresh" else getattr(world, getattr(ledger, which))
    if route in DELETED_RECORD_ROUTES:
        services.soft_delete_record(record, world.staff)
        record.refresh_from_db()
    return record


def assert_refused(client, world, ledger, route, record=None, statuses=REFUSED):
    # given
    before = stored(ledger)
    # when
    if route in ("edit", "add", "import"):
        page = client.get(url_of(ledger, route, record))
        assert page.status_code in statuses, f"GET {route} answered {page.status_code}"
    response = visit(client, world, ledger, route, record)
    # then
    assert response.status_code in statuses, f"POST {route} answered {response.status_code}"
    assert stored(ledger) == before, f"{route} was refused but changed the ledger"
    return response


def assert_done(client, world, ledger, route, record=None):
    """The route succeeds and has its effect; returns the response (and checks what it wrote)."""
    model = ledger.model
    if route in ("edit", "add", "import"):
        assert client.get(url_of(ledger, route, record)).status_code == 200
    response = visit(client, world, ledger, route, record)
    if route in READ_ROUTES:
        assert response.status_code == 200, response.content.decode()[:500]
    elif route == "import":
        assert response.status_code == 200, form_errors(response)
        assert model.objects.filter(**ledger.import_csv(world)[1]).exists()
    else:
        assert response.status_code == 302, form_errors(response)
    if route == "edit":
        field, value = ledger.changed
        assert getattr(model.all_objects.get(pk=record.pk), field) == value
    elif route == "delete":
        assert model.all_objects.get(pk=record.pk).deleted_at is not None
    elif route == "restore":
        assert model.all_objects.get(pk=record.pk).deleted_at is None
    elif route == "purge":
        assert not model.all_objects.filter(pk=record.pk).exists()
    elif route == "evidence":
        assert services.evidence_for(record).filter(original_name="签到表.txt").exists()
    elif route == "add":
        assert model.objects.filter(**ledger.new_record(world)[1]).exists()
    return response


def form_errors(response):
    """Why a form page did not redirect: its errors, or the import report's problems."""
    context = response.context or {}
    if "form" in context and context["form"].errors:
        return context["form"].errors.as_json(escape_html=False)
    if context.get("report") is not None:
        return [str(p) for p in context["report"].problems]
    return f"{response.status_code}: {response.content.decode()[:500]}"


def listed(response) -> set[int]:
    return {record.pk for record in response.context["page"].object_list}


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return workbook.get_sheet_by_index(0).to_python()


def xlsx_cells(response) -> set[str]:
    return {str(cell) for row in xlsx_rows(response) for cell in row if cell not in (None, "")}


# --- 1. a station manager reaches nothing of another station's records ----------------------------


@pytest.mark.parametrize("viewer, mine, theirs", MANAGER_PAIRS)
@pytest.mark.parametrize("ledger, route", route_params(STATION_LEDGERS, only=lambda name, takes_pk: takes_pk))
def test_station_manager_cannot_reach_another_stations_record_on_any_record_route(
    login, world, viewer, mine, theirs, ledger, route
):
    # given
    client = login(getattr(world, viewer))
    record = target(world, ledger, route, theirs)
    # when / then
    response = assert_refused(client, world, ledger, route, record)
    if route == "detail":
        assert response.status_code == 404


@pytest.mark.parametrize("viewer, mine, theirs", MANAGER_PAIRS)
@pytest.mark.parametrize("ledger", STATION_LEDGERS, ids=ledger_id)
def test_station_manager_list_page_leaves_out_another_stations_records(
    login, world, viewer, mine, theirs, ledger
):
    # given
    client = login(getattr(world, viewer))
    my_record = getattr(world, getattr(ledger, mine))
    their_record = getattr(world, getattr(ledger, theirs))
    # when
    page = client.get(url_of(ledger, "list"))
    searched = client.get(url_of(ledger, "list"), {"q": their_record.name})
    bin_ = client.get(url_of(ledger, "list"), {"deleted": "1"})
    # then
    assert page.status_code == 200
    assert my_record.pk in listed(page)
    assert their_record.pk not in listed(page)
    assert their_record.name not in page.content.decode()
    assert their_record.pk not in listed(searched)
    assert their_record.pk not in listed(bin_)


@pytest.mark.parametrize("viewer, mine, theirs", MANAGER_PAIRS)
@pytest.mark.parametrize("ledger", STATION_LEDGERS, ids=ledger_id)
def test_station_manager_export_leaves_out_another_stations_records(
    login, world, viewer, mine, theirs, ledger
):
    # given
    client = login(getattr(world, viewer))
    my_record = getattr(world, getattr(ledger, mine))
    their_record = getattr(world, getattr(ledger, theirs))
    # when
    cells = xlsx_cells(client.get(url_of(ledger, "export")))
    # then
    assert my_record.name in cells
    assert their_record.name not in cells


@pytest.mark.parametrize("ledger", STATION_LEDGERS, ids=ledger_id)
def test_station_manager_export_of_the_bin_leaves_out_deleted_records_of_another_station(
    login, world, ledger
):
    # given
    their_record = getattr(world, ledger.other)
    services.soft_delete_record(their_record, world.staff)
    # when
    cells = xlsx_cells(login(world.manager).get(url_of(ledger, "export"), {"deleted": "1"}))
    # then
    assert their_record.name not in cells


@pytest.mark.parametrize("ledger", LEDGERS, ids=ledger_id)
def test_station_manager_import_is_refused(login, world, ledger):
    assert_refused(login(world.manager), world, ledger, "import", statuses={403})


@pytest.mark.parametrize(
    "ledger", [ledger for ledger in STATION_LEDGERS if "add" in ledger.manager_may], ids=ledger_id
)
def test_station_manager_cannot_attach_a_new_record_to_another_station(login, world, ledger):
    # given: the form data names 其其格's station
    data, lookup = ledger.new_record(world)
    assert data["station"] == world.other_station.pk
    # when
    response = login(world.manager).post(url_of(ledger, "add"), data)
    # then: the record is 巴特尔's, whatever the form said
    assert response.status_code == 302
    assert ledger.model.objects.get(**lookup).station_id == world.station.pk


@pytest.mark.parametrize("ledger", [LEDGER["organisations"], LEDGER["people"]], ids=ledger_id)
def test_station_manager_cannot_move_their_own_record_to_another_station(login, world, ledger):
    # given
    record = getattr(world, ledger.own)
    data = edit_data(ledger, record, world) | {"station": world.other_station.pk}
    # when
    response = login(world.manager).post(url_of(ledger, "edit", record), data)
    # then
    assert response.status_code == 302
    assert ledger.model.objects.get(pk=record.pk).station_id == world.station.pk


def test_station_manager_cannot_name_another_stations_organisation_as_a_persons_employer(login, world):
    # given
    data, lookup = LEDGER["people"].new_record(world)
    data["organisation"] = world.other_organisation.pk
    # when
    response = login(world.manager).post(reverse("people:add"), data)
    # then
    assert response.status_code == 400
    assert not Person.objects.filter(**lookup).exists()


def test_station_manager_cannot_open_the_coverage_page(login, world):
    assert login(world.manager).get(reverse("stations:coverage")).status_code == 403


@pytest.mark.parametrize("ledger", STATION_LEDGERS, ids=ledger_id)
def test_station_manager_cannot_download_evidence_of_another_stations_record(login, world, ledger):
    # given
    mine = services.attach_evidence(getattr(world, ledger.own), evidence_upload(), world.staff)
    theirs = services.attach_evidence(getattr(world, ledger.other), evidence_upload(), world.staff)
    client = login(world.manager)
    # when / then
    assert client.get(reverse("evidence-download", args=[mine.pk])).status_code == 200
    assert client.get(reverse("evidence-download", args=[theirs.pk])).status_code == 404


def test_station_managers_home_page_counts_only_their_own_station(login, world):
    # when
    response = login(world.manager).get(reverse("home"))
    # then
    assert response.status_code == 200
    assert response.context["stations"]["total"] == 1
    assert response.context["people"] == 1
    assert response.context["organisations"] == 1
    assert response.context["my_station"] == world.station
    assert world.other_station.name not in response.content.decode()


# --- 2. a station manager works on their own station's records where the promise allows -----------


@pytest.mark.parametrize("ledger, route", ALL_ROUTES)
def test_station_manager_does_to_their_own_stations_records_exactly_what_the_promise_allows(
    login, world, ledger, route
):
    # given
    client = login(world.manager)
    record = target(world, ledger, route, "own")
    # when / then
    if route in ledger.manager_may:
        response = assert_done(client, world, ledger, route, record)
        if route == "list":
            assert getattr(world, ledger.own).pk in listed(response)
        if route == "export":
            assert getattr(world, ledger.own).name in xlsx_cells(response)
        if route == "add":
            created = ledger.model.objects.get(**ledger.new_record(world)[1])
            assert created.station_id == world.station.pk
    else:
        assert_refused(client, world, ledger, route, record)


def test_station_manager_reads_every_region_but_changes_none(login, world):
    # given
    client = login(world.manager)
    # when
    page = client.get(reverse("regions:list"))
    # then
    assert {world.county.pk, world.town.pk, world.other_town.pk, world.village.pk} <= listed(page)
    assert client.get(reverse("regions:detail", args=[world.village.pk])).status_code == 200
    assert_refused(client, world, LEDGER["regions"], "edit", world.village, statuses={403})


def test_station_manager_edits_only_the_contact_details_of_their_own_station(login, world):
    # given: the full station form, asking to promote the station and rename it
    data = edit_data(LEDGER["stations"], world.station, world) | {
        "is_premium": "on",
        "name": "改名站",
        "code": "X-1",
    }
    # when
    response = login(world.manager).post(reverse("stations:edit", args=[world.station.pk]), data)
    # then
    assert response.status_code == 302
    world.station.refresh_from_db()
    assert world.station.phone == "13900000099"
    assert (world.station.is_premium, world.station.name, world.station.code) == (
        False,
        "海流图镇电商服务站",
        "HLT-001",
    )


# --- 3. the client supervisor and the auditor read everything and change nothing ------------------


READ_ONLY_ROLES = [pytest.param("client_supervisor", id="赵监"), pytest.param("auditor", id="孙审")]


@pytest.mark.parametrize("persona", READ_ONLY_ROLES)
@pytest.mark.parametrize("ledger, route", ALL_ROUTES)
def test_read_only_roles_read_every_record_and_change_nothing(login, world, persona, ledger, route):
    # given
    client = login(getattr(world, persona))
    record = target(world, ledger, route, "other" if route not in DELETED_RECORD_ROUTES else "fresh")
    own, other = getattr(world, ledger.own), getattr(world, ledger.other)
    # when / then
    if route not in READ_ROUTES:
        assert_refused(client, world, ledger, route, record, statuses={403})
        return
    response = assert_done(client, world, ledger, route, record)
    if route == "list":
        assert {own.pk, other.pk} <= listed(response)
    elif route == "export":
        assert {own.name, other.name} <= xlsx_cells(response)
    elif route == "detail":
        assert client.get(url_of(ledger, "detail", own)).status_code == 200


@pytest.mark.parametrize("persona", READ_ONLY_ROLES)
@pytest.mark.parametrize("ledger", LEDGERS, ids=ledger_id)
def test_read_only_roles_read_the_bin_and_deleted_records(login, world, persona, ledger):
    # given
    record = getattr(world, ledger.other)
    services.soft_delete_record(record, world.staff)
    client = login(getattr(world, persona))
    # when
    page = client.get(url_of(ledger, "list"), {"deleted": "1"})
    detail = client.get(url_of(ledger, "detail", record))
    # then
    assert record.pk in listed(page)
    assert detail.status_code == 200
    assert reverse(f"{ledger.namespace}:restore", args=[record.pk]) not in detail.content.decode()


@pytest.mark.parametrize("persona", READ_ONLY_ROLES)
def test_read_only_roles_read_the_audit_trail_and_evidence(login, world, persona):
    # given
    evidence = services.attach_evidence(world.other_person, evidence_upload(), world.staff)
    client = login(getattr(world, persona))
    # when / then
    assert client.get(reverse("audit")).status_code == 200
    assert client.get(reverse("evidence-download", args=[evidence.pk])).status_code == 200


# --- 4. operator staff do everything but purge; only the operator admin purges --------------------


OPERATOR_ROLES = [pytest.param("operator_admin", id="王敏"), pytest.param("staff", id="李强")]


@pytest.mark.parametrize("persona", OPERATOR_ROLES)
@pytest.mark.parametrize("ledger, route", ALL_ROUTES)
def test_operator_roles_use_every_route_and_only_the_admin_purges(login, world, persona, ledger, route):
    # given
    client = login(getattr(world, persona))
    # Records still referenced elsewhere cannot be purged, so restore and purge act on fresh ones.
    record = target(world, ledger, route, "fresh" if route in DELETED_RECORD_ROUTES else "other")
    # when / then
    if route == "purge" and persona == "staff":
        assert_refused(client, world, ledger, route, record, statuses={403})
    else:
        response = assert_done(client, world, ledger, route, record)
        if route == "list":
            assert {getattr(world, ledger.own).pk, getattr(world, ledger.other).pk} <= listed(response)


@pytest.mark.parametrize("ledger", LEDGERS, ids=ledger_id)
def test_operator_admin_purges_only_a_record_that_was_deleted_first(login, world, ledger):
    # given
    record = ledger.fresh(world)
    # when
    response = login(world.operator_admin).post(url_of(ledger, "purge", record))
    # then
    assert response.status_code == 302
    assert ledger.model.objects.filter(pk=record.pk).exists()


# --- accounts: only the operator admin hands out logins; each user keeps their own API tokens -------


def account_routes() -> dict[str, bool]:
    return {f"accounts:{name}": takes_pk for name, takes_pk in ledger_routes("accounts").items()}


USER_ADMIN_ROUTES = {name: takes_pk for name, takes_pk in account_routes().items() if ":user" in name}
TOKEN_ROUTES = {"accounts:tokens", "accounts:token-revoke"}


def test_every_account_route_is_one_these_tests_know_how_to_visit():
    known = set(USER_ADMIN_ROUTES) | TOKEN_ROUTES | {"accounts:login", "accounts:logout"}
    assert set(account_routes()) == known
    assert set(USER_ADMIN_ROUTES) == {
        "accounts:users",
        "accounts:user-add",
        "accounts:user-edit",
        "accounts:user-reset-password",
    }


def accounts_stored():
    from muxiang.accounts.models import User

    return list(User.objects.order_by("pk").values())


@pytest.mark.parametrize("persona", ["staff", "manager", "client_supervisor", "auditor"])
@pytest.mark.parametrize("route", sorted(USER_ADMIN_ROUTES))
def test_only_the_operator_admin_manages_user_accounts(login, world, persona, route):
    # given
    client = login(getattr(world, persona))
    url = reverse(route, args=[world.other_manager.pk] if USER_ADMIN_ROUTES[route] else [])
    before = accounts_stored()
    data = {"username": "newcomer", "full_name": "新人", "role": "operator_admin", "is_active": "on"}
    # when
    page = client.get(url)
    posted = client.post(url, data)
    # then: refused (a POST-only route may refuse the GET as the wrong method first)
    assert page.status_code in {403, 405}
    assert posted.status_code == 403
    assert accounts_stored() == before


@pytest.mark.parametrize("route", sorted(USER_ADMIN_ROUTES))
def test_operator_admin_opens_every_user_management_route(login, world, route):
    # given
    client = login(world.operator_admin)
    url = reverse(route, args=[world.other_manager.pk] if USER_ADMIN_ROUTES[route] else [])
    # when
    response = client.post(url) if route.endswith("reset-password") else client.get(url)
    # then
    assert response.status_code == 200


def test_nobody_revokes_another_users_api_token(login, world):
    # given
    from muxiang.accounts.models import ApiToken
    from muxiang.accounts.services import issue_api_token

    token, _raw = issue_api_token(world.manager, "sync")
    # when
    response = login(world.operator_admin).post(reverse("accounts:token-revoke", args=[token.pk]))
    # then
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- 5. anonymous visitors are sent to the login page ----------------------------------------------

# Pages that must open without signing in: signing in itself, switching the language, and the
# consumer's trace code page with its Digital Link and batch photos (muxiang/trace/tests).
PUBLIC_WEB_ROUTES = {
    "accounts:login",
    "accounts:logout",
    "set_language",
    "trace-public",
    "trace-public-upper",
    "trace-photo",
    "trace-digital-link",
}


def all_web_routes():
    """(route name, pattern) of every URL outside the API, walking nested includes."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner == "api":
                    continue
                yield from walk(pattern.url_patterns, inner)
            else:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, tuple(sorted(pattern.pattern.converters))

    return list(walk(get_resolver().url_patterns, None))


ANONYMOUS_PARAMS = [
    pytest.param(name, params, method, id=f"{method} {name}")
    for name, params in all_web_routes()
    if name not in PUBLIC_WEB_ROUTES
    for method in ("get", "post")
]


def test_the_anonymous_matrix_covers_every_ledger_route():
    covered = {name for name, _pk, _method in (p.values for p in ANONYMOUS_PARAMS)}
    for ledger in LEDGERS:
        assert {f"{ledger.namespace}:{name}" for name in ledger_routes(ledger.namespace)} <= covered
    assert {"home", "audit", "evidence-download", "stations:coverage", "accounts:tokens"} <= covered


@pytest.mark.parametrize("name, params, method", ANONYMOUS_PARAMS)
def test_anonymous_visitor_is_sent_to_login_from_every_web_route(client, world, name, params, method):
    # given
    evidence = services.attach_evidence(world.person, evidence_upload(), world.staff)
    pks = {
        **{ledger.namespace: getattr(world, ledger.own).pk for ledger in LEDGERS},
        "evidence-download": evidence.pk,
    }
    namespace = name.split(":")[0] if ":" in name else name
    # Routes named by something other than a pk (a contract's key) get a made-up value: the
    # visitor is turned away before anything is looked up.
    url = reverse(name, kwargs={p: pks.get(namespace, 1) if p == "pk" else "sample" for p in params})
    before = [stored(ledger) for ledger in LEDGERS]
    # when
    response = getattr(client, method)(url)
    # then
    assert response.status_code == 302, f"{method.upper()} {url} answered {response.status_code}"
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert [stored(ledger) for ledger in LEDGERS] == before


# --- 6. resident ID numbers in full only for operator roles ----------------------------------------

MASKED_ROLES = ["manager", "client_supervisor", "auditor"]
FULL_ID_ROLES = ["operator_admin", "staff"]
ID_PERSONAS = [pytest.param(p, True, id=f"{p}-full") for p in FULL_ID_ROLES] + [
    pytest.param(p, False, id=f"{p}-masked") for p in MASKED_ROLES
]


@pytest.fixture
def renumbered(world):
    """乌云 of 巴特尔's station, whose ID number was corrected once: the history holds two numbers."""
    old = world.person.id_number
    new = make_id_number("150824", datetime.date(1990, 2, 2), 77)
    world.person.id_number = new
    world.person.save()
    return SimpleNamespace(person=world.person, old=old, new=new)


def assert_id_numbers(text: str, numbers: list[str], full: bool):
    for number in numbers:
        if full:
            assert number in text
        else:
            assert number not in text, f"full ID number {number} shown"
            assert mask_id_number(number) in text


def test_masked_id_number_keeps_only_the_first_and_last_four_characters():
    assert mask_id_number("15082419880512021X") == "1508**********021X"


@pytest.mark.parametrize("persona, full", ID_PERSONAS)
def test_people_list_shows_resident_id_numbers_in_full_only_to_operator_roles(
    login, world, renumbered, persona, full
):
    page = login(getattr(world, persona)).get(reverse("people:list"))
    assert page.status_code == 200
    assert_id_numbers(page.content.decode(), [renumbered.new], full)


@pytest.mark.parametrize("persona, full", ID_PERSONAS)
def test_person_page_and_its_history_show_resident_id_numbers_in_full_only_to_operator_roles(
    login, world, renumbered, persona, full
):
    # when
    page = login(getattr(world, persona)).get(reverse("people:detail", args=[renumbered.person.pk]))
    # then: the field, and both numbers in the history of the correction
    assert page.status_code == 200
    assert page.context["history"], "the history should be shown to this role"
    assert_id_numbers(page.content.decode(), [renumbered.new, renumbered.old], full)


@pytest.mark.parametrize("persona, full", [p for p in ID_PERSONAS if p.values[0] != "manager"])
def test_audit_trail_shows_resident_id_numbers_in_full_only_to_operator_roles(
    login, world, renumbered, persona, full
):
    page = login(getattr(world, persona)).get(reverse("audit"), {"type": "person"})
    assert page.status_code == 200
    assert_id_numbers(page.content.decode(), [renumbered.new, renumbered.old], full)


def test_station_manager_cannot_read_the_audit_trail(login, world):
    assert login(world.manager).get(reverse("audit")).status_code == 403


@pytest.mark.parametrize("persona, full", ID_PERSONAS)
def test_people_export_shows_resident_id_numbers_in_full_only_to_operator_roles(
    login, world, renumbered, persona, full
):
    # when
    response = login(getattr(world, persona)).get(reverse("people:export"))
    # then
    rows = xlsx_rows(response)
    column = rows[0].index("身份证号")
    by_name = {row[0]: str(row[column]) for row in rows[1:]}
    assert by_name[renumbered.person.name] == (renumbered.new if full else mask_id_number(renumbered.new))
    if not full:
        assert not any(renumbered.new in cell for cell in xlsx_cells(response))


def test_person_edit_form_does_not_show_a_station_manager_the_full_id_number(login, world, renumbered):
    # given: 巴特尔 may change 乌云's details, but is not one who registers ID numbers
    # when
    page = login(world.manager).get(reverse("people:edit", args=[renumbered.person.pk]))
    # then
    assert page.status_code == 200
    assert renumbered.new not in page.content.decode()


def test_station_manager_editing_a_person_keeps_the_id_number_they_were_not_shown(login, world, renumbered):
    # given: the edit form as 巴特尔 sees it, with a new mobile number
    page = login(world.manager).get(reverse("people:edit", args=[renumbered.person.pk]))
    data = {
        name: value
        for name, value in (
            (name, page.context["form"][name].value()) for name in page.context["form"].fields
        )
        if value not in (None, False)
    } | {"mobile": "13900000077"}
    # when
    response = login(world.manager).post(reverse("people:edit", args=[renumbered.person.pk]), data)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    renumbered.person.refresh_from_db()
    assert (renumbered.person.mobile, renumbered.person.id_number) == ("13900000077", renumbered.new)
