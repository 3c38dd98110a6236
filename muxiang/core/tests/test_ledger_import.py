"""The spreadsheet ledger engine's import: every file problem a county office produces, and the
promises each ledger keeps (all-or-nothing, idempotent, audited).

``LedgerImportContract`` holds the promises; each app's ``tests/test_<app>_ledger.py`` subclasses it
with three good rows of its own. The helpers here build the files those tests upload.
"""

import csv
import datetime
import decimal
import io

import pytest
import xlsxwriter
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from muxiang.core import audit, bulk, ledgers
from muxiang.core.ledgers import CellError, LedgerFileError
from muxiang.core.models import ObjectChange
from muxiang.core.validators import make_id_number
from muxiang.people.ledgers import PersonLedger
from muxiang.people.models import Person
from muxiang.stations.ledgers import StationLedger
from muxiang.stations.models import Station

# ---------------------------------------------------------------------------------------------------
# Building and reading files


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook as Excel saves it: ``{sheet name: [header row, *data rows]}``; dates as dates."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    for name, table in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def table_of(rows: list[dict]) -> list[list]:
    """Header row and data rows from dicts of header -> cell; every header of every row is kept."""
    headers = list(dict.fromkeys(h for row in rows for h in row))
    return [headers, *[[row.get(h) for h in headers] for row in rows]]


def ledger_xlsx(ledger_class, rows: list[dict]) -> bytes:
    return xlsx_bytes({ledger_class.sheet_name: table_of(rows)})


def csv_bytes(rows: list[dict], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table_of(rows):
        writer.writerow(["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in row])
    return out.getvalue().encode(encoding)


def read_xlsx(data: bytes, sheet: str | None = None) -> list[list]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_name(sheet or workbook.sheet_names[0]).to_python()


def problems(report) -> str:
    return "\n".join(str(p) for p in report.problems)


def change_count() -> int:
    return ObjectChange.objects.count()


# ---------------------------------------------------------------------------------------------------
# The contract every ledger keeps


class LedgerImportContract:
    """What every ledger's import promises. A subclass sets the class attributes and overrides the
    ``rows`` fixture with three good rows (header -> cell) that create three new records."""

    ledger_class: type[ledgers.Ledger]
    list_url = ""
    changed_header = ""  # a cell of the first row to change ...
    changed_value: object = None
    changed_field = ""  # ... and the model field it lands in
    bad_header = ""  # a cell of the last row to spoil ...
    bad_value: object = None
    bad_fragment = ""  # ... and a piece of the Chinese message it earns

    @pytest.fixture
    def rows(self):
        raise NotImplementedError

    @property
    def model(self):
        return self.ledger_class.model

    def record_for(self, row: dict):
        ledger = self.ledger_class
        key = row[ledger.header_of(ledger, ledger.key_field)]
        return self.model.all_objects.get(**{ledger.key_field: str(key).upper()})

    def import_rows(self, user, rows, dry_run=False):
        return self.ledger_class(user).import_file(ledger_xlsx(self.ledger_class, rows), "台账.xlsx", dry_run)

    def test_a_good_workbook_creates_every_row(self, staff, rows):
        before = self.model.all_objects.count()
        report = self.import_rows(staff, rows)
        assert report.ok, problems(report)
        assert (report.total, report.created, report.updated, report.unchanged) == (
            len(rows),
            len(rows),
            0,
            0,
        )
        assert self.model.all_objects.count() == before + len(rows)
        for row in rows:
            record = self.record_for(row)
            creations = ObjectChange.objects.filter(object_id=record.pk, action="create", source="import")
            assert creations.count() == 1
            assert creations.get().user == staff

    def test_importing_the_same_workbook_again_changes_nothing(self, staff, rows):
        first = self.import_rows(staff, rows)
        assert first.ok, problems(first)
        stamps = {r.pk: r.updated_at for r in self.model.all_objects.all()}
        changes = change_count()
        # when
        again = self.import_rows(staff, rows)
        # then
        assert again.ok, problems(again)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
        assert change_count() == changes
        assert {r.pk: r.updated_at for r in self.model.all_objects.all()} == stamps

    def test_a_changed_cell_updates_only_that_record_with_one_audit_entry(self, staff, rows):
        assert self.import_rows(staff, rows).ok
        others = {self.record_for(r).pk: self.record_for(r).updated_at for r in rows[1:]}
        changes = change_count()
        edited = [{**rows[0], self.changed_header: self.changed_value}, *rows[1:]]
        # when
        report = self.import_rows(staff, edited)
        # then
        assert report.ok, problems(report)
        assert (report.created, report.updated, report.unchanged) == (0, 1, len(rows) - 1)
        record = self.record_for(edited[0])
        assert change_count() == changes + 1
        entry = ObjectChange.objects.latest("id")
        assert (entry.action, entry.object_id, entry.user, entry.source) == (
            "update",
            record.pk,
            staff,
            "import",
        )
        field = self.model._meta.get_field(self.changed_field)
        assert entry.after[field.attname] == audit.to_json(getattr(record, field.attname))
        assert entry.before[field.attname] != entry.after[field.attname]
        assert list(entry.changed_fields()) == [field.attname]
        assert {pk: self.model.all_objects.get(pk=pk).updated_at for pk in others} == others

    def test_a_dry_run_reports_what_would_happen_and_writes_nothing(self, staff, rows):
        before, changes = self.model.all_objects.count(), change_count()
        report = self.import_rows(staff, rows, dry_run=True)
        assert report.ok, problems(report)
        assert report.dry_run and not report.applied
        assert report.created == len(rows)
        assert self.model.all_objects.count() == before
        assert change_count() == changes

    def test_one_bad_row_writes_nothing_and_the_report_names_row_column_and_problem(self, staff, rows):
        before, changes = self.model.all_objects.count(), change_count()
        spoiled = [*rows[:-1], {**rows[-1], self.bad_header: self.bad_value}]
        # when
        report = self.import_rows(staff, spoiled)
        # then
        assert not report.ok
        assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
        [problem] = report.problems
        assert problem.row == len(rows) + 1  # the header is row 1
        assert problem.column == self.bad_header
        assert self.bad_fragment in problem.message
        assert str(problem).startswith(f"第 {len(rows) + 1} 行，「{self.bad_header}」列：")
        assert self.model.all_objects.count() == before
        assert change_count() == changes

    def test_two_rows_with_the_same_key_are_refused_naming_both_rows(self, staff, rows):
        before = self.model.all_objects.count()
        report = self.import_rows(staff, [*rows, rows[0]])
        assert not report.ok
        [problem] = report.problems
        assert problem.row == len(rows) + 2
        assert "与第 2 行重复" in problem.message
        assert self.model.all_objects.count() == before

    def test_the_exported_workbook_imports_back_unchanged(self, staff, rows):
        assert self.import_rows(staff, rows).ok
        exported = self.ledger_class(staff).export(self.model.objects.all())
        changes = change_count()
        # when
        report = self.ledger_class(staff).import_file(exported, "导出.xlsx")
        # then
        assert report.ok, problems(report)
        assert (report.created, report.updated) == (0, 0)
        assert report.unchanged == self.model.objects.count()
        assert change_count() == changes

    def test_the_filled_in_template_imports(self, staff, rows):
        template = self.ledger_class(staff).template()
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(template))
        assert workbook.sheet_names == [self.ledger_class.sheet_name, "填写说明"]
        headers = read_xlsx(template, self.ledger_class.sheet_name)[0]
        assert any(h.endswith("*") for h in headers)
        notes = read_xlsx(template, "填写说明")
        # when the user fills one row under the template's own headers and saves both sheets
        row = rows[0]
        filled = xlsx_bytes(
            {
                self.ledger_class.sheet_name: [headers, [row.get(h.rstrip("*")) for h in headers]],
                "填写说明": notes,
            }
        )
        report = self.ledger_class(staff).import_file(filled, "模板.xlsx")
        # then
        assert report.ok, problems(report)
        assert report.created == 1

    def test_a_csv_in_gbk_imports_like_the_workbook(self, staff, rows):
        report = self.ledger_class(staff).import_file(csv_bytes(rows, "gbk"), "台账.csv")
        assert report.ok, problems(report)
        assert report.created == len(rows)
        again = self.import_rows(staff, rows)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))

    def test_reimporting_costs_the_same_queries_for_one_row_as_for_three(self, staff, rows):
        assert self.import_rows(staff, rows).ok
        ledger = self.ledger_class(staff)
        # The first row is the fullest: it names every kind of related record the others do.
        one, three = ledger_xlsx(self.ledger_class, rows[:1]), ledger_xlsx(self.ledger_class, rows)
        with CaptureQueriesContext(connection) as for_one:
            assert self.ledger_class(staff).import_file(one, "one.xlsx").unchanged == 1
        with CaptureQueriesContext(connection) as for_three:
            assert ledger.import_file(three, "three.xlsx").unchanged == len(rows)
        assert len(for_three) <= len(for_one), [q["sql"] for q in for_three.captured_queries]

    def test_the_import_page_imports_for_operator_staff(self, login, staff, rows):
        client = login(staff)
        assert client.get(f"{self.list_url}import/").status_code == 200
        upload = io.BytesIO(ledger_xlsx(self.ledger_class, rows))
        upload.name = "台账.xlsx"
        # when
        response = client.post(f"{self.list_url}import/", {"file": upload})
        # then
        page = response.content.decode()
        assert response.status_code == 200, page
        assert f"新建 {len(rows)} 条" in page
        for row in rows:
            assert self.record_for(row).pk

    def test_the_import_page_shows_the_problems_and_writes_nothing(self, login, staff, rows):
        before = self.model.all_objects.count()
        spoiled = [*rows[:-1], {**rows[-1], self.bad_header: self.bad_value}]
        upload = io.BytesIO(ledger_xlsx(self.ledger_class, spoiled))
        upload.name = "台账.xlsx"
        response = login(staff).post(f"{self.list_url}import/", {"file": upload})
        page = response.content.decode()
        assert response.status_code == 400
        assert "未写入任何数据" in page
        assert f"<td>{len(rows) + 1}</td><td>{self.bad_header}</td>" in page
        assert self.model.all_objects.count() == before

    def test_the_import_page_dry_run_writes_nothing(self, login, staff, rows):
        before = self.model.all_objects.count()
        upload = io.BytesIO(ledger_xlsx(self.ledger_class, rows))
        upload.name = "台账.xlsx"
        response = login(staff).post(f"{self.list_url}import/", {"file": upload, "dry_run": "on"})
        assert response.status_code == 200
        assert "试运行" in response.content.decode()
        assert self.model.all_objects.count() == before

    def test_the_import_page_is_refused_to_station_managers_and_supervisors(
        self, login, manager, client_supervisor, rows
    ):
        for persona in (manager, client_supervisor):
            client = login(persona)
            upload = io.BytesIO(ledger_xlsx(self.ledger_class, rows))
            upload.name = "台账.xlsx"
            assert client.get(f"{self.list_url}import/").status_code == 403
            assert client.post(f"{self.list_url}import/", {"file": upload}).status_code == 403
            report = self.ledger_class(persona).import_file(upload.getvalue(), "台账.xlsx")
            assert "没有导入此台账的权限" in problems(report)


# ---------------------------------------------------------------------------------------------------
# File-level problems, shown through the people ledger (any ledger reads files the same way)


@pytest.fixture
def person_rows(town, station):
    return [
        {
            "姓名": "张三",
            "身份证号": make_id_number("150824", datetime.date(1990, 1, 1), 11),
            "手机号": "13800000001",
            "户籍/居住地": town.path,
            "所属站点编号": station.code,
        },
        {"姓名": "李四", "身份证号": make_id_number("150824", datetime.date(1985, 7, 9), 22)},
    ]


def import_people(user, data, filename="人员.xlsx", dry_run=False):
    return PersonLedger(user).import_file(data, filename, dry_run)


def test_a_workbook_cut_in_half_is_refused_with_a_clear_message(staff, person_rows):
    data = ledger_xlsx(PersonLedger, person_rows)
    report = import_people(staff, data[: len(data) // 2])
    assert not report.ok
    assert "文件已损坏、不完整或不是 Excel 文件" in problems(report)
    assert Person.objects.count() == 0


def test_a_workbook_cut_anywhere_never_raises(staff, person_rows):
    data = ledger_xlsx(PersonLedger, person_rows)
    for cut in range(0, len(data), max(1, len(data) // 40)):
        report = import_people(staff, data[:cut])
        assert not report.ok, cut


def test_a_text_file_named_xlsx_is_refused(staff):
    report = import_people(staff, "姓名,身份证号\n".encode())
    assert "不是 Excel 文件" in problems(report)


def test_a_truncated_workbook_uploaded_on_the_import_page_is_a_400_with_the_message(
    login, staff, person_rows
):
    data = ledger_xlsx(PersonLedger, person_rows)
    upload = io.BytesIO(data[: len(data) // 2])
    upload.name = "人员.xlsx"
    response = login(staff).post("/people/import/", {"file": upload})
    assert response.status_code == 400
    assert "文件已损坏、不完整或不是 Excel 文件" in response.content.decode()


def test_a_csv_saved_as_gbk_is_accepted(staff, person_rows):
    data = csv_bytes(person_rows, "gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # it really is GBK
    report = import_people(staff, data, "人员.csv")
    assert report.ok, problems(report)
    assert set(Person.objects.values_list("name", flat=True)) == {"张三", "李四"}


def test_a_csv_in_utf8_with_a_byte_order_mark_is_accepted(staff, person_rows):
    data = "\ufeff".encode() + csv_bytes(person_rows)
    report = import_people(staff, data, "人员.csv")
    assert report.ok, problems(report)
    assert report.created == 2
    assert Person.objects.filter(name="张三").exists()


def test_a_csv_in_utf8_without_a_byte_order_mark_is_accepted(staff, person_rows):
    report = import_people(staff, csv_bytes(person_rows), "人员.CSV")
    assert report.ok, problems(report)


def test_a_workbook_with_several_sheets_but_none_named_for_the_ledger_is_refused(staff, person_rows):
    data = xlsx_bytes({"Sheet1": table_of(person_rows), "Sheet2": [["x"]]})
    report = import_people(staff, data)
    assert not report.ok
    message = problems(report)
    assert "找不到工作表「人员」" in message
    assert "Sheet1、Sheet2" in message


def test_a_workbook_with_one_sheet_is_read_whatever_its_name(staff, person_rows):
    report = import_people(staff, xlsx_bytes({"Sheet1": table_of(person_rows)}))
    assert report.ok, problems(report)


def test_the_ledgers_sheet_is_found_among_several(staff, person_rows):
    data = xlsx_bytes({"说明": [["请看第二页"]], "人员": table_of(person_rows)})
    assert import_people(staff, data).ok


def test_a_missing_required_column_is_named(staff, person_rows):
    rows = [{k: v for k, v in row.items() if k != "身份证号"} for row in person_rows]
    report = import_people(staff, ledger_xlsx(PersonLedger, rows))
    [problem] = report.problems
    assert problem.row == 1
    assert "缺少必填列：身份证号" in problem.message


def test_headers_in_another_language_are_reported_as_unrecognised(staff):
    data = xlsx_bytes({"人员": [["name", "id"], ["x", "y"]]})
    report = import_people(staff, data)
    assert "缺少必填列：姓名、身份证号" in problems(report)


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("人员.xlsx", b"", "不是 Excel 文件"),
        ("人员.csv", b"", "CSV 文件是空的"),
        ("人员.csv", "\ufeff".encode(), "CSV 文件是空的"),
    ],
)
def test_an_empty_file_is_refused(staff, filename, data, message):
    report = import_people(staff, data, filename)
    assert not report.ok
    assert message in problems(report)


def test_a_file_with_headers_only_has_no_data_rows(staff):
    report = import_people(staff, xlsx_bytes({"人员": [["姓名*", "身份证号*"]]}))
    assert "文件中没有数据行" in problems(report)


def test_blank_rows_between_data_rows_are_skipped_and_row_numbers_stay_true(staff, person_rows):
    table = table_of(person_rows)
    bad = list(table[2])
    bad[1] = "123"
    data = xlsx_bytes({"人员": [table[0], table[1], [None] * len(table[0]), bad]})
    [problem] = import_people(staff, data).problems
    assert problem.row == 4


@pytest.mark.parametrize("filename", ["人员.docx", "人员.pdf", "人员"])
def test_an_unsupported_file_type_is_refused_naming_the_types_wanted(staff, filename):
    report = import_people(staff, b"PK\x03\x04whatever", filename)
    message = problems(report)
    assert "不支持的文件类型" in message
    assert ".xlsx 或 .csv" in message


def test_a_file_over_the_import_limit_is_refused(staff, settings, person_rows):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    report = import_people(staff, ledger_xlsx(PersonLedger, person_rows) + b"\0" * (1024 * 1024))
    assert "文件超过 1 MB 上限" in problems(report)


def test_a_phone_number_typed_as_a_number_is_read_as_digits(staff, person_rows):
    # Calamine reads every number cell as a float: 13800000000.0.
    rows = [{**person_rows[0], "手机号": 13800000000}]
    data = ledger_xlsx(PersonLedger, rows)
    assert read_xlsx(data)[1][2] == 13800000000.0
    report = import_people(staff, data)
    assert report.ok, problems(report)
    assert Person.objects.get().mobile == "13800000000"


def test_more_than_five_hundred_problems_are_cut_short(staff):
    rows = [["姓名", "身份证号"], *[[f"人{i}", f"bad{i}"] for i in range(800)]]
    report = import_people(staff, xlsx_bytes({"人员": rows}))
    assert len(report.problems) == ledgers.MAX_REPORTED_PROBLEMS + 1
    assert "错误过多" in report.problems[-1].message


def test_the_import_audit_entries_carry_the_requests_id_and_address(login, staff, person_rows):
    upload = io.BytesIO(ledger_xlsx(PersonLedger, person_rows))
    upload.name = "人员.xlsx"
    response = login(staff).post("/people/import/", {"file": upload}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entries = ObjectChange.objects.filter(source="import")
    assert entries.count() == 2
    assert {str(e.request_id) for e in entries} == {response["X-Request-ID"]}
    assert {e.remote_addr for e in entries} == {"10.1.2.3"}
    assert {e.user for e in entries} == {staff}
    assert {e.message for e in entries} == {"导入 人员.xlsx"}


# ---------------------------------------------------------------------------------------------------
# Cell parsers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-15", datetime.date(2024, 3, 15)),
        ("2024/3/5", datetime.date(2024, 3, 5)),
        ("2024.03.15", datetime.date(2024, 3, 15)),
        ("2024年3月15日", datetime.date(2024, 3, 15)),
        ("20240315", datetime.date(2024, 3, 15)),
        ("2024-03-15 08:30:00", datetime.date(2024, 3, 15)),
        (datetime.date(2024, 3, 15), datetime.date(2024, 3, 15)),
        (datetime.datetime(2024, 3, 15, 8, 30), datetime.date(2024, 3, 15)),
        (None, None),
        ("", None),
    ],
)
def test_dates_are_read_in_the_forms_offices_write_them(raw, expected):
    assert ledgers.date_cell()(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2024-02-30", "日期不存在：2024-02-30"),
        ("2023-02-29", "日期不存在"),
        ("20241301", "日期不存在"),
        ("明天", "日期格式应为 2024-03-15：明天"),
        ("15/03/2024", "日期格式应为"),
        (45366.0, "日期格式应为"),  # an Excel serial number in a cell not formatted as a date
    ],
)
def test_impossible_or_unreadable_dates_are_refused(raw, message):
    with pytest.raises(CellError) as caught:
        ledgers.date_cell()(raw)
    assert message in str(caught.value)


def test_a_future_date_is_refused_where_the_column_forbids_it():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(CellError, match="日期不能晚于今天"):
        ledgers.date_cell(allow_future=False)(tomorrow.isoformat())
    assert ledgers.date_cell()(tomorrow.isoformat()) == tomorrow


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.30", decimal.Decimal("12.30")),
        ("1,234.5", decimal.Decimal("1234.50")),
        ("¥88", decimal.Decimal("88.00")),
        ("88元", decimal.Decimal("88.00")),
        (12.300000000000001, decimal.Decimal("12.30")),  # float noise from the spreadsheet
        (3.0, decimal.Decimal("3.00")),
        ("0", decimal.Decimal("0.00")),
        ("", None),
        (None, None),
    ],
)
def test_money_is_read_to_two_places(raw, expected):
    assert ledgers.decimal_number(2)(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "不能为负数：-1"),
        (-0.5, "不能为负数"),
        ("12.345", "最多保留 2 位小数：12.345"),
        (12.345, "最多保留 2 位小数"),
        ("十二", "应为数字：十二"),
        ("NaN", "应为数字"),
        ("Infinity", "应为数字"),
        ("1e30", "数值过大"),
        ("9" * 40, "数值过大"),
    ],
)
def test_negative_overprecise_or_unreadable_money_is_refused(raw, message):
    with pytest.raises(CellError) as caught:
        ledgers.decimal_number(2)(raw)
    assert message in str(caught.value)


def test_a_range_limited_number_names_its_bound():
    latitude = ledgers.decimal_number(6, min_value=-90, max_value=90)
    assert latitude("-45.5") == decimal.Decimal("-45.500000")
    with pytest.raises(CellError, match="不能小于 -90：-91"):
        latitude("-91")
    with pytest.raises(CellError, match="不能大于 90：91"):
        latitude("91")


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), (3.0, 3), ("1,200", 1200), ("", None)])
def test_integers_are_read(raw, expected):
    assert ledgers.integer()(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [("3.5", "应为整数"), (3.5, "应为整数"), ("-2", "不能小于 0")])
def test_fractions_and_negative_counts_are_refused(raw, message):
    with pytest.raises(CellError, match=message):
        ledgers.integer()(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("是", True), ("否", False), ("Y", True), (True, True), (None, False)]
)
def test_yes_and_no_are_read(raw, expected):
    assert ledgers.boolean()(raw) is expected


def test_anything_else_than_yes_or_no_is_refused():
    with pytest.raises(CellError, match="应填写「是」或「否」：也许"):
        ledgers.boolean()("也许")


def test_a_choice_accepts_the_label_or_the_value_and_lists_the_options_otherwise():
    from muxiang.stations.choices import StationStatus

    parse = ledgers.choice(StationStatus)
    assert parse("运营中") == parse("active") == "active"
    with pytest.raises(CellError) as caught:
        parse("营业")
    assert "「营业」不是可选值，可选：筹建中、运营中、暂停、已关闭" in str(caught.value)


def test_text_longer_than_the_column_allows_is_refused():
    with pytest.raises(CellError, match="超过 5 个字符"):
        ledgers.text(5)("一二三四五六")


def test_reading_a_table_names_the_unsupported_type():
    with pytest.raises(LedgerFileError, match="「.docx」"):
        ledgers.read_table(b"", "x.docx", "人员")


# ---------------------------------------------------------------------------------------------------
# Through the station ledger: references that cannot be resolved


def test_a_station_naming_a_region_that_does_not_exist_is_reported_not_crashed(staff, town):
    row = {
        "站点编号": "HLT-009",
        "站点名称": "无名站",
        "级别": "镇级站点",
        "服务区域": "乌拉特中旗/不存在镇",
        "状态": "筹建中",
    }
    report = StationLedger(staff).import_file(ledger_xlsx(StationLedger, [row]), "站点.xlsx")
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "服务区域")
    assert "找不到「乌拉特中旗/不存在镇」" in problem.message
    assert not Station.all_objects.filter(code="HLT-009").exists()


def test_creation_entries_built_by_the_database_read_as_those_built_in_python(
    staff, town, station, person_rows, monkeypatch
):
    # given: the same people imported twice, once with the entries built by the database ...
    rows = [{**person_rows[0], "人员类别": "学员、联系人", "贫困户/脱贫户": "否"}, person_rows[1]]
    assert import_people(staff, ledger_xlsx(PersonLedger, rows)).ok
    imported = ObjectChange.objects.filter(action="create", source="import")
    by_database = {e.object_repr: e.after for e in imported}
    Person.all_objects.all().delete()
    imported.delete()
    # ... and once with the entries encoded in Python
    monkeypatch.setattr(bulk, "insert_creation_entries", lambda *args: False)
    assert import_people(staff, ledger_xlsx(PersonLedger, rows)).ok
    in_python = {e.object_repr: e.after for e in imported}
    # then: the same values, ids aside (the second import's rows have new ids)
    assert by_database.keys() == in_python.keys() == {"张三", "李四"}
    for name, after in by_database.items():
        assert {k: v for k, v in after.items() if k != "id"} == {
            k: v for k, v in in_python[name].items() if k != "id"
        }
    assert by_database["张三"]["poor_household"] is False
    assert by_database["张三"]["kinds"] == ["contact", "trainee"]
    assert "notes" not in by_database["李四"] and "mobile" not in by_database["李四"]
