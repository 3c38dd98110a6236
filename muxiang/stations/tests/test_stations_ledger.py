"""The station register as a spreadsheet: import, re-import and the station-specific cell rules."""

import datetime
import io

import pytest

from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import (
    LedgerImportContract,
    ledger_xlsx,
    problems,
    read_xlsx,
)
from muxiang.stations.ledgers import StationLedger
from muxiang.stations.models import Station


@pytest.mark.django_db
class TestStationLedger(LedgerImportContract):
    ledger_class = StationLedger
    list_url = "/stations/"
    changed_header, changed_value, changed_field = "站点名称", "海流图镇中心服务站", "name"
    bad_header, bad_value, bad_fragment = "开业日期", "2024-02-30", "日期不存在：2024-02-30"

    @pytest.fixture
    def rows(self, town, village):
        return [
            {
                "站点编号": "HLT-101",
                "站点名称": "海流图镇一站",
                "级别": "镇级站点",
                "服务区域": town.path,
                "地址": "海流图镇团结路 8 号",
                "纬度": 41.57,
                "经度": 108.52,
                "联系电话": "13900000101",
                "开业日期": datetime.date(2024, 5, 1),
                "状态": "运营中",
                "服务项目": "快递收发、代买",
                "精品站点": "是",
            },
            {
                "站点编号": "WJH-201",
                "站点名称": "巴音村二站",
                "级别": "村级站点",
                "服务区域": village.path,
                "状态": "筹建中",
            },
            {
                "站点编号": "HLT-102",
                "站点名称": "海流图镇三站",
                "级别": "镇级站点",
                "服务区域": town.path,
                "开业日期": "2023/1/15",
                "状态": "暂停",
                "联系电话": "13900000101",  # the same phone as the first row: phones are not unique
            },
        ]


def import_stations(user, rows):
    return StationLedger(user).import_file(ledger_xlsx(StationLedger, rows), "站点.xlsx")


@pytest.fixture
def row(town):
    return {
        "站点编号": "HLT-050",
        "站点名称": "海流图镇五十站",
        "级别": "镇级站点",
        "服务区域": town.path,
        "开业日期": "2024-05-01",
        "状态": "运营中",
    }


def test_the_imported_station_holds_every_cell(staff, town, row):
    report = import_stations(
        staff,
        [{**row, "纬度": "41.571234", "经度": 108.5, "服务项目": "代买、快递收发", "精品站点": "是"}],
    )
    assert report.ok, problems(report)
    station = Station.objects.get(code="HLT-050")
    assert station.region == town
    assert station.opened_on == datetime.date(2024, 5, 1)
    assert str(station.latitude) == "41.571234"
    assert station.services == ["parcels", "proxy_buying"]
    assert station.is_premium is True


def test_a_region_may_be_named_by_its_unique_short_name(staff, town, row):
    assert import_stations(staff, [{**row, "服务区域": "海流图镇"}]).ok
    assert Station.objects.get(code="HLT-050").region == town


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("开业日期", "2024-02-30", "日期不存在：2024-02-30"),
        ("开业日期", "明天", "日期格式应为 2024-03-15：明天"),
        ("纬度", "-91", "不能小于 -90"),
        ("纬度", "41.1234567", "最多保留 6 位小数"),
        ("纬度", "1e30", "数值过大"),
        ("经度", "东经108度", "应为数字"),
        ("联系电话", "0478-1234567", "手机号应为 1 开头的 11 位数字"),
        ("状态", "营业", "「营业」不是可选值"),
        ("服务项目", "代买、理发", "「理发」不是可选值"),
        ("精品站点", "也许", "应填写「是」或「否」"),
        ("站点名称", "", "必填，不能为空"),
        ("站点编号", "X" * 31, "超过 30 个字符"),
    ],
)
def test_a_bad_cell_is_reported_with_its_column_and_nothing_is_written(staff, row, header, value, message):
    report = import_stations(staff, [{**row, "站点编号": "HLT-051"}, {**row, header: value}])
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, header)
    assert message in problem.message
    assert not Station.all_objects.exists()


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"服务区域": "乌拉特中旗"}, "服务区域", "镇级站点不能服务于乌拉特中旗（旗/县）"),
        ({"开业日期": None}, "开业日期", "状态为「运营中」的站点需要填写开业日期"),
        ({"状态": "已关闭"}, "关闭日期", "已关闭的站点需要填写关闭日期"),
        ({"关闭日期": "2024-04-30"}, "关闭日期", "关闭日期不能早于开业日期"),
        ({"纬度": "41.5"}, "经度", "经纬度需同时填写"),
        ({"服务区域": "乌拉特中旗/不存在镇"}, "服务区域", "找不到「乌拉特中旗/不存在镇」"),
    ],
)
def test_cross_column_rules_are_reported_against_the_right_column(
    staff, county, row, change, column, message
):
    [problem] = import_stations(staff, [{**row, **change}]).problems
    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message


def test_a_region_name_shared_by_two_regions_asks_for_the_code(staff, county, town, other_town, row):
    from muxiang.regions.models import Region

    Region.objects.create(name="巴音村", level="village", parent=town)
    Region.objects.create(name="巴音村", level="village", parent=other_town)
    report = import_stations(staff, [{**row, "级别": "村级站点", "服务区域": "巴音村"}])
    assert "对应多条记录，请改填代码" in problems(report)


def test_the_manager_is_found_by_mobile(staff, person, row):
    report = import_stations(staff, [{**row, "负责人手机号": person.mobile}])
    assert report.ok, problems(report)
    assert Station.objects.get(code="HLT-050").manager == person


def test_a_station_code_already_used_by_a_deleted_station_must_be_restored_first(staff, station, row):
    from muxiang.core.services import soft_delete_record

    soft_delete_record(station, staff)
    [problem] = import_stations(staff, [{**row, "站点编号": station.code}]).problems
    assert problem.column == "站点编号"
    assert "已被删除，请先在回收站恢复" in problem.message


def test_a_station_entered_by_form_exports_and_imports_back_unchanged(staff, station, other_station):
    # given stations saved through the form, whose services are stored in the order ticked
    assert station.services == ["proxy_buying", "parcels"]
    exported = StationLedger(staff).export(Station.objects.all())
    changes = ObjectChange.objects.count()
    # when
    report = StationLedger(staff).import_file(exported, "站点台账.xlsx")
    # then
    assert report.ok, problems(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert ObjectChange.objects.count() == changes


def test_the_export_lists_the_services_by_their_chinese_names(staff, station):
    sheet = read_xlsx(StationLedger(staff).export(Station.objects.all()))
    assert sheet[1][sheet[0].index("服务项目")] == "代买、快递收发"


def test_a_changed_date_is_recorded_before_and_after(staff, station):
    exported = read_xlsx(StationLedger(staff).export(Station.objects.all()))
    headers, values = exported[0], exported[1]
    values[headers.index("开业日期")] = "2024-03-02"
    rows = [dict(zip(headers, values, strict=True))]
    report = import_stations(staff, rows)
    assert report.updated == 1, problems(report)
    entry = ObjectChange.objects.latest("id")
    assert entry.changed_fields() == {"opened_on": ("2024-03-01", "2024-03-02")}


def test_the_web_import_of_a_station_csv_in_gbk_works(login, staff, town, row):
    data = (
        "站点编号,站点名称,级别,服务区域,开业日期,状态\n"
        + f"HLT-060,六十站,镇级站点,{town.path},2024-05-01,运营中\n"
    ).encode("gbk")
    upload = io.BytesIO(data)
    upload.name = "站点.csv"
    response = login(staff).post("/stations/import/", {"file": upload})
    assert response.status_code == 200, response.content.decode()
    assert Station.objects.filter(code="HLT-060", region=town).exists()
