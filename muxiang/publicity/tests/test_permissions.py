"""Publicity belongs to the operator: staff and admin write, only the admin purges, the client
supervisor and the auditor read everything and change nothing, a station manager reaches nothing at
all (no publicity record belongs to a station), an anonymous visitor is sent to log in. Every route
of the ``publicity`` namespace and every API route under ``/api/publicity/`` is walked, read from
the URL resolver and the API schema, so a route added later is walked too."""

import pytest
from django.urls import get_resolver, reverse

from muxiang.api import api
from muxiang.core.models import Evidence
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, MediaCoverage, Video
from muxiang.publicity.tests.conftest import screenshot

REFUSED = {403, 404}
MODELS = {
    "article": Article,
    "coverage": MediaCoverage,
    "billboard": Billboard,
    "brochure": BrochureDistribution,
    "video": Video,
}
API_SEGMENTS = {
    "articles": "article",
    "coverage": "coverage",
    "billboards": "billboard",
    "brochures": "brochure",
    "videos": "video",
}
READ_ROUTES = ("-list", "-detail", "-export", "-template")
KNOWN_ROUTES = {"list", "add", "export", "template", "import", "detail", "edit", "delete", "restore"}
KNOWN_ROUTES |= {"purge", "evidence"}


def publicity_routes():
    """(name, takes_pk) of every route under publicity:."""
    _prefix, resolver = get_resolver().namespace_dict["publicity"]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


def url_of(name, takes_pk, records):
    if takes_pk:
        return reverse(f"publicity:{name}", args=[records[name.split("-")[0]].pk])
    return reverse(f"publicity:{name}")


def new_values(prefix, contract, town, n=9):
    """A good new record of each ledger, as a form or the API takes it."""
    common = {"contract": contract.pk, "notes": "测试"}
    return {
        "article": {
            **common,
            "title": "乌拉特中旗羊绒走进直播间",
            "channel": "wechat",
            "account": "乌拉特中旗电商",
            "url": f"https://mp.weixin.qq.com/s/new-{n}",
            "published_on": "2026-04-02",
            "reads": 12,
            "promotes_brand": True,
        },
        "coverage": {
            **common,
            "level": "national",
            "outlet": "人民网",
            "title": "草原上的电商服务站",
            "published_on": "2026-04-02",
            "url": f"https://www.people.com.cn/n/{n}.html",
            "promotes_brand": False,
        },
        "billboard": {
            **common,
            "number": f"GGP-{n:03d}",
            "place": "海流图镇迎宾大道",
            "region": town.pk,
            "installed_on": "2026-04-02",
            "size": "6m×3m",
            "content": "电子商务进农村综合示范项目",
        },
        "brochure": {
            **common,
            "number": f"CY-{n:03d}",
            "title": "电商服务进牧区",
            "pages": 300,
            "place": "海流图镇集市",
            "region": town.pk,
            "distributed_on": "2026-04-02",
            "audience": "赶集牧民",
        },
        "video": {
            **common,
            "title": "网店开设培训",
            "kind": "training",
            "platform": "抖音",
            "url": f"https://www.douyin.com/video/{n}",
            "published_on": "2026-04-02",
            "views": 40,
            "promotes_brand": False,
        },
    }[prefix]


def alive_state():
    """What a refused request must leave as it was: every alive record and when it last changed."""
    return {prefix: sorted(model.objects.values_list("pk", "updated_at")) for prefix, model in MODELS.items()}


def test_every_publicity_route_is_one_these_tests_know():
    names = {name for name, _pk in publicity_routes()}
    expected = {f"{prefix}-{route}" for prefix in MODELS for route in KNOWN_ROUTES} | {"article-reads"}
    assert names == expected


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_login_from_every_publicity_route(client, records, method):
    for name, takes_pk in publicity_routes():
        url = url_of(name, takes_pk, records)
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_station_manager_gets_403_or_404_everywhere(login, request, persona, records, method):
    client = login(request.getfixturevalue(persona))
    before = alive_state()
    for name, takes_pk in publicity_routes():
        url = url_of(name, takes_pk, records)
        data = {"file": screenshot(), "reads": "99"} if method == "post" else {}
        response = getattr(client, method)(url, data)
        assert response.status_code in REFUSED | {405}, f"{method} {url}: {response.status_code}"
    assert alive_state() == before
    assert not Evidence.objects.exists()


def test_a_station_manager_finds_no_publicity_on_the_home_page(login, manager, records):
    html = login(manager).get(reverse("home")).content.decode()
    for prefix in MODELS:
        assert reverse(f"publicity:{prefix}-list") not in html


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, records):
    client = login(request.getfixturevalue(persona))
    before = alive_state()
    for name, takes_pk in publicity_routes():
        url = url_of(name, takes_pk, records)
        if name.endswith(READ_ROUTES):
            assert client.get(url).status_code == 200, url
            continue
        assert client.get(url).status_code in REFUSED | {405}, url
        data = {"file": screenshot(), "reads": "99", "title": "改"}
        assert client.post(url, data).status_code in REFUSED | {405}, url
    assert alive_state() == before
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_see_no_reads_form_or_edit_button(login, request, persona, records):
    article = records["article"]
    page = login(request.getfixturevalue(persona)).get(article.get_absolute_url()).content.decode()
    assert reverse("publicity:article-reads", args=[article.pk]) not in page
    assert reverse("publicity:article-edit", args=[article.pk]) not in page


@pytest.mark.parametrize("prefix", list(MODELS))
def test_operator_staff_create_edit_evidence_delete_and_restore_but_cannot_purge(
    login, staff, contract, town, prefix
):
    client = login(staff)
    model = MODELS[prefix]
    for page in ("list", "add", "import", "template", "export"):
        assert client.get(reverse(f"publicity:{prefix}-{page}")).status_code == 200, page
    # when 李强 adds a record through the form
    response = client.post(reverse(f"publicity:{prefix}-add"), new_values(prefix, contract, town))
    assert response.status_code == 302, response.content.decode()
    record = model.objects.get()
    assert response["Location"] == reverse(f"publicity:{prefix}-detail", args=[record.pk])
    # and edits it
    assert client.get(reverse(f"publicity:{prefix}-edit", args=[record.pk])).status_code == 200
    changed = {**new_values(prefix, contract, town), "notes": "已核对"}
    assert client.post(reverse(f"publicity:{prefix}-edit", args=[record.pk]), changed).status_code == 302
    assert model.objects.get().notes == "已核对"
    # and uploads its screenshot or photo
    client.post(reverse(f"publicity:{prefix}-evidence", args=[record.pk]), {"file": screenshot()})
    assert Evidence.objects.count() == 1
    # and deletes and restores it
    assert client.post(reverse(f"publicity:{prefix}-delete", args=[record.pk])).status_code == 302
    assert not model.objects.exists()
    assert client.post(reverse(f"publicity:{prefix}-restore", args=[record.pk])).status_code == 302
    assert model.objects.exists()
    # then purging is the admin's alone
    client.post(reverse(f"publicity:{prefix}-delete", args=[record.pk]))
    assert client.post(reverse(f"publicity:{prefix}-purge", args=[record.pk])).status_code == 403
    assert model.all_objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("prefix", list(MODELS))
def test_only_the_operator_admin_purges_a_deleted_record(login, staff, operator_admin, records, prefix):
    record = records[prefix]
    login(staff).post(reverse(f"publicity:{prefix}-delete", args=[record.pk]))
    # when
    response = login(operator_admin).post(reverse(f"publicity:{prefix}-purge", args=[record.pk]))
    # then
    assert response.status_code == 302
    assert not type(record).all_objects.filter(pk=record.pk).exists()


# --- the API ---------------------------------------------------------------------------------------


def api_routes():
    """(ledger prefix, path template, method) of every operation under /api/publicity/."""
    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path.startswith("/api/publicity/"):
            segment = path.split("/")[3]
            routes.extend((API_SEGMENTS[segment], path, method.upper()) for method in operations)
    return routes


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


def test_an_anonymous_caller_gets_401_from_every_publicity_api_route(client, records):
    for prefix, path, method in api_routes():
        response = call(client, method, path, records[prefix])
        assert response.status_code == 401, f"{method} {path}"


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
def test_the_api_gives_a_station_manager_nothing(
    client, api_token, request, persona, records, contract, town
):
    headers = api_token(request.getfixturevalue(persona))
    before = alive_state()
    for prefix, path, method in api_routes():
        payload = new_values(prefix, contract, town) if method in {"POST", "PATCH"} else None
        response = call(client, method, path, records[prefix], payload, headers)
        assert response.status_code in REFUSED, f"{method} {path}: {response.status_code}"
    assert alive_state() == before


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_the_api_lets_read_only_roles_read_and_nothing_else(
    client, api_token, request, persona, records, contract, town
):
    headers = api_token(request.getfixturevalue(persona))
    before = alive_state()
    for prefix, path, method in api_routes():
        payload = new_values(prefix, contract, town) if method in {"POST", "PATCH"} else None
        response = call(client, method, path, records[prefix], payload, headers)
        expected = {200} if method == "GET" else {403}
        assert response.status_code in expected, f"{method} {path}: {response.status_code}"
    assert alive_state() == before


def test_the_api_lets_operator_staff_create_update_and_delete_in_every_ledger(
    client, api_token, staff, records, contract, town
):
    headers = api_token(staff)
    order = {"GET": 0, "POST": 1, "PATCH": 2, "DELETE": 3}
    for prefix, path, method in sorted(api_routes(), key=lambda r: (r[0], order[r[2]])):
        record = records[prefix]
        if method == "POST":
            response = call(client, method, path, record, new_values(prefix, contract, town), headers)
            assert response.status_code == 201, response.content
        elif method == "PATCH":
            response = call(client, method, path, record, {"notes": "接口修改"}, headers)
            assert response.status_code == 200, response.content
            assert type(record).objects.get(pk=record.pk).notes == "接口修改"
        elif method == "DELETE":
            assert call(client, method, path, record, None, headers).status_code == 204
            assert not type(record).objects.filter(pk=record.pk).exists()
        else:
            assert call(client, method, path, record, None, headers).status_code == 200
