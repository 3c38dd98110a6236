"""Every operations ledger but the daily reports (see test_daily_reports): an import creates, the
same file again changes nothing, a bad row is refused naming its row and column and nothing is
written, and the export imports back unchanged."""

from dataclasses import dataclass

import pytest

from muxiang.operations import ledgers
from muxiang.operations.models import AppCheckIn, EvaluationEntry
from muxiang.operations.tests.conftest import asset, csv_upload, evaluation, inspection


@dataclass
class Case:
    ledger: type
    header: str
    rows: str  # creating ``created`` records
    created: int
    bad_row: str
    bad_column: str
    bad_message: str


CASES = {
    "report-months": Case(
        ledgers.ReportMonthLedger,
        "月份,备注",
        "2026-10,十月\n2026年9月,\n",
        2,
        "2026-13,",
        "月份",
        "月份不存在",
    ),
    "transactions": Case(
        ledgers.StationTransactionLedger,
        "账目编号,站点编号,交易日期,交易类型,商品或服务,交易对象,金额（元）,备注",
        "JY-1,HLT-001,2026-11-02,代卖,羊肉 20 斤,海流图超市,1200.50,\nJY-2,WJH-101,2026-11-03,代买,化肥,,300,\n",
        2,
        "JY-3,HLT-001,2024-01-02,代卖,奶食品,,50,",
        "交易日期",
        "早于站点「海流图镇电商服务站」的开业日期",
    ),
    "inspections": Case(
        ledgers.StationInspectionLedger,
        "巡查编号,合同,站点编号,巡查日期,巡查类型,巡查人,门头标识规范,按时营业,设备运行正常,台账齐全,"
        "代买代卖等服务正常开展,有横幅或刷墙宣传,纬度,经度,定位精度（米）,巡查情况",
        "XC-9,,HLT-001,2026-11-02,站点巡查、固定资产盘点,李强,是,是,否,是,是,是,41.567123,108.512345,12,运营正常\n",
        1,
        "XC-10,,HLT-001,2026-11-02,站点巡查,李强,是,是,是,是,是,是,41.5,,,",
        "经度",
        "经纬度需同时填写",
    ),
    "problems": Case(
        ledgers.InspectionProblemLedger,
        "问题编号,巡查编号,发现的问题,整改措施,整改期限,整改完成日期,整改情况",
        "XC-1-01,XC-1,门头褪色,更换门头,2026-12-01,,\nXC-1-02,XC-1,台账缺页,补记台账,2026-11-20,2026-11-10,已补\n",
        2,
        "XC-1-03,XC-1,网络不通,,,2026-11-10,",
        "整改措施",
        "整改完成的问题须写明整改措施",
    ),
    "assets": Case(
        ledgers.FixedAssetLedger,
        "资产编号,站点编号,资产名称,序列号,价值（元）,项目资金购置,配置日期,报废/移交日期,备注",
        "ZD-1,HLT-001,打印机,SN123,1800,是,2025-05-01,,\nZD-2,WJH-101,货架,,600.5,否,,,\n",
        2,
        "ZD-3,HLT-001,冰柜,,-1,是,,,",
        "价值（元）",
        "不能为负数",
    ),
    "asset-counts": Case(
        ledgers.AssetCountLineLedger,
        "巡查编号,资产编号,盘点结果,备注",
        "XC-1,ZD-HLT-9,在位完好,\nXC-1,ZD-HLT-8,缺失,借给村委会\n",
        2,
        "XC-1,ZD-BY-9,在位完好,",
        "资产编号",
        "不属于被巡查的站点",
    ),
    "trainings": Case(
        ledgers.ManagerTrainingLedger,
        "培训编号,合同,培训主题,培训日期,培训内容,培训形式,地点,授课人,参训站点负责人（人）,备注",
        "ZP-1,,数据报送培训,2026-11-02,数据报送、智慧乡村APP,集中培训,公共服务中心,王敏,23,\n",
        1,
        "ZP-2,,直播培训,2026-11-03,站点业务,讲座,,,10,",
        "培训形式",
        "不是可选值",
    ),
    "evaluations": Case(
        ledgers.StationEvaluationLedger,
        "评选编号,合同,评选名称,评选日期,评选标准,工作总结",
        "PX-1,,年度十佳站点,2026-11-02,交易额 50%；服务人次 50%,\n",
        1,
        "PX-2,,季度评选,2026-12-30,交易额,",
        "评选日期",
        "日期不能晚于今天",
    ),
    "evaluation-entries": Case(
        ledgers.EvaluationEntryLedger,
        "评选编号,站点编号,得分,奖项,评语",
        "PX-9,HLT-001,95.5,一等奖,服务周到\nPX-9,WJH-101,88,二等奖,\n",
        2,
        "PX-9,HLT-001,101,,",
        "得分",
        "不能大于 100",
    ),
    "check-ins": Case(
        ledgers.AppCheckInLedger,
        "站点编号,签到日期",
        "HLT-001,2026-11-02 08:30\nHLT-001,2026-11-02 17:05\nWJH-101,2026/11/03\n",
        2,
        "HLT-001,2026-12-02",
        "签到日期",
        "日期不能晚于今天",
    ),
    "app-months": Case(
        ledgers.AppActivityMonthLedger, "月份,备注", "2026-10,\n", 1, "十月,", "月份", "月份格式应为 2026-03"
    ),
}


@pytest.fixture
def setting(world, contract):
    """What the files name: visit XC-1 at 巴特尔's station counting assets ZD-HLT-8/9, asset ZD-BY-9 of
    其其格's station, evaluation PX-9."""
    visit = inspection(contract, world.station, number="XC-1")
    asset(world.station, "ZD-HLT-9")
    asset(world.station, "ZD-HLT-8")
    asset(world.other_station, "ZD-BY-9")
    evaluation(contract, number="PX-9")
    return visit


def run(ledger_class, user, text):
    return ledger_class(user).import_file(csv_upload(text), "台账.csv")


def described(report):
    return [(p.row, p.column, p.message) for p in report.problems]


@pytest.mark.parametrize("name", list(CASES))
def test_an_import_creates_and_a_second_import_changes_nothing(name, staff, setting):
    case = CASES[name]
    model = case.ledger.model
    before = model.objects.count()
    first = run(case.ledger, staff, case.header + "\n" + case.rows)
    assert first.ok, described(first)
    assert first.created == case.created and model.objects.count() == before + case.created
    second = run(case.ledger, staff, case.header + "\n" + case.rows)
    assert second.ok, described(second)
    assert (second.created, second.updated) == (0, 0)


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_row_is_refused_naming_row_and_column_and_nothing_is_written(name, staff, setting):
    case = CASES[name]
    model = case.ledger.model
    before = model.all_objects.count()
    result = run(case.ledger, staff, case.header + "\n" + case.rows + case.bad_row + "\n")
    assert not result.ok
    bad_row_number = 2 + len(case.rows.strip().splitlines())
    assert any(
        p.row == bad_row_number and p.column == case.bad_column and case.bad_message in p.message
        for p in result.problems
    ), described(result)
    assert model.all_objects.count() == before


@pytest.mark.parametrize("name", list(CASES))
def test_the_export_imports_back_unchanged(name, staff, setting):
    case = CASES[name]
    model = case.ledger.model
    assert run(case.ledger, staff, case.header + "\n" + case.rows).ok
    ledger = case.ledger(staff)
    exported = ledger.export(model.objects.all())
    result = ledger.import_file(exported, "export.xlsx")
    assert result.ok, described(result)
    assert (result.created, result.updated, result.unchanged) == (0, 0, model.objects.count())


def test_the_apps_repeated_check_ins_of_a_day_are_one(staff, setting):
    run(ledgers.AppCheckInLedger, staff, "站点编号,签到日期\n" + CASES["check-ins"].rows)
    assert sorted(AppCheckIn.objects.values_list("station__code", "day__day")) == [
        ("HLT-001", 2),
        ("WJH-101", 3),
    ]


def test_the_evaluation_export_gives_each_station_its_rank(staff, setting, world):
    run(ledgers.EvaluationEntryLedger, staff, "评选编号,站点编号,得分\nPX-9,HLT-001,80\nPX-9,WJH-101,90\n")
    from muxiang.operations.tests.conftest import read_xlsx

    rows = read_xlsx(ledgers.EvaluationEntryLedger(staff).export(EvaluationEntry.objects.all()))
    ranks = {row[1]: row[5] for row in rows[1:]}
    assert ranks == {"WJH-101": 1, "HLT-001": 2}


def test_a_count_line_of_a_visit_that_does_not_count_assets_is_refused(staff, world, contract):
    inspection(contract, world.station, number="XC-5", kinds=["guidance"])
    asset(world.station, "ZD-HLT-5")
    result = run(ledgers.AssetCountLineLedger, staff, "巡查编号,资产编号,盘点结果\nXC-5,ZD-HLT-5,在位完好\n")
    assert described(result) == [(2, "巡查编号", "巡查「XC-5」的类型不含固定资产盘点")]
