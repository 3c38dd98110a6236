"""Who reaches what of station operations. Every route of the ``operations`` namespace is walked
from the URL resolver, and every operation of ``/api/operations/`` from the API's own schema, so a
route added later is covered or fails here.

- An anonymous visitor is sent to log in (the API answers 401).
- 巴特尔, a station manager, reads his own station's daily reports, transactions, visits, problems,
  assets, count lines, evaluation scores and check-ins; he adds and edits his own daily reports and
  nothing else; of 其其格's station he reaches nothing.
- The client supervisor 赵监 and the auditor 孙审 read everything and change nothing.
- Operator staff 李强 create, edit, delete and import; only the operator admin 王敏 purges.
"""

import pytest
from django.urls import get_resolver, reverse

from muxiang.api import api
from muxiang.operations.models import StationDailyReport, StationInspection, StationTransaction
from muxiang.operations.tests.conftest import IN_PHASE_2, document

REFUSED = {403, 404}
# Ledgers whose records belong to a station (a manager reads his own).
SCOPED = {"dailyreport", "transaction", "inspection", "problem", "asset", "countline", "entry", "checkin"}
LEDGERS = SCOPED | {"reportmonth", "training", "evaluation", "appmonth"}
PAGES = {"today", "completeness", "premium", "app-activity"}
READS = ("list", "detail", "export", "template")


def operations_routes() -> list[tuple[str, bool]]:
    """(name, takes_pk) of every route under operations:."""
    _prefix, resolver = get_resolver().namespace_dict["operations"]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


def ledger_of(name: str) -> str:
    return name.split("-")[0]


def action_of(name: str) -> str:
    return name.split("-", 1)[1] if "-" in name and name not in PAGES else ""


def url_of(name, takes_pk, records, own=True):
    if not takes_pk:
        return reverse(f"operations:{name}")
    ledger = ledger_of(name)
    attribute = ledger if own or ledger not in SCOPED else f"other_{ledger}"
    return reverse(f"operations:{name}", args=[getattr(records, attribute).pk])


def alive_counts():
    return (
        StationDailyReport.objects.count(),
        StationTransaction.objects.count(),
        StationInspection.objects.count(),
    )


def test_every_route_is_one_these_tests_know():
    names = {name for name, _pk in operations_routes()}
    assert PAGES | {"inspection-count", "dailyreport-add", "checkin-import", "appmonth-purge"} <= names
    for name in names:
        assert name in PAGES or ledger_of(name) in LEDGERS, name


# --- the web pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_login_from_every_operations_route(client, records, method):
    for name, takes_pk in operations_routes():
        url = url_of(name, takes_pk, records)
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_station_manager_reads_his_own_station_and_adds_only_daily_reports(login, manager, records):
    # given 巴特尔, manager of the station of the first record of every kind
    client = login(manager)
    before = alive_counts()
    for name, takes_pk in operations_routes():
        url = url_of(name, takes_pk, records)
        ledger, action = ledger_of(name), action_of(name)
        # when
        response = client.get(url)
        # then
        if name == "today":
            assert response.status_code == 302, url
        elif ledger in SCOPED and action in READS:
            assert response.status_code == 200, url
        elif ledger == "dailyreport" and action in ("add", "edit"):
            assert response.status_code == 200, url
        else:
            assert response.status_code in REFUSED | {405}, f"GET {url}: {response.status_code}"
    assert alive_counts() == before


def test_a_station_manager_changes_nothing_but_his_own_daily_reports(login, manager, records):
    client = login(manager)
    before = alive_counts()
    for name, takes_pk in operations_routes():
        url = url_of(name, takes_pk, records)
        ledger, action = ledger_of(name), action_of(name)
        response = client.post(url, {"file": document()})
        if ledger == "dailyreport" and action in ("add", "edit"):
            # The form again (a file alone is no form data): nothing written either way.
            assert response.status_code in {200, 400}, url
        elif ledger == "dailyreport" and action == "evidence":
            assert response.status_code == 302, url  # his screenshot of the day
        elif name == "today" or (ledger in SCOPED and action in READS):
            assert response.status_code in {200, 302}, url  # reading pages answer a POST as a GET
        else:
            assert response.status_code in REFUSED | {405}, f"POST {url}: {response.status_code}"
    assert alive_counts() == before


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
def test_a_station_manager_reaches_nothing_of_the_other_station(login, request, persona, records):
    # given each manager, and the records of the other's station
    user = request.getfixturevalue(persona)
    client = login(user)
    own = persona == "manager"
    for name, takes_pk in operations_routes():
        if not takes_pk or ledger_of(name) not in SCOPED:
            continue
        # when he asks for the other station's record
        url = url_of(name, takes_pk, records, own=not own)
        # then it is not there
        assert client.get(url).status_code in {404, 405}, url
        assert client.post(url, {"file": document()}).status_code == 404, url


def test_a_station_managers_lists_and_exports_hold_only_his_station(login, manager, records):
    from muxiang.operations.tests.conftest import read_xlsx

    client = login(manager)
    listing = client.get(reverse("operations:transaction-list")).content.decode()
    assert records.transaction.number in listing and records.other_transaction.number not in listing
    rows = read_xlsx(client.get(reverse("operations:dailyreport-export")).content)
    assert [row[0] for row in rows[1:]] == [records.world.station.code]


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, records):
    client = login(request.getfixturevalue(persona))
    before = alive_counts()
    for name, takes_pk in operations_routes():
        url = url_of(name, takes_pk, records)
        action = action_of(name)
        if name in PAGES or action in READS:
            assert client.get(url).status_code in ({302} if name == "today" else {200}), url
        else:
            assert client.post(url, {"file": document()}).status_code in REFUSED | {405}, url
            if action in ("add", "edit", "import", "count"):
                assert client.get(url).status_code in REFUSED, url
    assert alive_counts() == before


def test_operator_staff_delete_and_restore_but_only_the_admin_purges(login, staff, operator_admin, records):
    visit = records.training
    client = login(staff)
    assert client.post(reverse("operations:training-delete", args=[visit.pk])).status_code == 302
    assert client.post(reverse("operations:training-purge", args=[visit.pk])).status_code in REFUSED
    client.post(reverse("operations:training-restore", args=[visit.pk]))
    client.post(reverse("operations:training-delete", args=[visit.pk]))
    # when the operator admin purges it
    login(operator_admin).post(reverse("operations:training-purge", args=[visit.pk]))
    # then
    from muxiang.operations.models import ManagerTraining

    assert not ManagerTraining.all_objects.filter(pk=visit.pk).exists()


def test_operator_staff_reach_every_page_and_form(login, staff, records):
    client = login(staff)
    for name, takes_pk in operations_routes():
        url = url_of(name, takes_pk, records)
        if name in PAGES or action_of(name) in (*READS, "add", "edit", "import", "count"):
            assert client.get(url).status_code in {200, 302}, url


def test_a_station_manager_sees_no_link_to_the_summary_pages(login, manager, records):
    html = login(manager).get(reverse("operations:dailyreport-list")).content.decode()
    assert reverse("operations:completeness") not in html


# --- the API ---------------------------------------------------------------------------------------

SEGMENTS = {
    "reports": "dailyreport",
    "report-months": "reportmonth",
    "transactions": "transaction",
    "inspections": "inspection",
    "problems": "problem",
    "assets": "asset",
    "asset-counts": "countline",
    "trainings": "training",
    "evaluations": "evaluation",
    "evaluation-entries": "entry",
    "check-ins": "checkin",
    "app-months": "appmonth",
}


def operations_api_routes() -> list[tuple[str, str, str]]:
    """(ledger segment, path template, method) of every operation under /api/operations/."""
    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path.startswith("/api/operations/"):
            routes.extend((path.split("/")[3], path, method.upper()) for method in operations)
    return routes


def api_url(path, segment, records, own=True):
    if "{pk}" not in path:
        return path
    attribute = SEGMENTS[segment]
    if not own and attribute in SCOPED:
        attribute = f"other_{attribute}"
    return path.replace("{pk}", str(getattr(records, attribute).pk))


def call(client, method, url, headers, payload=None):
    if method in {"POST", "PATCH"}:
        return getattr(client, method.lower())(url, payload or {}, content_type="application/json", **headers)
    return getattr(client, method.lower())(url, **headers)


def test_every_ledger_is_in_the_api():
    segments = {segment for segment, _path, _method in operations_api_routes()}
    assert segments == set(SEGMENTS)
    assert len(operations_api_routes()) == 5 * len(SEGMENTS)


def test_the_api_refuses_a_call_without_a_token_everywhere(client, records):
    for segment, path, method in operations_api_routes():
        response = call(client, method, api_url(path, segment, records), {})
        assert response.status_code == 401, f"{method} {path}"


def test_the_api_gives_a_station_manager_his_own_station_and_his_daily_reports(
    client, api_token, manager, records
):
    headers = api_token(manager)
    before = alive_counts()
    for segment, path, method in operations_api_routes():
        ledger = SEGMENTS[segment]
        response = call(client, method, api_url(path, segment, records), headers)
        if ledger in SCOPED and method == "GET":
            expected = {200}
        elif ledger == "dailyreport" and method in {"POST", "PATCH"}:
            expected = {200, 400}  # allowed: an empty payload is refused by the form, not the role
        else:
            expected = REFUSED
        assert response.status_code in expected, f"{method} {path}: {response.status_code}"
        if "{pk}" in path and ledger in SCOPED:
            other = call(client, method, api_url(path, segment, records, own=False), headers)
            assert other.status_code == 404, f"{method} {path} (other station)"
    listed = client.get("/api/operations/reports/", **headers).json()["items"]
    assert [item["station_id"] for item in listed] == [records.world.station.pk]
    assert alive_counts() == before


def test_the_api_lets_a_station_manager_report_his_day(client, api_token, manager, records):
    # when 巴特尔 reports from an app, naming 其其格's station
    response = call(
        client,
        "POST",
        "/api/operations/reports/",
        api_token(manager),
        {"station": records.world.other_station.pk, "day": "2026-11-27", "proxy_selling_amount": "88.50"},
    )
    # then the report is his station's
    assert response.status_code == 201, response.content
    created = StationDailyReport.objects.get(pk=response.json()["id"])
    assert created.station == records.world.station and created.proxy_selling_amount == 88.5


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_the_api_lets_read_only_roles_read_everything_and_change_nothing(
    client, api_token, request, persona, records
):
    headers = api_token(request.getfixturevalue(persona))
    before = alive_counts()
    for segment, path, method in operations_api_routes():
        response = call(client, method, api_url(path, segment, records), headers)
        expected = {200} if method == "GET" else {403}
        assert response.status_code in expected, f"{method} {path}: {response.status_code}"
    assert alive_counts() == before


def test_the_api_lets_operator_staff_delete_every_kind_of_record(client, api_token, staff, records):
    headers = api_token(staff)
    # Children first.
    for segment in (
        "asset-counts",
        "problems",
        "evaluation-entries",
        "reports",
        "report-months",
        "transactions",
        "inspections",
        "assets",
        "trainings",
        "evaluations",
        "check-ins",
        "app-months",
    ):
        attribute = SEGMENTS[segment]
        response = client.delete(f"/api/operations/{segment}/{getattr(records, attribute).pk}", **headers)
        assert response.status_code == 204, (segment, response.content)
    assert StationDailyReport.objects.filter(day=IN_PHASE_2).count() == 1  # 其其格's is still there


# --- list pages cost the same whatever the rows ------------------------------------------------------


def test_every_list_page_costs_the_same_queries_for_few_and_many_records(login, staff, records):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from muxiang.operations.models import AssetCountLine, EvaluationEntry, InspectionProblem
    from muxiang.operations.tests.conftest import asset, inspection, report, transaction

    client = login(staff)
    lists = [name for name, takes_pk in operations_routes() if name.endswith("-list")]

    def cost():
        counts = {}
        for name in lists:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(f"operations:{name}")).status_code == 200
            counts[name] = len(queries)
        return counts

    cost()  # the first request of a session reads what later ones find cached
    few = cost()
    world, contract = records.world, records.contract
    for n in range(12):
        day = dt.date(2026, 9, 1) + dt.timedelta(days=n)
        report(world.station, day)
        visit = inspection(contract, world.station, day)
        InspectionProblem.objects.create(inspection=visit, description=f"问题{n}")
        AssetCountLine.objects.create(
            inspection=visit, asset=asset(world.station, f"ZD-X-{n}"), result="found"
        )
        transaction(world.other_station, day)
    EvaluationEntry.objects.filter(pk=records.entry.pk).delete()
    assert cost() == few
