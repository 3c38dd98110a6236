"""The ministry deliveries are the operator's: staff schedule and send, the client supervisor and the
auditor read, a station manager reaches nothing, an anonymous visitor is sent to log in. Every route
of the ``mofcom`` namespace and every operation of ``/api/mofcom/`` is walked."""

import datetime

import pytest
from django.urls import get_resolver, reverse

from muxiang.api import api
from muxiang.mofcom import services
from muxiang.mofcom.choices import DeliveryKind
from muxiang.mofcom.models import MinistryDelivery
from muxiang.mofcom.tests.conftest import YESTERDAY

REFUSED = {403, 404}
READS = ("overview", "download", "delivery-list", "delivery-detail", "delivery-export", "delivery-template")


def mofcom_routes():
    _prefix, resolver = get_resolver().namespace_dict["mofcom"]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


@pytest.fixture
def delivery(world, staff, file_settings):
    return services.schedule_delivery(DeliveryKind.DAILY, YESTERDAY, staff)


def url_of(name, takes_pk, delivery):
    return reverse(f"mofcom:{name}", args=[delivery.pk] if takes_pk else [])


def test_every_route_is_one_these_tests_know():
    names = {name for name, _pk in mofcom_routes()}
    assert {"overview", "download", "schedule", "run", "delivery-list", "delivery-purge"} <= names
    assert all(
        name in {"overview", "download", "schedule", "run"} or name.startswith("delivery-") for name in names
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_login_from_every_route(client, delivery, method):
    for name, takes_pk in mofcom_routes():
        response = getattr(client, method)(url_of(name, takes_pk, delivery))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), (
            name
        )


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_station_manager_is_refused_everywhere(login, request, persona, delivery, method):
    client = login(request.getfixturevalue(persona))
    for name, takes_pk in mofcom_routes():
        response = getattr(client, method)(url_of(name, takes_pk, delivery))
        assert response.status_code in REFUSED | {405}, f"{method} {name}: {response.status_code}"
    assert MinistryDelivery.objects.count() == 1


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, delivery):
    client = login(request.getfixturevalue(persona))
    for name, takes_pk in mofcom_routes():
        url = url_of(name, takes_pk, delivery)
        if name in READS:
            assert client.get(url).status_code == 200, name
        else:
            assert client.post(url).status_code in REFUSED | {405}, name
    delivery.refresh_from_db()
    assert delivery.attempts == 0 and MinistryDelivery.objects.count() == 1


def test_operator_staff_schedule_and_send_from_the_overview(
    login, staff, file_settings, reported_day, contract
):
    client = login(staff)
    assert client.post(reverse("mofcom:schedule")).status_code == 302
    assert MinistryDelivery.objects.filter(reference="daily-2026-11-27").exists()
    response = client.post(reverse("mofcom:run"), follow=True)
    assert "报送成功" in response.content.decode()
    assert MinistryDelivery.objects.get(reference="daily-2026-11-27").is_delivered


def test_operator_staff_delete_an_unattempted_delivery_and_only_the_admin_purges(
    login, staff, operator_admin, delivery
):
    client = login(staff)
    assert client.post(reverse("mofcom:delivery-delete", args=[delivery.pk])).status_code == 302
    assert client.post(reverse("mofcom:delivery-purge", args=[delivery.pk])).status_code in REFUSED
    login(operator_admin).post(reverse("mofcom:delivery-purge", args=[delivery.pk]))
    assert not MinistryDelivery.all_objects.exists()


def test_the_overview_previews_a_day_in_the_platforms_fields(login, staff, reported_day):
    html = (
        login(staff)
        .get(reverse("mofcom:overview"), {"kind": "daily", "period": "2026-11-27"})
        .content.decode()
    )
    assert "站点编码" in html and "station_code" in html and "888.80" in html


def test_the_download_gives_any_day_as_a_file(login, staff, reported_day):
    response = login(staff).get(
        reverse("mofcom:download"), {"kind": "daily", "period": "2026-11-27", "format": "csv"}
    )
    assert response.status_code == 200 and "HLT-001" in response.content.decode("utf-8-sig")


# --- the API ---------------------------------------------------------------------------------------


def api_routes():
    return [
        (path, method.upper())
        for path, operations in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/mofcom/")
        for method in operations
    ]


def call(client, method, path, delivery, headers, payload=None):
    url = path.replace("{pk}", str(delivery.pk))
    if method in {"POST", "PATCH"}:
        return getattr(client, method.lower())(url, payload or {}, content_type="application/json", **headers)
    return getattr(client, method.lower())(url, **headers)


def test_the_api_has_the_five_delivery_routes():
    assert len(api_routes()) == 5


def test_the_api_refuses_anonymous_calls_and_station_managers(client, api_token, manager, delivery):
    for path, method in api_routes():
        assert call(client, method, path, delivery, {}).status_code == 401, path
        assert call(client, method, path, delivery, api_token(manager)).status_code in REFUSED, (method, path)


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_the_api_lets_read_only_roles_read_and_change_nothing(client, api_token, request, persona, delivery):
    headers = api_token(request.getfixturevalue(persona))
    for path, method in api_routes():
        expected = {200} if method == "GET" else {403}
        assert call(client, method, path, delivery, headers).status_code in expected, (method, path)


def test_the_api_lets_staff_schedule_a_month_and_refuses_a_month_not_over(
    client, api_token, staff, contract, delivery
):
    headers = api_token(staff)
    created = call(
        client,
        "POST",
        "/api/mofcom/deliveries/",
        delivery,
        headers,
        {"kind": "monthly", "period": "2026-10-01", "contract": contract.pk},
    )
    assert created.status_code == 201, created.content.decode()
    assert created.json()["reference"] == "monthly-2026-10"
    refused = call(
        client,
        "POST",
        "/api/mofcom/deliveries/",
        delivery,
        headers,
        {"kind": "monthly", "period": "2026-11-01", "contract": contract.pk},
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "period"
    assert MinistryDelivery.objects.filter(period=datetime.date(2026, 11, 1)).count() == 0
