"""The station operations ledgers (台账).

Records with a number (账目编号, 巡查编号 …) are matched on it; a daily report and an app check-in on
their (station, day), an asset-count line on its (visit, asset), an evaluation entry on its
(evaluation, station), a month on the month: ``PairKeyLedger`` gives the engine's one-field key
machinery a key of two parts.

The daily-report ledger is the large one (a year of 1,000 stations is 365,000 rows): its cells are
parsed column by column with memoised parsers (a day repeats for every station, amounts repeat), and
its checks run once per file (the frozen phases and locked months are read once).
"""

import datetime
from decimal import Decimal

from django.db import connections, models
from django.db.models import F, Window
from django.db.models.functions import Rank
from django.utils.translation import gettext as _

from muxiang.contracts.acceptance import frozen_phases
from muxiang.contracts.records import ContractRecordLedger, contract_column, frozen_message
from muxiang.core.ledgers import (
    MAX_REPORTED_PROBLEMS,
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    _as_text,
    boolean,
    choice,
    date_cell,
    decimal_number,
    integer,
    memo_column,
    multi_choice,
    parse_date_text,
    text,
)
from muxiang.operations.choices import (
    AssetCountResult,
    Award,
    InspectionKind,
    TrainingFormat,
    TrainingTopic,
    TransactionKind,
)
from muxiang.operations.models import (
    AppActivityMonth,
    AppCheckIn,
    AssetCountLine,
    EvaluationEntry,
    FixedAsset,
    InspectionProblem,
    ManagerTraining,
    ReportMonth,
    StationDailyReport,
    StationEvaluation,
    StationInspection,
    StationTransaction,
    station_open_problem,
)
from muxiang.operations.services import month_start, parse_month
from muxiang.stations.models import Station

ZERO = Decimal("0")

# ---------------------------------------------------------------------------------------------------
# Cells


def count_cell():
    """A whole number, not negative; an empty cell is 0 (as the form's default)."""
    strict = integer(min_value=0)

    def parse(raw):
        if raw is None or raw == "":
            return 0
        if type(raw) is bool:
            raise CellError(_("应为整数：%(v)s") % {"v": _as_text(raw)})
        if type(raw) is float and raw.is_integer() and raw >= 0:
            return int(raw)
        value = strict(raw)
        return 0 if value is None else value

    # Counts and amounts repeat (0, round sums): each distinct cell is parsed once.
    parse.column = memo_column(parse)
    return parse


def yuan_cell():
    """Yuan with at most two decimals, not negative; an empty cell is 0."""
    strict = decimal_number(2, min_value=ZERO)

    def parse(raw):
        if raw is None or raw == "":
            return ZERO
        if type(raw) is bool:
            raise CellError(_("应为数字：%(v)s") % {"v": _as_text(raw)})
        return strict(raw)

    # Counts and amounts repeat (0, round sums): each distinct cell is parsed once.
    parse.column = memo_column(parse)
    return parse


def day_cell(allow_future: bool = False):
    """A date (a date cell or text such as 2026-03-15); a date-time cell gives its date. Each
    distinct cell is parsed once per column (a day repeats for every station)."""
    strict = date_cell(allow_future=allow_future)

    def parse(raw):
        if isinstance(raw, str) and (" " in raw.strip() or "T" in raw):
            raw = parse_date_text(raw)
        return strict(raw)

    # A day repeats for every station: each distinct cell is parsed once.
    parse.column = memo_column(parse)
    return parse


def month_cell():
    def parse(raw):
        if isinstance(raw, datetime.datetime):
            return raw.date().replace(day=1)
        if isinstance(raw, datetime.date):
            return raw.replace(day=1)
        value = _as_text(raw)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            raise CellError(str(exc)) from exc

    return parse


def station_column(field="station", header="站点编号", required=True, **kwargs) -> ForeignColumn:
    return ForeignColumn(
        field,
        header,
        Station,
        keys=("code", "name"),
        required=required,
        note="站点编号，或不重名的站点名称",
        example="HLT-001",
        export=lambda record, ledger: getattr(record, field).code,
        **kwargs,
    )


def number_column(header: str, example: str) -> Column:
    return Column(
        "number", header, text(40), required=True, note="导入时必填，用于匹配已有记录", example=example
    )


def yuan(field, header, required=False):
    return Column(field, header, yuan_cell(), required=required, note="不能为负数，最多两位小数；空白为 0")


def count(field, header):
    return Column(field, header, count_cell(), note="不能为负数的整数；空白为 0")


def export_choices(field, choices):
    labels = dict(choices)
    return lambda record, ledger: "、".join(str(labels.get(v, v)) for v in getattr(record, field) or [])


# ---------------------------------------------------------------------------------------------------
# Keys of two parts


class PairKey(tuple):
    """A natural key of two parts, ``(station id, day)`` …, that reads as text in messages: the
    text is built only when a message needs it (an import builds 365,000 keys)."""

    def __new__(cls, first, second):
        # Records by their id (a plain attribute: ``pk`` is a property, slow at 365,000 calls).
        key = super().__new__(cls, (getattr(first, "id", first), getattr(second, "id", second)))
        key.parts = (first, second)
        return key

    def __str__(self):
        return " ".join(_label(part) for part in self.parts)


def _label(value) -> str:
    if isinstance(value, Station):
        return value.code
    if hasattr(value, "number"):
        return value.number
    if hasattr(value, "asset_number"):
        return value.asset_number
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class PairKeyLedger(Ledger):
    """A ledger whose natural key is two fields (``key_fields``). Only live records are matched: a
    deleted report does not stand in the way of a new one for the same day."""

    key_fields: tuple[str, str] = ("", "")

    def key_of(self, values):
        first_name, second_name = self.key_fields
        first, second = values.get(first_name), values.get(second_name)
        if first is None or second is None or first == "" or second == "":
            return None
        return PairKey(first, second)

    def existing_by_key(self, keys: list, compared: set[str]) -> dict:
        attnames = self._attnames()
        first_name, second_name = (attnames[name][0] for name in self.key_fields)
        names = [
            "id",
            first_name,
            second_name,
            *sorted({attnames[name][0] for name in compared} - {first_name, second_name}),
        ]
        firsts = sorted({key[0] for key in keys})
        seconds = [key[1] for key in keys]
        records = self.model.objects.all()
        if seconds and all(isinstance(s, datetime.date) for s in seconds):
            # One read of the file's date range (a year of reports is one range scan).
            records = records.filter(**{f"{second_name}__range": (min(seconds), max(seconds))})
        if len(firsts) <= 2000:
            records = records.filter(**{f"{first_name}__in": firsts})
        wanted = set(keys)
        found = {}
        for row in stored_rows(records, names):
            key = (row[first_name], row[second_name])
            if key in wanted:
                found[key] = row
        return found


def stored_rows(queryset, names: list[str]):
    """The stored values of ``names`` of the rows of ``queryset``, as dicts, read through the
    database cursor: on SQLite Django converts every decimal of every row one call at a time, which
    for a year of reports costs more than the rest of a re-import; here each distinct stored
    amount is converted once."""
    connection = connections[queryset.db]
    fields = {f.attname: f for f in queryset.model._meta.concrete_fields}
    if connection.vendor != "sqlite":
        yield from queryset.values(*names).iterator(chunk_size=5000)
        return
    converters = []
    for name in names:
        field = fields[name]
        if isinstance(field, models.DateTimeField):
            yield from queryset.values(*names).iterator(chunk_size=5000)
            return
        # sqlite3 itself gives dates and yes/no (Django registers those converters); decimals come
        # as the stored number.
        converters.append(
            _decimal_of(field.decimal_places) if isinstance(field, models.DecimalField) else None
        )
    sql, params = queryset.values_list(*names).query.sql_with_params()
    # (position, memo of converted values, conversion) of the decimal columns.
    converting = [(i, {}, c) for i, c in enumerate(converters) if c is not None]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            for raw in batch:
                row = list(raw)
                for index, memo, convert in converting:
                    value = row[index]
                    if value is not None:
                        try:
                            row[index] = memo[value]
                        except KeyError:
                            row[index] = memo[value] = convert(value)
                yield dict(zip(names, row, strict=True))


def _decimal_of(places: int):
    unit = Decimal(1).scaleb(-places)
    return lambda value: Decimal(str(value)).quantize(unit)


# ---------------------------------------------------------------------------------------------------
# Station-dated records: frozen phases, locked months, opening dates


class StationDatedLedger(Ledger):
    """Checks shared by the ledgers of a station's dated records, once per file: the day must fall
    while the station is open, and not in an accepted phase of any contract."""

    date_field = "day"

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        frozen = list(frozen_phases())
        header = self.header_of(self.date_field)
        station_header = self.header_of("station")
        date_field = self.date_field
        check_plan = self.check_plan
        problems = report.problems
        for plan in plans:
            if len(problems) >= MAX_REPORTED_PROBLEMS:
                report.add(None, "", _("错误过多，仅列出前 %(n)d 条") % {"n": MAX_REPORTED_PROBLEMS})
                return
            values = plan.values
            station, day = values.get("station"), values.get(date_field)
            if station is None or day is None:
                continue
            opened, closed = station.opened_on, station.closed_on
            if opened is None or day < opened or (closed is not None and day >= closed):
                column = header if opened else station_header
                report.add(plan.number, column, station_open_problem(station, day))
                continue
            if frozen:
                phase = next((p for p in frozen if p.start <= day <= p.end), None)
                if phase is not None:
                    report.add(plan.number, header, frozen_message(day, phase))
                    continue
            check_plan(plan, report)

    def check_plan(self, plan, report) -> None:
        """Further checks of one row (after the station and the day passed)."""


# ---------------------------------------------------------------------------------------------------
# Daily reports


class StationDailyReportLedger(PairKeyLedger, StationDatedLedger):
    """Daily reports, matched on (station, day): a second row for the same station and day in one
    file is refused; a row for a stored report updates it (until it is locked)."""

    model = StationDailyReport
    sheet_name = "站点日报"
    key_fields = ("station", "day")
    key_field = "day"
    repr_field = "day"
    select_related = ("station",)
    columns = [
        station_column(),
        Column(
            "day",
            "日期",
            day_cell(allow_future=False),
            required=True,
            note="不晚于今天，不早于站点开业日期",
            example="2026-03-15",
        ),
        count("proxy_buying_orders", "代买单数"),
        yuan("proxy_buying_amount", "代买金额（元）"),
        count("proxy_selling_orders", "代卖单数"),
        yuan("proxy_selling_amount", "代卖金额（元）"),
        yuan("farm_product_amount", "其中农产品金额（元）"),
        count("parcels_sent", "寄出快递（件）"),
        count("parcels_received", "收到快递（件）"),
        count("villagers_served", "服务村民（人次）"),
        count("convenience_services", "便民服务（笔）"),
        count("poor_households", "带动贫困户（户）"),
        Column("note", "备注", text(200)),
    ]

    def validate_plans(self, plans, report):
        self._locked = {
            month: True
            for month in ReportMonth.objects.filter(sent_at__isnull=False).values_list("month", flat=True)
        }
        super().validate_plans(plans, report)

    def check_plan(self, plan, report):
        values = plan.values
        day = values["day"]
        if self._locked and month_start(day) in self._locked:
            report.add(
                plan.number,
                self.header_of("day"),
                _("%(m)s 的日报已报送商务部平台，已锁定") % {"m": f"{day:%Y-%m}"},
            )
            return
        farm, selling = values.get("farm_product_amount"), values.get("proxy_selling_amount")
        if farm and selling is not None and farm > selling:
            report.add(
                plan.number,
                self.header_of("farm_product_amount"),
                _("农产品金额 %(f)s 不能大于代卖金额 %(s)s") % {"f": farm, "s": selling},
            )


class ReportMonthLedger(Ledger):
    """Months of daily reports, matched on the month; 报送平台时间 is set by the ministry adapter."""

    model = ReportMonth
    sheet_name = "日报月度报送"
    key_field = "month"
    repr_field = "month"
    columns = [
        Column(
            "month",
            "月份",
            month_cell(),
            required=True,
            note="如 2026-03",
            example="2026-03",
            export=lambda r, ledger: f"{r.month:%Y-%m}",
        ),
        Column(
            "sent_at",
            "报送平台时间",
            importable=False,
            export=lambda r, ledger: r.sent_at or "",
        ),
        Column("note", "备注", text(300)),
    ]


# ---------------------------------------------------------------------------------------------------
# Premium stations' transactions


class StationTransactionLedger(StationDatedLedger):
    """Transaction ledger lines, matched on the 账目编号."""

    model = StationTransaction
    sheet_name = "精品站点交易"
    key_field = "number"
    repr_field = "number"
    select_related = ("station",)
    columns = [
        number_column("账目编号", "JY-202603-001"),
        station_column(),
        Column("day", "交易日期", day_cell(), required=True, note="不晚于今天", example="2026-03-15"),
        Column(
            "kind",
            "交易类型",
            choice(TransactionKind),
            required=True,
            options=[str(c.label) for c in TransactionKind],
        ),
        Column("goods", "商品或服务", text(200), required=True, example="羊肉 20 斤"),
        Column("counterparty", "交易对象", text(100)),
        Column(
            "amount",
            "金额（元）",
            decimal_number(2, min_value=Decimal("0.01")),
            required=True,
            note="大于 0，最多两位小数",
        ),
        Column("note", "备注", text(300)),
    ]


# ---------------------------------------------------------------------------------------------------
# Inspections, problems, assets


class StationInspectionLedger(ContractRecordLedger):
    """Inspection visits, matched on the 巡查编号."""

    model = StationInspection
    sheet_name = "站点巡查"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "station")
    columns = [
        number_column("巡查编号", "XC-202603-001"),
        contract_column(),
        station_column(),
        Column("visited_on", "巡查日期", day_cell(), required=True, note="不晚于今天", example="2026-03-15"),
        Column(
            "kinds",
            "巡查类型",
            multi_choice(InspectionKind),
            required=True,
            note="可多选，用顿号分隔：一对一指导、站点巡查、固定资产盘点",
            example="站点巡查、固定资产盘点",
            export=export_choices("kinds", InspectionKind.choices),
        ),
        Column("inspector", "巡查人", text(100), required=True),
        *(
            Column(
                name,
                str(StationInspection._meta.get_field(name).verbose_name),
                boolean(),
                options=["是", "否"],
            )
            for name in StationInspection.CHECKLIST
        ),
        Column("latitude", "纬度", decimal_number(6, min_value=-90, max_value=90)),
        Column("longitude", "经度", decimal_number(6, min_value=-180, max_value=180)),
        Column("location_accuracy", "定位精度（米）", integer(min_value=0)),
        Column("findings", "巡查情况", text(5000)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        if (values.get("latitude") is None) != (values.get("longitude") is None):
            raise CellError("经度", _("经纬度需同时填写"))
        station, day = values.get("station"), values.get("visited_on")
        if station is not None and day is not None and station.closed_on and day >= station.closed_on:
            raise CellError("巡查日期", station_open_problem(station, day))


class InspectionProblemLedger(Ledger):
    """Problems found and their corrective actions, matched on the 问题编号."""

    model = InspectionProblem
    sheet_name = "巡查问题"
    key_field = "number"
    repr_field = "number"
    select_related = ("inspection",)
    columns = [
        Column("number", "问题编号", text(50), required=True, note="导入时必填", example="XC-202603-001-01"),
        ForeignColumn(
            "inspection",
            "巡查编号",
            StationInspection,
            keys=("number",),
            required=True,
            example="XC-202603-001",
            export=lambda r, ledger: r.inspection.number,
        ),
        Column("description", "发现的问题", text(300), required=True, example="门头标识褪色"),
        Column("corrective_action", "整改措施", text(300), example="更换门头标识"),
        Column("due_on", "整改期限", date_cell(allow_future=True), example="2026-04-15"),
        Column("closed_on", "整改完成日期", date_cell(allow_future=False)),
        Column("closure_note", "整改情况", text(300)),
    ]

    def clean_row(self, values):
        visited = values["inspection"].visited_on
        for name, header in (("due_on", "整改期限"), ("closed_on", "整改完成日期")):
            if values.get(name) and values[name] < visited:
                raise CellError(header, _("不能早于巡查日期 %(d)s") % {"d": visited.isoformat()})
        if values.get("closed_on") and not values.get("corrective_action"):
            raise CellError("整改措施", _("整改完成的问题须写明整改措施"))


class FixedAssetLedger(Ledger):
    """The stations' fixed assets, matched on the 资产编号."""

    model = FixedAsset
    sheet_name = "固定资产"
    key_field = "asset_number"
    repr_field = "asset_number"
    select_related = ("station",)
    columns = [
        Column("asset_number", "资产编号", text(60), required=True, example="ZD-HLT-001"),
        station_column(),
        Column("name", "资产名称", text(200), required=True, example="电脑一体机"),
        Column("serial_number", "序列号", text(100)),
        Column("value", "价值（元）", decimal_number(2, min_value=ZERO), note="不能为负数，最多两位小数"),
        Column("programme_funded", "项目资金购置", boolean(), options=["是", "否"]),
        Column("acquired_on", "配置日期", date_cell(allow_future=False)),
        Column("disposed_on", "报废/移交日期", date_cell(allow_future=True)),
        Column("note", "备注", text(300)),
    ]

    def clean_row(self, values):
        if values.get("value") is None:
            values["value"] = ZERO
        if values.get("programme_funded") is None:
            values["programme_funded"] = False
        acquired, disposed = values.get("acquired_on"), values.get("disposed_on")
        if acquired and disposed and disposed < acquired:
            raise CellError("报废/移交日期", _("报废/移交日期不能早于配置日期"))


class AssetCountLineLedger(PairKeyLedger):
    """What visits found of each asset, matched on (巡查编号, 资产编号)."""

    model = AssetCountLine
    sheet_name = "资产盘点"
    key_fields = ("inspection", "asset")
    key_field = "asset"
    repr_field = "result"
    select_related = ("inspection", "asset")
    columns = [
        ForeignColumn(
            "inspection",
            "巡查编号",
            StationInspection,
            keys=("number",),
            required=True,
            example="XC-202603-001",
            export=lambda r, ledger: r.inspection.number,
        ),
        ForeignColumn(
            "asset",
            "资产编号",
            FixedAsset,
            keys=("asset_number",),
            required=True,
            example="ZD-HLT-001",
            export=lambda r, ledger: r.asset.asset_number,
        ),
        Column(
            "result",
            "盘点结果",
            choice(AssetCountResult),
            required=True,
            options=[str(c.label) for c in AssetCountResult],
        ),
        Column("note", "备注", text(200)),
    ]

    def clean_row(self, values):
        inspection, asset = values["inspection"], values["asset"]
        if asset.station_id != inspection.station_id:
            raise CellError("资产编号", _("资产「%(a)s」不属于被巡查的站点") % {"a": asset.asset_number})
        if not inspection.counts_assets:
            raise CellError("巡查编号", _("巡查「%(n)s」的类型不含固定资产盘点") % {"n": inspection.number})
        problem = inspection.frozen_problem()
        if problem:
            raise CellError("巡查编号", problem)


# ---------------------------------------------------------------------------------------------------
# Trainings and evaluations


class ManagerTrainingLedger(ContractRecordLedger):
    """Station-manager trainings, matched on the 培训编号."""

    model = ManagerTraining
    sheet_name = "站点负责人培训"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract",)
    columns = [
        number_column("培训编号", "ZP-202603-001"),
        contract_column(),
        Column("title", "培训主题", text(200), required=True, example="站点数据报送培训"),
        Column("held_on", "培训日期", day_cell(), required=True, note="不晚于今天", example="2026-03-15"),
        Column(
            "topics",
            "培训内容",
            multi_choice(TrainingTopic),
            note="可多选，用顿号分隔：站点业务、上行店铺指导、数据报送、智慧乡村APP、其他",
            export=export_choices("topics", TrainingTopic.choices),
        ),
        Column(
            "format",
            "培训形式",
            choice(TrainingFormat),
            required=True,
            options=[str(c.label) for c in TrainingFormat],
        ),
        Column("location", "地点", text(200)),
        Column("trainer", "授课人", text(100)),
        Column("attendees", "参训站点负责人（人）", count_cell(), note="不能为负数的整数"),
        Column("note", "备注", text(300)),
    ]


class StationEvaluationLedger(ContractRecordLedger):
    """Station evaluations, matched on the 评选编号."""

    model = StationEvaluation
    sheet_name = "站点综合评选"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract",)
    columns = [
        number_column("评选编号", "PX-202603-001"),
        contract_column(),
        Column("title", "评选名称", text(200), required=True, example="2026 年度十佳电商服务站评选"),
        Column("held_on", "评选日期", day_cell(), required=True, note="公布结果的日期，不晚于今天"),
        Column(
            "criteria",
            "评选标准",
            text(5000),
            required=True,
            example="交易额 40%；服务人次 30%；日报完整率 30%",
        ),
        Column("summary", "工作总结", text(5000)),
    ]


class EvaluationEntryLedger(PairKeyLedger):
    """Scores of stations in evaluations, matched on (评选编号, 站点编号); the rank is exported, never
    read: it follows from the scores."""

    model = EvaluationEntry
    sheet_name = "评选得分"
    key_fields = ("evaluation", "station")
    key_field = "station"
    repr_field = "score"
    select_related = ("evaluation", "station")
    columns = [
        ForeignColumn(
            "evaluation",
            "评选编号",
            StationEvaluation,
            keys=("number",),
            required=True,
            example="PX-202603-001",
            export=lambda r, ledger: r.evaluation.number,
        ),
        station_column(),
        Column(
            "score",
            "得分",
            decimal_number(2, min_value=ZERO, max_value=Decimal(100)),
            required=True,
            note="0–100",
        ),
        Column("award", "奖项", choice(Award), options=[str(c.label) for c in Award]),
        Column("note", "评语", text(300)),
        Column("rank", "名次", importable=False, export=lambda r, ledger: getattr(r, "rank", "")),
    ]

    def export_queryset(self, queryset):
        return (
            super()
            .export_queryset(queryset)
            .annotate(rank=Window(Rank(), partition_by=[F("evaluation_id")], order_by=F("score").desc()))
        )

    def clean_row(self, values):
        problem = values["evaluation"].frozen_problem()
        if problem:
            raise CellError("评选编号", problem)


# ---------------------------------------------------------------------------------------------------
# App activity


class AppCheckInLedger(PairKeyLedger, StationDatedLedger):
    """The app's check-in export, matched on (station, day). The app lists every check-in; several
    of one station on one day are one row here, so the export is imported as it comes."""

    model = AppCheckIn
    sheet_name = "APP签到"
    key_fields = ("station", "day")
    key_field = "day"
    repr_field = "day"
    select_related = ("station",)
    columns = [
        station_column(),
        Column(
            "day",
            "签到日期",
            day_cell(allow_future=False),
            required=True,
            note="日期，或签到时间（如 2026-03-15 08:30）",
            example="2026-03-15",
        ),
    ]

    def prepare(self, table):
        """Drop repeated check-ins of one station on one day before the rows are parsed."""
        headers = {header: index for index, header in enumerate(table.headers)}
        station_at, day_at = headers.get("站点编号"), headers.get("签到日期")
        if station_at is None or day_at is None:
            return
        parse = day_cell(allow_future=True)
        seen = set()
        for position, row in enumerate(table.rows):
            station = _as_text(row[station_at]) if station_at < len(row) else ""
            raw = row[day_at] if day_at < len(row) else None
            try:
                day = parse(raw)
            except (CellError, TypeError):
                day = _as_text(raw)
            if station and day:
                if (station, day) in seen:
                    # Blanked rather than removed, so that every other row keeps its number.
                    table.rows[position] = [None] * len(row)
                    continue
                seen.add((station, day))


class AppActivityMonthLedger(Ledger):
    """Months of app activity, matched on the month (the screenshot is uploaded on the page)."""

    model = AppActivityMonth
    sheet_name = "APP月度活跃"
    key_field = "month"
    repr_field = "month"
    columns = [
        Column(
            "month",
            "月份",
            month_cell(),
            required=True,
            example="2026-03",
            export=lambda r, ledger: f"{r.month:%Y-%m}",
        ),
        Column("note", "备注", text(300)),
    ]
