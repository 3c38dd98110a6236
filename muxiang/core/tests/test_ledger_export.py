"""Exports and import templates: exactly the rows a list shows, Chinese headers, files Excel opens."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from muxiang.core.services import soft_delete_record
from muxiang.core.tests.test_ledger_import import read_xlsx, xlsx_bytes
from muxiang.stations.ledgers import StationLedger
from muxiang.stations.models import Station

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def stations(station, other_station, town):
    """Two active stations (from the personas) and a planned and a closed one."""
    planned = Station.objects.create(
        code="HLT-003", name="海流图镇筹建站", level="town", region=town, status="planned"
    )
    closed = Station.objects.create(
        code="HLT-004",
        name="海流图镇旧站",
        level="town",
        region=town,
        status="closed",
        opened_on=datetime.date(2021, 1, 1),
        closed_on=datetime.date(2023, 6, 30),
    )
    return {"active": [station, other_station], "planned": planned, "closed": closed}


def codes_in(sheet):
    return [row[sheet[0].index("站点编号")] for row in sheet[1:]]


def test_the_export_holds_exactly_the_filtered_list(login, staff, stations):
    response = login(staff).get("/stations/export.xlsx?status=active")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = read_xlsx(response.content, "站点")
    assert sorted(codes_in(sheet)) == sorted(s.code for s in stations["active"])


def test_the_export_follows_the_search_box_too(login, staff, stations):
    sheet = read_xlsx(login(staff).get("/stations/export.xlsx", {"q": "旧站"}).content)
    assert codes_in(sheet) == ["HLT-004"]


def test_the_export_without_filters_holds_every_live_station(login, staff, stations):
    soft_delete_record(stations["planned"], staff)
    sheet = read_xlsx(login(staff).get("/stations/export.xlsx").content)
    assert sorted(codes_in(sheet)) == ["HLT-001", "HLT-004", "WJH-101"]


def test_the_recycle_bin_exports_only_deleted_stations(login, staff, stations):
    soft_delete_record(stations["planned"], staff)
    sheet = read_xlsx(login(staff).get("/stations/export.xlsx?deleted=1").content)
    assert codes_in(sheet) == ["HLT-003"]


def test_an_invalid_filter_exports_an_empty_sheet_rather_than_failing(login, staff, stations):
    response = login(staff).get("/stations/export.xlsx?status=bogus")
    assert response.status_code == 200
    assert read_xlsx(response.content) == [read_xlsx(response.content)[0]]


def test_the_export_has_chinese_headers_and_a_dated_file_name(login, staff, stations):
    response = login(staff).get("/stations/export.xlsx")
    sheet = read_xlsx(response.content)
    assert sheet[0] == [c.header for c in StationLedger.columns]
    assert sheet[0][:3] == ["站点编号", "站点名称", "级别"]
    disposition = unquote(response["Content-Disposition"])
    assert "attachment" in disposition
    assert f"站点台账-{timezone.localdate():%Y%m%d}.xlsx" in disposition


def test_the_export_writes_dates_as_dates_and_choices_as_their_labels(login, staff, stations):
    sheet = read_xlsx(login(staff).get("/stations/export.xlsx?q=HLT-004").content)
    row = dict(zip(sheet[0], sheet[1], strict=False))
    assert row["开业日期"] == datetime.date(2021, 1, 1)
    assert row["关闭日期"] == datetime.date(2023, 6, 30)
    assert row["状态"] == "已关闭"
    assert row["级别"] == "镇级站点"
    assert row["服务区域"] == "乌拉特中旗/海流图镇"
    assert row["精品站点"] == "否"


def test_a_station_manager_exports_only_their_own_station(login, manager, stations):
    sheet = read_xlsx(login(manager).get("/stations/export.xlsx").content)
    assert codes_in(sheet) == ["HLT-001"]


def test_signed_out_visitors_get_no_export(client, stations):
    response = client.get("/stations/export.xlsx")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


@pytest.mark.parametrize("url", ["/regions/", "/stations/", "/organisations/", "/people/"])
def test_every_ledger_exports_a_workbook_calamine_opens(login, staff, person, organisation, url):
    response = login(staff).get(f"{url}export.xlsx")
    assert response.status_code == 200
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    [name] = workbook.sheet_names
    rows = workbook.get_sheet_by_name(name).to_python()
    assert len(rows) >= 2
    assert all(isinstance(h, str) and h for h in rows[0])


def test_the_template_marks_required_headers_with_a_star(login, staff):
    response = login(staff).get("/stations/template.xlsx")
    assert response.status_code == 200
    headers = read_xlsx(response.content, "站点")[0]
    required = [c.header for c in StationLedger.columns if c.required]
    optional = [c.header for c in StationLedger.columns if c.importable and not c.required]
    assert [h for h in headers if h.endswith("*")] == [f"{h}*" for h in required]
    assert [h for h in headers if not h.endswith("*")] == optional


def test_the_template_has_a_sheet_of_filling_instructions(login, staff):
    content = login(staff).get("/stations/template.xlsx").content
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names == ["站点", "填写说明"]
    notes = read_xlsx(content, "填写说明")
    assert notes[0] == ["列名", "是否必填", "填写要求", "示例"]
    by_header = {row[0]: row for row in notes[1:] if row and row[0]}
    assert by_header["站点编号"][1] == "必填"
    assert by_header["地址"][1] == "选填"
    assert by_header["状态"][2] == "可选：筹建中、运营中、暂停、已关闭"
    assert "按「站点编号」匹配已有记录" in " ".join(str(row[0]) for row in notes)


def test_the_template_does_not_offer_columns_that_cannot_be_imported(login, staff):
    headers = read_xlsx(login(staff).get("/regions/template.xlsx").content, "行政区划")[0]
    assert "全称" not in headers
    assert "名称*" in headers


def test_the_filled_in_template_imports_through_the_import_page(login, staff, town):
    client = login(staff)
    template = client.get("/stations/template.xlsx").content
    headers = read_xlsx(template, "站点")[0]
    values = {"站点编号*": "HLT-077", "站点名称*": "模板站", "级别*": "镇级站点", "服务区域*": town.path}
    values |= {"状态*": "运营中", "开业日期": "2024-05-01"}
    filled = xlsx_bytes(
        {"站点": [headers, [values.get(h) for h in headers]], "填写说明": read_xlsx(template, "填写说明")}
    )
    upload = io.BytesIO(filled)
    upload.name = "站点导入模板.xlsx"
    response = client.post("/stations/import/", {"file": upload})
    assert response.status_code == 200, response.content.decode()
    assert Station.objects.get(code="HLT-077").region == town
