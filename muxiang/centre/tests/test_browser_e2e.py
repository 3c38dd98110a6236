"""The service centre's booking of a functional area, driven end to end in headless Chromium against a
live server: a work order is booked through the form, an overlapping one is refused naming the first,
and the booking shows on the area's calendar.

"Today" is pinned to 2026-11-28 (a Saturday) by this app's conftest, in the live server's thread as
much as in the test's: the calendar opens on the week of 2026-11-23 to 2026-11-29.
"""

import re

import pytest

from muxiang.conftest import CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def fill_work_order(page, starts_at, ends_at, requester="德岭山镇向日葵合作社", purpose="向日葵籽助农直播"):
    page.select_option("#id_area", label="一号直播间（公共直播基地）")
    page.fill("#id_requester_name", requester)
    page.fill("#id_purpose", purpose)
    page.fill("#id_starts_at", starts_at)
    page.fill("#id_ends_at", ends_at)
    page.fill("#id_attendees", "6")


def test_operator_staff_books_an_area_an_overlapping_booking_is_refused_and_the_calendar_shows_it(
    new_page, staff, contract, live_room, classroom
):
    from playwright.sync_api import expect

    from muxiang.centre.models import WorkOrder

    # given 李强, signed in, and the centre's two rooms free
    page = new_page()
    sign_in(page, "liqiang")

    # when he books the live-stream room through the work-order form, leaving the number blank
    page.get_by_role("navigation").get_by_role("link", name="服务中心", exact=True).click()
    page.wait_for_url("**/centre/")
    page.locator(".pagehead .actions").get_by_role("link", name="服务工单", exact=True).click()
    page.wait_for_url("**/centre/work-orders/")
    page.get_by_role("link", name="新建", exact=True).click()
    page.wait_for_url("**/centre/work-orders/add/")
    # the only contract is preselected
    expect(page.locator("#id_contract")).to_have_value(str(contract.pk))
    fill_work_order(page, "2026-11-26T09:00", "2026-11-26T11:30")
    page.get_by_role("button", name="保存").click()

    # then the work order is saved with the next number of its month
    page.wait_for_url(re.compile(r"/centre/work-orders/\d+/$"))
    expect(page.locator(".flash")).to_contain_text("已创建：GD-202611-001")
    first = WorkOrder.objects.get()
    assert (first.number, first.area, first.requester_name) == (
        "GD-202611-001",
        live_room,
        "德岭山镇向日葵合作社",
    )

    # when he books the same room again for an overlapping time
    page.goto("/centre/work-orders/add/")
    fill_work_order(
        page, "2026-11-26T10:00", "2026-11-26T12:00", requester="巴美羊肉合作社", purpose="羊肉直播带货"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="保存").click()

    # then it is refused on the form, naming the first work order and its time, and nothing is written
    assert posted.value.status == 400
    expect(page).to_have_url(re.compile(r"/centre/work-orders/add/$"))
    error = page.locator("form.recordform .error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text(
        "与工单 GD-202611-001（2026-11-26 09:00–11:30）时间重叠，该功能区此时段已被预约"
    )
    # what he typed is kept, for him to move the booking
    expect(page.locator("#id_requester_name")).to_have_value("巴美羊肉合作社")
    expect(page.locator("#id_starts_at")).to_have_value("2026-11-26T10:00")
    assert list(WorkOrder.objects.values_list("number", flat=True)) == ["GD-202611-001"]

    # when he opens the room's booking calendar from the centre overview
    page.goto("/centre/")
    page.locator("tr", has_text="ZB-01 一号直播间").get_by_role("link", name="日历").click()
    page.wait_for_url(f"**/centre/areas/{live_room.pk}/calendar/")

    # then this week shows the booking on its day, and the other days free
    expect(page.locator(".calendar-nav strong")).to_have_text("2026 年第 48 周（2026-11-23 至 2026-11-29）")
    day = page.locator("#day-2026-11-26")
    expect(day.get_by_role("listitem")).to_have_count(1)
    booking = day.get_by_role("listitem")
    expect(booking.locator(".when")).to_have_text("11-26 09:00–11-26 11:30")
    expect(booking.get_by_role("link", name="GD-202611-001")).to_be_visible()
    expect(booking).to_contain_text("德岭山镇向日葵合作社 · 向日葵籽助农直播 · 6 人")
    expect(page.locator("#day-2026-11-25")).to_contain_text("空闲")
    expect(page.locator("#day-2026-11-27")).to_contain_text("空闲")
    expect(page.locator("main")).not_to_contain_text("巴美羊肉合作社")

    # and the classroom, booked by no one, is free all week
    page.goto(f"/centre/areas/{classroom.pk}/calendar/")
    expect(page.locator("section.calendar-day.free")).to_have_count(7)
