"""Work orders and the booking calendar: each use of an area is one work order, and two live work
orders of one area never overlap — refused on the page, in the API and in imports, with a message
naming the other work order and its time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muxiang.centre.ledgers import WorkOrderLedger
from muxiang.centre.models import WorkOrder
from muxiang.centre.services import calendar_period, find_overlapping_bookings
from muxiang.centre.tests.conftest import IN_PHASE_1, IN_PHASE_2, at, make_work_order
from muxiang.core.models import ObjectChange
from muxiang.core.services import restore_record, soft_delete_record
from muxiang.core.tests.test_ledger_import import csv_bytes, ledger_xlsx, problems


def order_form(contract, room, **changes):
    return {
        "contract": contract.pk,
        "number": "",
        "area": room.pk,
        "requester_name": "德岭山镇向日葵合作社",
        "purpose": "向日葵籽助农直播",
        "starts_at": "2026-03-15T09:00",
        "ends_at": "2026-03-15T11:30",
        "attendees": "6",
        "outcome": "",
        **changes,
    }


def test_a_work_order_left_without_a_number_gets_the_next_one_of_its_month(login, staff, contract, live_room):
    # given a work order of March already numbered 007
    make_work_order(contract, live_room, at(IN_PHASE_1, 14), at(IN_PHASE_1, 16), number="GD-202603-007")
    # when 李强 books the room the same morning without a number
    response = login(staff).post(reverse("centre:workorder-add"), order_form(contract, live_room))
    # then
    assert response.status_code == 302, response.content.decode()
    order = WorkOrder.objects.get(starts_at=at(IN_PHASE_1, 9))
    assert order.number == "GD-202603-008"
    assert order.ends_at == at(IN_PHASE_1, 11, 30)
    assert ObjectChange.objects.filter(object_id=order.pk, action="create", user=staff).exists()


def test_an_overlapping_booking_is_refused_on_the_page_naming_the_other_work_order(
    login, staff, contract, live_room
):
    make_work_order(contract, live_room, at(IN_PHASE_1, 10), at(IN_PHASE_1, 12), number="GD-202603-001")
    response = login(staff).post(reverse("centre:workorder-add"), order_form(contract, live_room))
    assert response.status_code == 400
    html = response.content.decode()
    assert "与工单 GD-202603-001（2026-03-15 10:00–12:00）时间重叠" in html
    assert WorkOrder.objects.count() == 1


def test_bookings_that_only_touch_are_both_kept(login, staff, contract, live_room):
    make_work_order(contract, live_room, at(IN_PHASE_1, 11, 30), at(IN_PHASE_1, 13))
    response = login(staff).post(reverse("centre:workorder-add"), order_form(contract, live_room))
    assert response.status_code == 302
    assert WorkOrder.objects.count() == 2


def test_the_same_time_in_another_area_is_free(login, staff, contract, live_room, classroom):
    make_work_order(contract, live_room, at(IN_PHASE_1, 9), at(IN_PHASE_1, 12))
    response = login(staff).post(reverse("centre:workorder-add"), order_form(contract, classroom))
    assert response.status_code == 302


def test_a_deleted_booking_frees_its_slot_and_cannot_be_restored_over_a_new_one(
    login, staff, contract, live_room
):
    # given a booking that was deleted, and the slot booked again
    old = make_work_order(contract, live_room, at(IN_PHASE_1, 9), at(IN_PHASE_1, 12), number="GD-202603-001")
    soft_delete_record(old, staff)
    response = login(staff).post(reverse("centre:workorder-add"), order_form(contract, live_room))
    assert response.status_code == 302
    # when the old one is restored, then it is refused with the reason
    with pytest.raises(Exception, match="时间重叠"):
        restore_record(old, staff)
    old.refresh_from_db()
    assert old.deleted_at is not None
    page = login(staff).post(reverse("centre:workorder-restore", args=[old.pk]), follow=True).content.decode()
    assert "时间重叠" in page


def test_moving_a_booking_onto_another_is_refused_but_editing_it_in_place_is_not(
    login, staff, contract, live_room
):
    first = make_work_order(
        contract, live_room, at(IN_PHASE_1, 9), at(IN_PHASE_1, 11), number="GD-202603-001"
    )
    second = make_work_order(
        contract, live_room, at(IN_PHASE_1, 14), at(IN_PHASE_1, 16), number="GD-202603-002"
    )
    client = login(staff)
    # editing the first in place (a longer outcome) clashes with nothing, not even itself
    same = order_form(
        contract, live_room, number=first.number, starts_at="2026-03-15T09:00", ends_at="2026-03-15T11:00"
    )
    assert client.post(reverse("centre:workorder-edit", args=[first.pk]), same).status_code == 302
    # moving the second onto the first is refused
    moved = order_form(contract, live_room, number=second.number, starts_at="2026-03-15T10:00")
    response = client.post(reverse("centre:workorder-edit", args=[second.pk]), moved)
    assert response.status_code == 400
    assert "GD-202603-001" in response.content.decode()
    second.refresh_from_db()
    assert second.starts_at == at(IN_PHASE_1, 14)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2026-03-15T08:00"}, "结束时间应晚于开始时间"),
        ({"ends_at": "2026-03-15T09:00"}, "结束时间应晚于开始时间"),
        ({"requester_name": ""}, "请填写服务对象"),
        ({"attendees": "-1"}, "参加人数"),
        ({"starts_at": "明天上午"}, "开始时间"),
        ({"area": "999999"}, "功能区"),
        ({"number": "x" * 41}, "工单编号"),
    ],
)
def test_the_form_refuses_bad_input_naming_the_field(login, staff, contract, live_room, changes, message):
    response = login(staff).post(reverse("centre:workorder-add"), order_form(contract, live_room, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_a_multi_day_booking_blocks_every_day_it_spans(contract, live_room):
    make_work_order(contract, live_room, at(IN_PHASE_1, 18), at(IN_PHASE_1 + datetime.timedelta(days=2), 12))
    next_day = IN_PHASE_1 + datetime.timedelta(days=1)
    assert find_overlapping_bookings(live_room, at(next_day, 9), at(next_day, 10)).exists()
    third_day = IN_PHASE_1 + datetime.timedelta(days=2)
    assert not find_overlapping_bookings(live_room, at(third_day, 12), at(third_day, 13)).exists()


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_books_a_room_and_refuses_an_overlap_naming_the_field(
    client, api_token, staff, contract, live_room
):
    headers = api_token(staff)
    payload = {
        "contract": contract.pk,
        "area": live_room.pk,
        "requester_name": "乌加河镇奶食品合作社",
        "purpose": "奶食品专场直播",
        "starts_at": "2026-08-01T19:00:00+08:00",
        "ends_at": "2026-08-01T21:00:00+08:00",
    }
    first = client.post("/api/centre/work-orders/", payload, content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    assert first.json()["number"] == "GD-202608-001"
    assert first.json()["requester"] == "乌加河镇奶食品合作社"
    # when a second booking overlaps by half an hour
    clash = {**payload, "starts_at": "2026-08-01T20:30:00+08:00", "ends_at": "2026-08-01T22:00:00+08:00"}
    second = client.post("/api/centre/work-orders/", clash, content_type="application/json", **headers)
    # then
    assert second.status_code == 400
    [error] = second.json()["errors"]
    assert error["field"] == "starts_at"
    assert "GD-202608-001（2026-08-01 19:00–21:00）" in error["message"]
    assert WorkOrder.objects.count() == 1


def test_the_api_refuses_nonsense_without_crashing(client, api_token, staff, contract, live_room):
    headers = api_token(staff)
    for payload in (
        {"starts_at": "not a time"},
        {"attendees": "many"},
        {"contract": contract.pk, "area": live_room.pk, "purpose": "x", "requester_name": "y"},
        {"contract": contract.pk, "area": 424242, "purpose": "x", "starts_at": "2026-08-01T19:00:00"},
    ):
        response = client.post(
            "/api/centre/work-orders/", payload, content_type="application/json", **headers
        )
        assert response.status_code in {400, 422}, (payload, response.content)
        assert response.json()["errors"], payload
    assert not WorkOrder.objects.exists()


# --- imports ---------------------------------------------------------------------------------------


def order_row(number, start, end, area="ZB-01", **cells):
    return {
        "工单编号": number,
        "功能区": area,
        "开始时间": start,
        "结束时间": end,
        "服务对象名称": "巴美羊肉合作社",
        "使用事由": "羊肉直播",
        **cells,
    }


def test_an_import_row_overlapping_a_stored_work_order_is_refused_and_nothing_is_written(
    staff, contract, live_room
):
    make_work_order(contract, live_room, at(IN_PHASE_2, 9), at(IN_PHASE_2, 12), number="GD-202608-001")
    rows = [
        order_row("GD-202608-002", "2026-08-01 12:00", "2026-08-01 13:00"),
        order_row("GD-202608-003", "2026-08-01 11:00", "2026-08-01 11:45"),
    ]
    report = WorkOrderLedger(staff).import_file(ledger_xlsx(WorkOrderLedger, rows), "工单.xlsx")
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "开始时间")
    assert "与工单 GD-202608-001（2026-08-01 09:00–12:00）时间重叠" in problem.message
    assert WorkOrder.objects.count() == 1


def test_two_overlapping_rows_of_one_file_are_refused_naming_the_other_row(
    staff, contract, live_room, classroom
):
    rows = [
        order_row("GD-202608-001", "2026-08-01 09:00", "2026-08-01 18:00"),
        order_row("GD-202608-002", "2026-08-01 19:00", "2026-08-01 21:00"),
        order_row("GD-202608-003", "2026-08-01 17:00", "2026-08-01 17:30"),
        order_row("GD-202608-004", "2026-08-01 17:00", "2026-08-01 17:30", area="PX-01"),
    ]
    report = WorkOrderLedger(staff).import_file(csv_bytes(rows), "工单.csv")
    assert [(p.row, p.column) for p in report.problems] == [(4, "开始时间")], problems(report)
    assert "与第 2 行（工单 GD-202608-001" in report.problems[0].message
    assert not WorkOrder.objects.exists()


def test_an_import_may_move_its_own_stored_bookings_around(staff, contract, live_room):
    # given two bookings stored back to back
    make_work_order(contract, live_room, at(IN_PHASE_2, 9), at(IN_PHASE_2, 10), number="GD-202608-001")
    make_work_order(contract, live_room, at(IN_PHASE_2, 10), at(IN_PHASE_2, 11), number="GD-202608-002")
    # when a file swaps them
    rows = [
        order_row("GD-202608-001", "2026-08-01 10:00", "2026-08-01 11:00"),
        order_row("GD-202608-002", "2026-08-01 09:00", "2026-08-01 10:00"),
    ]
    report = WorkOrderLedger(staff).import_file(ledger_xlsx(WorkOrderLedger, rows), "工单.xlsx")
    # then
    assert report.ok, problems(report)
    assert report.updated == 2
    assert WorkOrder.objects.get(number="GD-202608-002").starts_at == at(IN_PHASE_2, 9)


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        ({"开始时间": "2026-08-01"}, "开始时间", "时间格式应为 2026-03-15 09:30"),
        ({"结束时间": "2026-08-01 25:00"}, "结束时间", "时间不存在"),
        ({"结束时间": "2026-08-01 08:00"}, "结束时间", "结束时间应晚于开始时间"),
        ({"服务对象名称": ""}, "服务对象名称", "请填写服务对象"),
        ({"功能区": "ZB-99"}, "功能区", "找不到「ZB-99」"),
        ({"参加人数": "十"}, "参加人数", "应为整数"),
    ],
)
def test_a_bad_work_order_row_is_refused_naming_row_and_column(
    staff, contract, live_room, cells, column, fragment
):
    rows = [order_row("GD-202608-001", "2026-08-01 09:00", "2026-08-01 10:00", **cells)]
    report = WorkOrderLedger(staff).import_file(ledger_xlsx(WorkOrderLedger, rows), "工单.xlsx")
    assert [(p.row, p.column) for p in report.problems] == [(2, column)], problems(report)
    assert fragment in report.problems[0].message
    assert not WorkOrder.objects.exists()


def test_workbook_date_time_cells_are_read_as_local_time(staff, contract, live_room):
    rows = [
        order_row("GD-202608-001", datetime.datetime(2026, 8, 1, 7, 0), datetime.datetime(2026, 8, 1, 8, 30))
    ]
    report = WorkOrderLedger(staff).import_file(ledger_xlsx(WorkOrderLedger, rows), "工单.xlsx")
    assert report.ok, problems(report)
    assert WorkOrder.objects.get().starts_at == at(IN_PHASE_2, 7)


# --- the booking calendar --------------------------------------------------------------------------


def test_the_calendar_shows_the_weeks_bookings_day_by_day(login, auditor, contract, live_room):
    # given a booking on Sunday 2026-03-15 (ISO week 11) and one the week after
    make_work_order(contract, live_room, at(IN_PHASE_1, 9), at(IN_PHASE_1, 11), number="GD-202603-001")
    make_work_order(
        contract,
        live_room,
        at(datetime.date(2026, 3, 16), 9),
        at(datetime.date(2026, 3, 16), 11),
        number="GD-202603-002",
    )
    # when
    response = login(auditor).get(reverse("centre:area-calendar", args=[live_room.pk]), {"week": "2026-W11"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "GD-202603-001" in html and "GD-202603-002" not in html
    assert 'id="day-2026-03-09"' in html and 'id="day-2026-03-15"' in html
    assert "week=2026-W10" in html and "week=2026-W12" in html


def test_the_calendar_by_month_lists_a_multi_day_booking_on_each_of_its_days(
    login, staff, contract, live_room
):
    make_work_order(
        contract,
        live_room,
        at(datetime.date(2026, 3, 30), 14),
        at(datetime.date(2026, 4, 1), 12),
        number="GD-202603-009",
    )
    response = login(staff).get(reverse("centre:area-calendar", args=[live_room.pk]), {"month": "2026-03"})
    html = response.content.decode()
    assert html.count("GD-202603-009") == 2  # March 30 and 31; April is the next page
    assert "month=2026-02" in html and "month=2026-04" in html


@pytest.mark.parametrize(
    "query", [{"week": "2026-W60"}, {"month": "2026-13"}, {"month": "\x00"}, {"week": "abc"}]
)
def test_a_calendar_period_that_names_nothing_is_a_400_with_a_message(login, staff, live_room, query):
    response = login(staff).get(reverse("centre:area-calendar", args=[live_room.pk]), query)
    assert response.status_code == 400
    assert "格式应为" in response.content.decode()


def test_the_calendar_without_a_period_shows_the_current_week():
    period = calendar_period(today=datetime.date(2026, 11, 28))
    assert (period.first, period.last) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))


def test_the_calendar_costs_the_same_queries_for_3_and_30_bookings(login, auditor, contract, live_room):
    client = login(auditor)
    url = reverse("centre:area-calendar", args=[live_room.pk]) + "?month=2026-03"
    for day in range(1, 4):
        make_work_order(
            contract, live_room, at(datetime.date(2026, 3, day), 9), at(datetime.date(2026, 3, day), 10)
        )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(4, 31):
        make_work_order(
            contract, live_room, at(datetime.date(2026, 3, day), 9), at(datetime.date(2026, 3, day), 10)
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_area_page_and_the_work_order_list_link_the_calendar(login, staff, contract, live_room):
    client = login(staff)
    calendar = reverse("centre:area-calendar", args=[live_room.pk])
    assert calendar in client.get(reverse("centre:area-detail", args=[live_room.pk])).content.decode()
    assert calendar in client.get(reverse("centre:workorder-list")).content.decode()


def test_the_work_order_list_costs_the_same_queries_for_3_and_30_rows(
    login, auditor, contract, live_room, person, organisation
):
    client = login(auditor)
    url = reverse("centre:workorder-list")

    def book(first, count):
        for n in range(first, first + count):
            day = datetime.date(2026, 3, 1) + datetime.timedelta(days=n)
            make_work_order(
                contract,
                live_room,
                at(day, 9),
                at(day, 10),
                requester_person=person if n % 2 else None,
                requester_organisation=organisation if n % 3 == 0 else None,
            )

    book(0, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    book(3, 27)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
