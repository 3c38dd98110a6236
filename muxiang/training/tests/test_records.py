"""The training records through their forms, pages and API: numbers assigned when left blank, the
session's date carried by its attendance, and bad input refused with a Chinese message on the field,
writing nothing, never a 500."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muxiang.people.models import Person
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
    IN_PHASE_1,
    IN_PHASE_2,
    make_attendance,
    make_census,
    make_session,
    make_textbook,
)


def session_form(contract, **changes):
    data = {
        "contract": contract.pk,
        "code": "",
        "title": "直播带货实操培训",
        "topic": "live_selling",
        "level": "advanced",
        "audiences": ["farmers_herders", "returned_student"],
        "held_on": "2026-03-15",
        "place": "乌拉特中旗电子商务公共服务中心",
        "teacher": "王老师",
        "station": "",
        "notes": "",
    }
    data.update(changes)
    return data


def errors_of(response) -> str:
    return response.content.decode()


# --- sessions ------------------------------------------------------------------------------------


def test_sessions_left_without_a_code_are_numbered_by_their_day(login, staff, contract):
    client = login(staff)
    for _ in range(2):
        response = client.post(reverse("training:session-add"), session_form(contract))
        assert response.status_code == 302, errors_of(response)
    assert sorted(TrainingSession.objects.values_list("code", flat=True)) == [
        "PX-20260315-01",
        "PX-20260315-02",
    ]


def test_a_session_dated_in_an_accepted_phase_is_refused_on_the_date(
    login, staff, contract, phase_1_accepted
):
    response = login(staff).post(reverse("training:session-add"), session_form(contract))
    assert response.status_code == 400
    assert "已验收" in errors_of(response)
    assert not TrainingSession.objects.exists()


def test_an_unknown_topic_is_refused_with_a_message(login, staff, contract):
    response = login(staff).post(reverse("training:session-add"), session_form(contract, topic="dancing"))
    assert response.status_code == 400
    assert not TrainingSession.objects.exists()


def test_moving_a_session_moves_its_attendance(login, staff, contract, person):
    session = make_session(contract)
    attendance = make_attendance(session, person)
    data = session_form(contract, code=session.code, held_on="2026-08-01")
    response = login(staff).post(reverse("training:session-edit", args=[session.pk]), data)
    assert response.status_code == 302, errors_of(response)
    attendance.refresh_from_db()
    assert attendance.held_on == IN_PHASE_2


def test_the_session_page_lists_its_sign_in_sheet_with_person_times_and_poor_share(
    login, staff, contract, person, other_person
):
    session = make_session(contract)
    make_attendance(session, person)
    make_attendance(session, other_person)
    page = login(staff).get(reverse("training:session-detail", args=[session.pk])).content.decode()
    assert "签到名单：2 人次，其中贫困户 1 人次（50.0%）" in page
    assert "乌云" in page and "格日勒" in page
    assert "农牧民、合作社成员" in page


@pytest.mark.parametrize("route", ["session-list", "attendance-list", "outcome-list", "follow-up-list"])
def test_list_pages_cost_the_same_queries_for_three_records_as_for_thirty(login, staff, contract, route):
    client = login(staff)
    client.get(reverse(f"training:{route}"))  # the first page of a session fills its caches

    def queries(count, offset):
        people = Person.objects.bulk_create(
            Person(name=f"学员{i}", mobile=f"1390000{i:04d}") for i in range(offset, offset + count)
        )
        for i, person in enumerate(people):
            session = make_session(contract, code=f"PX-{offset + i}")
            make_attendance(session, person)
            TraineeOutcome.objects.create(contract=contract, person=person, year=2026, recorded_on=IN_PHASE_1)
            FollowUpVisit.objects.create(
                contract=contract, person=person, visited_on=IN_PHASE_1, findings="好"
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"training:{route}"), {"per_page": 100}).status_code == 200
        return len(captured)

    assert queries(3, 0) == queries(27, 3)


# --- attendance ----------------------------------------------------------------------------------


def test_attendance_without_a_poor_household_answer_takes_the_persons_registration(
    login, staff, contract, person, other_person
):
    session = make_session(contract)
    client = login(staff)
    client.post(reverse("training:attendance-add"), {"session": session.pk, "person": person.pk})
    client.post(
        reverse("training:attendance-add"),
        {"session": session.pk, "person": other_person.pk, "poor_household": "true"},
    )
    flags = dict(Attendance.objects.values_list("person__name", "poor_household"))
    assert flags == {"乌云": True, "格日勒": True}
    attendance = Attendance.objects.get(person=person)
    assert (attendance.held_on, attendance.contract_id) == (session.held_on, contract.pk)


def test_the_same_person_cannot_sign_in_twice_at_one_session(login, staff, contract, person):
    session = make_session(contract)
    make_attendance(session, person)
    response = login(staff).post(
        reverse("training:attendance-add"), {"session": session.pk, "person": person.pk}
    )
    assert response.status_code == 400
    assert "该学员已在此培训场次签到" in errors_of(response)
    assert Attendance.objects.count() == 1


def test_a_deleted_attendance_does_not_stop_the_person_signing_in_again(login, staff, contract, person):
    from muxiang.core.services import soft_delete_record

    session = make_session(contract)
    soft_delete_record(make_attendance(session, person), staff)
    response = login(staff).post(
        reverse("training:attendance-add"), {"session": session.pk, "person": person.pk}
    )
    assert response.status_code == 302, errors_of(response)
    assert Attendance.objects.count() == 1


def test_a_deleted_attendance_is_not_restored_beside_the_one_entered_again(login, staff, contract, person):
    from muxiang.core.services import soft_delete_record

    session = make_session(contract)
    deleted = make_attendance(session, person)
    soft_delete_record(deleted, staff)
    make_attendance(session, person)
    # when the deleted one is restored
    response = login(staff).post(reverse("training:attendance-restore", args=[deleted.pk]), follow=True)
    # then
    assert "重新签到，不能恢复" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_attendance_at_a_session_of_an_accepted_phase_is_refused_on_the_session(
    login, staff, contract, person, phase_1_accepted
):
    session = make_session(contract)  # created before the acceptance, as its records were
    response = login(staff).post(
        reverse("training:attendance-add"), {"session": session.pk, "person": person.pk}
    )
    assert response.status_code == 400
    assert "已验收" in errors_of(response)
    assert not Attendance.objects.exists()


def test_attendance_at_a_session_not_yet_held_is_refused(login, staff, contract, person):
    planned = make_session(contract, code="PX-20261215-01", held_on=datetime.date(2026, 12, 15))
    response = login(staff).post(
        reverse("training:attendance-add"), {"session": planned.pk, "person": person.pk}
    )
    assert response.status_code == 400
    assert "尚未举行" in errors_of(response)


# --- outcomes, visits, textbooks, counts, analyses ------------------------------------------------


def outcome_form(contract, person, **changes):
    data = {
        "contract": contract.pk,
        "person": person.pk,
        "year": 2026,
        "recorded_on": "2026-03-15",
        "shop": "",
        "employer": "",
        "account": "",
        "annual_online_sales": "",
        "notes": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"employed": "on"}, "进入电商企业任职时请填写任职企业"),
        ({"influencer": "on"}, "成为网红时请填写平台及账号"),
        ({"year": 2027}, "早于 2027 年"),
        ({"annual_online_sales": "-5"}, "0"),
        ({"recorded_on": "2026-12-01"}, "日期不能晚于今天"),
    ],
)
def test_an_outcome_that_contradicts_itself_is_refused(login, staff, contract, person, changes, message):
    response = login(staff).post(reverse("training:outcome-add"), outcome_form(contract, person, **changes))
    assert response.status_code == 400
    assert message in errors_of(response)
    assert not TraineeOutcome.objects.exists()


def test_a_second_outcome_for_the_same_person_and_year_is_refused(login, staff, contract, person):
    client = login(staff)
    assert client.post(reverse("training:outcome-add"), outcome_form(contract, person)).status_code == 302
    response = client.post(reverse("training:outcome-add"), outcome_form(contract, person))
    assert response.status_code == 400
    assert "2026 年的成效已登记" in errors_of(response)


def test_a_visit_needs_a_trainee_or_a_business_and_gets_a_number(login, staff, contract, organisation):
    client = login(staff)
    data = {
        "contract": contract.pk,
        "number": "",
        "visited_on": "2026-04-10",
        "method": "phone",
        "findings": "正常",
    }
    response = client.post(reverse("training:follow-up-add"), data)
    assert response.status_code == 400
    assert "请选择回访的学员或经营主体" in errors_of(response)
    response = client.post(reverse("training:follow-up-add"), {**data, "organisation": organisation.pk})
    assert response.status_code == 302, errors_of(response)
    assert FollowUpVisit.objects.get().number == "HF-20260410-01"


def test_the_census_page_compares_the_count_with_the_year_before(login, staff, contract):
    make_census(contract, year=2025, counted_on=datetime.date(2026, 1, 15), merchant_count=1200)
    current = make_census(contract, year=2026, counted_on=datetime.date(2026, 11, 20), merchant_count=1140)
    client = login(staff)
    page = client.get(reverse("training:merchant-census-detail", args=[current.pk])).content.decode()
    assert "1200" in page and "-60（-5.0%）" in page
    listing = client.get(reverse("training:merchant-census-list")).content.decode()
    assert "-60（-5.0%）" in listing


def test_a_second_census_of_the_same_year_is_refused(login, staff, contract):
    make_census(contract, year=2026)
    data = {"contract": contract.pk, "year": 2026, "counted_on": "2026-05-01", "merchant_count": 5}
    response = login(staff).post(reverse("training:merchant-census-add"), data)
    assert response.status_code == 400
    assert "2026 年的网商统计已登记" in errors_of(response)
    assert MerchantCensus.objects.count() == 1


def test_the_textbook_page_lists_every_version(login, staff, contract):
    first = make_textbook(contract)
    make_textbook(contract, version="第2版", published_on=IN_PHASE_2)
    page = login(staff).get(reverse("training:textbook-detail", args=[first.pk])).content.decode()
    assert "各版本" in page and "第2版" in page


def test_a_textbook_version_registered_twice_is_refused(login, staff, contract):
    make_textbook(contract)
    data = {
        "contract": contract.pk,
        "title": "农村电商创业带头人标准化培训教材",
        "version": "第1版",
        "published_on": "2026-04-01",
        "published_where": "旗融媒体中心",
    }
    response = login(staff).post(reverse("training:textbook-add"), data)
    assert response.status_code == 400
    assert Textbook.objects.count() == 1


def test_an_analysis_period_that_ends_before_it_starts_is_refused_and_one_that_is_right_is_numbered(
    login, staff, contract
):
    data = {
        "contract": contract.pk,
        "title": "上半年反馈分析",
        "period_from": "2026-06-30",
        "period_to": "2026-01-01",
        "written_on": "2026-07-05",
        "respondents": 80,
        "satisfaction": "93",
        "summary": "希望增加实操",
        "next_plan": "增加直播实操",
    }
    client = login(staff)
    response = client.post(reverse("training:feedback-analysis-add"), data)
    assert response.status_code == 400
    assert "止日不能早于起日" in errors_of(response)
    ok = client.post(
        reverse("training:feedback-analysis-add"),
        {**data, "period_from": "2026-01-01", "period_to": "2026-06-30"},
    )
    assert ok.status_code == 302, errors_of(ok)
    assert FeedbackAnalysis.objects.get().number == "FX-20260705-01"


# --- the API -------------------------------------------------------------------------------------


def post_json(client, url, payload, headers):
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


def test_the_api_creates_a_session_and_its_attendance(client, api_token, staff, contract, person):
    headers = api_token(staff)
    created = post_json(
        client,
        "/api/training/sessions/",
        {
            "contract": contract.pk,
            "title": "网店运营",
            "topic": "shop_operation",
            "level": "basic",
            "audiences": ["government"],
            "held_on": "2026-03-20",
            "place": "中心",
            "teacher": "王老师",
        },
        headers,
    )
    assert created.status_code == 201, created.content.decode()
    session = created.json()
    assert session["code"] == "PX-20260320-01"
    attended = post_json(
        client, "/api/training/attendance/", {"session": session["id"], "person": person.pk}, headers
    )
    assert attended.status_code == 201, attended.content.decode()
    assert attended.json()["poor_household"] is True
    assert attended.json()["held_on"] == "2026-03-20"
    listed = client.get(f"/api/training/sessions/{session['id']}", **headers).json()
    assert (listed["person_times"], listed["poor_person_times"]) == (1, 1)


def test_the_api_refuses_bad_input_naming_the_field(client, api_token, staff, contract, person):
    headers = api_token(staff)
    session = make_session(contract)
    make_attendance(session, person)
    twice = post_json(
        client, "/api/training/attendance/", {"session": session.pk, "person": person.pk}, headers
    )
    assert twice.status_code == 400
    assert twice.json()["errors"][0]["field"] == "person"
    bad_topic = post_json(
        client, "/api/training/sessions/", {"contract": contract.pk, "topic": "dancing"}, headers
    )
    assert bad_topic.status_code == 400
    assert "topic" in {e["field"] for e in bad_topic.json()["errors"]}
    bad_type = post_json(client, "/api/training/outcomes/", {"year": "二〇二六"}, headers)
    assert bad_type.status_code == 422
    assert Attendance.objects.count() == 1 and TrainingSession.objects.count() == 1


def test_a_session_with_attendance_cannot_be_moved_past_today(login, staff, contract, person):
    session = make_session(contract)
    make_attendance(session, person)
    data = session_form(contract, code=session.code, held_on="2026-12-20")
    response = login(staff).post(reverse("training:session-edit", args=[session.pk]), data)
    assert response.status_code == 400
    assert "该场次已有签到记录" in errors_of(response)
    session.refresh_from_db()
    assert session.held_on == IN_PHASE_1


@pytest.mark.parametrize("route", ["session-list", "attendance-list", "outcome-list", "follow-up-list"])
def test_a_search_with_odd_characters_finds_nothing_rather_than_failing(login, staff, contract, route):
    response = login(staff).get(reverse(f"training:{route}"), {"q": "乌云\x00", "year": "二〇二六"})
    assert response.status_code == 200
