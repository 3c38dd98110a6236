"""The training ledgers as spreadsheets: every ledger keeps the engine's promises (all-or-nothing,
idempotent, audited, exports that import back), and the sign-in sheet finds its people in the
registry without ever guessing or creating one."""

import datetime

import pytest

from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import LedgerImportContract, ledger_xlsx, problems, read_xlsx
from muxiang.people.models import Person
from muxiang.training.ledgers import (
    AttendanceLedger,
    FeedbackAnalysisLedger,
    FollowUpVisitLedger,
    MerchantCensusLedger,
    TextbookLedger,
    TraineeOutcomeLedger,
    TrainingSessionLedger,
)
from muxiang.training.models import Attendance, MerchantCensus, Textbook, TraineeOutcome, TrainingSession
from muxiang.training.tests.conftest import make_attendance, make_census, make_session

# --- sessions ----------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestTrainingSessionLedger(LedgerImportContract):
    ledger_class = TrainingSessionLedger
    list_url = "/training/sessions/"
    changed_header, changed_value, changed_field = "授课老师", "乌兰老师", "teacher"
    bad_header, bad_value, bad_fragment = "培训内容", "跳舞", "不是可选值"

    @pytest.fixture
    def rows(self, contract, station):
        return [
            {
                "合同": contract.key,
                "场次编号": "PX-20260315-01",
                "培训名称": "直播带货实操培训（第一期）",
                "培训内容": "直播带货",
                "培训类别": "增值培训",
                "培训对象": "农牧民、合作社成员",
                "培训日期": "2026-03-15",
                "培训地点": "乌拉特中旗电子商务公共服务中心",
                "授课老师": "王老师",
                "举办站点编号": station.code,
                "备注": "第一期",
            },
            {
                "合同": contract.key,
                "场次编号": "PX-20260402-01",
                "培训名称": "农产品网销标准化培训",
                "培训内容": "网销标准化",
                "培训类别": "普及培训",
                "培训日期": datetime.date(2026, 4, 2),
                "培训地点": "海流图镇电商服务站",
                "授课老师": "赵老师",
            },
            {
                "合同": contract.name,
                "场次编号": "PX-20260820-01",
                "培训名称": "网店美工",
                "培训内容": "摄影美工",
                "培训类别": "普及培训",
                "培训对象": "返乡大学生",
                "培训日期": "2026/8/20",
                "培训地点": "巴音村",
                "授课老师": "李老师",
            },
        ]


def test_moving_a_session_by_import_moves_its_attendance(staff, contract, person):
    # given a session with attendance, held on 2026-03-15
    session = make_session(contract)
    attendance = make_attendance(session, person)
    exported = TrainingSessionLedger(staff).export(TrainingSession.objects.all())
    table = read_xlsx(exported)
    headers, row = table[0], table[1]
    row[headers.index("培训日期")] = "2026-03-18"
    # when the session's date is corrected in the ledger
    report = TrainingSessionLedger(staff).import_file(
        ledger_xlsx(TrainingSessionLedger, [dict(zip(headers, row, strict=True))]), "场次.xlsx"
    )
    # then
    assert report.ok, problems(report)
    assert report.updated == 1
    attendance.refresh_from_db()
    assert attendance.held_on == datetime.date(2026, 3, 18)


def test_a_session_dated_in_an_accepted_phase_is_refused_on_import(staff, contract, phase_1_accepted):
    row = {
        "场次编号": "PX-20260315-09",
        "培训名称": "补录培训",
        "培训内容": "其他",
        "培训类别": "普及培训",
        "培训日期": "2026-03-15",
        "培训地点": "中心",
        "授课老师": "王老师",
    }
    report = TrainingSessionLedger(staff).import_file(ledger_xlsx(TrainingSessionLedger, [row]), "场次.xlsx")
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "培训日期")
    assert "已验收" in problem.message
    assert not TrainingSession.objects.exists()


# --- the sign-in sheet -----------------------------------------------------------------------------


@pytest.fixture
def sessions(contract, station):
    return (
        make_session(contract, station=station),
        make_session(contract, code="PX-20260410-01", held_on=datetime.date(2026, 4, 10), level="advanced"),
    )


@pytest.fixture
def mobile_only(db):
    """A trainee registered without an ID number: found by mobile number and name."""
    return Person.objects.create(name="其木格", mobile="13847800033", kinds=["trainee"])


@pytest.mark.django_db
class TestAttendanceLedger(LedgerImportContract):
    ledger_class = AttendanceLedger
    list_url = "/training/attendance/"
    changed_header, changed_value, changed_field = "贫困户", "是", "poor_household"
    bad_header, bad_value, bad_fragment = "培训场次编号", "PX-29990101-99", "找不到"

    @pytest.fixture
    def rows(self, sessions, person, other_person, mobile_only):
        first, second = sessions
        return [
            {
                "培训场次编号": first.code,
                "姓名": person.name,
                "身份证号": person.id_number,
                "手机号": person.mobile,
                "村/嘎查": "海流图镇",
                "贫困户": "否",
            },
            {"培训场次编号": first.code, "姓名": other_person.name, "手机号": other_person.mobile},
            {
                "培训场次编号": second.code,
                "姓名": mobile_only.name,
                "手机号": mobile_only.mobile,
                "贫困户": "是",
            },
        ]

    def record_for(self, row):
        person = Person.objects.get(name=row["姓名"])
        return Attendance.all_objects.get(session__code=row["培训场次编号"], person=person)


def import_sheet(user, rows, dry_run=False):
    return AttendanceLedger(user).import_file(ledger_xlsx(AttendanceLedger, rows), "签到表.xlsx", dry_run)


def sheet_row(session, person, **cells):
    return {"培训场次编号": session.code, "姓名": person.name, "手机号": person.mobile, **cells}


def test_each_attendance_takes_its_sessions_date_and_contract(staff, sessions, person):
    report = import_sheet(staff, [sheet_row(sessions[1], person)])
    assert report.ok, problems(report)
    attendance = Attendance.objects.get()
    assert (attendance.held_on, attendance.contract_id) == (sessions[1].held_on, sessions[1].contract_id)


def test_an_empty_poor_household_cell_takes_the_persons_registration(staff, sessions, person, other_person):
    # given 乌云 is registered as a poor household and 格日勒 is not
    rows = [sheet_row(sessions[0], person), sheet_row(sessions[0], other_person, 贫困户="是")]
    # when
    assert import_sheet(staff, rows).ok
    # then
    flags = dict(Attendance.objects.values_list("person__name", "poor_household"))
    assert flags == {"乌云": True, "格日勒": True}


def test_a_session_that_does_not_exist_is_refused_naming_row_and_column(staff, sessions, person):
    rows = [sheet_row(sessions[0], person), sheet_row(sessions[0], person, 培训场次编号="PX-20990101-01")]
    report = import_sheet(staff, rows)
    [problem] = report.problems
    assert str(problem) == "第 3 行，「培训场次编号」列：找不到「PX-20990101-01」"
    assert not Attendance.objects.exists()


def test_the_same_person_twice_in_one_session_is_refused_naming_both_rows(staff, sessions, person):
    # given 乌云 signed twice, once by mobile and once by ID number
    rows = [
        sheet_row(sessions[0], person),
        sheet_row(sessions[0], person, 手机号="", 身份证号=person.id_number),
        sheet_row(sessions[1], person),
    ]
    # when
    report = import_sheet(staff, rows)
    # then
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "姓名")
    assert problem.message == f"与第 2 行重复：{sessions[0].code} 乌云"
    assert not Attendance.objects.exists()


def test_a_person_already_recorded_at_the_session_is_the_same_attendance_not_a_second(
    staff, sessions, person
):
    # given 乌云's attendance was entered by form
    make_attendance(sessions[0], person)
    # when the sheet lists her again
    report = import_sheet(staff, [sheet_row(sessions[0], person, 贫困户="是")])
    # then
    assert (report.created, report.unchanged) == (0, 1)
    assert Attendance.objects.count() == 1


def test_a_deleted_attendance_is_not_brought_back_by_an_import(staff, sessions, person):
    from muxiang.core.services import soft_delete_record

    soft_delete_record(make_attendance(sessions[0], person), staff)
    report = import_sheet(staff, [sheet_row(sessions[0], person)])
    [problem] = report.problems
    assert "已被删除" in problem.message and "回收站" in problem.message
    assert not Attendance.objects.exists()


def test_an_unknown_mobile_is_reported_and_nobody_is_created(staff, sessions):
    people = Person.all_objects.count()
    report = import_sheet(
        staff, [{"培训场次编号": sessions[0].code, "姓名": "新学员", "手机号": "13900000001"}]
    )
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "手机号")
    assert "人员台账中没有手机号为 13900000001 的人员" in problem.message
    assert Person.all_objects.count() == people
    assert not Attendance.objects.exists()


def test_an_unknown_id_number_is_reported_not_matched_by_mobile(staff, sessions, person):
    from muxiang.core.validators import make_id_number

    stranger = make_id_number("150824", datetime.date(1990, 2, 2), 7)
    report = import_sheet(staff, [sheet_row(sessions[0], person, 身份证号=stranger)])
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "身份证号")
    assert stranger in problem.message


def test_a_name_that_differs_from_the_registry_is_reported_not_guessed(staff, sessions, person):
    report = import_sheet(staff, [sheet_row(sessions[0], person, 姓名="乌兰")])
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "姓名")
    assert "登记的是「乌云」" in problem.message and "「乌兰」" in problem.message
    assert not Attendance.objects.exists()


def test_a_name_written_with_a_space_is_the_same_name(staff, sessions, person):
    assert import_sheet(staff, [sheet_row(sessions[0], person, 姓名="乌 云")]).ok


def test_a_family_sharing_a_mobile_is_told_apart_by_name(staff, sessions, person):
    # given 乌云's husband is registered with her mobile number
    husband = Person.objects.create(name="巴图", mobile=person.mobile, kinds=["trainee"])
    # when both sign in with the same number
    report = import_sheet(staff, [sheet_row(sessions[0], person), sheet_row(sessions[0], husband)])
    # then
    assert report.ok, problems(report)
    assert set(Attendance.objects.values_list("person__name", flat=True)) == {"乌云", "巴图"}


def test_two_people_of_the_same_name_on_one_mobile_need_the_id_number(staff, sessions, person):
    Person.objects.create(name=person.name, mobile=person.mobile, kinds=["trainee"])
    report = import_sheet(staff, [sheet_row(sessions[0], person)])
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "手机号")
    assert "请填写身份证号" in problem.message


def test_a_row_without_id_number_or_mobile_is_refused(staff, sessions, person):
    report = import_sheet(staff, [{"培训场次编号": sessions[0].code, "姓名": person.name}])
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "手机号")
    assert "请填写身份证号或手机号" in problem.message


def test_attendance_at_a_session_not_yet_held_is_refused(staff, contract, person):
    planned = make_session(contract, code="PX-20261215-01", held_on=datetime.date(2026, 12, 15))
    report = import_sheet(staff, [sheet_row(planned, person)])
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "培训场次编号")
    assert "尚未举行" in problem.message


def test_attendance_of_an_accepted_phase_is_refused_naming_the_session_column(
    staff, sessions, person, phase_1_accepted
):
    report = import_sheet(staff, [sheet_row(sessions[0], person)])
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "培训场次编号")
    assert "已验收" in problem.message
    assert not Attendance.objects.exists()


def test_every_problem_of_a_bad_sheet_is_listed_and_nothing_is_written(staff, sessions, person, other_person):
    changes = ObjectChange.objects.count()
    rows = [
        sheet_row(sessions[0], person),
        sheet_row(sessions[0], other_person, 姓名="别人"),
        sheet_row(sessions[0], person, 培训场次编号="PX-0"),
        sheet_row(sessions[0], other_person, 贫困户="也许"),
    ]
    report = import_sheet(staff, rows)
    assert [(p.row, p.column) for p in report.problems] == [(5, "贫困户"), (4, "培训场次编号"), (3, "姓名")]
    assert not Attendance.objects.exists()
    assert ObjectChange.objects.count() == changes


def test_a_large_sheet_reads_the_people_once(staff, sessions, person, django_assert_max_num_queries):
    """A long sheet costs the same queries as a short one: the people in one scan, the sessions in
    one query, the existing attendance in one."""
    registered = Person.objects.bulk_create(
        Person(name=f"学员{i}", mobile=f"1390000{i:04d}", kinds=["trainee"]) for i in range(2100)
    )
    rows = [sheet_row(sessions[i % 2], p) for i, p in enumerate(registered)]
    with django_assert_max_num_queries(20):
        report = import_sheet(staff, rows, dry_run=True)
    assert report.ok, problems(report)
    assert report.created == 2100


# --- outcomes ------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestTraineeOutcomeLedger(LedgerImportContract):
    ledger_class = TraineeOutcomeLedger
    list_url = "/training/outcomes/"
    changed_header, changed_value, changed_field = "年网络销售额（元）", "1500000", "annual_online_sales"
    bad_header, bad_value, bad_fragment = "登记日期", "2026-12-25", "日期不能晚于今天"

    @pytest.fixture
    def rows(self, contract, person, other_person):
        return [
            {
                "姓名": person.name,
                "身份证号": person.id_number,
                "手机号": person.mobile,
                "年度": 2026,
                "登记日期": "2026-03-15",
                "开设网店/网上销售": "是",
                "网店名称或链接": "淘宝 草原羊倌",
                "进入电商企业任职": "否",
                "成为网红": "是",
                "网红账号": "抖音 @乌云的牧场",
                "年网络销售额（元）": 1200000,
                "备注": "第一期学员",
            },
            {
                "姓名": other_person.name,
                "手机号": other_person.mobile,
                "年度": 2026,
                "登记日期": "2026-04-01",
                "进入电商企业任职": "是",
                "任职企业": "乌拉特中旗牧歌电商有限公司",
            },
            {
                "姓名": person.name,
                "身份证号": person.id_number,
                "年度": 2025,
                "登记日期": "2026-01-10",
                "开设网店/网上销售": "是",
                "年网络销售额（元）": "300000.50",
            },
        ]

    def record_for(self, row):
        return TraineeOutcome.all_objects.get(person__name=row["姓名"], year=row["年度"])


def import_outcomes(user, rows):
    return TraineeOutcomeLedger(user).import_file(ledger_xlsx(TraineeOutcomeLedger, rows), "成效.xlsx")


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        ({"进入电商企业任职": "是"}, "任职企业", "请填写任职企业"),
        ({"成为网红": "是"}, "网红账号", "请填写平台及账号"),
        ({"年度": 2027, "登记日期": "2026-03-15"}, "登记日期", "早于 2027 年"),
        ({"年网络销售额（元）": "-1"}, "年网络销售额（元）", "不能为负数"),
        ({"年度": 1999}, "年度", "不能小于 2000"),
    ],
)
def test_an_outcome_row_that_contradicts_itself_is_refused(staff, contract, person, cells, column, fragment):
    row = {"姓名": person.name, "手机号": person.mobile, "年度": 2026, "登记日期": "2026-03-15", **cells}
    report = import_outcomes(staff, [row])
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, column)
    assert fragment in problem.message
    assert not TraineeOutcome.objects.exists()


def test_one_outcome_per_person_and_year(staff, contract, person):
    row = {"姓名": person.name, "手机号": person.mobile, "年度": 2026, "登记日期": "2026-03-15"}
    report = import_outcomes(staff, [row, {**row, "登记日期": "2026-05-01"}])
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "年度")
    assert "与第 2 行重复" in problem.message


# --- follow-up visits, textbooks, merchant counts, feedback analyses ---------------------------------


@pytest.mark.django_db
class TestFollowUpVisitLedger(LedgerImportContract):
    ledger_class = FollowUpVisitLedger
    list_url = "/training/follow-ups/"
    changed_header, changed_value, changed_field = "回访人", "王敏", "visitor"
    bad_header, bad_value, bad_fragment = "回访方式", "微信", "不是可选值"

    @pytest.fixture
    def rows(self, contract, person, other_person, organisation, other_organisation):
        return [
            {
                "回访编号": "HF-20260410-01",
                "回访日期": "2026-04-10",
                "回访学员身份证号或手机号": person.id_number,
                "回访经营主体": organisation.name,
                "回访方式": "上门走访",
                "回访人": "李强",
                "经营情况与问题": "网店月销售额约 3 万元，缺少冷链包装",
                "提供的帮助": "对接冷链包装供应商",
            },
            {
                "回访编号": "HF-20260411-01",
                "回访日期": "2026-04-11",
                "回访学员身份证号或手机号": other_person.mobile,
                "回访方式": "电话回访",
                "经营情况与问题": "已入职电商企业，负责直播",
            },
            {
                "回访编号": "HF-20260412-01",
                "回访日期": "2026-04-12",
                "回访经营主体": other_organisation.credit_code,
                "回访方式": "线上回访",
                "经营情况与问题": "合作社网店上新牛肉干",
            },
        ]


def test_a_visit_to_nobody_is_refused(staff, contract):
    row = {"回访编号": "HF-1", "回访日期": "2026-04-10", "回访方式": "电话回访", "经营情况与问题": "无"}
    report = FollowUpVisitLedger(staff).import_file(ledger_xlsx(FollowUpVisitLedger, [row]), "回访.xlsx")
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "回访学员身份证号或手机号")


@pytest.mark.django_db
class TestTextbookLedger(LedgerImportContract):
    ledger_class = TextbookLedger
    list_url = "/training/textbooks/"
    changed_header, changed_value, changed_field = "发布平台", "乌拉特中旗电商公共服务中心", "published_where"
    bad_header, bad_value, bad_fragment = "链接", "不是链接", "链接格式不正确"

    @pytest.fixture
    def rows(self, contract):
        title = "农村电商创业带头人标准化培训教材"
        return [
            {
                "教材名称": title,
                "版本": "第1版",
                "发布日期": "2026-02-01",
                "发布平台": "微信公众号「乌拉特中旗电商」",
                "链接": "https://mp.weixin.qq.com/s/example",
                "备注": "试用版",
            },
            {
                "教材名称": title,
                "版本": "第2版",
                "发布日期": "2026-09-01",
                "发布平台": "微信公众号「乌拉特中旗电商」",
            },
            {
                "教材名称": "直播带货实务",
                "版本": "第1版",
                "发布日期": "2026-05-01",
                "发布平台": "旗融媒体中心",
            },
        ]

    def record_for(self, row):
        return Textbook.all_objects.get(title=row["教材名称"], version=row["版本"])


@pytest.mark.django_db
class TestMerchantCensusLedger(LedgerImportContract):
    ledger_class = MerchantCensusLedger
    list_url = "/training/merchant-census/"
    changed_header, changed_value, changed_field = "网商数量", 1300, "merchant_count"
    bad_header, bad_value, bad_fragment = "网商数量", "-5", "不能小于 0"

    @pytest.fixture
    def rows(self, contract):
        return [
            {
                "合同": contract.name,
                "统计年度": 2024,
                "统计日期": "2025-01-20",
                "网商数量": 1050,
                "统计口径": "店铺注册地在本旗、年内有交易",
                "备注": "基期",
            },
            {"合同": contract.name, "统计年度": 2025, "统计日期": "2026-01-15", "网商数量": 1180},
            {"合同": contract.key, "统计年度": 2026, "统计日期": "2026-11-20", "网商数量": 1264},
        ]

    def record_for(self, row):
        return MerchantCensus.all_objects.get(year=row["统计年度"])


def test_the_census_export_compares_each_year_with_the_year_before(staff, contract):
    make_census(contract, year=2025, counted_on=datetime.date(2026, 1, 15), merchant_count=1000)
    make_census(contract, year=2026, counted_on=datetime.date(2026, 11, 20), merchant_count=1085)
    table = read_xlsx(MerchantCensusLedger(staff).export(MerchantCensus.objects.all()))
    by_year = {row[1]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert by_year[2026.0]["上年网商数量"] == 1000
    assert by_year[2026.0]["与上年相比"] == "+85（+8.5%）"
    assert by_year[2025.0]["与上年相比"] == ""


@pytest.mark.django_db
class TestFeedbackAnalysisLedger(LedgerImportContract):
    ledger_class = FeedbackAnalysisLedger
    list_url = "/training/feedback-analyses/"
    changed_header, changed_value, changed_field = "反馈人数", 95, "respondents"
    bad_header, bad_value, bad_fragment = "满意度（%）", "120", "不能大于 100"

    @pytest.fixture
    def rows(self, contract):
        return [
            {
                "报告编号": "FX-20260630-01",
                "报告名称": "2026 年上半年培训反馈分析报告",
                "分析期间（起）": "2026-01-01",
                "分析期间（止）": "2026-06-30",
                "成稿日期": "2026-06-30",
                "反馈人数": 86,
                "满意度（%）": "92.5",
                "反馈分析": "学员希望增加直播实操",
                "下期培训方案调整": "下期增加两次直播带货实操",
            },
            {
                "报告编号": "FX-20260930-01",
                "报告名称": "第三季度反馈",
                "分析期间（起）": "2026-07-01",
                "分析期间（止）": "2026-09-30",
                "成稿日期": "2026-10-08",
                "反馈分析": "包装课程反响好",
                "下期培训方案调整": "保留包装课程",
            },
            {
                "报告编号": "FX-20261120-01",
                "报告名称": "站点负责人培训反馈",
                "分析期间（起）": "2026-10-01",
                "分析期间（止）": "2026-11-15",
                "成稿日期": "2026-11-20",
                "反馈人数": 20,
                "反馈分析": "数据报送流程需简化",
                "下期培训方案调整": "增加数据报送演示",
            },
        ]


def test_an_analysis_whose_period_ends_before_it_starts_is_refused(staff, contract):
    row = {
        "报告编号": "FX-1",
        "报告名称": "反馈",
        "分析期间（起）": "2026-06-30",
        "分析期间（止）": "2026-01-01",
        "成稿日期": "2026-07-01",
        "反馈分析": "…",
        "下期培训方案调整": "…",
    }
    report = FeedbackAnalysisLedger(staff).import_file(
        ledger_xlsx(FeedbackAnalysisLedger, [row]), "分析.xlsx"
    )
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "分析期间（止）")


def test_a_session_with_attendance_is_not_moved_past_today_by_import(staff, contract, person):
    session = make_session(contract)
    make_attendance(session, person)
    table = read_xlsx(TrainingSessionLedger(staff).export(TrainingSession.objects.all()))
    headers, row = table[0], table[1]
    row[headers.index("培训日期")] = "2026-12-20"
    report = TrainingSessionLedger(staff).import_file(
        ledger_xlsx(TrainingSessionLedger, [dict(zip(headers, row, strict=True))]), "场次.xlsx"
    )
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "培训日期")
    assert TrainingSession.objects.get().held_on == session.held_on
