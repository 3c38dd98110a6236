"""The spreadsheet ledger engine (台账): export, import template and all-or-nothing import.

Every domain ledger declares its columns once (``Column``: model field, Chinese header, parser,
exporter) and its natural key. From that declaration the engine gives:

- ``export(queryset)``: an .xlsx of exactly the rows a list shows, filters applied, with personal
  data masked for roles that may not see it;
- ``template()``: an .xlsx with the Chinese headers, drop-downs for choice columns and a sheet of
  filling instructions;
- ``import_file(upload, dry_run)``: reads .xlsx (python-calamine) or .csv (UTF-8 or GBK), checks
  every cell of every row, and writes nothing unless every row is good. Rows are matched to existing
  records by the natural key, so importing the same file twice changes nothing.
"""

import csv
import datetime
import decimal
import gc
import io
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from muxiang.core import audit, permissions
from muxiang.core.bulk import insert_audited_rows
from muxiang.core.choices import ChangeAction
from muxiang.core.models import ObjectChange


class CellError(ValueError):
    """A cell's value cannot be used; the message says why, in the user's language."""


class LedgerFileError(ValueError):
    """The file as a whole cannot be read: wrong type, damaged, wrong sheet, no rows."""


# ---------------------------------------------------------------------------------------------------
# Cell parsers: each takes the raw cell (str, float, int, bool, date, datetime or None) and returns the
# value to store, or raises CellError.


def _as_text(raw) -> str:
    if type(raw) is str:  # the common case, first: this runs for every cell of an import
        return raw.strip()
    if raw is None:
        return ""
    # Calamine reads every number as a float: 13800000000.0 is a phone number, 3.0 is three.
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.isoformat()
    return str(raw).strip()


# A parser may also carry ``column``: the same parse for all the cells of one column at once (a large
# import has about a million cells, and the per-cell overhead adds up). It returns the list of values,
# blank cells (None or "") giving what ``parse(None)`` gives, or None as soon as one cell is refused;
# the engine then parses cell by cell, which has the messages.


def text(max_length: int | None = None) -> Callable[[Any], str]:
    def parse(raw):
        value = _as_text(raw)
        if max_length and len(value) > max_length:
            raise CellError(_("超过 %(n)d 个字符") % {"n": max_length})
        return value

    def column(cells):
        values = [raw.strip() if type(raw) is str else _as_text(raw) for raw in cells]
        if max_length and values and max(map(len, values)) > max_length:
            return None
        return values

    parse.column = column
    return parse


def checked(
    problem: Callable[[str], str | None],
    normalise: Callable[[str], str] = str.strip,
    accepter: Callable[[], Callable[[str], Any]] | None = None,
):
    """A text cell checked by a validator that returns the problem or None.

    ``accepter`` (optional) makes, once per column, a quick test that is true only for values that
    ``normalise`` leaves as they are and ``problem`` accepts; other values go to ``problem``."""

    def parse(raw):
        value = normalise(_as_text(raw))
        if not value:
            return ""
        message = problem(value)
        if message:
            raise CellError(message)
        return value

    def column(cells):
        accepts = accepter() if accepter is not None else None
        values = []
        append = values.append
        for raw in cells:
            if type(raw) is str:
                value = raw.strip()
                if accepts is not None and value and accepts(value):
                    append(value)
                    continue
            elif raw is None:
                append("")
                continue
            else:
                value = _as_text(raw)
            value = normalise(value)
            if not value:
                append("")
                continue
            if (accepts is None or not accepts(value)) and problem(value):
                return None
            append(value)
        return values

    parse.column = column
    return parse


def memo_column(parse, copy_lists: bool = False):
    """``column`` for a parser whose value depends only on the cell: each distinct cell is parsed
    once per column (yes/no, choices, counts and amounts: a few distinct cells in 100,000). A
    yes/no cell is parsed each time: ``True`` would share its memo entry with ``1``."""

    def column(cells):
        memo: dict = {}
        values = []
        append = values.append
        for raw in cells:
            if type(raw) is bool:
                try:
                    value = parse(raw)
                except CellError:
                    return None
            else:
                try:
                    value = memo[raw]
                except KeyError:
                    try:
                        value = memo[raw] = parse(raw)
                    except CellError:
                        return None
            append(list(value) if copy_lists else value)
        return values

    return column


def integer(min_value: int | None = 0) -> Callable[[Any], int | None]:
    def parse(raw):
        value = _as_text(raw).replace(",", "")
        if value == "":
            return None
        if not re.fullmatch(r"[+-]?\d+", value):
            raise CellError(_("应为整数：%(v)s") % {"v": value})
        number = int(value)
        if min_value is not None and number < min_value:
            raise CellError(_("不能小于 %(m)d：%(v)s") % {"m": min_value, "v": value})
        return number

    return parse


def decimal_number(places: int = 2, min_value: decimal.Decimal | None = decimal.Decimal(0), max_value=None):
    def parse(raw):
        value = _as_text(raw).replace(",", "").replace("¥", "").replace("元", "")
        if value == "":
            return None
        try:
            number = decimal.Decimal(value)
        except decimal.InvalidOperation as exc:
            raise CellError(_("应为数字：%(v)s") % {"v": value}) from exc
        if not number.is_finite():
            raise CellError(_("应为数字：%(v)s") % {"v": value})
        # Floats from calamine carry binary noise (12.300000000000001): round to the unit's places
        # when the noise is below them, refuse when the figure really has more places.
        try:
            rounded = number.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
        except decimal.InvalidOperation as exc:  # more digits than the decimal context holds
            raise CellError(_("数值过大：%(v)s") % {"v": value}) from exc
        if isinstance(raw, float) and abs(rounded - number) < decimal.Decimal("1e-9"):
            number = rounded
        elif number != rounded:
            raise CellError(_("最多保留 %(p)d 位小数：%(v)s") % {"p": places, "v": value})
        if min_value is not None and rounded < min_value:
            if min_value == 0:
                raise CellError(_("不能为负数：%(v)s") % {"v": value})
            raise CellError(_("不能小于 %(m)s：%(v)s") % {"m": min_value, "v": value})
        if max_value is not None and rounded > max_value:
            raise CellError(_("不能大于 %(m)s：%(v)s") % {"m": max_value, "v": value})
        return rounded

    return parse


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date_text(value: str) -> datetime.date:
    value = value.strip()
    if "T" in value or " " in value:
        value = re.split(r"[T ]", value)[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError as exc:
                raise CellError(_("日期不存在：%(v)s") % {"v": value}) from exc
    raise CellError(_("日期格式应为 2024-03-15：%(v)s") % {"v": value})


def date_cell(allow_future: bool = True) -> Callable[[Any], datetime.date | None]:
    def parse(raw):
        if isinstance(raw, datetime.datetime):
            value = raw.date()
        elif isinstance(raw, datetime.date):
            value = raw
        else:
            text_value = _as_text(raw)
            if not text_value:
                return None
            value = parse_date_text(text_value)
        if not allow_future and value > timezone.localdate():
            raise CellError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})
        return value

    return parse


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "无", ""}


def boolean() -> Callable[[Any], bool]:
    def parse(raw):
        if isinstance(raw, bool):
            return raw
        value = _as_text(raw).lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise CellError(_("应填写「是」或「否」：%(v)s") % {"v": value})

    parse.column = memo_column(parse)
    return parse


def choice(choices) -> Callable[[Any], str]:
    """Accepts the Chinese label (as the template's drop-down offers) or the stored value."""
    by_label = {str(label): value for value, label in choices.choices}
    values = set(choices.values)

    def parse(raw):
        value = _as_text(raw)
        if value == "":
            return ""
        if value in by_label:
            return by_label[value]
        if value in values:
            return value
        raise CellError(_("「%(v)s」不是可选值，可选：%(opts)s") % {"v": value, "opts": "、".join(by_label)})

    parse.column = memo_column(parse)
    return parse


_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def multi_choice(choices) -> Callable[[Any], list[str]]:
    single = choice(choices)

    def parse(raw):
        parts = [p for p in _SEPARATORS.split(_as_text(raw)) if p]
        return sorted({single(p) for p in parts})

    parse.column = memo_column(parse, copy_lists=True)
    return parse


# ---------------------------------------------------------------------------------------------------
# Columns


@dataclass
class Column:
    """One column of a ledger: where it goes in the model and how a cell becomes a value."""

    field: str
    header: str
    parse: Callable[[Any], Any] = field(default_factory=text)
    required: bool = False
    export: Callable[[Any, Any], Any] | None = None  # (record, ledger) -> cell value
    note: str = ""
    example: str = ""
    importable: bool = True
    options: list[str] | None = None  # drop-down values in the template

    def export_value(self, record, ledger):
        if self.export is not None:
            return self.export(record, ledger)
        value = getattr(record, self.field)
        display = getattr(record, f"get_{self.field}_display", None)
        if display is not None:
            return str(display())
        return value


class ForeignColumn(Column):
    """A column naming another record by its code or unambiguous name, resolved in one query."""

    def __init__(
        self,
        field,
        header,
        model,
        *,
        keys=("code", "name"),
        required=False,
        note="",
        example="",
        export=None,
        queryset=None,
    ):
        super().__init__(
            field=field,
            header=header,
            parse=text(200),
            required=required,
            note=note,
            example=example,
            export=export,
        )
        self.model = model
        self.keys = keys
        self.queryset = queryset

    def export_value(self, record, ledger):
        if self.export is not None:
            return self.export(record, ledger)
        target = getattr(record, self.field)
        return str(getattr(target, self.keys[0], "") or target) if target else ""

    def resolve(self, wanted: set[str]) -> dict[str, Any]:
        """Map each wanted text to a record, or to an error message when none or several match."""
        base = self.queryset if self.queryset is not None else self.model.objects.all()
        found: dict[str, list] = {}
        for key in self.keys:
            for chunk in _chunks(sorted(wanted), 2000):
                for obj in base.filter(**{f"{key}__in": chunk}):
                    found.setdefault(str(getattr(obj, key)), [])
                    if obj not in found[str(getattr(obj, key))]:
                        found[str(getattr(obj, key))].append(obj)
        result = {}
        for text_value in wanted:
            matches = found.get(text_value, [])
            if len(matches) == 1:
                result[text_value] = matches[0]
            elif not matches:
                result[text_value] = CellError(_("找不到「%(v)s」") % {"v": text_value})
            else:
                result[text_value] = CellError(_("「%(v)s」对应多条记录，请改填代码") % {"v": text_value})
        return result


# ---------------------------------------------------------------------------------------------------
# Reading files


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]  # data rows; row i is spreadsheet row i + 2
    sheet: str


def _normalise_header(value) -> str:
    return _as_text(value).replace("*", "").replace("＊", "").strip()


def read_table(data: bytes, filename: str, sheet_name: str) -> Table:
    suffix = Path(filename or "").suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        return _read_workbook(data, sheet_name)
    if suffix in {".csv", ".txt"}:
        return _read_csv(data)
    raise LedgerFileError(
        _("不支持的文件类型「%(s)s」，请上传 .xlsx 或 .csv 文件") % {"s": suffix or filename}
    )


def _read_workbook(data: bytes, sheet_name: str) -> Table:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several error types for damaged files
        raise LedgerFileError(_("无法读取该电子表格：文件已损坏、不完整或不是 Excel 文件")) from exc
    names = workbook.sheet_names
    if sheet_name in names:
        chosen = sheet_name
    elif len(names) == 1:
        chosen = names[0]
    else:
        raise LedgerFileError(
            _("找不到工作表「%(want)s」；文件中的工作表为：%(have)s")
            % {"want": sheet_name, "have": "、".join(names)}
        )
    try:
        rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise LedgerFileError(_("无法读取工作表「%(s)s」：文件已损坏或不完整") % {"s": chosen}) from exc
    if not rows:
        raise LedgerFileError(_("工作表「%(s)s」是空的") % {"s": chosen})
    return Table(headers=[_normalise_header(h) for h in rows[0]], rows=rows[1:], sheet=chosen)


def decode_text_file(data: bytes) -> str:
    """Offices save CSV as UTF-8 (with or without BOM) or as GBK; accept both."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK"))


def _read_csv(data: bytes) -> Table:
    content = decode_text_file(data)
    try:
        rows = list(csv.reader(io.StringIO(content)))
    except csv.Error as exc:
        raise LedgerFileError(_("CSV 文件格式错误：%(e)s") % {"e": exc}) from exc
    if not rows:
        raise LedgerFileError(_("CSV 文件是空的"))
    return Table(headers=[_normalise_header(h) for h in rows[0]], rows=rows[1:], sheet="CSV")


# ---------------------------------------------------------------------------------------------------
# Import report


@dataclass
class ImportProblem:
    row: int | None  # spreadsheet row number (headers are row 1); None for the whole file
    column: str
    message: str

    def __str__(self):
        where = _("第 %(r)d 行") % {"r": self.row} if self.row else _("文件")
        if self.column:
            where += _("，「%(c)s」列") % {"c": self.column}
        return f"{where}：{self.message}"


@dataclass
class ImportReport:
    filename: str = ""
    dry_run: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def applied(self) -> bool:
        return self.ok and not self.dry_run

    def add(self, row, column, message):
        self.problems.append(ImportProblem(row, column, str(message)))


@dataclass(slots=True)
class RowPlan:
    number: int
    values: dict  # model attname -> value
    key: Any
    pk: int | None = None  # the existing record the row matched, None for a new one
    instance: Any = None  # loaded only when the row changes that record
    changed: list[str] = field(default_factory=list)


class _Abort(Exception):
    pass


MAX_REPORTED_PROBLEMS = 500
IMPORT_STEPS = 4


def _no_progress(done, total=None, message=""):
    pass


EXPORT_PROGRESS_ROWS = 1000


# ---------------------------------------------------------------------------------------------------
# The ledger


class Ledger:
    """Declare ``model``, ``sheet_name``, ``columns`` and ``key_field`` (the natural key)."""

    model: Any = None
    sheet_name: str = ""
    columns: list[Column] = []
    key_field: str = ""
    select_related: tuple[str, ...] = ()

    def __init__(self, user):
        self.user = user

    # --- export ----------------------------------------------------------------------------------

    @property
    def sees_full_id(self) -> bool:
        return permissions.sees_full_id(self.user)

    def export_queryset(self, queryset):
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def export(self, queryset, target: Path | None = None, progress: Callable | None = None) -> bytes | None:
        """The .xlsx of ``queryset``: returned as bytes, or written to the file ``target`` (a
        background export of 100,000 rows keeps only the current row in memory). ``progress(done,
        total)`` is told how far it has got every ``EXPORT_PROGRESS_ROWS`` rows."""
        # A ledger is a Chinese document whatever the reader's UI language: choice labels and
        # yes/no cells must read back through import.
        with translation.override("zh-hans"):
            return self._export(queryset, target, progress)

    def _export(self, queryset, target=None, progress=None) -> bytes | None:
        buffer = io.BytesIO() if target is None else None
        # ``in_memory`` (for the bytes) overrides constant-memory mode; a file target streams rows.
        workbook = xlsxwriter.Workbook(
            buffer if target is None else str(target),
            {"constant_memory": True, "in_memory": target is None, "default_date_format": "yyyy-mm-dd"},
        )
        total = queryset.count() if progress is not None else None
        if progress is not None:
            progress(0, total)
        sheet = workbook.add_worksheet(self.sheet_name)
        bold = workbook.add_format({"bold": True, "bg_color": "#E8F0E0", "border": 1})
        for col, column in enumerate(self.columns):
            sheet.write(0, col, column.header, bold)
            sheet.set_column(col, col, max(10, len(column.header) * 2 + 2))
        sheet.freeze_panes(1, 0)
        row = 1
        for record in self.export_queryset(queryset).iterator(chunk_size=2000):
            for col, column in enumerate(self.columns):
                value = column.export_value(record, self)
                if isinstance(value, bool):
                    value = _("是") if value else _("否")
                elif isinstance(value, list | tuple):
                    value = "、".join(str(v) for v in value)
                elif isinstance(value, decimal.Decimal):
                    value = float(value)
                elif isinstance(value, datetime.datetime):
                    value = timezone.localtime(value).replace(tzinfo=None)
                if value is None or value == "":
                    continue
                sheet.write(row, col, value)
            if progress is not None and row % EXPORT_PROGRESS_ROWS == 0:
                progress(row, total)
            row += 1
        if progress is not None:
            progress(row - 1, total)
        workbook.close()
        return buffer.getvalue() if buffer is not None else None

    def template(self) -> bytes:
        with translation.override("zh-hans"):
            return self._template()

    def _template(self) -> bytes:
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.sheet_name)
        head = workbook.add_format({"bold": True, "bg_color": "#E8F0E0", "border": 1})
        required = workbook.add_format({"bold": True, "bg_color": "#F8D7C8", "border": 1})
        text_format = workbook.add_format({"num_format": "@"})
        importable = [c for c in self.columns if c.importable]
        for col, column in enumerate(importable):
            sheet.write(
                0,
                col,
                column.header + ("*" if column.required else ""),
                required if column.required else head,
            )
            # Text format keeps ID numbers and phone numbers from turning into 1.5E+17.
            sheet.set_column(col, col, max(12, len(column.header) * 2 + 4), text_format)
            options = column.options
            if options and len("".join(options)) + len(options) < 250:
                sheet.data_validation(1, col, 10000, col, {"validate": "list", "source": options})
        sheet.freeze_panes(1, 0)
        notes = workbook.add_worksheet(_("填写说明"))
        for col, title in enumerate([_("列名"), _("是否必填"), _("填写要求"), _("示例")]):
            notes.write(0, col, title, head)
        notes.set_column(0, 0, 18)
        notes.set_column(1, 1, 10)
        notes.set_column(2, 2, 60)
        notes.set_column(3, 3, 30)
        for row, column in enumerate(importable, start=1):
            notes.write(row, 0, column.header)
            notes.write(row, 1, _("必填") if column.required else _("选填"))
            notes.write(
                row, 2, column.note or (_("可选：") + "、".join(column.options) if column.options else "")
            )
            notes.write_string(row, 3, column.example)
        key_header = next((c.header for c in self.columns if c.field == self.key_field), self.key_field)
        notes.write(
            len(importable) + 2,
            0,
            _("重复导入：按「%(k)s」匹配已有记录，相同内容不会重复创建。") % {"k": key_header},
        )
        workbook.close()
        return buffer.getvalue()

    # --- import ----------------------------------------------------------------------------------

    def import_file(
        self, data: bytes, filename: str, dry_run: bool = False, progress: Callable | None = None
    ) -> ImportReport:
        """Check every row of the file and, when all are good and this is no dry run, write them
        in one transaction. ``progress(step, IMPORT_STEPS, message)`` is told as each step starts
        (a background import shows it on its job page)."""
        # An import allocates a few dicts per row and frees none of them until it ends, so the cyclic
        # garbage collector would rescan the growing heap again and again for nothing to collect.
        collecting = gc.isenabled()
        gc.disable()
        try:
            with translation.override("zh-hans"):
                return self._import_file(data, filename, dry_run, progress or _no_progress)
        finally:
            if collecting:
                gc.enable()

    def _import_file(self, data: bytes, filename: str, dry_run: bool, progress: Callable) -> ImportReport:
        report = ImportReport(filename=filename, dry_run=dry_run)
        if not permissions.can_import(self.user, self.model):
            report.add(None, "", _("您没有导入此台账的权限"))
            return report
        if len(data) > settings.IMPORT_MAX_BYTES:
            report.add(None, "", _("文件超过 %(m)d MB 上限") % {"m": settings.IMPORT_MAX_BYTES // 1048576})
            return report
        try:
            progress(0, IMPORT_STEPS, _("读取文件"))
            table = read_table(data, filename, self.sheet_name)
            progress(1, IMPORT_STEPS, _("检查每一行"))
            plans = self._parse(table, report)
            progress(2, IMPORT_STEPS, _("与已有记录比对"))
            if report.ok:
                self._match(plans, report)
            if report.ok:
                self._check_unique(plans, report)
            if report.ok:
                self.validate_plans(plans, report)
            progress(3, IMPORT_STEPS, _("写入") if report.ok and not dry_run else _("汇总结果"))
            if report.ok and not dry_run:
                outer = audit.current_context()
                with (
                    transaction.atomic(),
                    audit.change_context(
                        user=self.user, source="import", remote_addr=outer.remote_addr
                    ) as ctx,
                ):
                    # Keep the request's id, so that the import's entries lead back to the upload.
                    ctx.request_id = outer.request_id
                    self.write(plans, report, filename)
        except LedgerFileError as exc:
            report.add(None, "", str(exc))
        except _Abort:
            pass
        if not report.ok:
            report.created = report.updated = report.unchanged = 0
        return report

    def prepare(self, table: Table) -> None:
        """Look at the whole file before its rows are parsed (for references between rows)."""

    def _parse(self, table: Table, report: ImportReport) -> list[RowPlan]:
        self.prepare(table)
        importable = [c for c in self.columns if c.importable]
        positions = {}
        for index, header in enumerate(table.headers):
            if header:
                positions.setdefault(header, index)
        missing = [c.header for c in importable if c.required and c.header not in positions]
        if missing:
            report.add(
                1,
                "",
                _("缺少必填列：%(cols)s（工作表「%(s)s」的第 1 行应为表头）")
                % {"cols": "、".join(missing), "s": table.sheet},
            )
            raise _Abort
        unknown = [h for h in positions if h not in {c.header for c in importable}]
        present = [(c, positions[c.header]) for c in importable if c.header in positions]
        foreign = [(c, i) for c, i in present if isinstance(c, ForeignColumn)]
        # Per column, once: where its cell is, how to parse it, and what an empty cell means (most
        # optional cells of a large file are empty; they need no parsing).
        specs = []
        for column, index in present:
            try:
                empty = column.parse(None)
            except CellError:
                empty = None
            specs.append((index, column.parse, column.required, column.field, column.header, empty))
        parsed = self._parse_by_column(table, specs)
        if parsed is None:
            # Some cell is refused: parse again cell by cell, row by row, for the messages.
            plans = self._parse_by_row(table, specs, report)
            if unknown and not plans and not report.problems:
                report.add(1, "", _("表头无法识别：%(h)s") % {"h": "、".join(unknown[:10])})
            if not plans and report.ok:
                report.add(None, "", _("文件中没有数据行"))
                raise _Abort
            unresolved = self._resolve_plans(plans, foreign, report)
        else:
            numbers, columns = parsed
            report.total += len(numbers)
            if unknown and not numbers and not report.problems:
                report.add(1, "", _("表头无法识别：%(h)s") % {"h": "、".join(unknown[:10])})
            if not numbers and report.ok:
                report.add(None, "", _("文件中没有数据行"))
                raise _Abort
            names = [spec[3] for spec in specs]
            unresolved = set()
            for column, _index in foreign:
                position = names.index(column.field)
                columns[position] = self._resolve_column(
                    column, columns[position], numbers, report, unresolved
                )
            plans = [
                RowPlan(number, dict(zip(names, row_values, strict=True)), None)
                for number, row_values in zip(numbers, zip(*columns, strict=True), strict=True)
            ]
        seen_keys: dict[Any, int] = {}
        problems = report.problems
        cleans = type(self).clean_row is not Ledger.clean_row
        plain_key = type(self).key_of is Ledger.key_of
        key_field = self.key_field
        for plan in plans:
            if plan.number in unresolved:
                # The row still holds the text that named no record; clean_row expects records.
                continue
            if cleans:
                try:
                    self.clean_row(plan.values)
                except CellError as exc:
                    header, message = exc.args if len(exc.args) == 2 else ("", exc.args[0])
                    report.add(plan.number, header, message)
                    continue
            key = plan.key = plan.values.get(key_field) if plain_key else self.key_of(plan.values)
            if key is None or key == "":
                report.add(plan.number, self.header_of(self.key_field), _("必填，不能为空"))
            elif key in seen_keys:
                report.add(
                    plan.number,
                    self.header_of(self.key_field),
                    _("与第 %(r)d 行重复：%(k)s") % {"r": seen_keys[key], "k": key},
                )
            else:
                seen_keys[key] = plan.number
            if len(problems) >= MAX_REPORTED_PROBLEMS:
                self._guard(report)
        return plans

    @staticmethod
    def _parse_by_column(table: Table, specs: list) -> tuple[list[int], list[list]] | None:
        """Every cell of every non-blank row parsed, column by column: (row numbers, one list of
        values per spec), or None when any cell is refused (nothing is reported)."""
        numbers = []
        rows = []
        for offset, raw_row in enumerate(table.rows):
            for cell in raw_row:  # a row is blank when every cell is; most rows end this at once
                if cell is None:
                    continue
                if type(cell) is str:
                    if cell and not cell.isspace():
                        break
                elif _as_text(cell) != "":
                    break
            else:
                continue
            numbers.append(offset + 2)
            rows.append(raw_row)
        if not rows:
            return numbers, [[] for _spec in specs]
        narrowest = min(map(len, rows))
        columns = []
        for index, parse, required, _name, _header, empty in specs:
            if index < narrowest:
                cells = list(map(operator.itemgetter(index), rows))
            else:
                cells = [row[index] if index < len(row) else None for row in rows]
            by_column = getattr(parse, "column", None)
            if by_column is not None:
                values = by_column(cells)
                if values is None:
                    return None
            else:
                values = []
                append = values.append
                fresh_list = type(empty) is list
                for raw in cells:
                    if raw is None or raw == "":
                        append([] if fresh_list else empty)
                        continue
                    try:
                        append(parse(raw))
                    except CellError:
                        return None
            if required and (None in values or "" in values or [] in values):
                return None
            columns.append(values)
        return numbers, columns

    def _parse_by_row(self, table: Table, specs: list, report: ImportReport) -> list[RowPlan]:
        plans: list[RowPlan] = []
        for offset, raw_row in enumerate(table.rows):
            number = offset + 2
            if all(cell is None or _as_text(cell) == "" for cell in raw_row):
                continue
            report.total += 1
            values: dict[str, Any] = {}
            row_ok = True
            width = len(raw_row)
            for index, parse, required, name, header, empty in specs:
                raw = raw_row[index] if index < width else None
                if raw is None or raw == "":
                    if required:
                        report.add(number, header, _("必填，不能为空"))
                        row_ok = False
                    else:
                        values[name] = [] if type(empty) is list else empty
                    continue
                try:
                    value = parse(raw)
                except CellError as exc:
                    report.add(number, header, str(exc))
                    row_ok = False
                    continue
                if required and (value is None or value == "" or value == []):
                    report.add(number, header, _("必填，不能为空"))
                    row_ok = False
                    continue
                values[name] = value
            if not row_ok:
                self._guard(report)
                continue
            plans.append(RowPlan(number=number, values=values, key=None))
        return plans

    @staticmethod
    def _resolve_plans(plans: list[RowPlan], foreign: list, report: ImportReport) -> set[int]:
        """Resolve references to other records: one query per referenced model, not one per row."""
        unresolved: set[int] = set()
        for column, _index in foreign:
            wanted = {p.values[column.field] for p in plans if p.values.get(column.field)}
            resolved = column.resolve(wanted) if wanted else {}
            for plan in plans:
                wanted_value = plan.values.get(column.field)
                if not wanted_value:
                    plan.values[column.field] = None
                    continue
                target = resolved[wanted_value]
                if isinstance(target, CellError):
                    report.add(plan.number, column.header, str(target))
                    unresolved.add(plan.number)
                else:
                    plan.values[column.field] = target
        return unresolved

    @staticmethod
    def _resolve_column(column, texts: list, numbers: list[int], report, unresolved: set) -> list:
        """As ``_resolve_plans``, on the parsed texts of one column: the records they name (None for
        an empty cell; the text itself, reported, where it names no record)."""
        wanted = set(texts)
        wanted.discard("")
        wanted.discard(None)
        resolved = column.resolve(wanted) if wanted else {}
        if not any(isinstance(target, CellError) for target in resolved.values()):
            return [resolved[text_value] if text_value else None for text_value in texts]
        values = []
        for number, text_value in zip(numbers, texts, strict=True):
            if not text_value:
                values.append(None)
                continue
            target = resolved[text_value]
            if isinstance(target, CellError):
                report.add(number, column.header, str(target))
                unresolved.add(number)
                values.append(text_value)
            else:
                values.append(target)
        return values

    def _guard(self, report):
        if len(report.problems) >= MAX_REPORTED_PROBLEMS:
            report.add(None, "", _("错误过多，仅列出前 %(n)d 条") % {"n": MAX_REPORTED_PROBLEMS})
            raise _Abort

    def header_of(self, field_name: str) -> str:
        return next((c.header for c in self.columns if c.field == field_name), field_name)

    def key_of(self, values: dict):
        return values.get(self.key_field)

    def clean_row(self, values: dict) -> None:
        """Cross-field rules; raise ``CellError(header, message)`` to refuse the row."""

    def _check_unique(self, plans: list[RowPlan], report: ImportReport) -> None:
        """Unique fields other than the key: no two rows, and no other record, may share a value."""
        for model_field in self.model._meta.concrete_fields:
            name = model_field.attname
            if not model_field.unique or model_field.primary_key or name == self.key_field:
                continue
            filled = [(p, p.values[name]) for p in plans if p.values.get(name) not in (None, "")]
            if not filled:
                continue
            header = self.header_of(name)
            first_row: dict = {}
            for plan, value in filled:
                if value in first_row:
                    report.add(
                        plan.number,
                        header,
                        _("与第 %(r)d 行重复：%(v)s") % {"r": first_row[value], "v": value},
                    )
                else:
                    first_row[value] = plan.number
            owners = {}
            for chunk in _chunks(list(first_row), 2000):
                owners.update(
                    {
                        v: k
                        for k, v in self.model.all_objects.filter(**{f"{name}__in": chunk}).values_list(
                            self.key_field, name
                        )
                    }
                )
            for plan, value in filled:
                if value in owners and owners[value] != plan.key:
                    report.add(
                        plan.number,
                        header,
                        _("%(v)s 已被另一条记录「%(o)s」使用") % {"v": value, "o": owners[value]},
                    )

    def validate_plans(self, plans: list[RowPlan], report: ImportReport) -> None:
        """Checks that need the whole file and the database, after rows are matched to records."""

    def existing_by_key(self, keys: list, compared: set[str]) -> dict:
        """The stored values of the records the file's keys name, as dicts keyed by attribute
        name: comparing values needs no model instances (a re-import compares 100,000 rows). Only
        the columns the file sets are read."""
        attnames = self._attnames()
        key_attname = attnames[self.key_field][0]
        names = {"id", key_attname, *(attnames[name][0] for name in compared)}
        if "deleted_at" in attnames:
            names.add("deleted_at")
        found = {}
        records = self.model.all_objects
        if len(keys) > 2000 and records.count() <= len(keys):
            # The file names at least as many records as the table holds (a first import, a
            # re-import): one read of the table costs less than preparing every key of an IN list.
            wanted = set(keys)
            for row in records.values(*names):
                if row[key_attname] in wanted:
                    found[row[key_attname]] = row
            return found
        for chunk in _chunks(keys, 2000):
            for row in records.filter(**{f"{self.key_field}__in": chunk}).values(*names):
                found[row[key_attname]] = row
        return found

    def _match(self, plans: list[RowPlan], report: ImportReport) -> None:
        compared = set().union(*(p.values.keys() for p in plans))
        existing = self.existing_by_key([p.key for p in plans], compared)
        # Imports are for operator roles, who may change every record; anyone else is checked
        # record by record.
        check_each = permissions.role_of(self.user) not in permissions.OPERATOR_ROLES
        attnames = self._attnames()
        for plan in plans:
            stored = existing.get(plan.key)
            if stored is None:
                report.created += 1
                continue
            if stored.get("deleted_at"):
                report.add(
                    plan.number,
                    self.header_of(self.key_field),
                    _("记录「%(k)s」已被删除，请先在回收站恢复后再导入") % {"k": plan.key},
                )
                continue
            if check_each and not permissions.can_change(
                self.user, self.model.all_objects.get(pk=stored["id"])
            ):
                report.add(
                    plan.number, self.header_of(self.key_field), _("无权修改记录「%(k)s」") % {"k": plan.key}
                )
                continue
            plan.pk = stored["id"]
            changed = plan.changed
            for name, value in plan.values.items():
                attname = attnames[name]
                current = stored[attname[0]]
                # Equal values (most of a re-import) need no closer look.
                if attname[1] or current != value:
                    if _differs(stored, attname, value):
                        changed.append(name)
            if plan.changed:
                report.updated += 1
            else:
                report.unchanged += 1

    def complete_rows(self, new_values: list[dict]) -> list[dict]:
        """``complete_row`` for every new row; rows parsed column by column share one key order,
        and are then completed without a call per row (a large import has 100,000 of them)."""
        if type(self).complete_row is not Ledger.complete_row or not new_values:
            return [self.complete_row(values) for values in new_values]
        keys = new_values[0].keys()
        if not all(values.keys() == keys for values in new_values):
            return [self.complete_row(values) for values in new_values]
        attnames, references = self._row_layout(tuple(keys))
        rows = [dict(zip(attnames, values.values(), strict=True)) for values in new_values]
        for attname in references:
            for row in rows:
                value = row[attname]
                if value is not None:
                    row[attname] = value.pk
        return rows

    def complete_row(self, values: dict) -> dict:
        """The stored values of a new record from a parsed row, keyed by attribute name (references
        become ids). Ledgers override it to derive fields, e.g. the birth date from an ID number."""
        layout = self._row_layout(tuple(values))
        attnames, references = layout
        row = dict(zip(attnames, values.values(), strict=True))
        for attname in references:
            value = row[attname]
            if value is not None:
                row[attname] = value.pk
        return row

    def _row_layout(self, names: tuple) -> tuple[tuple, tuple]:
        """For rows with these keys in this order: their attribute names, and those of references."""
        layouts = self.__dict__.setdefault("_row_layouts", {})
        try:
            return layouts[names]
        except KeyError:
            pass
        attnames = self._attnames()
        layout = (
            tuple(attnames[name][0] for name in names),
            tuple(attnames[name][0] for name in names if attnames[name][1]),
        )
        layouts[names] = layout
        return layout

    def _attnames(self) -> dict:
        if not hasattr(self, "_attname_map"):
            mapping = {}
            for model_field in self.model._meta.concrete_fields:
                mapping[model_field.name] = (model_field.attname, model_field.many_to_one)
                mapping[model_field.attname] = (model_field.attname, False)
            self._attname_map = mapping
        return self._attname_map

    def write(self, plans: list[RowPlan], report: ImportReport, filename: str) -> None:
        message = (_("导入 %(f)s") % {"f": filename})[:280]
        now = timezone.now()
        rows = self.complete_rows([p.values for p in plans if p.pk is None])
        # New rows skip model instances altogether (see core.bulk): at 100,000 rows building them
        # costs more than reading and checking the file.
        insert_audited_rows(self.model, rows, message, self._attnames().get(self.repr_field, (None,))[0], now)
        changed = [p for p in plans if p.pk is not None and p.changed]
        if changed:
            records = self.model.all_objects.in_bulk([p.pk for p in changed])
            for plan in changed:
                plan.instance = records[plan.pk]
            befores = {p.instance.pk: audit.snapshot(p.instance) for p in changed}
            fields = sorted({name for p in changed for name in p.changed} | {"updated_at"})
            for plan in changed:
                # Only what differs: the audit entry then shows exactly the cells that changed.
                for name in plan.changed:
                    setattr(plan.instance, name, plan.values[name])
                plan.instance.updated_at = now
            instances = [p.instance for p in changed]
            self.model.objects.bulk_update(instances, fields, batch_size=500)
            audit.record_changes(bulk_changes(instances, ChangeAction.UPDATE, message, befores))

    repr_field = "name"


def _differs(stored: dict, attname: tuple[str, bool], value) -> bool:
    """Whether storing ``value`` changes a record whose stored values are ``stored``."""
    name, is_reference = attname
    current = stored[name]
    if is_reference:
        return current != (value.pk if value is not None else None)
    if isinstance(value, list) and isinstance(current, list):
        # Multi-choice cells are parsed sorted; a form may have stored the same choices in another order.
        return sorted(map(str, value)) != sorted(map(str, current))
    return current != value


def bulk_changes(instances: Iterable, action: str, message: str, befores: dict | None = None) -> list:
    """Audit entries for rows written in bulk, built without a query per row."""
    ctx = audit.current_context()
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    user_name = user.get_username() if user else ctx.source
    content_type_id = None
    changes = []
    for instance in instances:
        if content_type_id is None:
            content_type_id = ContentType.objects.get_for_model(type(instance)).pk
        changes.append(
            ObjectChange(
                user=user,
                user_name=user_name,
                request_id=ctx.request_id,
                remote_addr=ctx.remote_addr,
                source=ctx.source,
                action=action,
                content_type_id=content_type_id,
                object_id=instance.pk,
                object_repr=str(instance)[:200],
                before=(befores or {}).get(instance.pk),
                after=audit.snapshot(instance),
                message=message,
            )
        )
    return changes


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
