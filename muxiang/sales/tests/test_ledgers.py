"""The sales ledger, the census years and their rows keep the spreadsheet promises (all or
nothing, idempotent by their natural keys, audited, exported workbooks import back); a platform's
order export imports as downloaded, as .xlsx or .csv, and its orders are never counted twice."""

import datetime
from decimal import Decimal

import pytest

from muxiang.core.tests.test_ledger_import import LedgerImportContract, csv_bytes, ledger_xlsx, problems
from muxiang.sales.ledgers import CensusEntryLedger, ProductCensusLedger, SaleLedger
from muxiang.sales.models import CensusEntry, Sale
from muxiang.sales.tests.conftest import make_census


@pytest.fixture
def sale_rows(contract, organisation, lamb, seeds, station):
    return [
        {
            "订单来源": "抖音小店",
            "订单号": "6938120045511",
            "销售日期": datetime.date(2026, 3, 15),
            "销售主体": organisation.name,
            "商品": "SP-0001",
            "数量": 2,
            "金额（元）": "796.00",
            "销售渠道": "自媒体电商",
            "买家": "王女士",
            "站点编号": station.code,
        },
        {
            "订单来源": "抖音小店",
            "订单号": "6938120045512",
            "销售日期": "2026-03-16 10:22:31",
            "销售主体": organisation.name,
            "商品": "河套葵花籽",
            "数量": 10,
            "金额（元）": 390,
            "销售渠道": "自媒体电商",
        },
        {
            "订单来源": "销售单据",
            "订单号": "XSD-202603-0001",
            "销售日期": "2026/3/20",
            "销售主体": organisation.name,
            "商品": "SP-0001",
            "数量": 120,
            "金额（元）": 45600,
            "销售渠道": "商超",
            "线上/线下": "线下",
            "买家类型": "企业/商户",
        },
    ]


@pytest.mark.django_db
class TestSaleLedger(LedgerImportContract):
    ledger_class = SaleLedger
    list_url = "/sales/orders/"
    changed_header, changed_value, changed_field = "金额（元）", "800.00", "amount"
    bad_header, bad_value, bad_fragment = "数量", "两箱", "应为数字"

    @pytest.fixture
    def rows(self, sale_rows):
        return sale_rows


@pytest.mark.django_db
class TestProductCensusLedger(LedgerImportContract):
    ledger_class = ProductCensusLedger
    list_url = "/sales/census/"
    changed_header, changed_value, changed_field = "摸底情况概述", "补充了苏木的牧户", "summary"
    bad_header, bad_value, bad_fragment = "年度", "二〇二六", "应为整数"

    @pytest.fixture
    def rows(self, contract):
        return [
            {
                "年度": 2026,
                "完成日期": "2026-03-15",
                "摸底情况概述": "入户摸底",
                "产业提升建议方案": "扩大订单收购",
            },
            {"年度": 2027},
            {"年度": 2028, "摸底情况概述": "计划中"},
        ]


@pytest.mark.django_db
class TestCensusEntryLedger(LedgerImportContract):
    ledger_class = CensusEntryLedger
    list_url = "/sales/census-entries/"
    changed_header, changed_value, changed_field = "产量", 3300, "output"
    bad_header, bad_value, bad_fragment = "存栏量（头/只）", "很多", "应为整数"

    @pytest.fixture
    def rows(self, contract, town, other_town):
        make_census(contract, year=2026)
        return [
            {
                "年度": 2026,
                "产品品类": "肉羊",
                "镇/苏木": town.name,
                "存栏量（头/只）": 52000,
                "产量": 3100,
                "上市时间": "9—12 月",
                "传统销售渠道及比例": "收购商 60%、农贸市场 40%",
            },
            {
                "年度": 2026,
                "产品品类": "向日葵",
                "镇/苏木": other_town.name,
                "种植面积（亩）": 86000,
                "产量": 17200,
                "上市时间": "9—10 月",
                "传统销售渠道及比例": "收购商 100",
            },
            {
                "年度": 2026,
                "产品品类": "小麦",
                "镇/苏木": town.name,
                "种植面积（亩）": "4200.5",
                "产量": 1680,
                "上市时间": "7—8 月",
                "传统销售渠道及比例": "面粉厂订单 80、收购商 20",
            },
        ]


def import_file(user, rows, name="订单.xlsx", sheet=SaleLedger):
    data = csv_bytes(rows) if name.endswith(".csv") else ledger_xlsx(sheet, rows)
    return sheet(user).import_file(data, name)


def test_a_platform_order_export_imports_with_the_platforms_own_headers(staff, sale_rows):
    # given the platform's export as downloaded, with the source and seller columns added
    export = [
        {
            "订单来源": "抖音小店",
            "订单编号": row["订单号"],
            "下单时间": row["销售日期"],
            "销售主体": row["销售主体"],
            "商品编码": row["商品"] if row["商品"].startswith("SP") else "SP-0002",
            "商品数量": row["数量"],
            "实付金额": row["金额（元）"],
            "销售渠道": "自媒体电商",
        }
        for row in sale_rows[:2]
    ]
    report = import_file(staff, export, "抖音订单导出.csv")
    assert report.ok, problems(report)
    assert report.created == 2
    sale = Sale.objects.get(order_number="6938120045512")
    assert (sale.sold_on, sale.mode, sale.amount) == (datetime.date(2026, 3, 16), "online", Decimal("390"))
    # when the same export is imported again, as xlsx this time
    again = import_file(staff, export, "抖音订单导出.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Sale.objects.count() == 2


def test_a_negative_amount_is_refused_naming_row_and_column_and_nothing_is_written(staff, sale_rows):
    rows = [*sale_rows[:2], {**sale_rows[2], "金额（元）": "-45600"}]
    report = import_file(staff, rows)
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column) == (4, "金额（元）")
    assert "金额不能为负数" in problem.message
    assert not Sale.all_objects.exists()


def test_an_unknown_product_is_refused_naming_row_and_column_and_nothing_is_written(staff, sale_rows):
    rows = [{**sale_rows[0], "商品": "SP-9999"}, *sale_rows[1:]]
    report = import_file(staff, rows, "订单.csv")
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column, problem.message) == (2, "商品", "找不到「SP-9999」")
    assert str(problem) == "第 2 行，「商品」列：找不到「SP-9999」"
    assert not Sale.all_objects.exists()


def test_an_order_already_typed_in_is_matched_not_counted_again(staff, sale_rows):
    assert import_file(staff, sale_rows[:1]).ok
    changed = import_file(staff, [{**sale_rows[0], "金额（元）": "700"}])
    assert (changed.created, changed.updated) == (0, 1)
    assert Sale.objects.get().amount == Decimal("700")


def test_census_rows_whose_shares_do_not_add_up_to_100_are_refused_naming_the_row(staff, contract, town):
    make_census(contract, year=2026)
    rows = [
        {
            "年度": 2026,
            "产品品类": "肉羊",
            "镇/苏木": town.name,
            "存栏量（头/只）": 52000,
            "产量": 3100,
            "上市时间": "9—12 月",
            "传统销售渠道及比例": "收购商 60%、农贸市场 30%",
        },
    ]
    report = import_file(staff, rows, sheet=CensusEntryLedger)
    assert [str(p) for p in report.problems] == [
        "第 2 行，「传统销售渠道及比例」列：各渠道比例合计应为 100%，现为 90%"
    ]
    assert not CensusEntry.objects.exists()
