"""The audit trail: every create, update, delete, restore and purge says who, from where, in which
request, and what the record held before and after; the history pages show it to those allowed."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from muxiang.core import services
from muxiang.core.models import ObjectChange
from muxiang.people.models import Person
from muxiang.stations.models import Station


def entries_for(record, action=None):
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    )
    return changes.filter(action=action) if action else changes


def station_form(station, **changes):
    data = {
        "code": station.code,
        "name": station.name,
        "level": station.level,
        "region": station.region_id,
        "status": station.status,
        "opened_on": station.opened_on.isoformat() if station.opened_on else "",
        "phone": station.phone,
        "services": station.services,
    }
    return {**data, **changes}


# --- each kind of change -------------------------------------------------------------------------


def test_creating_on_the_web_records_user_request_address_and_values(login, staff, town):
    response = login(staff).post(
        "/stations/add/",
        {
            "code": "HLT-010",
            "name": "海流图十站",
            "level": "town",
            "region": town.pk,
            "status": "planned",
            "phone": "13900000010",
        },
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302, response.content.decode()
    station = Station.objects.get(code="HLT-010")
    entry = entries_for(station).get()
    assert entry.action == "create"
    assert (entry.user, entry.user_name, entry.source) == (staff, "liqiang", "web")
    assert str(entry.request_id) == response["X-Request-ID"]
    assert entry.remote_addr == "10.20.30.40"
    assert entry.before is None
    assert entry.after["code"] == "HLT-010"
    assert entry.after["region_id"] == town.pk
    assert entry.object_repr == "海流图十站"


def test_editing_on_the_web_records_only_the_changed_field_before_and_after(login, staff, station):
    response = login(staff).post(f"/stations/{station.pk}/edit/", station_form(station, name="海流图镇总站"))
    assert response.status_code == 302, response.content.decode()
    entry = entries_for(station, "update").get()
    assert entry.user == staff
    assert str(entry.request_id) == response["X-Request-ID"]
    assert entry.remote_addr == "127.0.0.1"
    assert entry.changed_fields() == {"name": ("海流图镇电商服务站", "海流图镇总站")}
    assert entry.before["name"] == "海流图镇电商服务站"
    assert entry.after["name"] == "海流图镇总站"


def test_saving_a_form_without_changes_writes_no_entry(login, staff, station):
    assert login(staff).post(f"/stations/{station.pk}/edit/", station_form(station)).status_code == 302
    assert not entries_for(station, "update").exists()


def test_deleting_records_the_deletion_with_who_deleted(login, staff, station):
    response = login(staff).post(f"/stations/{station.pk}/delete/")
    assert response.status_code == 302
    entry = entries_for(station, "delete").get()
    assert entry.user == staff
    assert str(entry.request_id) == response["X-Request-ID"]
    assert entry.before["deleted_at"] is None
    assert entry.after["deleted_at"] is not None
    assert entry.after["deleted_by_id"] == staff.pk


def test_restoring_records_the_restoration(login, staff, station):
    client = login(staff)
    client.post(f"/stations/{station.pk}/delete/")
    response = client.post(f"/stations/{station.pk}/restore/")
    assert response.status_code == 302
    entry = entries_for(station, "restore").get()
    assert entry.user == staff
    assert entry.before["deleted_at"] is not None
    assert entry.after["deleted_at"] is None
    assert Station.objects.filter(pk=station.pk).exists()


def test_purging_by_the_operator_admin_removes_the_record_and_keeps_its_history(
    login, operator_admin, organisation
):
    client = login(operator_admin)
    client.post(f"/organisations/{organisation.pk}/delete/")
    response = client.post(f"/organisations/{organisation.pk}/purge/")
    assert response.status_code == 302
    assert response["Location"] == "/organisations/?deleted=1"
    assert not type(organisation).all_objects.filter(pk=organisation.pk).exists()
    entry = entries_for(organisation, "purge").get()
    assert entry.user == operator_admin
    assert str(entry.request_id) == response["X-Request-ID"]
    assert entry.before["name"] == organisation.name
    assert entry.after is None
    assert [e.action for e in entries_for(organisation).order_by("id")] == ["create", "delete", "purge"]


def test_purging_by_operator_staff_is_refused(login, staff, organisation):
    client = login(staff)
    client.post(f"/organisations/{organisation.pk}/delete/")
    assert client.post(f"/organisations/{organisation.pk}/purge/").status_code == 403
    assert type(organisation).all_objects.filter(pk=organisation.pk).exists()
    assert not entries_for(organisation, "purge").exists()


def test_purging_a_record_that_is_not_deleted_is_refused_with_a_message(login, operator_admin, organisation):
    response = login(operator_admin).post(f"/organisations/{organisation.pk}/purge/", follow=True)
    assert "请先删除该记录，再彻底删除" in response.content.decode()
    assert type(organisation).objects.filter(pk=organisation.pk).exists()


def test_purging_a_region_still_in_use_is_refused_with_a_message(login, operator_admin, town, station):
    client = login(operator_admin)
    client.post(f"/regions/{town.pk}/delete/")
    response = client.post(f"/regions/{town.pk}/purge/", follow=True)
    assert "仍被其他记录引用，不能彻底删除" in response.content.decode()
    assert type(town).all_objects.filter(pk=town.pk).exists()
    assert not entries_for(town, "purge").exists()


def test_changes_through_the_api_are_recorded_against_the_token_user(client, api_token, staff, town):
    response = client.post(
        "/api/stations/",
        {"code": "HLT-011", "name": "接口站", "level": "town", "region": town.pk, "status": "planned"},
        content_type="application/json",
        **api_token(staff),
    )
    assert response.status_code == 201, response.content.decode()
    station = Station.objects.get(code="HLT-011")
    entry = entries_for(station).get()
    assert (entry.user, entry.source) == (staff, "api")
    assert str(entry.request_id) == response["X-Request-ID"]
    deleted = client.delete(f"/api/stations/{station.pk}", **api_token(staff))
    assert deleted.status_code == 204
    assert entries_for(station, "delete").get().user == staff


@pytest.mark.parametrize("action", ["delete", "restore", "purge"])
def test_services_called_outside_a_request_record_the_acting_user(operator_admin, organisation, action):
    # A task or management command calls the service directly: the entry names who acted.
    pk = organisation.pk
    services.soft_delete_record(organisation, operator_admin)
    if action == "restore":
        services.restore_record(organisation, operator_admin)
    if action == "purge":
        services.purge_record(organisation, operator_admin)
    entry = ObjectChange.objects.get(object_id=pk, action=action, content_type__model="organisation")
    assert (entry.user, entry.user_name) == (operator_admin, "wangmin")


def test_a_forged_forwarded_for_header_neither_breaks_saving_nor_lands_in_the_trail(login, staff, station):
    response = login(staff).post(
        f"/stations/{station.pk}/edit/",
        station_form(station, name="改名站"),
        HTTP_X_FORWARDED_FOR="<script>, 10.0.0.1",
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302
    assert entries_for(station, "update").get().remote_addr in {"10.9.9.9", "10.0.0.1", None}


# --- soft delete: what lists show ------------------------------------------------------------------


def test_deleted_records_vanish_from_lists_and_appear_in_the_recycle_bin(
    login, staff, station, other_station
):
    client = login(staff)
    client.post(f"/stations/{station.pk}/delete/")
    listing = client.get("/stations/").content.decode()
    assert f'href="/stations/{station.pk}/"' not in listing
    assert f'href="/stations/{other_station.pk}/"' in listing
    recycle_bin = client.get("/stations/?deleted=1").content.decode()
    assert f'href="/stations/{station.pk}/"' in recycle_bin
    assert f'href="/stations/{other_station.pk}/"' not in recycle_bin
    assert "已删除" in client.get(f"/stations/{station.pk}/").content.decode()


def test_deleted_records_cannot_be_edited(login, staff, station):
    client = login(staff)
    client.post(f"/stations/{station.pk}/delete/")
    assert client.get(f"/stations/{station.pk}/edit/").status_code == 404


def test_deleted_records_vanish_from_the_api(client, api_token, staff, station):
    services.soft_delete_record(station, staff)
    listed = client.get("/api/stations/", **api_token(staff)).json()
    assert station.pk not in [s["id"] for s in listed["items"]]
    assert client.get(f"/api/stations/{station.pk}", **api_token(staff)).status_code == 404


def test_a_station_manager_sees_no_recycle_bin(login, staff, manager, person):
    services.soft_delete_record(person, staff)
    client = login(manager)
    assert f'href="/people/{person.pk}/"' not in client.get("/people/?deleted=1").content.decode()
    assert client.get(f"/people/{person.pk}/").status_code == 404


# --- history on the record's page ------------------------------------------------------------------


def test_the_detail_page_shows_the_records_history(login, staff, client_supervisor, station):
    login(staff).post(f"/stations/{station.pk}/edit/", station_form(station, name="海流图镇总站"))
    page = login(client_supervisor).get(f"/stations/{station.pk}/").content.decode()
    assert "变更历史" in page
    assert "liqiang" in page
    assert "<b>站点名称</b>：<del>海流图镇电商服务站</del> → <ins>海流图镇总站</ins>" in page


def test_the_history_masks_id_numbers_for_the_client_supervisor(login, staff, client_supervisor, person):
    page = login(client_supervisor).get(f"/people/{person.pk}/").content.decode()
    assert "变更历史" in page
    assert person.id_number not in page
    assert person.masked_id_number in page
    assert person.id_number in login(staff).get(f"/people/{person.pk}/").content.decode()


# --- the global trail --------------------------------------------------------------------------------


@pytest.fixture
def trail(login, staff, operator_admin, station, person):
    """A station edited by staff, a person deleted by the admin, and an entry from last January."""
    login(staff).post(f"/stations/{station.pk}/edit/", station_form(station, name="海流图镇总站"))
    login(operator_admin).post(f"/people/{person.pk}/delete/")
    old = entries_for(station, "create").get()
    ObjectChange.objects.filter(pk=old.pk).update(
        time=timezone.make_aware(datetime.datetime(2024, 1, 10, 12, 0)), user_name="import-bot"
    )
    return {"station": station, "person": person}


def count_on(page: str) -> int:
    import re

    return int(re.search(r"共 (\d+) 条", page).group(1))


def test_the_audit_list_filters_by_user(login, auditor, trail):
    page = login(auditor).get("/audit/?user=wangmin").content.decode()
    assert count_on(page) == 1
    assert "乌云" in page


def test_the_audit_list_filters_by_action(login, auditor, trail):
    page = login(auditor).get("/audit/?action=update").content.decode()
    assert count_on(page) == 1
    assert "海流图镇总站" in page


def test_the_audit_list_filters_by_record_type(login, auditor, trail):
    page = login(auditor).get("/audit/?type=person").content.decode()
    assert count_on(page) == entries_for(trail["person"]).count() == 2


def test_the_audit_list_filters_by_date(login, auditor, trail):
    client = login(auditor)
    january = client.get("/audit/?since=2024-01-01&until=2024-01-31").content.decode()
    assert count_on(january) == 1
    assert "import-bot" in january
    today = timezone.localdate().isoformat()
    assert count_on(client.get(f"/audit/?since={today}").content.decode()) == ObjectChange.objects.count() - 1


@pytest.mark.parametrize("value", ["2024-02-30", "明天", "2024/13/01", "'; drop table"])
def test_the_audit_list_rejects_a_malformed_date_with_a_message(login, auditor, trail, value):
    response = login(auditor).get("/audit/", {"since": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "日期格式应为 2024-03-15" in page
    assert count_on(page) == ObjectChange.objects.count()  # the bad filter is ignored, not half-applied


def test_the_audit_list_survives_nonsense_in_every_parameter(login, auditor, trail):
    response = login(auditor).get("/audit/", {"action": "bogus", "type": "nothing", "page": "abc", "q": "%"})
    assert response.status_code == 200
    assert count_on(response.content.decode()) == 0


def test_the_audit_list_is_for_readers_of_everything_only(login, client, manager, client_supervisor, trail):
    assert login(client_supervisor).get("/audit/").status_code == 200
    assert login(manager).get("/audit/").status_code == 403
    client.logout()
    assert client.get("/audit/").status_code == 302


def test_the_audit_list_masks_id_numbers_for_the_auditor(login, auditor, staff, trail):
    page = login(auditor).get("/audit/?type=person").content.decode()
    assert trail["person"].id_number not in page
    assert Person.all_objects.get(pk=trail["person"].pk).masked_id_number in page
