"""The brand and standard ledgers as spreadsheets: a good file imports, imports again without a
change, and the export imports back unchanged; a file with one bad row is refused whole, the
problem named by row and column in Chinese."""

import datetime

import pytest

from muxiang.brands.ledgers import (
    BrandLedger,
    BrandMemberLedger,
    BrandServiceLedger,
    PackagingRunLedger,
    ProductSeriesLedger,
    SeriesProductLedger,
)
from muxiang.brands.models import Brand, BrandMember, PackagingRun, SeriesProduct
from muxiang.brands.tests.conftest import IN_PHASE_1, IN_PHASE_2, make_entry, make_member, make_product
from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import ledger_xlsx, problems
from muxiang.standards.ledgers import StandardVersionLedger
from muxiang.standards.models import StandardVersion, TradeStandard

pytestmark = pytest.mark.django_db


def run(ledger_class, user, rows, dry_run=False):
    ledger = ledger_class(user)
    return ledger.import_file(ledger_xlsx(ledger_class, rows), "台账.xlsx", dry_run=dry_run)


BRANDS = [
    {"品牌名称": "乌拉特草原", "品牌层级": "区域公共品牌", "所属产业": "综合", "建立日期": IN_PHASE_1},
    {"品牌名称": "乌拉特羊", "品牌层级": "产业品牌", "所属产业": "肉羊", "建立日期": IN_PHASE_1},
    {
        "品牌名称": "牧歌",
        "品牌层级": "企业品牌",
        "权属企业": "海流图牧歌合作社",
        "商标注册号": "58123456",
        "商标状态": "已注册",
        "建立日期": IN_PHASE_2,
    },
]


def test_a_brand_file_imports_once_and_again_changes_nothing(contract, staff, organisation):
    report = run(BrandLedger, staff, BRANDS)
    assert report.ok, problems(report)
    assert report.created == 3
    assert Brand.objects.get(name="牧歌").owner == organisation
    entries = ObjectChange.objects.count()
    again = run(BrandLedger, staff, BRANDS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert ObjectChange.objects.count() == entries


def test_the_brand_export_imports_back_unchanged(contract, staff, organisation):
    run(BrandLedger, staff, BRANDS)
    ledger = BrandLedger(staff)
    data = ledger.export(Brand.objects.all())
    report = ledger.import_file(data, "导出.xlsx")
    assert report.ok, problems(report)
    assert report.unchanged == 3


def test_a_second_regional_brand_in_the_file_refuses_the_whole_file(contract, staff, organisation):
    rows = [*BRANDS, {"品牌名称": "河套草原", "品牌层级": "区域公共品牌", "建立日期": IN_PHASE_1}]
    report = run(BrandLedger, staff, rows)
    assert "第 5 行" in problems(report) and "品牌层级" in problems(report)
    assert "已有区域公共品牌「乌拉特草原」" in problems(report)
    assert not Brand.objects.exists()


def test_an_enterprise_brand_without_owner_is_refused_naming_the_column(contract, staff):
    report = run(BrandLedger, staff, [{"品牌名称": "牧歌", "品牌层级": "企业品牌", "建立日期": IN_PHASE_1}])
    assert "权属企业" in problems(report) and "企业品牌须填写权属企业" in problems(report)


def test_members_joining_twice_in_one_file_are_refused(regional, staff, organisation):
    rows = [
        {
            "区域公共品牌": "乌拉特草原",
            "成员企业": "海流图牧歌合作社",
            "授权编号": "SQ-1",
            "加入日期": IN_PHASE_1,
        },
        {
            "区域公共品牌": "乌拉特草原",
            "成员企业": "海流图牧歌合作社",
            "授权编号": "SQ-2",
            "加入日期": IN_PHASE_2,
        },
    ]
    report = run(BrandMemberLedger, staff, rows)
    assert "第 3 行" in problems(report) and "不能重复加入" in problems(report)
    assert not BrandMember.objects.exists()


def test_a_member_leaving_before_joining_is_refused(regional, staff, organisation):
    rows = [
        {
            "区域公共品牌": "乌拉特草原",
            "成员企业": "海流图牧歌合作社",
            "授权编号": "SQ-1",
            "加入日期": IN_PHASE_1,
            "退出日期": datetime.date(2026, 2, 1),
        }
    ]
    report = run(BrandMemberLedger, staff, rows)
    assert "退出日期" in problems(report) and "不能早于加入日期" in problems(report)


def test_members_take_the_contract_of_their_brand(regional, staff, organisation):
    rows = [
        {
            "区域公共品牌": "乌拉特草原",
            "成员企业": "海流图牧歌合作社",
            "授权编号": "SQ-1",
            "加入日期": IN_PHASE_1,
        }
    ]
    assert run(BrandMemberLedger, staff, rows).ok
    assert BrandMember.objects.get().contract_id == regional.contract_id


def test_a_service_outside_the_membership_is_refused(regional, staff, organisation):
    make_member(regional, organisation, left_on=datetime.date(2026, 5, 1))
    rows = [
        {
            "服务编号": "PF-001",
            "成员企业授权编号": "WLT-SQ-001",
            "服务类型": "设计服务",
            "服务日期": IN_PHASE_2,
            "服务内容": "设计",
        }
    ]
    report = run(BrandServiceLedger, staff, rows)
    assert "服务日期" in problems(report) and "不在该企业的成员期内" in problems(report)


def test_series_products_are_matched_on_series_and_product(series, staff, regional):
    make_product(1)
    rows = [{"产品系列": "XL-01", "商品": "BR-T001", "上线日期": IN_PHASE_1, "卖点": "草原散养"}]
    assert run(SeriesProductLedger, staff, rows).ok
    changed = [{**rows[0], "卖点": "源头直供"}]
    report = run(SeriesProductLedger, staff, changed)
    assert (report.created, report.updated) == (0, 1)
    assert SeriesProduct.objects.get().selling_points == "源头直供"


def test_packaging_of_no_units_or_of_a_stranger_product_is_refused(series, staff):
    make_entry(series, make_product(1))
    make_product(2, name="奶豆腐")
    rows = [
        {
            "批次编号": "BZ-001",
            "产品系列": "XL-01",
            "包装设计": "礼盒",
            "生产数量（件）": 0,
            "包装供应商": "印务",
            "生产日期": IN_PHASE_1,
        },
        {
            "批次编号": "BZ-002",
            "产品系列": "XL-01",
            "商品": "BR-T001",
            "包装设计": "礼盒",
            "生产数量（件）": 2000,
            "包装供应商": "印务",
            "生产日期": IN_PHASE_1,
        },
    ]
    report = run(PackagingRunLedger, staff, rows)
    assert "第 2 行" in problems(report) and "生产数量应大于 0：0" in problems(report)
    assert not PackagingRun.objects.exists()
    rows[0]["生产数量（件）"] = 2000
    rows[1]["商品"] = "BR-T002"
    report = run(PackagingRunLedger, staff, rows)
    assert "不是系列「草原羊肉系列」的产品" in problems(report)
    rows[1]["商品"] = "BR-T001"
    assert run(PackagingRunLedger, staff, rows).ok
    assert sum(PackagingRun.objects.values_list("units", flat=True)) == 4000


def test_the_series_ledger_imports(regional, staff):
    rows = [{"系列编号": "XL-01", "系列名称": "羊肉系列", "所属品牌": "乌拉特草原", "推出日期": IN_PHASE_1}]
    assert run(ProductSeriesLedger, staff, rows).ok


def test_two_current_versions_of_a_standard_are_refused(db, staff):
    TradeStandard.objects.create(title="羊肉网销流通标准", industry="肉羊")
    rows = [
        {
            "标准名称": "羊肉网销流通标准",
            "标准编号": "T/1—2025",
            "版本": "V1.0",
            "实施日期": IN_PHASE_1,
            "现行版本": "是",
        },
        {
            "标准名称": "羊肉网销流通标准",
            "标准编号": "T/1—2026",
            "版本": "V2.0",
            "实施日期": IN_PHASE_2,
            "现行版本": "是",
        },
    ]
    report = run(StandardVersionLedger, staff, rows)
    assert "第 3 行" in problems(report) and "每项标准只能有一个现行版本" in problems(report)
    assert not StandardVersion.objects.exists()


def test_a_station_manager_may_not_import(regional, manager):
    report = run(BrandLedger, manager, BRANDS)
    assert "没有导入此台账的权限" in problems(report)
