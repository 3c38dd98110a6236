"""The region tree as a spreadsheet: a county, its towns and villages in one file, parents first."""

import datetime

import pytest

from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import LedgerImportContract, ledger_xlsx, problems
from muxiang.regions.ledgers import RegionLedger
from muxiang.regions.models import Region


@pytest.mark.django_db
class TestRegionLedger(LedgerImportContract):
    ledger_class = RegionLedger
    list_url = "/regions/"
    changed_header, changed_value, changed_field = "设立日期", datetime.date(2001, 1, 1), "opened_on"
    bad_header, bad_value, bad_fragment = "行政区划代码", "15082", "应为 6、9 或 12 位数字：15082"

    @pytest.fixture
    def rows(self, db):
        return [
            {
                "名称": "乌拉特后旗",
                "级别": "旗/县",
                "行政区划代码": "150825",
                "设立日期": datetime.date(1950, 1, 1),
            },
            {"名称": "巴音宝力格镇", "级别": "镇/苏木", "上级": "乌拉特后旗", "行政区划代码": 150825100},
            {
                "名称": "查干嘎查",
                "级别": "村/嘎查",
                "上级": "乌拉特后旗/巴音宝力格镇",
                "行政区划代码": "150825100201",
                "出列村": "是",
            },
        ]

    def record_for(self, row):
        path = f"{row['上级']}/{row['名称']}" if row.get("上级") else row["名称"]
        return Region.all_objects.get(path=path)


def import_regions(user, rows):
    return RegionLedger(user).import_file(ledger_xlsx(RegionLedger, rows), "行政区划.xlsx")


def test_a_county_with_its_towns_and_villages_is_created_in_one_file(staff):
    rows = [
        # children before parents: the file's order does not matter
        {"名称": "查干嘎查", "级别": "村/嘎查", "上级": "乌拉特后旗/巴音宝力格镇", "出列村": "是"},
        {"名称": "巴音宝力格镇", "级别": "镇/苏木", "上级": "乌拉特后旗"},
        {"名称": "乌拉特后旗", "级别": "旗/县", "行政区划代码": "150825"},
        {"名称": "潮格温都尔镇", "级别": "镇/苏木", "上级": "150825"},  # the parent by its code
        {"名称": "乌力吉嘎查", "级别": "村/嘎查", "上级": "乌拉特后旗/潮格温都尔镇"},
    ]
    report = import_regions(staff, rows)
    assert report.ok, problems(report)
    assert report.created == 5
    county = Region.objects.get(path="乌拉特后旗")
    town = Region.objects.get(path="乌拉特后旗/巴音宝力格镇")
    village = Region.objects.get(path="乌拉特后旗/巴音宝力格镇/查干嘎查")
    assert (town.parent, village.parent) == (county, town)
    assert village.exited_poverty
    assert Region.objects.get(path="乌拉特后旗/潮格温都尔镇/乌力吉嘎查").parent.parent == county
    assert set(Region.objects.within(county).values_list("level", flat=True)) == {"county", "town", "village"}


@pytest.mark.parametrize("order", [1, -1], ids=["parents first", "children first"])
def test_a_region_may_name_a_parent_created_by_the_same_file_by_its_code(staff, order):
    rows = [
        {"名称": "乌拉特后旗", "级别": "旗/县", "行政区划代码": "150825"},
        {"名称": "巴音宝力格镇", "级别": "镇/苏木", "上级": "150825", "行政区划代码": "150825100"},
        {"名称": "查干嘎查", "级别": "村/嘎查", "上级": "150825100"},
    ][::order]
    report = import_regions(staff, rows)
    assert report.ok, problems(report)
    assert Region.objects.get(name="查干嘎查").path == "乌拉特后旗/巴音宝力格镇/查干嘎查"


def test_a_village_naming_a_parent_that_does_not_exist_writes_nothing(staff, county):
    rows = [
        {"名称": "新建镇", "级别": "镇/苏木", "上级": county.path},
        {"名称": "无主村", "级别": "村/嘎查", "上级": "乌拉特中旗/不存在镇"},
    ]
    [problem] = import_regions(staff, rows).problems
    assert (problem.row, problem.column) == (3, "上级")
    assert "找不到上级「乌拉特中旗/不存在镇」" in problem.message
    assert not Region.all_objects.filter(name="新建镇").exists()


def test_a_village_under_a_county_is_refused(staff, county):
    [problem] = import_regions(staff, [{"名称": "越级村", "级别": "村/嘎查", "上级": county.path}]).problems
    assert problem.column == "上级"
    assert "级别不能作为村/嘎查的上级" in problem.message


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"名称": "乙旗", "级别": "旗/县", "上级": "乌拉特中旗"}, "上级", "旗/县不应有上级"),
        ({"名称": "丙镇", "级别": "镇/苏木"}, "上级", "镇/苏木需要上级"),
        ({"名称": "丁镇", "级别": "镇/苏木", "上级": "乌拉特中旗", "出列村": "是"}, "出列村", "只有村/嘎查"),
        ({"名称": "甲/乙", "级别": "镇/苏木", "上级": "乌拉特中旗"}, "名称", "不能含有「/」"),
        (
            {
                "名称": "戊镇",
                "级别": "镇/苏木",
                "上级": "乌拉特中旗",
                "设立日期": "2020-01-01",
                "撤销日期": "2019-01-01",
            },
            "撤销日期",
            "撤销日期应晚于设立日期",
        ),
        ({"名称": "己镇", "级别": "乡", "上级": "乌拉特中旗"}, "级别", "「乡」不是可选值"),
        (
            {"名称": "庚镇", "级别": "镇/苏木", "上级": "乌拉特中旗", "设立日期": "明天"},
            "设立日期",
            "日期格式应为",
        ),
    ],
)
def test_region_rules_are_reported_against_the_right_column(staff, county, row, column, message):
    [problem] = import_regions(staff, [row]).problems
    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message


def test_a_division_code_already_used_by_another_region_is_refused(staff, county, town):
    Region.objects.filter(pk=town.pk).update(code="150824100")
    [problem] = import_regions(
        staff, [{"名称": "乌加河镇", "级别": "镇/苏木", "上级": county.path, "行政区划代码": "150824100"}]
    ).problems
    assert (problem.row, problem.column) == (2, "行政区划代码")
    assert "150824100 已被另一条记录「乌拉特中旗/海流图镇」使用" in problem.message


def test_a_region_may_keep_its_own_division_code(staff, county, town):
    Region.objects.filter(pk=town.pk).update(code="150824100")
    report = import_regions(
        staff, [{"名称": "海流图镇", "级别": "镇/苏木", "上级": county.path, "行政区划代码": "150824100"}]
    )
    assert report.ok, problems(report)
    assert report.unchanged == 1


def test_two_rows_with_the_same_division_code_name_both_rows(staff, county):
    [problem] = import_regions(
        staff,
        [
            {"名称": "甲镇", "级别": "镇/苏木", "上级": county.path, "行政区划代码": "150824100"},
            {"名称": "乙镇", "级别": "镇/苏木", "上级": county.path, "行政区划代码": "150824100"},
        ],
    ).problems
    assert (problem.row, problem.column) == (3, "行政区划代码")
    assert "与第 2 行重复：150824100" in problem.message


def test_a_division_code_typed_as_a_number_is_read_as_digits(staff, county):
    report = import_regions(
        staff, [{"名称": "甲镇", "级别": "镇/苏木", "上级": county.path, "行政区划代码": 150824101}]
    )
    assert report.ok, problems(report)
    assert Region.objects.get(name="甲镇").code == "150824101"


def test_a_village_cannot_be_imported_under_a_deleted_town(staff, county, town):
    from muxiang.core.services import soft_delete_record

    soft_delete_record(town, staff)
    [problem] = import_regions(staff, [{"名称": "新村", "级别": "村/嘎查", "上级": town.path}]).problems
    assert problem.column == "上级"
    assert "找不到上级「乌拉特中旗/海流图镇」" in problem.message


def test_each_created_region_has_its_own_audit_entry(staff):
    rows = [
        {"名称": "乌拉特后旗", "级别": "旗/县"},
        {"名称": "巴音宝力格镇", "级别": "镇/苏木", "上级": "乌拉特后旗"},
    ]
    assert import_regions(staff, rows).ok
    entries = ObjectChange.objects.filter(source="import", action="create")
    assert sorted(e.after["path"] for e in entries) == ["乌拉特后旗", "乌拉特后旗/巴音宝力格镇"]
    assert all(e.after["parent_id"] for e in entries if e.after["level"] == "town")
