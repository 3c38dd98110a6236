"""The people register as a spreadsheet: matched on the resident ID number, masked on export."""

import datetime

import pytest

from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import (
    LedgerImportContract,
    ledger_xlsx,
    problems,
    read_xlsx,
)
from muxiang.core.validators import make_id_number
from muxiang.people.ledgers import PersonLedger
from muxiang.people.models import Person

ZHANG = make_id_number("150824", datetime.date(1990, 1, 1), 11)
LI = make_id_number("150824", datetime.date(1985, 7, 9), 22)
WANG = make_id_number("150824", datetime.date(1972, 12, 30), 33)


@pytest.mark.django_db
class TestPersonLedger(LedgerImportContract):
    ledger_class = PersonLedger
    list_url = "/people/"
    changed_header, changed_value, changed_field = "手机号", "13900000099", "mobile"
    bad_header, bad_value, bad_fragment = (
        "身份证号",
        WANG[:17] + ("0" if WANG[17] != "0" else "1"),
        "校验位错误",
    )

    @pytest.fixture
    def rows(self, town, village, station, organisation):
        return [
            {
                "姓名": "张三",
                "身份证号": ZHANG,
                "手机号": "13800000001",
                "人员类别": "学员、联系人",
                "贫困户/脱贫户": "是",
                "户籍/居住地": town.path,
                "所属站点编号": station.code,
                "所在单位信用代码": organisation.credit_code,
                "备注": "第一期学员",
            },
            {"姓名": "李四", "身份证号": LI, "户籍/居住地": village.path, "人员类别": "学员"},
            {"姓名": "王五", "身份证号": WANG, "手机号": 13800000003},
        ]


def import_people(user, rows):
    return PersonLedger(user).import_file(ledger_xlsx(PersonLedger, rows), "人员.xlsx")


def test_birth_date_and_gender_are_taken_from_the_id_number(staff):
    assert import_people(staff, [{"姓名": "张三", "身份证号": ZHANG}]).ok
    person = Person.objects.get()
    assert person.birth_date == datetime.date(1990, 1, 1)
    assert person.gender == "male"


def test_a_lowercase_x_is_stored_uppercase_and_matches_on_reimport(staff):
    id_number = next(
        make_id_number("150824", datetime.date(1990, 1, 1), n)
        for n in range(1000)
        if make_id_number("150824", datetime.date(1990, 1, 1), n).endswith("X")
    )
    assert import_people(staff, [{"姓名": "张三", "身份证号": id_number.lower()}]).ok
    assert Person.objects.get().id_number == id_number
    again = import_people(staff, [{"姓名": "张三", "身份证号": id_number}])
    assert (again.created, again.unchanged) == (0, 1)


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("15082419900101", "身份证号应为 18 位，实际为 14 位"),
        ("15082419900101123A", "只能由 17 位数字加一位数字或 X 组成"),
        ("150824199002301230", "出生日期 19900230 不存在"),
        (make_id_number("150824", datetime.date.today() + datetime.timedelta(days=3), 1), "不合理"),
        (ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1"), "校验位错误"),
        (1.50824199001011e17, "校验位错误"),  # typed as a number: Excel kept 15 significant digits
    ],
)
def test_a_malformed_id_number_is_reported_in_chinese(staff, id_number, message):
    [problem] = import_people(staff, [{"姓名": "张三", "身份证号": id_number}]).problems
    assert (problem.row, problem.column) == (2, "身份证号")
    assert message in problem.message
    assert not Person.objects.exists()


def test_the_same_person_twice_in_a_file_names_both_rows_even_when_written_differently(staff):
    id_number = next(
        make_id_number("150824", datetime.date(1990, 1, 1), n)
        for n in range(1000)
        if make_id_number("150824", datetime.date(1990, 1, 1), n).endswith("X")
    )
    report = import_people(
        staff,
        [
            {"姓名": "张三", "身份证号": id_number},
            {"姓名": "李四", "身份证号": LI},
            {"姓名": "张三", "身份证号": id_number.lower()},
        ],
    )
    [problem] = report.problems
    assert (problem.row, problem.column) == (4, "身份证号")
    assert f"与第 2 行重复：{id_number}" in problem.message


def test_a_known_id_number_updates_that_person_rather_than_adding_one(staff, person):
    report = import_people(staff, [{"姓名": "乌云其木格", "身份证号": person.id_number}])
    assert (report.created, report.updated) == (0, 1), problems(report)
    person.refresh_from_db()
    assert person.name == "乌云其木格"
    assert person.mobile == "13847800011"  # a column the file does not have is left alone
    assert Person.objects.count() == 1


def test_an_empty_cell_in_a_present_column_clears_the_value(staff, person):
    report = import_people(staff, [{"姓名": person.name, "身份证号": person.id_number, "手机号": None}])
    assert report.updated == 1, problems(report)
    person.refresh_from_db()
    assert person.mobile == ""


def test_a_person_cannot_be_placed_in_a_whole_county(staff, county):
    # The form refuses it (Person.clean); the import must refuse it as well.
    [problem] = import_people(
        staff, [{"姓名": "张三", "身份证号": ZHANG, "户籍/居住地": county.path}]
    ).problems
    assert (problem.row, problem.column) == (2, "户籍/居住地")
    assert "请选择到镇/苏木或村/嘎查" in problem.message


def test_unknown_station_and_organisation_are_reported(staff):
    report = import_people(
        staff, [{"姓名": "张三", "身份证号": ZHANG, "所属站点编号": "NOPE-1", "所在单位信用代码": "X"}]
    )
    assert {(p.column, p.message) for p in report.problems} == {
        ("所属站点编号", "找不到「NOPE-1」"),
        ("所在单位信用代码", "找不到「X」"),
    }


def test_the_export_shows_full_id_numbers_to_operator_staff(staff, person):
    sheet = read_xlsx(PersonLedger(staff).export(Person.objects.all()))
    assert sheet[1][sheet[0].index("身份证号")] == person.id_number


def test_the_export_masks_id_numbers_for_the_client_supervisor(client_supervisor, person):
    sheet = read_xlsx(PersonLedger(client_supervisor).export(Person.objects.all()))
    cell = sheet[1][sheet[0].index("身份证号")]
    assert cell == person.id_number[:4] + "*" * 10 + person.id_number[-4:]


def test_the_export_page_masks_id_numbers_for_the_station_manager(login, manager, person, other_person):
    response = login(manager).get("/people/export.xlsx")
    sheet = read_xlsx(response.content)
    assert [r[0] for r in sheet[1:]] == [person.name]  # and not the other station's person
    assert "**********" in sheet[1][sheet[0].index("身份证号")]


def test_reimporting_a_person_entered_by_form_changes_nothing(staff, person):
    # given kinds stored by the form in the order ticked
    Person.objects.filter(pk=person.pk).update(kinds=["trainee", "contact"])
    exported = PersonLedger(staff).export(Person.objects.all())
    changes = ObjectChange.objects.count()
    report = PersonLedger(staff).import_file(exported, "人员.xlsx")
    assert (report.updated, report.unchanged) == (0, 1), problems(report)
    assert ObjectChange.objects.count() == changes
