"""The brand system belongs to the operator: staff and admin write, only the admin purges, the
client supervisor and the auditor read everything and change nothing, a station manager reaches
nothing (no brand record belongs to a station), an anonymous visitor is sent to log in. Every route
of the ``brands`` namespace and every API route under ``/api/brands/`` is walked, read from the URL
resolver and the API schema, so a route added later is walked too."""

import pytest
from django.urls import get_resolver, reverse

from muxiang.api import api
from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, ProductSeries, SeriesProduct
from muxiang.brands.tests.conftest import PNG, make_product
from muxiang.core.models import Evidence

pytestmark = pytest.mark.django_db

APP = "brands"
REFUSED = {403, 404}
MODELS = {
    "brand": Brand,
    "member": BrandMember,
    "service": BrandService,
    "series": ProductSeries,
    "product": SeriesProduct,
    "packaging": PackagingRun,
}
API_SEGMENTS = {
    "brands": "brand",
    "members": "member",
    "services": "service",
    "series": "series",
    "products": "product",
    "packaging": "packaging",
}
PATCH = {
    "brand": {"notes": "接口修改"},
    "member": {"notes": "接口修改"},
    "service": {"outcome": "接口修改"},
    "series": {"description": "接口修改"},
    "product": {"selling_points": "接口修改"},
    "packaging": {"notes": "接口修改"},
}
READ_ROUTES = ("-list", "-detail", "-export", "-template")


def photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("照片.png", PNG, "image/png")


def routes():
    """(name, takes_pk) of every route under brands:."""
    _prefix, resolver = get_resolver().namespace_dict[APP]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


def url_of(name, takes_pk, records):
    if takes_pk:
        return reverse(f"{APP}:{name}", args=[records[name.split("-")[0]].pk])
    return reverse(f"{APP}:{name}")


def alive_state():
    return {prefix: sorted(model.objects.values_list("pk", "updated_at")) for prefix, model in MODELS.items()}


@pytest.fixture
def new_values(contract, records, other_organisation):
    """A good new record of each ledger, as a form or the API takes it."""
    spare = make_product(9, name="风干羊肉")
    series = records["series"]
    return {
        "brand": {
            "contract": contract.pk,
            "name": "乌拉特奶香",
            "tier": "industry",
            "industry": "奶制品",
            "trademark_status": "none",
            "established_on": "2026-04-02",
            "notes": "测试",
        },
        "member": {
            "brand": records["brand"].pk,
            "organisation": other_organisation.pk,
            "authorisation_number": "WLT-SQ-009",
            "joined_on": "2026-04-02",
            "notes": "测试",
        },
        "service": {
            "member": records["member"].pk,
            "kind": "marketing",
            "provided_on": "2026-04-02",
            "content": "策划直播推广",
            "outcome": "测试",
        },
        "series": {
            "code": "XL-09",
            "name": "奶香系列",
            "brand": records["brand"].pk,
            "launched_on": "2026-04-02",
            "description": "测试",
        },
        "product": {
            "series": series.pk,
            "product": spare.pk,
            "launched_on": "2026-04-02",
            "selling_points": "测试",
        },
        "packaging": {
            "series": series.pk,
            "design": "手提袋",
            "units": 800,
            "supplier": "巴彦淖尔印务有限公司",
            "produced_on": "2026-04-02",
            "notes": "测试",
        },
    }


def test_an_anonymous_visitor_is_sent_to_log_in(client, records):
    for name, takes_pk in routes():
        response = client.get(url_of(name, takes_pk, records))
        assert response.status_code in {302, 405}, name
        if response.status_code == 302:
            assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_station_manager_gets_403_or_404_everywhere(login, request, persona, records, method):
    client = login(request.getfixturevalue(persona))
    before = alive_state()
    for name, takes_pk in routes():
        url = url_of(name, takes_pk, records)
        data = {"file": photo(), "left_on": "2026-05-01"} if method == "post" else {}
        response = getattr(client, method)(url, data)
        assert response.status_code in REFUSED | {405}, f"{method} {url}: {response.status_code}"
    assert alive_state() == before
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, records):
    client = login(request.getfixturevalue(persona))
    before = alive_state()
    for name, takes_pk in routes():
        url = url_of(name, takes_pk, records)
        if name.endswith(READ_ROUTES):
            assert client.get(url).status_code == 200, url
            continue
        assert client.get(url).status_code in REFUSED | {405}, url
        data = {"file": photo(), "left_on": "2026-05-01", "name": "改"}
        assert client.post(url, data).status_code in REFUSED | {405}, url
    assert alive_state() == before
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("prefix", list(MODELS))
def test_operator_staff_create_edit_evidence_delete_and_restore_but_cannot_purge(
    login, staff, new_values, prefix
):
    client = login(staff)
    model = MODELS[prefix]
    for page in ("list", "add", "import", "template", "export"):
        assert client.get(reverse(f"{APP}:{prefix}-{page}")).status_code == 200, page
    known = set(model.objects.values_list("pk", flat=True))
    # when 李强 adds a record through the form
    response = client.post(reverse(f"{APP}:{prefix}-add"), new_values[prefix])
    assert response.status_code == 302, response.content.decode()
    record = model.objects.exclude(pk__in=known).get()
    assert response["Location"] == reverse(f"{APP}:{prefix}-detail", args=[record.pk])
    assert client.get(response["Location"]).status_code == 200
    # and edits it
    field, value = next(iter(PATCH[prefix].items()))
    changed = {**new_values[prefix], field: "已核对"}
    assert client.post(reverse(f"{APP}:{prefix}-edit", args=[record.pk]), changed).status_code == 302
    assert getattr(model.objects.get(pk=record.pk), field) == "已核对"
    # and uploads a photo
    client.post(reverse(f"{APP}:{prefix}-evidence", args=[record.pk]), {"file": photo(), "kind": "photo"})
    assert Evidence.objects.count() == 1
    # and deletes and restores it
    assert client.post(reverse(f"{APP}:{prefix}-delete", args=[record.pk])).status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()
    assert client.post(reverse(f"{APP}:{prefix}-restore", args=[record.pk])).status_code == 302
    assert model.objects.filter(pk=record.pk).exists()
    # then purging is the admin's alone
    client.post(reverse(f"{APP}:{prefix}-delete", args=[record.pk]))
    assert client.post(reverse(f"{APP}:{prefix}-purge", args=[record.pk])).status_code == 403
    assert model.all_objects.filter(pk=record.pk).exists()


def api_routes():
    routes_found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path.startswith(f"/api/{APP}/"):
            segment = path.split("/")[3]
            routes_found.extend((API_SEGMENTS[segment], path, method.upper()) for method in operations)
    return routes_found


def call(client, method, path, record, payload=None, headers=None):
    url = path.replace("{pk}", str(record.pk))
    kwargs = {"content_type": "application/json"} if method in {"POST", "PATCH"} else {}
    data = payload if payload is not None else ({} if kwargs else None)
    if data is None:
        return getattr(client, method.lower())(url, **(headers or {}))
    return getattr(client, method.lower())(url, data, **kwargs, **(headers or {}))


def test_the_api_publishes_list_read_create_update_and_delete_for_every_ledger():
    operations = {(prefix, method, "{pk}" in path) for prefix, path, method in api_routes()}
    expected = {
        (prefix, method, has_pk)
        for prefix in MODELS
        for method, has_pk in [
            ("GET", False),
            ("POST", False),
            ("GET", True),
            ("PATCH", True),
            ("DELETE", True),
        ]
    }
    assert operations == expected


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
def test_the_api_gives_a_station_manager_nothing(client, api_token, request, persona, records, new_values):
    headers = api_token(request.getfixturevalue(persona))
    before = alive_state()
    for prefix, path, method in api_routes():
        payload = new_values[prefix] if method in {"POST", "PATCH"} else None
        response = call(client, method, path, records[prefix], payload, headers)
        assert response.status_code in REFUSED, f"{method} {path}: {response.status_code}"
    assert alive_state() == before


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_the_api_lets_read_only_roles_read_and_nothing_else(
    client, api_token, request, persona, records, new_values
):
    headers = api_token(request.getfixturevalue(persona))
    before = alive_state()
    for prefix, path, method in api_routes():
        payload = new_values[prefix] if method in {"POST", "PATCH"} else None
        response = call(client, method, path, records[prefix], payload, headers)
        expected = {200} if method == "GET" else {403}
        assert response.status_code in expected, f"{method} {path}: {response.status_code}"
    assert alive_state() == before


def test_the_api_lets_operator_staff_create_update_and_delete_in_every_ledger(
    client, api_token, staff, records, new_values
):
    headers = api_token(staff)
    order = {"GET": 0, "POST": 1, "PATCH": 2, "DELETE": 3}
    # children before parents, so that a parent's delete is not refused for its live children
    ledgers = ["packaging", "product", "series", "service", "member", "brand"]
    for prefix, path, method in sorted(api_routes(), key=lambda r: (ledgers.index(r[0]), order[r[2]])):
        record = records[prefix]
        if method == "POST":
            response = call(client, method, path, record, new_values[prefix], headers)
            assert response.status_code == 201, response.content
        elif method == "PATCH":
            response = call(client, method, path, record, PATCH[prefix], headers)
            assert response.status_code == 200, response.content
        elif method == "DELETE":
            assert call(client, method, path, record, None, headers).status_code == 204
            assert not type(record).objects.filter(pk=record.pk).exists()
        else:
            assert call(client, method, path, record, None, headers).status_code == 200


def test_the_api_refuses_a_second_membership_with_a_chinese_message(client, api_token, staff, records):
    member = records["member"]
    payload = {
        "brand": member.brand_id,
        "organisation": member.organisation_id,
        "authorisation_number": "WLT-SQ-777",
        "joined_on": "2026-05-01",
    }
    response = client.post(
        "/api/brands/members/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 400
    assert "不能重复加入" in response.json()["errors"][0]["message"]
