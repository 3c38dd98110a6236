"""Training belongs to the operator: staff and admin write, the client supervisor and the auditor
read, an anonymous visitor is sent to log in. A station manager reads the sessions held at their
own station and their attendance, writes nothing, and reaches nothing else of training.

Every route of the ``training`` namespace is walked from the URL resolver, and every operation of
``/api/training/`` from the API's own schema, so a route added later is covered or fails here."""

from types import SimpleNamespace

import pytest
from django.urls import get_resolver, reverse

from muxiang.api import api
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
    document,
    make_analysis,
    make_attendance,
    make_census,
    make_outcome,
    make_session,
    make_textbook,
    make_visit,
)

REFUSED = {403, 404}
READ_ROUTES = ("-list", "-detail", "-export", "-template")
# The ledgers a station manager reads, for their own station's sessions only.
MANAGER_LEDGERS = {"session", "attendance"}
PREFIXES = {
    "session",
    "attendance",
    "outcome",
    "follow-up",
    "textbook",
    "merchant-census",
    "feedback-analysis",
}


@pytest.fixture
def records(world, contract):
    session = make_session(contract, station=world.station)
    other_session = make_session(contract, code="PX-20260316-01", station=world.other_station)
    return SimpleNamespace(
        session=session,
        other_session=other_session,
        attendance=make_attendance(session, world.person),
        other_attendance=make_attendance(other_session, world.other_person),
        outcome=make_outcome(contract, world.person, sells_online=True, shop="淘宝 草原羊倌"),
        visit=make_visit(contract, person=world.person),
        textbook=make_textbook(contract),
        census=make_census(contract),
        analysis=make_analysis(contract),
    )


ATTRIBUTES = {
    "session": "session",
    "attendance": "attendance",
    "outcome": "outcome",
    "follow-up": "visit",
    "textbook": "textbook",
    "merchant-census": "census",
    "feedback-analysis": "analysis",
}


def training_routes() -> list[tuple[str, str, bool]]:
    """(name, ledger prefix, takes_pk) of every route under training:."""
    _prefix, resolver = get_resolver().namespace_dict["training"]
    routes = []
    for pattern in resolver.url_patterns:
        prefix = next(p for p in sorted(PREFIXES, key=len, reverse=True) if pattern.name.startswith(p + "-"))
        routes.append((pattern.name, prefix, "pk" in pattern.pattern.converters))
    return routes


def url_of(name, prefix, takes_pk, records, own=True):
    if not takes_pk:
        return reverse(f"training:{name}")
    record = getattr(records, ATTRIBUTES[prefix])
    if not own:
        record = getattr(records, "other_" + ATTRIBUTES[prefix])
    return reverse(f"training:{name}", args=[record.pk])


def alive_counts():
    return tuple(
        model.objects.count()
        for model in (
            TrainingSession,
            Attendance,
            TraineeOutcome,
            FollowUpVisit,
            Textbook,
            MerchantCensus,
            FeedbackAnalysis,
        )
    )


def test_every_route_belongs_to_one_of_the_seven_ledgers():
    routes = training_routes()
    assert {prefix for _name, prefix, _pk in routes} == PREFIXES
    assert len(routes) == 11 * len(PREFIXES)


# --- the web pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_login_from_every_training_route(client, records, method):
    for name, prefix, takes_pk in training_routes():
        url = url_of(name, prefix, takes_pk, records)
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_station_manager_only_reads_the_sessions_of_their_station_and_their_attendance(
    login, manager, records, method
):
    # given 巴特尔, manager of the station where the first session was held
    client = login(manager)
    before = alive_counts()
    for name, prefix, takes_pk in training_routes():
        url = url_of(name, prefix, takes_pk, records)
        data = {"file": document()} if method == "post" else {}
        # when
        response = getattr(client, method)(url, data)
        # then
        if prefix in MANAGER_LEDGERS and name.endswith(READ_ROUTES):
            # Reading pages answer a POST as a GET (nothing is written either way).
            assert response.status_code == 200, url
        else:
            assert response.status_code in REFUSED | {405}, f"{method} {url}: {response.status_code}"
    assert alive_counts() == before


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
def test_a_station_manager_never_reaches_another_stations_sessions_or_attendance(
    login, request, persona, records
):
    # given 巴特尔 looks at 其其格's session, and 其其格 at 巴特尔's
    user = request.getfixturevalue(persona)
    client = login(user)
    own = persona == "manager"
    for name, prefix, takes_pk in training_routes():
        if prefix not in MANAGER_LEDGERS or not takes_pk:
            continue
        url = url_of(name, prefix, takes_pk, records, own=not own)
        # when
        if name.endswith(("-delete", "-restore", "-purge", "-evidence")):
            response = client.post(url, {"file": document()})
        else:
            response = client.get(url)
        # then
        assert response.status_code in REFUSED, name
    mine, theirs = (
        (records.session, records.other_session) if own else (records.other_session, records.session)
    )
    listing = client.get(reverse("training:session-list")).content.decode()
    assert mine.code in listing and theirs.code not in listing
    attendance = client.get(reverse("training:attendance-list")).content.decode()
    assert mine.code in attendance and theirs.code not in attendance


def test_a_station_managers_export_holds_only_their_stations_attendance(login, manager, records):
    from muxiang.core.tests.test_ledger_import import read_xlsx

    response = login(manager).get(reverse("training:attendance-export"))
    rows = read_xlsx(response.content)
    assert [row[0] for row in rows[1:]] == [records.session.code]
    # ID numbers are masked for a station manager
    assert records.attendance.person.id_number not in response.content.decode("latin-1")
    assert rows[1][2].startswith("1508") and "*" in rows[1][2]


def test_a_station_manager_sees_no_edit_link_on_their_own_session(login, manager, records):
    page = login(manager).get(reverse("training:session-detail", args=[records.session.pk])).content.decode()
    assert reverse("training:session-edit", args=[records.session.pk]) not in page
    assert records.attendance.person.name in page


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, records):
    client = login(request.getfixturevalue(persona))
    before = alive_counts()
    for name, prefix, takes_pk in training_routes():
        url = url_of(name, prefix, takes_pk, records)
        if name.endswith(READ_ROUTES):
            assert client.get(url).status_code == 200, url
        else:
            assert client.post(url, {"file": document()}).status_code in REFUSED | {405}, url
            if name.endswith(("-add", "-edit", "-import")):
                assert client.get(url).status_code in REFUSED, url
    assert alive_counts() == before


def test_operator_staff_open_every_page(login, staff, records):
    client = login(staff)
    for name, prefix, takes_pk in training_routes():
        if name.endswith(READ_ROUTES + ("-add", "-edit", "-import")):
            url = url_of(name, prefix, takes_pk, records)
            assert client.get(url).status_code == 200, url


def test_operator_staff_delete_and_restore_but_only_the_admin_purges(login, staff, operator_admin, records):
    visit = records.visit
    client = login(staff)
    assert client.post(reverse("training:follow-up-delete", args=[visit.pk])).status_code == 302
    assert not FollowUpVisit.objects.filter(pk=visit.pk).exists()
    assert client.post(reverse("training:follow-up-purge", args=[visit.pk])).status_code in REFUSED
    assert FollowUpVisit.all_objects.filter(pk=visit.pk).exists()
    client.post(reverse("training:follow-up-restore", args=[visit.pk]))
    assert FollowUpVisit.objects.filter(pk=visit.pk).exists()
    client.post(reverse("training:follow-up-delete", args=[visit.pk]))
    # when the operator admin purges it
    login(operator_admin).post(reverse("training:follow-up-purge", args=[visit.pk]))
    # then
    assert not FollowUpVisit.all_objects.filter(pk=visit.pk).exists()


def test_a_session_with_attendance_cannot_be_purged_until_its_attendance_is(login, operator_admin, records):
    client = login(operator_admin)
    session = records.session
    client.post(reverse("training:session-delete", args=[session.pk]))
    response = client.post(reverse("training:session-purge", args=[session.pk]), follow=True)
    assert "仍被其他记录引用" in response.content.decode()
    assert TrainingSession.all_objects.filter(pk=session.pk).exists()


def test_operator_staff_upload_the_sign_in_sheet_to_a_session(login, staff, records):
    client = login(staff)
    url = reverse("training:session-evidence", args=[records.session.pk])
    assert client.post(url, {"file": document("第一期签到表.pdf")}).status_code == 302
    page = client.get(reverse("training:session-detail", args=[records.session.pk])).content.decode()
    assert "第一期签到表.pdf" in page


# --- the API ---------------------------------------------------------------------------------------

SEGMENTS = {
    "sessions": "session",
    "attendance": "attendance",
    "outcomes": "outcome",
    "follow-ups": "visit",
    "textbooks": "textbook",
    "merchant-census": "census",
    "feedback-analyses": "analysis",
}


def training_api_routes() -> list[tuple[str, str, str]]:
    """(ledger segment, path template, method) of every operation under /api/training/."""
    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path.startswith("/api/training/"):
            routes.extend((path.split("/")[3], path, method.upper()) for method in operations)
    return routes


def api_url(path, segment, records, own=True):
    if "{pk}" not in path:
        return path
    attribute = SEGMENTS[segment]
    if not own and segment in ("sessions", "attendance"):
        attribute = "other_" + attribute
    return path.replace("{pk}", str(getattr(records, attribute).pk))


def call(client, method, url, headers):
    if method in {"POST", "PATCH"}:
        return getattr(client, method.lower())(url, {}, content_type="application/json", **headers)
    return getattr(client, method.lower())(url, **headers)


def test_every_ledger_is_in_the_api():
    segments = {segment for segment, _path, _method in training_api_routes()}
    assert segments == set(SEGMENTS)
    assert len(training_api_routes()) == 5 * len(SEGMENTS)


def test_the_api_refuses_a_call_without_a_token_everywhere(client, records):
    before = alive_counts()
    for segment, path, method in training_api_routes():
        response = call(client, method, api_url(path, segment, records), {})
        assert response.status_code == 401, f"{method} {path}"
    assert alive_counts() == before


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
def test_the_api_gives_a_station_manager_only_their_stations_sessions_and_attendance_to_read(
    client, api_token, request, persona, records
):
    headers = api_token(request.getfixturevalue(persona))
    own = persona == "manager"
    before = alive_counts()
    for segment, path, method in training_api_routes():
        response = call(client, method, api_url(path, segment, records, own=own), headers)
        if segment in ("sessions", "attendance") and method == "GET":
            assert response.status_code == 200, f"{method} {path}"
        else:
            assert response.status_code in REFUSED, f"{method} {path}: {response.status_code}"
        if "{pk}" in path and segment in ("sessions", "attendance"):
            other = call(client, method, api_url(path, segment, records, own=not own), headers)
            assert other.status_code == 404, f"{method} {path} (other station)"
    mine = records.session if own else records.other_session
    listed = client.get("/api/training/sessions/", **headers).json()["items"]
    assert [item["code"] for item in listed] == [mine.code]
    attended = client.get("/api/training/attendance/", **headers).json()["items"]
    assert [item["session_id"] for item in attended] == [mine.pk]
    assert alive_counts() == before


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_the_api_lets_read_only_roles_read_everything_and_change_nothing(
    client, api_token, request, persona, records
):
    headers = api_token(request.getfixturevalue(persona))
    before = alive_counts()
    for segment, path, method in training_api_routes():
        response = call(client, method, api_url(path, segment, records), headers)
        expected = {200} if method == "GET" else {403}
        assert response.status_code in expected, f"{method} {path}: {response.status_code}"
    assert alive_counts() == before


def test_the_api_lets_operator_staff_delete_every_kind_of_record(client, api_token, staff, records):
    headers = api_token(staff)
    for segment, attribute in SEGMENTS.items():
        response = client.delete(f"/api/training/{segment}/{getattr(records, attribute).pk}", **headers)
        assert response.status_code == 204, (segment, response.content)
    assert alive_counts() == (1, 1, 0, 0, 0, 0, 0)
