"""Every ledger of the service centre keeps the spreadsheet promises (``LedgerImportContract``:
all or nothing, idempotent by its natural key, audited, exported workbooks import back), and the
centre's own rules hold in imports as they do on the pages."""

import datetime

import pytest

from muxiang.centre.ledgers import (
    EventLedger,
    FieldSurveyLedger,
    FunctionalAreaLedger,
    IncubationFollowUpLedger,
    IncubationServiceLedger,
    ServiceCentreLedger,
    ServiceIncomeLedger,
    ValueAddedServiceLedger,
    WorkOrderLedger,
)
from muxiang.centre.models import Event, FieldSurvey, IncubationFollowUp, IncubationService, WorkOrder
from muxiang.centre.tests.conftest import make_incubation, make_service
from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import PhaseAcceptance
from muxiang.core.tests.test_ledger_import import LedgerImportContract, ledger_xlsx, problems


def import_rows(ledger_class, user, rows):
    return ledger_class(user).import_file(ledger_xlsx(ledger_class, rows), "台账.xlsx")


@pytest.mark.django_db
class TestServiceCentreLedger(LedgerImportContract):
    ledger_class = ServiceCentreLedger
    list_url = "/centre/centres/"
    changed_header, changed_value, changed_field = "地址", "海流图镇团结路 1 号", "address"
    bad_header, bad_value, bad_fragment = "建筑面积（平方米）", "一千二", "应为数字"

    @pytest.fixture
    def rows(self):
        return [
            {
                "名称": "乌拉特中旗电子商务公共服务中心",
                "地址": "海流图镇乌兰街 66 号",
                "建筑面积（平方米）": 1286,
                "启用日期": datetime.date(2026, 1, 5),
                "备注": "“9+1”模式",
            },
            {"名称": "甘其毛都镇电商服务分中心", "地址": "甘其毛都镇口岸路", "建筑面积（平方米）": "320.5"},
            {"名称": "川井苏木电商服务点", "地址": "川井苏木", "建筑面积（平方米）": 80},
        ]


@pytest.mark.django_db
class TestFunctionalAreaLedger(LedgerImportContract):
    ledger_class = FunctionalAreaLedger
    list_url = "/centre/areas/"
    changed_header, changed_value, changed_field = "容纳人数", 12, "capacity"
    bad_header, bad_value, bad_fragment = "功能类型", "茶水间", "不是可选值"

    @pytest.fixture
    def rows(self, centre):
        return [
            {
                "功能区编号": "ZB-01",
                "所属服务中心": centre.name,
                "功能类型": "公共直播基地",
                "名称": "一号直播间",
                "面积（平方米）": 45,
                "容纳人数": 8,
                "备注": "含补光灯",
            },
            {
                "功能区编号": "ZB-02",
                "所属服务中心": centre.name,
                "功能类型": "live_streaming",
                "名称": "二号直播间",
            },
            {
                "功能区编号": "JD-01",
                "所属服务中心": centre.name,
                "功能类型": "服务接待区",
                "名称": "接待大厅",
            },
        ]


def test_two_areas_of_one_centre_may_not_share_a_name(staff, centre, live_room):
    rows = [
        {
            "功能区编号": "ZB-02",
            "所属服务中心": centre.name,
            "功能类型": "公共直播基地",
            "名称": "一号直播间",
        },
        {
            "功能区编号": "ZB-03",
            "所属服务中心": centre.name,
            "功能类型": "公共直播基地",
            "名称": "三号直播间",
        },
        {
            "功能区编号": "ZB-04",
            "所属服务中心": centre.name,
            "功能类型": "公共直播基地",
            "名称": "三号直播间",
        },
    ]
    report = import_rows(FunctionalAreaLedger, staff, rows)
    assert [(p.row, p.column) for p in report.problems] == [(2, "名称"), (4, "名称")], problems(report)


@pytest.mark.django_db
class TestWorkOrderLedger(LedgerImportContract):
    ledger_class = WorkOrderLedger
    list_url = "/centre/work-orders/"
    changed_header, changed_value, changed_field = "参加人数", 30, "attendees"
    bad_header, bad_value, bad_fragment = "结束时间", "2026-08-03 08:00", "结束时间应晚于开始时间"

    @pytest.fixture
    def rows(self, contract, live_room, classroom, organisation, person):
        return [
            {
                "合同": contract.key,
                "工单编号": "GD-202608-001",
                "功能区": "ZB-01",
                "开始时间": "2026-08-01 09:00",
                "结束时间": "2026-08-01 11:30",
                "服务对象单位": organisation.credit_code,
                "服务对象个人": person.id_number,
                "使用事由": "牛羊肉直播带货",
                "参加人数": 6,
                "服务成果": "成交 60 单",
            },
            {
                "合同": contract.key,
                "工单编号": "GD-202608-002",
                "功能区": "一号直播间",
                "开始时间": "2026-08-01 11:30",
                "结束时间": "2026-08-01 13:00",
                "服务对象名称": "散客",
                "使用事由": "奶食品直播",
            },
            {
                "合同": contract.key,
                "工单编号": "GD-202608-003",
                "功能区": "PX-01",
                "开始时间": "2026-08-03 09:00",
                "结束时间": "2026-08-04 17:00",
                "服务对象名称": "石哈河镇站点负责人",
                "使用事由": "两天的网店运营培训",
            },
        ]


def test_a_work_order_dated_in_an_accepted_phase_is_refused_by_its_local_day(staff, contract, live_room):
    # given phase 1 (to 2026-06-30) is accepted and frozen
    PhaseAcceptance.objects.create(phase=contract.phases.get(number=1), state=AcceptanceState.ACCEPTED)
    rows = [
        {
            "工单编号": "GD-202606-001",
            "功能区": "ZB-01",
            "开始时间": "2026-06-30 23:00",
            "结束时间": "2026-07-01 01:00",
            "服务对象名称": "散客",
            "使用事由": "夜场直播",
        },
        # 07:00 in Urad is still June 30 in UTC: it belongs to phase 2 all the same
        {
            "工单编号": "GD-202607-001",
            "功能区": "ZB-01",
            "开始时间": "2026-07-01 07:00",
            "结束时间": "2026-07-01 08:00",
            "服务对象名称": "散客",
            "使用事由": "早场直播",
        },
    ]
    report = import_rows(WorkOrderLedger, staff, rows)
    assert [(p.row, p.column) for p in report.problems] == [(2, "开始时间")], problems(report)
    assert "已验收" in report.problems[0].message
    report = import_rows(WorkOrderLedger, staff, rows[1:])
    assert report.ok, problems(report)
    order = WorkOrder.objects.get()
    # and once stored, the same local day keeps it writable
    order.full_clean()


@pytest.mark.django_db
class TestEventLedger(LedgerImportContract):
    ledger_class = EventLedger
    list_url = "/centre/events/"
    changed_header, changed_value, changed_field = "参加人数", 90, "attendees"
    bad_header, bad_value, bad_fragment = "销售额（元）", "三万五千元", "应为数字：三万五千"

    @pytest.fixture
    def rows(self, contract):
        return [
            {
                "合同": contract.key,
                "活动编号": "HD-202608-001",
                "活动类型": "产销对接会",
                "活动名称": "乌拉特中旗牛羊肉产销对接会",
                "举办日期": datetime.date(2026, 8, 8),
                "地点": "公共服务中心一楼报告厅",
                "主办单位": "乌拉特中旗商务局",
                "参加人数": 80,
                "销售额（元）": 48000,
                "备注": "签约 6 家商超",
            },
            {
                "合同": contract.key,
                "活动编号": "HD-202608-002",
                "活动类型": "电商沙龙",
                "活动名称": "电商沙龙：直播带货经验分享",
                "举办日期": "2026-08-15",
                "地点": "公共服务中心培训教室",
            },
            {
                "合同": contract.key,
                "活动编号": "HD-202609-001",
                "活动类型": "产销对接会",
                "活动名称": "河套面粉产销对接会",
                "举办日期": "2026/9/2",
                "地点": "海流图镇文化广场",
                "销售额（元）": "26,500.00",
            },
        ]


def test_sales_on_an_event_that_is_not_a_fair_are_refused(staff, contract):
    rows = [
        {
            "活动编号": "HD-1",
            "活动类型": "电商沙龙",
            "活动名称": "沙龙",
            "举办日期": "2026-08-15",
            "地点": "中心",
            "销售额（元）": 12000,
        }
    ]
    report = import_rows(EventLedger, staff, rows)
    assert [(p.row, p.column) for p in report.problems] == [(2, "销售额（元）")]
    assert "只有产销对接会记录销售额" in report.problems[0].message
    assert not Event.objects.exists()


@pytest.mark.django_db
class TestIncubationServiceLedger(LedgerImportContract):
    ledger_class = IncubationServiceLedger
    list_url = "/centre/incubations/"
    changed_header, changed_value, changed_field = "服务成果", "店铺月销过万", "outcome"
    bad_header, bad_value, bad_fragment = "服务类型", "代运营", "不是可选值"

    @pytest.fixture
    def rows(self, contract, organisation, other_organisation):
        # Organisations only: the first row must name every kind of record the others do, and a
        # row names one recipient. Persons are imported in the test below.
        return [
            {
                "合同": contract.key,
                "服务编号": "FH-202608-001",
                "服务对象企业": organisation.credit_code,
                "服务类型": "店铺运营指导",
                "定向孵化": "是",
                "服务日期": datetime.date(2026, 8, 3),
                "服务内容": "网店开设与详情页指导",
                "服务成果": "店铺上线",
            },
            {
                "合同": contract.key,
                "服务编号": "FH-202608-002",
                "服务对象企业": organisation.name,
                "服务类型": "品牌培育",
                "服务日期": "2026-08-05",
                "服务内容": "品牌命名与包装设计",
            },
            {
                "合同": contract.key,
                "服务编号": "FH-202608-003",
                "服务对象企业": other_organisation.name,
                "服务类型": "数据分析",
                "服务日期": "2026-08-06",
                "服务内容": "店铺流量分析",
            },
        ]


def test_an_incubation_of_a_person_is_imported_by_id_number_and_exported_back(staff, contract, person):
    row = {
        "服务编号": "FH-1",
        "服务对象个人": person.id_number,
        "服务类型": "数据分析",
        "服务日期": "2026-08-06",
        "服务内容": "分析",
    }
    assert import_rows(IncubationServiceLedger, staff, [row]).ok
    assert IncubationService.objects.get().recipient_person == person
    exported = IncubationServiceLedger(staff).export(IncubationService.objects.all())
    report = IncubationServiceLedger(staff).import_file(exported, "导出.xlsx")
    assert (report.ok, report.unchanged) == (True, 1), problems(report)


@pytest.mark.parametrize("both", [True, False])
def test_an_incubation_row_needs_exactly_one_recipient(staff, contract, organisation, person, both):
    row = {"服务编号": "FH-1", "服务类型": "数据分析", "服务日期": "2026-08-06", "服务内容": "分析"}
    if both:
        row |= {"服务对象企业": organisation.name, "服务对象个人": person.name}
    report = import_rows(IncubationServiceLedger, staff, [row])
    assert [(p.row, p.column) for p in report.problems] == [(2, "服务对象企业")]
    assert ("只能是一家企业或一个人" if both else "请选择服务对象") in report.problems[0].message
    assert not IncubationService.objects.exists()


@pytest.fixture
def incubations(contract, organisation, person):
    return [
        make_incubation(contract, organisation=organisation, directed=True, number="FH-202608-001",
                        provided_on=datetime.date(2026, 8, 1)),
        make_incubation(contract, person=person, directed=True, number="FH-202608-002",
                        provided_on=datetime.date(2026, 8, 2)),
    ]  # fmt: skip


@pytest.mark.django_db
class TestIncubationFollowUpLedger(LedgerImportContract):
    ledger_class = IncubationFollowUpLedger
    list_url = "/centre/follow-ups/"
    changed_header, changed_value, changed_field = "下一步安排", "十月复盘", "next_steps"
    bad_header, bad_value, bad_fragment = "指导日期", "2026-07-01", "不能早于孵化服务日期（2026-08-02）"

    @pytest.fixture
    def rows(self, incubations):
        return [
            {
                "跟踪编号": "GZ-202609-001",
                "孵化服务编号": "FH-202608-001",
                "指导日期": datetime.date(2026, 9, 1),
                "指导内容": "复盘上月店铺数据",
                "下一步安排": "调整主推款",
            },
            {
                "跟踪编号": "GZ-202609-002",
                "孵化服务编号": "FH-202608-001",
                "指导日期": "2026-09-20",
                "指导内容": "直播排期",
            },
            {
                "跟踪编号": "GZ-202609-003",
                "孵化服务编号": "FH-202608-002",
                "指导日期": "2026-09-21",
                "指导内容": "包装打样",
            },
        ]


def test_a_follow_up_takes_its_incubations_contract(staff, incubations):
    rows = [
        {"跟踪编号": "GZ-1", "孵化服务编号": "FH-202608-002", "指导日期": "2026-09-21", "指导内容": "回访"}
    ]
    assert import_rows(IncubationFollowUpLedger, staff, rows).ok
    follow_up = IncubationFollowUp.objects.get()
    assert follow_up.contract_id == incubations[1].contract_id


@pytest.mark.django_db
class TestFieldSurveyLedger(LedgerImportContract):
    ledger_class = FieldSurveyLedger
    list_url = "/centre/surveys/"
    changed_header, changed_value, changed_field = "方案状态", "已完成", "plan_status"
    bad_header, bad_value, bad_fragment = "方案状态", "进行中", "不是可选值"

    @pytest.fixture
    def rows(self, contract, station):
        return [
            {
                "合同": contract.key,
                "调研编号": "DY-202608-001",
                "调研板块": "站点",
                "站点编号": station.code,
                "调研日期": datetime.date(2026, 8, 10),
                "调研地点": station.name,
                "调研发现": "快递收发区拥挤",
                "服务提升方案": "增设货架",
                "方案状态": "实施中",
                "计划完成日期": datetime.date(2026, 12, 31),
            },
            {
                "合同": contract.key,
                "调研编号": "DY-202608-002",
                "调研板块": "品牌",
                "调研日期": "2026-08-12",
                "调研发现": "品牌标识使用不统一",
            },
            {
                "合同": contract.key,
                "调研编号": "DY-202608-003",
                "调研板块": "供应链",
                "调研日期": "2026-08-20",
                "调研发现": "冷链断档",
                "服务提升方案": "增设冷藏集货点",
                "方案状态": "待实施",
            },
        ]


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        ({"调研板块": "站点"}, "站点编号", "请选择调研的站点"),
        ({"方案状态": "已完成"}, "服务提升方案", "请填写服务提升方案"),
        ({"计划完成日期": "2026-08-01"}, "计划完成日期", "不能早于调研日期"),
        ({"调研日期": "2026-12-01"}, "调研日期", "日期不能晚于今天"),
    ],
)
def test_a_bad_survey_row_is_refused_naming_the_column(staff, contract, cells, column, fragment):
    row = {
        "调研编号": "DY-1",
        "调研板块": "品牌",
        "调研日期": "2026-08-12",
        "调研发现": "标识不统一",
        **cells,
    }
    report = import_rows(FieldSurveyLedger, staff, [row])
    assert [(p.row, p.column) for p in report.problems] == [(2, column)], problems(report)
    assert fragment in report.problems[0].message
    assert not FieldSurvey.objects.exists()


def test_a_survey_without_a_plan_status_is_planned(staff, contract):
    row = {"调研编号": "DY-1", "调研板块": "品牌", "调研日期": "2026-08-12", "调研发现": "标识不统一"}
    assert import_rows(FieldSurveyLedger, staff, [row]).ok
    assert FieldSurvey.objects.get().plan_status == "planned"


@pytest.mark.django_db
class TestValueAddedServiceLedger(LedgerImportContract):
    ledger_class = ValueAddedServiceLedger
    list_url = "/centre/services/"
    changed_header, changed_value, changed_field = "参考价格（元）", 260, "price"
    bad_header, bad_value, bad_fragment = "在售", "也许", "应填写「是」或「否」"

    @pytest.fixture
    def rows(self):
        return [
            {
                "服务名称": "直播间租用",
                "服务说明": "含灯光与声卡",
                "参考价格（元）": 200,
                "计价单位": "小时",
                "在售": "是",
            },
            {"服务名称": "产品摄影", "参考价格（元）": "800.00", "计价单位": "套"},
            {"服务名称": "仓储代发", "参考价格（元）": 3, "计价单位": "件", "在售": "否"},
        ]


@pytest.mark.django_db
class TestServiceIncomeLedger(LedgerImportContract):
    ledger_class = ServiceIncomeLedger
    list_url = "/centre/incomes/"
    changed_header, changed_value, changed_field = "金额（元）", 800, "amount"
    bad_header, bad_value, bad_fragment = "金额（元）", 0, "不能小于 0.01"

    @pytest.fixture
    def rows(self, contract):
        make_service("直播间租用")
        make_service("产品摄影", "800")
        return [
            {
                "合同": contract.key,
                "收入编号": "SR-202608-001",
                "增值服务": "直播间租用",
                "收款日期": datetime.date(2026, 8, 3),
                "客户": "德岭山镇向日葵合作社",
                "金额（元）": 600,
                "备注": "3 小时",
            },
            {
                "合同": contract.key,
                "收入编号": "SR-202608-002",
                "增值服务": "产品摄影",
                "收款日期": "2026-08-09",
                "客户": "巴美羊肉",
                "金额（元）": "800",
            },
            {
                "合同": contract.key,
                "收入编号": "SR-202608-003",
                "增值服务": "直播间租用",
                "收款日期": "2026-08-20",
                "客户": "散客",
                "金额（元）": 200.5,
            },
        ]
