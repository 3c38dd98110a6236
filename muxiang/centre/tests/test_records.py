"""Events, incubation services and their follow-ups, field surveys, value-added income and the
centre itself, through their pages and the API: good input is saved (numbered when the number is
left blank), bad input is refused with a Chinese message naming the field, never a 500."""

import datetime

import pytest
from django.urls import reverse

from muxiang.centre.models import (
    Event,
    FieldSurvey,
    FunctionalArea,
    IncubationFollowUp,
    IncubationService,
    ServiceCentre,
    ServiceIncome,
)
from muxiang.centre.tests.conftest import IN_PHASE_1, make_event, make_incubation, make_service
from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import PhaseAcceptance

# --- events ----------------------------------------------------------------------------------------


def event_form(contract, **changes):
    return {
        "contract": contract.pk,
        "number": "",
        "kind": "matchmaking",
        "title": "乌拉特中旗牛羊肉产销对接会",
        "held_on": "2026-08-08",
        "place": "公共服务中心一楼报告厅",
        "organiser": "乌拉特中旗商务局",
        "attendees": "80",
        "sales_amount": "48000",
        "notes": "",
        **changes,
    }


def test_operator_staff_record_a_matchmaking_fair_with_its_sales(login, staff, contract):
    response = login(staff).post(reverse("centre:event-add"), event_form(contract))
    assert response.status_code == 302, response.content.decode()
    fair = Event.objects.get()
    assert fair.number == "HD-202608-001"
    assert fair.counts_as_fair
    page = login(staff).get(reverse("centre:event-detail", args=[fair.pk])).content.decode()
    assert "计入（达到 1 万元）" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sales_amount": "三万"}, "销售额（元）"),
        ({"sales_amount": "-1"}, "销售额（元）"),
        ({"kind": "salon"}, "只有产销对接会记录销售额"),
        ({"held_on": "2026-12-20"}, "活动尚未举办"),
        ({"kind": "party"}, "活动类型"),
        ({"title": ""}, "活动名称"),
        ({"held_on": "2026-02-30"}, "举办日期"),
    ],
)
def test_the_event_form_refuses_bad_input_naming_the_field(login, staff, contract, changes, message):
    response = login(staff).post(reverse("centre:event-add"), event_form(contract, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_a_planned_event_without_sales_may_be_dated_ahead(login, staff, contract):
    data = event_form(contract, kind="seminar", held_on="2026-12-20", sales_amount="")
    assert login(staff).post(reverse("centre:event-add"), data).status_code == 302


def test_a_fair_below_the_floor_is_kept_but_marked_not_counted(login, staff, contract):
    fair = make_event(contract, kind="matchmaking", sales="9999.99")
    html = login(staff).get(reverse("centre:event-list")).content.decode()
    assert "不计入：销售额不足 1 万元" in html
    assert not fair.counts_as_fair


def test_the_api_names_the_field_of_sales_on_a_salon(client, api_token, staff, contract):
    payload = {k: v for k, v in event_form(contract, kind="salon").items() if v != ""}
    response = client.post(
        "/api/centre/events/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "sales_amount"


def test_the_api_refuses_non_numeric_sales_with_a_chinese_message(client, api_token, staff, contract):
    payload = {**event_form(contract), "sales_amount": "三万"}
    response = client.post(
        "/api/centre/events/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "sales_amount", "message": "应为数字"}


def test_an_event_of_an_accepted_phase_can_be_neither_added_nor_changed(login, staff, contract):
    event = make_event(contract, held_on=IN_PHASE_1)
    PhaseAcceptance.objects.create(phase=contract.phases.get(number=1), state=AcceptanceState.ACCEPTED)
    client = login(staff)
    response = client.post(reverse("centre:event-add"), event_form(contract, held_on="2026-03-01"))
    assert response.status_code == 400 and "已验收" in response.content.decode()
    data = event_form(contract, number=event.number, kind="salon", sales_amount="", title="改名")
    response = client.post(reverse("centre:event-edit", args=[event.pk]), data)
    assert response.status_code == 400
    assert client.post(reverse("centre:event-delete", args=[event.pk])).status_code == 302
    assert Event.objects.filter(pk=event.pk).exists()


# --- incubation ------------------------------------------------------------------------------------


def incubation_form(contract, **changes):
    return {
        "contract": contract.pk,
        "number": "",
        "kind": "brand_building",
        "directed": "on",
        "provided_on": "2026-08-03",
        "delivered": "品牌命名与包装设计指导",
        "outcome": "",
        **changes,
    }


def test_an_incubation_of_an_enterprise_is_saved_and_lists_its_follow_ups(
    login, staff, contract, organisation
):
    client = login(staff)
    response = client.post(
        reverse("centre:incubation-add"), incubation_form(contract, recipient_organisation=organisation.pk)
    )
    assert response.status_code == 302, response.content.decode()
    incubation = IncubationService.objects.get()
    assert (incubation.number, incubation.recipient, incubation.directed) == (
        "FH-202608-001",
        organisation.name,
        True,
    )
    # when a follow-up is added through its page, without a contract: it takes the incubation's
    response = client.post(
        reverse("centre:followup-add"),
        {"number": "", "incubation": incubation.pk, "held_on": "2026-09-01", "content": "复盘店铺数据"},
    )
    assert response.status_code == 302, response.content.decode()
    follow_up = IncubationFollowUp.objects.get()
    assert (follow_up.number, follow_up.contract_id) == ("GZ-202609-001", contract.pk)
    page = client.get(reverse("centre:incubation-detail", args=[incubation.pk])).content.decode()
    assert "GZ-202609-001" in page and "复盘店铺数据" in page


@pytest.mark.parametrize(
    ("recipients", "message"),
    [("both", "只能是一家企业或一个人"), ("neither", "请选择服务对象")],
)
def test_an_incubation_needs_exactly_one_recipient(
    login, staff, contract, organisation, person, recipients, message
):
    chosen = (
        {"recipient_organisation": organisation.pk, "recipient_person": person.pk}
        if recipients == "both"
        else {}
    )
    response = login(staff).post(reverse("centre:incubation-add"), incubation_form(contract, **chosen))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "服务对象（企业）" in html
    assert not IncubationService.objects.exists()


def test_a_follow_up_before_its_incubation_is_refused(login, staff, contract, organisation):
    incubation = make_incubation(contract, organisation=organisation, provided_on=datetime.date(2026, 8, 3))
    response = login(staff).post(
        reverse("centre:followup-add"),
        {"incubation": incubation.pk, "held_on": "2026-08-01", "content": "回访"},
    )
    assert response.status_code == 400
    assert "不能早于孵化服务日期（2026-08-03）" in response.content.decode()
    assert not IncubationFollowUp.objects.exists()


def test_the_api_creates_a_follow_up_in_its_incubations_contract(client, api_token, staff, contract, person):
    incubation = make_incubation(contract, person=person, directed=True)
    response = client.post(
        "/api/centre/follow-ups/",
        {"incubation": incubation.pk, "held_on": "2026-04-01", "content": "直播排期指导"},
        content_type="application/json",
        **api_token(staff),
    )
    assert response.status_code == 201, response.content
    assert response.json()["contract_id"] == contract.pk


def test_the_api_refuses_an_incubation_in_the_future_naming_the_field(
    client, api_token, staff, contract, person
):
    payload = {
        **incubation_form(contract, recipient_person=person.pk, provided_on="2026-12-01"),
        "directed": True,
    }
    response = client.post(
        "/api/centre/incubations/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "provided_on"


# --- field surveys ---------------------------------------------------------------------------------


def survey_form(contract, **changes):
    return {
        "contract": contract.pk,
        "number": "",
        "subject": "station",
        "surveyed_on": "2026-08-10",
        "place": "海流图镇电商服务站",
        "findings": "快递收发区拥挤",
        "improvement_plan": "",
        "plan_status": "planned",
        **changes,
    }


def test_a_station_survey_with_its_plan_is_saved(login, staff, contract, station):
    data = survey_form(contract, station=station.pk, improvement_plan="增设货架", plan_status="in_progress")
    response = login(staff).post(reverse("centre:survey-add"), data)
    assert response.status_code == 302, response.content.decode()
    assert FieldSurvey.objects.get().number == "DY-202608-001"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "请选择调研的站点"),
        ({"subject": "brand", "plan_status": "done"}, "请填写服务提升方案"),
        ({"subject": "brand", "plan_due": "2026-08-01"}, "计划完成日期不能早于调研日期"),
        ({"subject": "brand", "surveyed_on": "2026-12-01"}, "日期不能晚于今天"),
    ],
)
def test_the_survey_form_refuses_bad_input_naming_the_field(login, staff, contract, changes, message):
    response = login(staff).post(reverse("centre:survey-add"), survey_form(contract, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FieldSurvey.objects.exists()


# --- the market mechanism --------------------------------------------------------------------------


def test_income_from_a_value_added_service_is_recorded(login, staff, contract):
    service = make_service()
    data = {
        "contract": contract.pk,
        "service": service.pk,
        "received_on": "2026-08-03",
        "customer": "德岭山镇向日葵合作社",
        "amount": "600",
    }
    response = login(staff).post(reverse("centre:income-add"), data)
    assert response.status_code == 302, response.content.decode()
    assert ServiceIncome.objects.get().number == "SR-202608-001"
    page = login(staff).get(reverse("centre:service-detail", args=[service.pk])).content.decode()
    assert "SR-202608-001" in page


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.234", "1e400", "\x00"])
def test_income_refuses_nonsense_amounts_without_crashing(login, staff, contract, amount):
    service = make_service()
    data = {
        "contract": contract.pk,
        "service": service.pk,
        "received_on": "2026-08-03",
        "customer": "某",
        "amount": amount,
    }
    assert login(staff).post(reverse("centre:income-add"), data).status_code == 400
    assert not ServiceIncome.objects.exists()


# --- the centre and its areas ----------------------------------------------------------------------


def test_an_area_name_is_unique_within_its_centre(login, staff, centre, live_room):
    data = {"centre": centre.pk, "code": "ZB-09", "kind": "live_streaming", "name": live_room.name}
    response = login(staff).post(reverse("centre:area-add"), data)
    assert response.status_code == 400
    assert "该服务中心已有同名功能区" in response.content.decode()
    assert FunctionalArea.objects.count() == 1


def test_the_api_refuses_a_centre_of_no_floor_area(client, api_token, staff):
    payload = {"name": "服务中心", "address": "海流图镇", "floor_area": "0"}
    response = client.post(
        "/api/centre/centres/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "floor_area"
    assert not ServiceCentre.objects.exists()


def test_the_centre_page_shows_its_areas_floor_area_and_missing_functions(
    login, auditor, centre, live_room, classroom
):
    page = login(auditor).get(reverse("centre:centre-detail", args=[centre.pk])).content.decode()
    assert "一号直播间" in page and "电商培训教室" in page
    assert "225.00" in page  # 45 + 180
    assert "尚缺：农产品销售服务中心" in page
    assert "达到合同要求" in page


def test_the_overview_checks_the_centre_against_the_contract(login, client_supervisor, centre, live_room):
    html = login(client_supervisor).get(reverse("centre:overview")).content.decode()
    assert 'data-floor-area="1286.00"' in html
    assert 'data-areas-floor-area="45.00"' in html
    assert "尚缺" in html and "服务接待区" in html
    assert reverse("centre:area-calendar", args=[live_room.pk]) in html
    assert reverse("centre:workorder-list") in html


def test_a_deleted_area_comes_back_only_while_its_name_is_free(login, staff, centre, live_room):
    from muxiang.core.services import soft_delete_record

    soft_delete_record(live_room, staff)
    FunctionalArea.objects.create(centre=centre, code="ZB-09", kind="live_streaming", name=live_room.name)
    response = login(staff).post(reverse("centre:area-restore", args=[live_room.pk]), follow=True)
    assert "请先改名再恢复" in response.content.decode()
    live_room.refresh_from_db()
    assert live_room.deleted_at is not None


def test_the_follow_up_form_lists_incubations_in_a_fixed_number_of_queries(
    login, staff, contract, organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(staff)
    url = reverse("centre:followup-add")
    make_incubation(contract, organisation=organisation)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(10):
        make_incubation(contract, organisation=organisation)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_an_edit_that_leaves_the_number_blank_keeps_the_number(login, staff, contract):
    event = make_event(contract, kind="salon", number="HD-202603-042")
    data = event_form(contract, kind="salon", sales_amount="", held_on="2026-03-15", title="改名的沙龙")
    response = login(staff).post(reverse("centre:event-edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()
    event.refresh_from_db()
    assert (event.number, event.title) == ("HD-202603-042", "改名的沙龙")
