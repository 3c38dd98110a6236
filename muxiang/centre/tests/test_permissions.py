"""The service centre is the operator's: staff and admin write, the client supervisor and the
auditor read, an anonymous visitor is sent to log in. A station manager reaches nothing of it but
the field surveys of their own station, which they read and do not change.

Every route of the ``centre`` namespace is walked from the URL resolver, and every operation of
``/api/centre/`` from the API's own schema, so a route added later is covered or fails here."""

import pytest
from django.urls import get_resolver, reverse

from muxiang.api import api
from muxiang.centre.models import Event, FieldSurvey, WorkOrder
from muxiang.centre.tests.conftest import document

REFUSED = {403, 404}
READ_ROUTES = ("-list", "-detail", "-export", "-template", "-calendar")
# Routes a station manager reaches: the surveys of their own station, read only.
MANAGER_READS = {"survey-list", "survey-detail", "survey-export", "survey-template"}


def centre_routes() -> list[tuple[str, bool]]:
    """(name, takes_pk) of every route under centre:."""
    _prefix, resolver = get_resolver().namespace_dict["centre"]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


def url_of(name, takes_pk, records, own_survey=True):
    if not takes_pk:
        return reverse(f"centre:{name}")
    attribute = name.split("-")[0]
    if attribute == "survey" and not own_survey:
        attribute = "other_survey"
    return reverse(f"centre:{name}", args=[getattr(records, attribute).pk])


def alive_counts():
    return (WorkOrder.objects.count(), Event.objects.count(), FieldSurvey.objects.count())


def test_every_route_is_one_these_tests_know():
    names = {name for name, _pk in centre_routes()}
    assert {"overview", "area-calendar", "workorder-list", "survey-detail", "income-import"} <= names
    for name in names:
        assert name == "overview" or name.split("-")[0] in {
            "centre",
            "area",
            "workorder",
            "event",
            "incubation",
            "followup",
            "survey",
            "service",
            "income",
        }, name


# --- the web pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_login_from_every_centre_route(client, records, method):
    for name, takes_pk in centre_routes():
        url = url_of(name, takes_pk, records)
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_station_manager_is_refused_everywhere_but_the_surveys_of_their_station(
    login, manager, records, method
):
    # given 巴特尔, manager of the station the first survey is about
    client = login(manager)
    before = alive_counts()
    for name, takes_pk in centre_routes():
        url = url_of(name, takes_pk, records)
        data = {"file": document()} if method == "post" else {}
        # when
        response = getattr(client, method)(url, data)
        # then
        if name in MANAGER_READS:
            # Reading pages answer a POST as a GET (nothing is written either way).
            assert response.status_code == 200, url
        else:
            assert response.status_code in REFUSED | {405}, f"{method} {url}: {response.status_code}"
    assert alive_counts() == before


def test_a_station_manager_reads_only_their_own_stations_surveys(login, manager, records):
    client = login(manager)
    listing = client.get(reverse("centre:survey-list")).content.decode()
    assert records.survey.number in listing
    assert records.other_survey.number not in listing
    assert client.get(reverse("centre:survey-detail", args=[records.other_survey.pk])).status_code == 404
    page = client.get(reverse("centre:survey-detail", args=[records.survey.pk])).content.decode()
    assert reverse("centre:survey-edit", args=[records.survey.pk]) not in page


def test_the_other_station_manager_sees_none_of_the_first_stations_surveys(login, other_manager, records):
    client = login(other_manager)
    listing = client.get(reverse("centre:survey-list")).content.decode()
    assert records.other_survey.number in listing and records.survey.number not in listing
    assert client.get(reverse("centre:survey-detail", args=[records.survey.pk])).status_code == 404


def test_a_station_managers_survey_export_holds_only_their_station(login, manager, records):
    from muxiang.core.tests.test_ledger_import import read_xlsx

    response = login(manager).get(reverse("centre:survey-export"))
    rows = read_xlsx(response.content)
    assert [row[1] for row in rows[1:]] == [records.survey.number]


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, records):
    client = login(request.getfixturevalue(persona))
    before = alive_counts()
    for name, takes_pk in centre_routes():
        url = url_of(name, takes_pk, records)
        if name.endswith(READ_ROUTES) or name == "overview":
            assert client.get(url).status_code == 200, url
        else:
            assert client.post(url, {"file": document()}).status_code in REFUSED | {405}, url
            if name.endswith(("-add", "-edit", "-import")):
                assert client.get(url).status_code in REFUSED, url
    assert alive_counts() == before


def test_operator_staff_delete_and_restore_but_only_the_admin_purges(login, staff, operator_admin, records):
    order = records.workorder
    client = login(staff)
    assert client.post(reverse("centre:workorder-delete", args=[order.pk])).status_code == 302
    assert not WorkOrder.objects.filter(pk=order.pk).exists()
    assert client.post(reverse("centre:workorder-purge", args=[order.pk])).status_code in REFUSED
    assert WorkOrder.all_objects.filter(pk=order.pk).exists()
    client.post(reverse("centre:workorder-restore", args=[order.pk]))
    assert WorkOrder.objects.filter(pk=order.pk).exists()
    client.post(reverse("centre:workorder-delete", args=[order.pk]))
    # when the operator admin purges it
    login(operator_admin).post(reverse("centre:workorder-purge", args=[order.pk]))
    # then
    assert not WorkOrder.all_objects.filter(pk=order.pk).exists()


def test_operator_staff_upload_evidence_to_a_work_order(login, staff, records):
    client = login(staff)
    url = reverse("centre:workorder-evidence", args=[records.workorder.pk])
    assert client.post(url, {"file": document("服务工单.pdf")}).status_code == 302
    page = client.get(reverse("centre:workorder-detail", args=[records.workorder.pk])).content.decode()
    assert "服务工单.pdf" in page


def test_a_station_manager_does_not_see_the_centre_overview(login, manager, records):
    assert login(manager).get(reverse("centre:overview")).status_code == 403


# --- the API ---------------------------------------------------------------------------------------

SEGMENTS = {
    "centres": "centre",
    "areas": "area",
    "work-orders": "workorder",
    "events": "event",
    "incubations": "incubation",
    "follow-ups": "followup",
    "surveys": "survey",
    "services": "service",
    "incomes": "income",
}


def centre_api_routes() -> list[tuple[str, str, str]]:
    """(ledger segment, path template, method) of every operation under /api/centre/."""
    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path.startswith("/api/centre/"):
            routes.extend((path.split("/")[3], path, method.upper()) for method in operations)
    return routes


def api_url(path, segment, records, own_survey=True):
    if "{pk}" not in path:
        return path
    attribute = SEGMENTS[segment]
    if attribute == "survey" and not own_survey:
        attribute = "other_survey"
    return path.replace("{pk}", str(getattr(records, attribute).pk))


def call(client, method, url, headers):
    if method in {"POST", "PATCH"}:
        return getattr(client, method.lower())(url, {}, content_type="application/json", **headers)
    return getattr(client, method.lower())(url, **headers)


def test_every_ledger_is_in_the_api():
    segments = {segment for segment, _path, _method in centre_api_routes()}
    assert segments == set(SEGMENTS)
    assert len(centre_api_routes()) == 5 * len(SEGMENTS)


def test_the_api_refuses_a_call_without_a_token_everywhere(client, records):
    for segment, path, method in centre_api_routes():
        response = call(client, method, api_url(path, segment, records), {})
        assert response.status_code == 401, f"{method} {path}"


def test_the_api_gives_a_station_manager_only_their_stations_surveys_to_read(
    client, api_token, manager, records
):
    headers = api_token(manager)
    before = alive_counts()
    for segment, path, method in centre_api_routes():
        response = call(client, method, api_url(path, segment, records), headers)
        if segment == "surveys" and method == "GET":
            assert response.status_code == 200, f"{method} {path}"
        else:
            assert response.status_code in REFUSED, f"{method} {path}: {response.status_code}"
        if "{pk}" in path and segment == "surveys":
            other = call(client, method, api_url(path, segment, records, own_survey=False), headers)
            assert other.status_code == 404, f"{method} {path} (other station)"
    listed = client.get("/api/centre/surveys/", **headers).json()["items"]
    assert [item["number"] for item in listed] == [records.survey.number]
    assert alive_counts() == before


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_the_api_lets_read_only_roles_read_everything_and_change_nothing(
    client, api_token, request, persona, records
):
    headers = api_token(request.getfixturevalue(persona))
    before = alive_counts()
    for segment, path, method in centre_api_routes():
        response = call(client, method, api_url(path, segment, records), headers)
        expected = {200} if method == "GET" else {403}
        assert response.status_code in expected, f"{method} {path}: {response.status_code}"
    assert alive_counts() == before


def test_the_api_lets_operator_staff_delete_every_kind_of_record(client, api_token, staff, records):
    headers = api_token(staff)
    # Children first: an incubation with a live follow-up is still deleted softly.
    for segment in ("follow-ups", "incubations", "work-orders", "events", "surveys", "incomes"):
        attribute = SEGMENTS[segment]
        response = client.delete(f"/api/centre/{segment}/{getattr(records, attribute).pk}", **headers)
        assert response.status_code == 204, (segment, response.content)
    assert alive_counts() == (0, 0, 1)
