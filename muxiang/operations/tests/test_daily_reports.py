"""Daily reports (站点日报): 巴特尔 reports his station's day from his phone and corrects it until it
is locked; 李强 imports reports in bulk; bad input is refused with a message naming the field (and
the row and column of an import), writing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import PhaseAcceptance
from muxiang.core.models import ObjectChange
from muxiang.operations import services
from muxiang.operations.ledgers import StationDailyReportLedger
from muxiang.operations.models import ReportMonth, StationDailyReport
from muxiang.operations.tests.conftest import IN_PHASE_1, IN_PHASE_2, TODAY, csv_upload, read_xlsx, report

YESTERDAY = TODAY - datetime.timedelta(days=1)

HEADER = (
    "站点编号,日期,代买单数,代买金额（元）,代卖单数,代卖金额（元）,其中农产品金额（元）,"
    "寄出快递（件）,收到快递（件）,服务村民（人次）,便民服务（笔）,带动贫困户（户）,备注\n"
)


def phone_form(day=YESTERDAY, **figures):
    data = {"day": day.isoformat(), "proxy_selling_orders": "3", "proxy_selling_amount": "268.50"}
    data.update({k: str(v) for k, v in figures.items()})
    return data


def import_csv(user, text, dry_run=False):
    return StationDailyReportLedger(user).import_file(csv_upload(HEADER + text), "日报.csv", dry_run=dry_run)


def problems(report) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in report.problems]


# --- the phone form --------------------------------------------------------------------------------


def test_a_station_manager_reports_his_day_from_the_phone_form(login, manager, station):
    # given 巴特尔 on his phone
    client = login(manager)
    # when he fills in yesterday's sales and leaves the other figures empty
    response = client.post(reverse("operations:dailyreport-add"), phone_form())
    # then the report is his station's, the empty figures are 0
    assert response.status_code == 302, response.content.decode()
    saved = StationDailyReport.objects.get()
    assert (saved.station, saved.day, saved.proxy_selling_amount) == (station, YESTERDAY, Decimal("268.50"))
    assert saved.parcels_sent == 0 and saved.proxy_buying_amount == 0


def test_the_phone_form_offers_the_number_keyboard_and_no_station_choice(login, manager, station):
    html = login(manager).get(reverse("operations:dailyreport-add")).content.decode()
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html
    assert 'name="station"' not in html
    assert TODAY.isoformat() in html  # the day defaults to today


def test_a_second_report_for_the_same_day_is_refused(login, manager, station):
    report(station, YESTERDAY)
    response = login(manager).post(reverse("operations:dailyreport-add"), phone_form())
    assert response.status_code == 400
    assert "每个站点每天只报一份" in response.content.decode()
    assert StationDailyReport.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (phone_form(day=TODAY + datetime.timedelta(days=1)), "日期不能晚于今天"),
        (phone_form(day=datetime.date(2024, 2, 28)), "早于站点「海流图镇电商服务站」的开业日期 2024-03-01"),
        (phone_form(proxy_buying_amount="-5"), "代买金额（元）"),
        (phone_form(proxy_selling_amount="12.345"), "代卖金额（元）"),
        (phone_form(parcels_sent="-1"), "寄出快递（件）"),
        (phone_form(farm_product_amount="300"), "农产品金额 300 不能大于代卖金额 268.50"),
    ],
    ids=["future", "before-opening", "negative", "three-decimals", "negative-count", "farm-over-selling"],
)
def test_the_phone_form_refuses_bad_figures_naming_the_field(login, manager, station, data, message):
    response = login(manager).post(reverse("operations:dailyreport-add"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StationDailyReport.objects.exists()


def test_a_station_manager_corrects_his_report_until_the_month_is_sent(login, manager, station):
    saved = report(station, IN_PHASE_2)
    client = login(manager)
    url = reverse("operations:dailyreport-edit", args=[saved.pk])
    # when he corrects it while August is open
    assert client.post(url, phone_form(day=IN_PHASE_2, proxy_selling_amount="300")).status_code == 302
    # and again after August was sent to the ministry platform
    services.lock_month(IN_PHASE_2)
    response = client.post(url, phone_form(day=IN_PHASE_2, proxy_selling_amount="999"))
    # then the second correction is refused
    assert response.status_code == 400
    assert "2026-08 的日报已报送商务部平台，已锁定" in response.content.decode()
    saved.refresh_from_db()
    assert saved.proxy_selling_amount == Decimal("300.00")


def test_a_report_of_an_accepted_phase_is_frozen(login, staff, station, contract):
    saved = report(station, IN_PHASE_1)
    PhaseAcceptance.objects.create(phase=contract.phases.get(number=1), state=AcceptanceState.ACCEPTED)
    client = login(staff)
    response = client.post(
        reverse("operations:dailyreport-edit", args=[saved.pk]),
        {**phone_form(day=IN_PHASE_1), "station": station.pk},
    )
    assert response.status_code == 400 and "记录已冻结" in response.content.decode()
    response = client.post(reverse("operations:dailyreport-delete", args=[saved.pk]), follow=True)
    assert "记录已冻结" in response.content.decode()
    assert StationDailyReport.objects.filter(pk=saved.pk).exists()


def test_today_takes_a_station_manager_to_his_report_of_the_day(login, manager, station):
    client = login(manager)
    assert client.get(reverse("operations:today"))["Location"] == reverse("operations:dailyreport-add")
    saved = report(station, TODAY)
    assert client.get(reverse("operations:today"))["Location"] == reverse(
        "operations:dailyreport-edit", args=[saved.pk]
    )


def test_the_detail_page_says_whether_the_report_was_late(login, staff, station):
    saved = report(station, IN_PHASE_2, created_at=datetime.datetime(2026, 8, 20, 4, tzinfo=datetime.UTC))
    html = login(staff).get(reverse("operations:dailyreport-detail", args=[saved.pk])).content.decode()
    assert "（补报）" in html and "可修改" in html


# --- the import --------------------------------------------------------------------------------------


def test_an_import_creates_reports_and_a_second_import_changes_nothing(staff, station, other_station):
    text = (
        "HLT-001,2026-11-20,2,120.5,1,80,80,1,2,9,1,0,\n"
        "WJH-101,2026/11/20,,,,,,,,,,,停电\n"
        "海流图镇电商服务站,2026-11-21,1,10,0,0,0,0,0,3,0,0,\n"
    )
    first = import_csv(staff, text)
    assert first.ok, problems(first)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert StationDailyReport.objects.get(station=other_station).parcels_sent == 0
    entries = ObjectChange.objects.filter(content_type__model="stationdailyreport").count()
    # when the same file comes again
    second = import_csv(staff, text)
    # then nothing changes
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert ObjectChange.objects.filter(content_type__model="stationdailyreport").count() == entries


def test_an_import_row_for_a_stored_report_corrects_it(staff, station):
    saved = report(station, datetime.date(2026, 11, 20))
    result = import_csv(staff, "HLT-001,2026-11-20,2,120,1,500,300,3,5,8,1,1,\n")
    assert (result.created, result.updated) == (0, 1)
    saved.refresh_from_db()
    assert saved.proxy_selling_amount == Decimal("500.00")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("HLT-001,2026-11-20,2,-120,1,80,80,1,2,9,1,0,", "代买金额（元）", "不能为负数：-120"),
        ("HLT-001,2026-11-20,-2,120,1,80,80,1,2,9,1,0,", "代买单数", "不能小于 0：-2"),
        ("HLT-001,2026-12-01,2,120,1,80,80,1,2,9,1,0,", "日期", "日期不能晚于今天：2026-12-01"),
        (
            "HLT-001,2024-02-01,2,120,1,80,80,1,2,9,1,0,",
            "日期",
            "早于站点「海流图镇电商服务站」的开业日期 2024-03-01",
        ),
        ("HLT-001,2026-11-20,2,120.125,1,80,80,1,2,9,1,0,", "代买金额（元）", "最多保留 2 位小数：120.125"),
        ("HLT-999,2026-11-20,2,120,1,80,80,1,2,9,1,0,", "站点编号", "找不到「HLT-999」"),
        (
            "HLT-001,2026-11-20,2,120,1,80,90,1,2,9,1,0,",
            "其中农产品金额（元）",
            "农产品金额 90.00 不能大于代卖金额 80.00",
        ),
        ("HLT-001,2026-11-20,2,两百,1,80,80,1,2,9,1,0,", "代买金额（元）", "应为数字：两百"),
        ("HLT-001,,2,120,1,80,80,1,2,9,1,0,", "日期", "必填，不能为空"),
    ],
    ids=[
        "negative-amount",
        "negative-count",
        "future",
        "before-opening",
        "three-decimals",
        "unknown-station",
        "farm-over-selling",
        "not-a-number",
        "no-day",
    ],
)
def test_a_bad_row_is_refused_naming_row_and_column_and_nothing_is_written(
    staff, station, row, column, message
):
    # given a good first row and a bad second one
    result = import_csv(staff, "HLT-001,2026-11-19,1,10,0,0,0,0,0,3,0,0,\n" + row + "\n")
    # then
    assert not result.ok
    assert (3, column) in [(p.row, p.column) for p in result.problems], problems(result)
    assert any(message in p.message for p in result.problems), problems(result)
    assert not StationDailyReport.objects.exists()


def test_a_second_row_for_the_same_station_and_day_is_refused(staff, station):
    result = import_csv(
        staff, "HLT-001,2026-11-20,1,10,0,0,0,0,0,3,0,0,\nHLT-001,2026-11-20,2,20,0,0,0,0,0,3,0,0,\n"
    )
    assert problems(result) == [(3, "日期", "与第 2 行重复：HLT-001 2026-11-20")]
    assert not StationDailyReport.objects.exists()


def test_rows_of_a_locked_month_or_a_frozen_phase_are_refused(staff, station, contract):
    ReportMonth.objects.create(
        month=datetime.date(2026, 8, 1), sent_at=datetime.datetime(2026, 9, 2, tzinfo=datetime.UTC)
    )
    PhaseAcceptance.objects.create(phase=contract.phases.get(number=1), state=AcceptanceState.ACCEPTED)
    result = import_csv(
        staff, "HLT-001,2026-08-03,1,10,0,0,0,0,0,3,0,0,\nHLT-001,2026-03-15,1,10,0,0,0,0,0,3,0,0,\n"
    )
    messages = problems(result)
    assert messages[0][:2] == (2, "日期") and "已锁定" in messages[0][2]
    assert messages[1][:2] == (3, "日期") and "记录已冻结" in messages[1][2]
    assert not StationDailyReport.objects.exists()


def test_the_export_imports_back_unchanged(login, staff, station, other_station):
    report(
        station,
        datetime.date(2026, 11, 20),
        proxy_selling_amount=Decimal("1234.56"),
        farm_product_amount=Decimal("1000"),
        note="羊肉",
    )
    report(other_station, datetime.date(2026, 11, 21))
    exported = login(staff).get(reverse("operations:dailyreport-export")).content
    rows = read_xlsx(exported)
    assert rows[0][:2] == ["站点编号", "日期"]
    result = StationDailyReportLedger(staff).import_file(exported, "export.xlsx")
    assert result.ok, problems(result)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_the_import_page_shows_row_and_column(login, staff, station):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "日报.csv", csv_upload(HEADER + "HLT-001,2026-11-20,2,-1,1,80,80,1,2,9,1,0,\n")
    )
    response = login(staff).post(reverse("operations:dailyreport-import"), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>2</td><td>代买金额（元）</td><td>不能为负数：-1</td>" in html


# --- the API -------------------------------------------------------------------------------------


def test_the_api_refuses_a_negative_amount_naming_the_field(client, api_token, manager, station):
    response = client.post(
        "/api/operations/reports/",
        {"day": "2026-11-27", "proxy_buying_amount": "-3"},
        content_type="application/json",
        **api_token(manager),
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["proxy_buying_amount"]
    assert not StationDailyReport.objects.exists()


def test_the_api_refuses_a_second_report_of_the_day(client, api_token, manager, station):
    report(station, datetime.date(2026, 11, 27))
    response = client.post(
        "/api/operations/reports/",
        {"day": "2026-11-27"},
        content_type="application/json",
        **api_token(manager),
    )
    assert response.status_code == 400
    assert "每个站点每天只报一份" in response.json()["errors"][0]["message"]


def test_an_imported_report_has_its_creation_in_the_audit_trail_with_its_amounts(staff, station):
    import_csv(staff, "HLT-001,2026-11-20,2,120.5,1,80,80,1,2,9,1,0,羊肉\n")
    saved = StationDailyReport.objects.get()
    entry = ObjectChange.objects.get(content_type__model="stationdailyreport", object_id=saved.pk)
    assert entry.action == "create" and entry.source == "import" and entry.user == staff
    assert entry.after["proxy_buying_amount"] == "120.50" and entry.after["station_id"] == station.pk
    assert (
        entry.after["day"] == "2026-11-20"
        and entry.after["note"] == "羊肉"
        and entry.after["parcels_sent"] == 1
    )


def test_a_locked_report_offers_no_edit_button(login, manager, station):
    saved = report(station, IN_PHASE_2)
    client = login(manager)
    edit = reverse("operations:dailyreport-edit", args=[saved.pk])
    assert edit in client.get(reverse("operations:dailyreport-detail", args=[saved.pk])).content.decode()
    services.lock_month(IN_PHASE_2)
    page = client.get(reverse("operations:dailyreport-detail", args=[saved.pk])).content.decode()
    assert edit not in page and "已锁定" in page
