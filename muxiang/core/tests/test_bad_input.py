"""Bad input through forms, the API and URLs: a clear Chinese message naming the field, the right
status code, never a 500, and nothing written."""

import datetime
import re

import pytest

from muxiang.core.models import ObjectChange
from muxiang.core.validators import make_credit_code, make_id_number
from muxiang.organisations.models import Organisation
from muxiang.people.models import Person
from muxiang.regions.models import Region
from muxiang.stations.models import Station

GOOD_ID = make_id_number("150824", datetime.date(1990, 1, 1), 11)


@pytest.fixture
def nothing_written(db):
    """Asserts after the test that no record and no audit entry was added or changed."""
    models = (Station, Person, Organisation, Region, ObjectChange)

    def state():
        return {m: sorted(m._base_manager.values_list("pk", flat=True)) for m in models}

    snapshot = {}

    def take():
        snapshot.update(state())

    yield take
    assert snapshot, "call nothing_written() once the fixtures are in place"
    assert state() == snapshot


def field_errors(page: str) -> list[str]:
    return re.findall(r'<span class="error">(.*?)</span>', page)


def station_post(town, **changes):
    data = {
        "code": "HLT-020",
        "name": "海流图二十站",
        "level": "town",
        "region": town.pk,
        "status": "active",
        "opened_on": "2024-06-01",
        "phone": "13900000020",
    }
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


# --- forms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"phone": "12345"}, "联系电话：手机号应为 1 开头的 11 位数字：12345"),
        ({"latitude": "abc", "longitude": "108.5"}, "纬度："),
        ({"latitude": "91", "longitude": "108.5"}, "纬度："),
        ({"latitude": "41.5"}, "经度：经纬度需同时填写"),
        ({"opened_on": "2024-02-30"}, "开业日期："),
        ({"opened_on": "明天"}, "开业日期："),
        ({"opened_on": None}, "开业日期：运营中、暂停或已关闭的站点需要填写开业日期"),
        ({"status": "closed"}, "关闭日期：已关闭的站点需要填写关闭日期"),
        ({"closed_on": "2024-01-01"}, "关闭日期：关闭日期不能早于开业日期"),
        ({"level": "village"}, "服务区域：村级站点应服务于村/嘎查，而「海流图镇」是镇/苏木"),
        ({"level": "county"}, "级别："),
        ({"status": "bogus"}, "状态："),
        ({"region": "abc"}, "服务区域："),
        ({"region": "999999"}, "服务区域："),
        ({"services": ["teleport"]}, "服务项目："),
        ({"code": None}, "站点编号："),
        ({"code": "X" * 31}, "站点编号："),
        ({"name": "海流\x00图"}, "站点名称："),
    ],
)
def test_a_station_form_with_a_bad_value_is_a_400_naming_the_field(
    login, staff, town, nothing_written, changes, expected
):
    client = login(staff)
    nothing_written()
    response = client.post("/stations/add/", station_post(town, **changes))
    assert response.status_code == 400
    errors = field_errors(response.content.decode())
    assert any(e.startswith(expected) for e in errors), errors
    assert all(re.search(r"[\u4e00-\u9fff]", e.split("：", 1)[1]) for e in errors), errors  # in Chinese


def test_a_station_code_already_taken_is_refused(login, staff, station, town, nothing_written):
    client = login(staff)
    nothing_written()
    response = client.post("/stations/add/", station_post(town, code=station.code))
    assert response.status_code == 400
    assert any(e.startswith("站点编号：") and "已存在" in e for e in field_errors(response.content.decode()))


def test_a_failed_edit_changes_nothing(login, staff, station, town, nothing_written):
    client = login(staff)
    nothing_written()
    response = client.post(f"/stations/{station.pk}/edit/", station_post(town, code=station.code, phone="1"))
    assert response.status_code == 400
    station.refresh_from_db()
    assert station.phone == "13947800001"


def test_a_station_managers_form_with_a_bad_phone_is_a_400_naming_the_field(
    login, manager, station, nothing_written
):
    client = login(manager)
    assert client.get(f"/stations/{station.pk}/edit/").status_code == 200
    nothing_written()
    response = client.post(f"/stations/{station.pk}/edit/", {"phone": "0478", "address": "团结路"})
    assert response.status_code == 400
    assert "联系电话：手机号应为 1 开头的 11 位数字：0478" in field_errors(response.content.decode())


@pytest.mark.parametrize(
    ("id_number", "expected"),
    [
        ("123", "身份证号：身份证号应为 18 位，实际为 3 位"),
        ("15082419900101123A", "身份证号：身份证号只能由 17 位数字加一位数字或 X 组成"),
        ("150824199002301230", "身份证号：身份证号中的出生日期 19900230 不存在"),
        (GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1"), "身份证号：身份证号校验位错误"),
    ],
)
def test_a_person_form_with_a_bad_id_number_names_the_problem(
    login, staff, nothing_written, id_number, expected
):
    client = login(staff)
    nothing_written()
    response = client.post("/people/add/", {"name": "张三", "id_number": id_number})
    assert response.status_code == 400
    errors = field_errors(response.content.decode())
    assert any(e.startswith(expected) for e in errors), errors


def test_a_person_form_accepts_a_lowercase_x_and_spaces(login, staff):
    id_number = next(
        make_id_number("150824", datetime.date(1990, 1, 1), n)
        for n in range(1000)
        if make_id_number("150824", datetime.date(1990, 1, 1), n).endswith("X")
    )
    response = login(staff).post("/people/add/", {"name": "张三", "id_number": f" {id_number.lower()} "})
    assert response.status_code == 302
    assert Person.objects.get().id_number == id_number


def test_a_person_already_registered_is_refused_whatever_the_case_of_x(login, staff, nothing_written):
    id_number = next(
        make_id_number("150824", datetime.date(1990, 1, 1), n)
        for n in range(1000)
        if make_id_number("150824", datetime.date(1990, 1, 1), n).endswith("X")
    )
    Person.objects.create(name="张三", id_number=id_number)
    client = login(staff)
    nothing_written()
    response = client.post("/people/add/", {"name": "张三三", "id_number": id_number.lower()})
    assert response.status_code == 400
    assert any(e.startswith("身份证号：") and "已存在" in e for e in field_errors(response.content.decode()))


def test_a_person_cannot_be_placed_in_a_whole_county(login, staff, county, nothing_written):
    client = login(staff)
    nothing_written()
    response = client.post("/people/add/", {"name": "张三", "id_number": GOOD_ID, "region": county.pk})
    assert response.status_code == 400
    assert "户籍/居住地：请选择到镇/苏木或村/嘎查" in field_errors(response.content.decode())


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y4", "统一社会信用代码：统一社会信用代码应为 18 位，实际为 17 位"),
        ("91350100M000100Y40", "统一社会信用代码：统一社会信用代码校验位错误"),
        ("91350100M000100I43", "统一社会信用代码：统一社会信用代码含有不允许的字符"),
    ],
)
def test_an_organisation_form_with_a_bad_credit_code_names_the_problem(
    login, staff, nothing_written, code, expected
):
    client = login(staff)
    nothing_written()
    response = client.post(
        "/organisations/add/", {"name": "某合作社", "kind": "cooperative", "credit_code": code}
    )
    assert response.status_code == 400
    errors = field_errors(response.content.decode())
    assert any(e.startswith(expected) for e in errors), errors


def test_an_organisation_form_stores_a_lowercase_credit_code_in_capitals(login, staff):
    code = make_credit_code("93150824MA0N00009")
    response = login(staff).post(
        "/organisations/add/", {"name": "某合作社", "kind": "cooperative", "credit_code": code.lower()}
    )
    assert response.status_code == 302, field_errors(response.content.decode())
    assert Organisation.objects.get().credit_code == code


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": "新镇", "level": "town"}, "上级：镇/苏木的上级应为旗/县"),
        ({"name": "甲/乙", "level": "county"}, "名称：名称中不能含有「/」"),
        (
            {"name": "海流图镇", "level": "town", "parent": "county"},
            "名称：同一上级下已有同名区划「海流图镇」",
        ),
        ({"name": "新镇", "level": "town", "parent": "county", "code": "12345"}, "行政区划代码："),
        (
            {"name": "新镇", "level": "town", "parent": "county", "exited_poverty": "on"},
            "出列村：只有村/嘎查",
        ),
    ],
)
def test_a_region_form_with_a_bad_value_names_the_field(
    login, staff, county, town, nothing_written, data, expected
):
    if data.get("parent") == "county":
        data = {**data, "parent": county.pk}
    client = login(staff)
    nothing_written()
    response = client.post("/regions/add/", data)
    assert response.status_code == 400
    errors = field_errors(response.content.decode())
    assert any(e.startswith(expected) for e in errors), errors


# --- the API ---------------------------------------------------------------------------------------


def api_post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def test_an_api_value_of_the_wrong_type_is_a_422_naming_the_field(
    client, api_token, staff, town, nothing_written
):
    headers = api_token(staff)
    nothing_written()
    response = api_post(
        client, "/api/stations/", {"code": "HLT-030", "name": "站", "level": "town", "region": "abc"}, headers
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "输入有误"
    assert [e["field"] for e in body["errors"]] == ["region"]


def test_an_api_list_where_a_list_belongs_is_required(client, api_token, staff, nothing_written):
    headers = api_token(staff)
    nothing_written()
    response = api_post(client, "/api/people/", {"name": "张三", "kinds": "trainee"}, headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kinds"


def test_an_api_person_with_an_invalid_id_number_is_a_400_naming_id_number(
    client, api_token, staff, nothing_written
):
    headers = api_token(staff)
    nothing_written()
    response = api_post(client, "/api/people/", {"name": "张三", "id_number": "150824199002301230"}, headers)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "id_number"
    assert "19900230 不存在" in error["message"]


def test_an_api_change_with_a_bad_value_leaves_the_record_as_it_was(
    client, api_token, staff, station, nothing_written
):
    headers = api_token(staff)
    nothing_written()
    response = client.patch(
        f"/api/stations/{station.pk}", {"phone": "110"}, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "phone"
    station.refresh_from_db()
    assert station.phone == "13947800001"


def test_an_api_body_that_is_not_json_is_a_400(client, api_token, staff, nothing_written):
    headers = api_token(staff)
    nothing_written()
    response = api_post(client, "/api/stations/", "{not json", headers)
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
@pytest.mark.parametrize("pk", [999999, 2**70])
def test_an_api_record_that_does_not_exist_is_a_404(client, api_token, staff, nothing_written, method, pk):
    headers = api_token(staff)
    nothing_written()
    call = getattr(client, method)
    kwargs = {"data": {"name": "x"}, "content_type": "application/json"} if method == "patch" else {}
    response = call(f"/api/stations/{pk}", **kwargs, **headers)
    assert response.status_code == 404
    assert "找不到编号为" in response.json()["detail"]


def test_an_api_record_of_another_station_is_a_404_for_a_manager(client, api_token, manager, other_person):
    assert client.get(f"/api/people/{other_person.pk}", **api_token(manager)).status_code == 404


def test_an_api_id_that_is_not_a_number_is_a_404(client, api_token, staff):
    assert client.get("/api/stations/abc", **api_token(staff)).status_code == 404


def test_the_api_without_a_valid_token_is_a_401(client, staff, nothing_written):
    nothing_written()
    assert client.get("/api/stations/").status_code == 401
    assert client.get("/api/stations/", HTTP_AUTHORIZATION="Bearer mx_forged").status_code == 401
    assert (
        api_post(client, "/api/stations/", {"code": "X"}, {"HTTP_AUTHORIZATION": "Bearer "}).status_code
        == 401
    )


def test_an_api_create_by_a_read_only_role_is_a_403(
    client, api_token, client_supervisor, town, nothing_written
):
    headers = api_token(client_supervisor)
    nothing_written()
    response = api_post(
        client,
        "/api/stations/",
        {"code": "HLT-031", "name": "站", "level": "town", "region": town.pk, "status": "planned"},
        headers,
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "status"),
    [("status=bogus", 400), ("town=abc", 400), ("limit=-1", 422), ("offset=abc", 422), ("q=%00", 400)],
)
def test_an_api_list_with_a_bad_filter_is_refused_not_crashed(
    client, api_token, staff, station, query, status
):
    response = client.get(f"/api/stations/?{query}", **api_token(staff))
    assert response.status_code == status
    assert response.json()["detail"]


# --- URLs and list parameters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/stations/abc/",
        "/stations/abc/edit/",
        "/stations/999999/",
        "/stations/999999/edit/",
        f"/stations/{2**70}/",
        "/people/-1/",
        "/regions/1.5/",
        "/evidence/abc/",
    ],
)
def test_a_url_naming_no_record_is_a_404(login, staff, station, url):
    assert login(staff).get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/stations/999999/delete/", "/stations/999999/restore/", "/stations/999999/purge/"]
)
def test_posting_to_a_record_that_does_not_exist_is_a_404(login, operator_admin, url):
    assert login(operator_admin).post(url).status_code == 404


def test_deleting_by_get_is_not_allowed(login, staff, station):
    assert login(staff).get(f"/stations/{station.pk}/delete/").status_code == 405
    assert Station.objects.filter(pk=station.pk).exists()


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=0",
        "page=99999",
        "page=1e3",
        "per_page=-5",
        "per_page=0",
        "per_page=abc",
        f"per_page={10**30}",
        "status=bogus",
        "level=county",
        "town=abc",
        "town=999999",
        "is_premium=maybe",
        "q=%00",
        "q=" + "海" * 5000,
        "deleted=yes",
        "status=active&status=bogus",
    ],
)
def test_list_parameters_that_make_no_sense_do_not_break_the_list(login, staff, station, query):
    response = login(staff).get(f"/stations/?{query}")
    assert response.status_code == 200
    assert "站点" in response.content.decode()


@pytest.mark.parametrize("url", ["/people/", "/organisations/", "/regions/"])
@pytest.mark.parametrize(
    "query", ["page=abc&per_page=-5", "kind=bogus", "level=bogus", "q=%00", "parent=abc"]
)
def test_other_lists_survive_nonsense_too(login, staff, person, organisation, url, query):
    assert login(staff).get(f"{url}?{query}").status_code == 200


@pytest.mark.parametrize("query", ["user=%00", "q=%00", "type=%00", "action=%00"])
def test_the_audit_list_survives_null_characters(login, auditor, station, query):
    assert login(auditor).get(f"/audit/?{query}").status_code == 200


@pytest.mark.parametrize("value", ["明天", "2024-02-30", "%00"])
def test_the_coverage_page_explains_a_bad_date(login, staff, station, value):
    response = login(staff).get(f"/stations/coverage/?on={value}")
    assert response.status_code == 200
    assert "日期" in response.content.decode()
