"""The trade standard belongs to the operator, as the brand system does: every route of the
``standards`` namespace and of ``/api/standards/`` is walked for each persona. The standard's page
lists the training sessions on it, linked to the training ledger."""

import datetime

import pytest
from django.urls import get_resolver, reverse

from muxiang.api import api
from muxiang.core.models import Evidence
from muxiang.standards.models import StandardAdoption, StandardVersion, TradeStandard

pytestmark = pytest.mark.django_db

APP = "standards"
REFUSED = {403, 404}
MODELS = {"standard": TradeStandard, "version": StandardVersion, "adoption": StandardAdoption}
API_SEGMENTS = {"standards": "standard", "versions": "version", "adoptions": "adoption"}
READ_ROUTES = ("-list", "-detail", "-export", "-template")


def routes():
    _prefix, resolver = get_resolver().namespace_dict[APP]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


def url_of(name, takes_pk, records):
    if takes_pk:
        return reverse(f"{APP}:{name}", args=[records[name.split("-")[0]].pk])
    return reverse(f"{APP}:{name}")


def alive_state():
    return {prefix: sorted(model.objects.values_list("pk", "updated_at")) for prefix, model in MODELS.items()}


@pytest.fixture
def new_values(records, other_organisation):
    standard = records["standard"]
    return {
        "standard": {"title": "奶制品网销流通标准", "industry": "奶制品", "notes": "测试"},
        "version": {
            "standard": standard.pk,
            "number": "T/WLTZQ 001—2027",
            "version": "V2.0",
            "effective_on": "2026-09-01",
            "is_current": False,
            "changes": "测试",
        },
        "adoption": {
            "standard": standard.pk,
            "organisation": other_organisation.pk,
            "since": "2026-05-01",
            "notes": "测试",
        },
    }


@pytest.mark.parametrize("persona", ["manager", "other_manager"])
def test_a_station_manager_gets_403_or_404_everywhere(login, request, persona, records):
    client = login(request.getfixturevalue(persona))
    before = alive_state()
    for name, takes_pk in routes():
        url = url_of(name, takes_pk, records)
        assert client.get(url).status_code in REFUSED | {405}, url
        assert client.post(url, {"title": "改"}).status_code in REFUSED | {405}, url
    assert alive_state() == before


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, records):
    client = login(request.getfixturevalue(persona))
    before = alive_state()
    for name, takes_pk in routes():
        url = url_of(name, takes_pk, records)
        if name.endswith(READ_ROUTES):
            assert client.get(url).status_code == 200, url
            continue
        assert client.post(url, {"title": "改"}).status_code in REFUSED | {405}, url
    assert alive_state() == before
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("prefix", list(MODELS))
def test_operator_staff_create_edit_delete_and_restore(login, staff, new_values, prefix):
    client = login(staff)
    model = MODELS[prefix]
    known = set(model.objects.values_list("pk", flat=True))
    response = client.post(reverse(f"{APP}:{prefix}-add"), new_values[prefix])
    assert response.status_code == 302, response.content.decode()
    record = model.objects.exclude(pk__in=known).get()
    assert client.get(response["Location"]).status_code == 200
    assert client.post(reverse(f"{APP}:{prefix}-delete", args=[record.pk])).status_code == 302
    assert client.post(reverse(f"{APP}:{prefix}-restore", args=[record.pk])).status_code == 302
    assert model.objects.filter(pk=record.pk).exists()


def test_the_form_refuses_a_second_current_version_with_a_message(login, staff, records, new_values):
    response = login(staff).post(reverse(f"{APP}:version-add"), {**new_values["version"], "is_current": "on"})
    assert response.status_code == 400
    assert "已有现行版本" in response.content.decode()
    assert StandardVersion.objects.count() == 1


def test_the_make_current_button_switches_the_current_version(login, staff, records, new_values):
    client = login(staff)
    client.post(reverse(f"{APP}:version-add"), new_values["version"])
    new = StandardVersion.objects.get(version="V2.0")
    assert (
        reverse(f"{APP}:version-current", args=[new.pk])
        in client.get(new.get_absolute_url()).content.decode()
    )
    assert client.post(reverse(f"{APP}:version-current", args=[new.pk])).status_code == 302
    assert StandardVersion.objects.get(is_current=True) == new


def test_the_api_lets_read_only_roles_read_and_a_manager_nothing(
    client, api_token, records, auditor, manager
):
    reader, outsider = api_token(auditor), api_token(manager)
    for path, operations in api.get_openapi_schema()["paths"].items():
        if not path.startswith(f"/api/{APP}/") or "get" not in operations:
            continue
        record = records[API_SEGMENTS[path.split("/")[3]]]
        url = path.replace("{pk}", str(record.pk))
        assert client.get(url, **reader).status_code == 200, url
        assert client.get(url, **outsider).status_code in REFUSED, url


def test_the_standard_page_lists_the_standard_trainings(login, auditor, records):
    from muxiang.brands.tests.conftest import SAMPLE
    from muxiang.contracts.services import load_contract
    from muxiang.training.models import TrainingSession

    contract = load_contract(SAMPLE.read_text(encoding="utf-8"))
    common = {
        "contract": contract,
        "held_on": datetime.date(2026, 4, 2),
        "place": "海流图镇",
        "teacher": "王老师",
    }
    on_standard = TrainingSession.objects.create(
        code="PX-1", title="羊肉网销标准宣贯培训", topic="standards", **common
    )
    TrainingSession.objects.create(code="PX-2", title="直播带货入门", topic="live_streaming", **common)
    html = login(auditor).get(records["standard"].get_absolute_url()).content.decode()
    assert "羊肉网销标准宣贯培训" in html and on_standard.get_absolute_url() in html
    assert "直播带货入门" not in html
