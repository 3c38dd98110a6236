"""The training ledgers (台账), above all the sign-in sheet import.

A sign-in sheet (签到表) names people the way trainers write them down: 姓名, 手机号, sometimes the
身份证号, 村/嘎查 and whether the household is poor. ``TraineeColumns`` finds each row's person in
the people registry by ID number when given, else by mobile (and the name, when one mobile is shared
by a family), with the people read once per file; a row whose person cannot be found, or whose name
differs from the registered one, is reported, never guessed and never created.

Two ledgers have a natural key of two fields — attendance (session, person) and outcomes (person,
year) — and two more key on two fields of their own (textbooks: title and version; merchant counts:
contract and year); ``CompositeKeyLedger`` matches them.
"""

import datetime
import decimal
import operator

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from muxiang.contracts.models import Contract
from muxiang.contracts.records import ContractRecordLedger, contract_column
from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    boolean,
    checked,
    choice,
    date_cell,
    decimal_number,
    integer,
    multi_choice,
    text,
)
from muxiang.core.validators import (
    id_number_accepter,
    id_number_problem,
    mask_id_number,
    mobile_accepter,
    mobile_problem,
    normalise_id_number,
)
from muxiang.organisations.models import Organisation
from muxiang.people.models import Person
from muxiang.stations.models import Station
from muxiang.training import services
from muxiang.training.choices import TrainingAudience, TrainingLevel, TrainingTopic, VisitMethod
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    Textbook,
    TraineeOutcome,
    TrainingSession,
)

CHUNK = 2000


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def cell_text(raw) -> str:
    """A raw cell as the text parsers read it (calamine gives 13800000000.0 for a phone number)."""
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def day(field: str, header: str, **kwargs) -> Column:
    return Column(
        field,
        header,
        date_cell(allow_future=False),
        required=True,
        note="不晚于今天",
        example="2026-03-15",
        **kwargs,
    )


def optional_yes_no():
    """是/否, where an empty cell stays empty (None): the sign-in sheet's 贫困户 column left blank
    means "as the person is registered", not "no"."""
    answer = boolean()

    def parse(raw):
        if raw is None or (type(raw) is str and not raw.strip()):
            return None
        return answer(raw)

    def column(cells):
        memo: dict = {}
        values = []
        append = values.append
        for raw in cells:
            try:
                append(memo[raw])
                continue
            except (KeyError, TypeError):
                pass
            try:
                value = parse(raw)
            except CellError:
                return None
            if raw is None or type(raw) is str:
                memo[raw] = value
            append(value)
        return values

    parse.column = column
    return parse


def _person_id_number(record, ledger) -> str:
    if not record.person_id:
        return ""
    number = record.person.id_number
    return number if ledger.sees_full_id else mask_id_number(number)


def _url_problem(value: str) -> str | None:
    try:
        URLValidator()(value)
    except ValidationError:
        return _("链接格式不正确，应以 http:// 或 https:// 开头：%(v)s") % {"v": value}
    return None


# ---------------------------------------------------------------------------------------------------
# Natural keys of two fields


class RowKey(tuple):
    """A natural key of several fields (their stored values) and, last, how it reads in a message
    ("PX-20260315-01 乌云"): rows of one file with the same fields have the same reading."""

    __slots__ = ()

    def __str__(self):
        return self[-1]


class CompositeKeyLedger(ContractRecordLedger):
    """A ledger whose records are matched on ``key_fields`` together. A live record wins over
    deleted ones with the same key (the models' uniqueness holds among live records only); a key
    only deleted records hold is reported by the engine (restore it first)."""

    key_fields: tuple[str, ...] = ()

    def key_label(self, values: dict) -> str:
        raise NotImplementedError

    def key_of(self, values):
        parts = []
        for name in self.key_fields:
            value = values.get(name)
            if value is None or value == "":
                return None
            parts.append(getattr(value, "pk", value))
        parts.append(self.key_label(values))
        return RowKey(parts)

    def existing_by_key(self, keys: list, compared: set[str]) -> dict:
        attnames = self._attnames()
        key_names = [attnames[name][0] for name in self.key_fields]
        names = {"id", "deleted_at", *key_names, *(attnames[name][0] for name in compared)}
        first = key_names[0]
        stored: dict[tuple, dict] = {}
        # One query per 2,000 distinct values of the first field (an attendance file names a few
        # hundred sessions however many rows it has).
        for chunk in _chunks(sorted({key[0] for key in keys})):
            rows = self.model.all_objects.filter(**{f"{first}__in": chunk}).order_by().values(*names)
            for row in rows:
                parts = tuple(row[name] for name in key_names)
                held = stored.get(parts)
                if held is None or held["deleted_at"] is not None:
                    stored[parts] = row
        width = len(key_names)
        found = {}
        for key in keys:
            row = stored.get(key[:width])
            if row is not None:
                found[key] = row
        return found


# ---------------------------------------------------------------------------------------------------
# Finding people by the columns of a sign-in sheet


class PersonRef(tuple):
    """What an import needs of a registered person: the row the people query gives, read by name
    (50,000 of them for a big sheet, so no model instances)."""

    __slots__ = ()

    pk = property(operator.itemgetter(0))
    name = property(operator.itemgetter(1))
    id_number = property(operator.itemgetter(2))
    mobile = property(operator.itemgetter(3))
    poor_household = property(operator.itemgetter(4))


PERSON_FIELDS = ("pk", "name", "id_number", "mobile", "poor_household")


def _same_name(name: str) -> str:
    return "".join(name.split())


class TraineeColumns:
    """Mix into a ledger with the 姓名 column on field ``person``, and 身份证号 and 手机号 columns: the
    person is found by ID number if the row gives one, else by mobile; the registered name must be
    the sheet's. The registry is read once per file (``prepare``): one scan of the people when the
    file is long, else one query per column of 2,000 values."""

    name_header = "姓名"
    id_header = "身份证号"
    mobile_header = "手机号"
    person_required = True

    @classmethod
    def person_columns(cls) -> list[Column]:
        return [
            Column(
                "person",
                cls.name_header,
                text(50),
                required=cls.person_required,
                note="须与人员台账登记的姓名一致",
                example="乌云",
                export=lambda record, ledger: record.person.name if record.person_id else "",
            ),
            Column(
                "id_number",
                cls.id_header,
                checked(id_number_problem, normalise_id_number, id_number_accepter),
                note="填写则按身份证号查找人员；请将单元格设为文本格式",
                example="150824198805120021",
                export=_person_id_number,
            ),
            Column(
                "mobile",
                cls.mobile_header,
                checked(mobile_problem, accepter=mobile_accepter),
                note="未填身份证号时按手机号（及姓名）查找人员",
                example="13847800011",
                export=lambda record, ledger: record.person.mobile if record.person_id else "",
            ),
        ]

    def prepare(self, table):
        super().prepare(table)
        # Unordered: sorting 50,000 people by name would cost more than reading them.
        people = Person.objects.order_by().values_list(*PERSON_FIELDS)
        if len(table.rows) > CHUNK and people.count() <= 20 * len(table.rows):
            # A long sheet names a good share of the registry: one read of the table costs less
            # than collecting the sheet's numbers and preparing every one of them for an IN list.
            rows = list(people)
        else:
            positions: dict[str, int] = {}
            for index, header in enumerate(table.headers):
                positions.setdefault(header, index)
            rows = []
            ids = self._distinct(table, positions.get(self.id_header), normalise_id_number)
            for chunk in _chunks(sorted(ids)):
                rows.extend(people.filter(id_number__in=chunk))
            mobiles = self._distinct(table, positions.get(self.mobile_header), str)
            for chunk in _chunks(sorted(mobiles)):
                rows.extend(people.filter(mobile__in=chunk))
        self._index_people(rows)

    @staticmethod
    def _distinct(table, index: int | None, normalise) -> set[str]:
        if index is None:
            return set()
        raw = {row[index] for row in table.rows if index < len(row)}
        values = {normalise(cell_text(cell)) for cell in raw if not isinstance(cell, datetime.date | bool)}
        values.discard("")
        return values

    def _index_people(self, rows: list[tuple]) -> None:
        new = tuple.__new__
        people = {row[0]: new(PersonRef, row) for row in rows}.values()
        self._by_id = {p[2]: p for p in people if p[2]}
        by_mobile: dict[str, PersonRef] = {}
        # A mobile shared in a family names several people: the name then tells them apart.
        shared: dict[str, list[PersonRef]] = {}
        for person in people:
            mobile = person[3]
            if not mobile:
                continue
            if mobile in by_mobile:
                shared.setdefault(mobile, [by_mobile[mobile]]).append(person)
            else:
                by_mobile[mobile] = person
        self._by_mobile = by_mobile
        self._shared_mobiles = shared
        self._names = {person[0]: person[1] for person in people}

    def take_person(self, values: dict) -> PersonRef | None:
        """``match_person``, the row then naming the person by id (``person_id``): the engine
        stores an id as it is, without looking for a record's ``pk`` on each of 100,000 rows."""
        person = self.match_person(values)
        del values["person"]
        values["person_id"] = person[0] if person is not None else None
        return person

    def match_person(self, values: dict) -> PersonRef | None:
        """The person the row names (``values`` loses its 身份证号 and 手机号 cells), or None when the
        row names nobody and the ledger allows it; else ``CellError`` naming the column."""
        name = values.get("person") or ""
        id_number = values.pop("id_number", "") or ""
        mobile = values.pop("mobile", "") or ""
        # The common case first, in few steps (a big sheet has 100,000 rows): the number's one
        # registered person, under the sheet's name.
        if id_number:
            person = self._by_id.get(id_number)
        elif mobile and mobile not in self._shared_mobiles:
            person = self._by_mobile.get(mobile)
        else:
            person = None
        if person is not None and person[1] == name:
            return person
        return self._match_slowly(name, id_number, mobile)

    def _match_slowly(self, name: str, id_number: str, mobile: str) -> PersonRef | None:
        """``match_person`` for everything but the common case, with the messages."""
        if id_number:
            person = self._by_id.get(id_number)
            if person is None:
                raise CellError(
                    self.id_header,
                    _("人员台账中没有身份证号为 %(n)s 的人员，请先登记该人员") % {"n": id_number},
                )
            if name and person.name != name and _same_name(person.name) != _same_name(name):
                raise CellError(
                    self.name_header,
                    _("身份证号 %(n)s 登记的姓名是「%(r)s」，与表中的「%(s)s」不符，请核对")
                    % {"n": id_number, "r": person.name, "s": name},
                )
            return person
        if mobile:
            holder = self._by_mobile.get(mobile)
            if holder is not None and mobile not in self._shared_mobiles:
                if name and holder.name != name and _same_name(holder.name) != _same_name(name):
                    raise CellError(
                        self.name_header,
                        _("手机号 %(m)s 登记的是「%(r)s」，与表中的「%(s)s」不符，请核对或填写身份证号")
                        % {"m": mobile, "r": holder.name, "s": name},
                    )
                return holder
            holders = self._shared_mobiles.get(mobile, [])
            if not holders:
                raise CellError(
                    self.mobile_header,
                    _("人员台账中没有手机号为 %(m)s 的人员，请先登记该人员或填写身份证号") % {"m": mobile},
                )
            same = [
                p for p in holders if not name or p.name == name or _same_name(p.name) == _same_name(name)
            ]
            if len(same) == 1:
                return same[0]
            if not same:
                raise CellError(
                    self.name_header,
                    _("手机号 %(m)s 登记的是「%(r)s」，与表中的「%(s)s」不符，请核对或填写身份证号")
                    % {"m": mobile, "r": "、".join(p.name for p in holders), "s": name},
                )
            raise CellError(
                self.mobile_header,
                _("手机号 %(m)s 登记了多名人员（%(r)s），请填写身份证号")
                % {"m": mobile, "r": "、".join(p.name for p in same)},
            )
        if self.person_required or name:
            raise CellError(self.mobile_header, _("请填写身份证号或手机号，以便在人员台账中找到该人员"))
        return None


# ---------------------------------------------------------------------------------------------------
# The ledgers


class TrainingSessionLedger(ContractRecordLedger):
    """Sessions, matched on the session code that the sign-in sheets name."""

    model = TrainingSession
    sheet_name = "培训场次"
    key_field = "code"
    repr_field = "code"
    select_related = ("contract", "station")
    columns = [
        contract_column(),
        Column(
            "code",
            "场次编号",
            text(30),
            required=True,
            note="签到表按此编号对应场次",
            example="PX-20260315-01",
        ),
        Column("title", "培训名称", text(200), required=True, example="直播带货实操培训（第一期）"),
        Column(
            "topic",
            "培训内容",
            choice(TrainingTopic),
            required=True,
            options=[str(label) for label in TrainingTopic.labels],
        ),
        Column(
            "level",
            "培训类别",
            choice(TrainingLevel),
            required=True,
            options=[str(label) for label in TrainingLevel.labels],
        ),
        Column(
            "audiences",
            "培训对象",
            multi_choice(TrainingAudience),
            note="可多选，用顿号分隔：" + "、".join(str(label) for label in TrainingAudience.labels),
            example="农牧民、合作社成员",
            export=lambda s, ledger: s.get_audiences_display(),
        ),
        Column("held_on", "培训日期", date_cell(), required=True, example="2026-03-15"),
        Column("place", "培训地点", text(200), required=True, example="乌拉特中旗电子商务公共服务中心"),
        Column("teacher", "授课老师", text(100), required=True, example="王老师"),
        ForeignColumn("station", "举办站点编号", Station, keys=("code",), note="在站点举办时填写"),
        Column("notes", "备注", text(300)),
    ]

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        today = timezone.localdate()
        ahead = {p.pk: p for p in plans if p.pk is not None and p.values["held_on"] > today}
        # One query for the whole file: which of the sessions moved past today have attendance.
        attended = Attendance.objects.filter(session_id__in=list(ahead)).values_list("session_id", flat=True)
        for session_id in set(attended):
            report.add(ahead[session_id].number, "培训日期", _("该场次已有签到记录，日期不能改到今天以后"))

    def write(self, plans, report, filename):
        super().write(plans, report, filename)
        # The bulk update bypasses TrainingSession.save(): the attendance takes the new date here.
        moved = [p.pk for p in plans if p.pk is not None and {"held_on", "contract"} & set(p.changed)]
        for session in TrainingSession.all_objects.filter(pk__in=moved):
            services.sync_attendance(session)


class AttendanceLedger(TraineeColumns, CompositeKeyLedger):
    """The sign-in sheet: one row per person per session, matched on (session, person). Importing
    the same sheet again changes nothing; the same person twice in one session is refused."""

    model = Attendance
    sheet_name = "培训签到"
    key_field = "person"
    key_fields = ("session_id", "person_id")
    select_related = ("session", "person", "person__region")
    columns = [
        ForeignColumn(
            "session",
            "培训场次编号",
            TrainingSession,
            keys=("code",),
            required=True,
            note="培训场次台账中的场次编号",
            example="PX-20260315-01",
            export=lambda a, ledger: a.session.code,
        ),
        *TraineeColumns.person_columns(),
        Column(
            "village",
            "村/嘎查",
            text(100),
            note="签到表上的村/嘎查，仅供核对，不写入",
            example="巴音嘎查",
            export=lambda a, ledger: a.person.region.name if a.person.region_id else "",
        ),
        Column(
            "poor_household",
            "贫困户",
            optional_yes_no(),
            note="是/否；不填则取人员台账的登记",
            options=["是", "否"],
        ),
    ]

    def __init__(self, user):
        super().__init__(user)
        self._codes: dict[int, str] = {}  # session id -> code, for the messages
        self._contracts: dict[int, Contract] = {}

    def header_of(self, field_name):
        # The date is the session's: a frozen date is the session's problem.
        if field_name == "held_on":
            return "培训场次编号"
        return super().header_of(field_name)

    def key_label(self, values):
        return f"{self._codes[values['session_id']]} {self._names[values['person_id']]}"

    def key_of(self, values):
        # As CompositeKeyLedger.key_of, without its loop: this runs once per row of a big sheet.
        session, person = values["session_id"], values["person_id"]
        return RowKey((session, person, f"{self._codes[session]} {self._names[person]}"))

    def clean_row(self, values):
        session = values.pop("session")
        if session.held_on > self._today:
            raise CellError(
                "培训场次编号",
                _("场次 %(c)s 的日期为 %(d)s，尚未举行，不能签到")
                % {"c": session.code, "d": session.held_on},
            )
        values.pop("village", None)
        person = self.match_person(values)
        del values["person"]
        if values.get("poor_household") is None:
            values["poor_household"] = person[4]
        # The contract and date come from the session, never from the sheet (see Attendance). Every
        # row gets its keys in one order, the references as ids (see ``take_person``): the engine
        # then completes the rows in one pass.
        session_id = values["session_id"] = session.id
        self._codes[session_id] = session.code
        values["person_id"] = person[0]
        contract = self._contracts.get(session.contract_id) or self._contract(session.contract_id)
        values["contract"] = contract
        values["held_on"] = session.held_on
        super().clean_row(values)

    @cached_property
    def _today(self) -> datetime.date:
        return timezone.localdate()

    def _contract(self, pk: int):
        self._contracts[pk] = Contract.objects.get(pk=pk)
        return self._contracts[pk]


class TraineeOutcomeLedger(TraineeColumns, CompositeKeyLedger):
    """What trainees went on to do, one row per person and year, matched on (person, year)."""

    model = TraineeOutcome
    sheet_name = "学员成效"
    key_field = "year"
    key_fields = ("person_id", "year")
    select_related = ("contract", "person")
    columns = [
        contract_column(),
        *TraineeColumns.person_columns(),
        Column("year", "年度", integer(min_value=2000), required=True, example="2026"),
        day("recorded_on", "登记日期"),
        Column("sells_online", "开设网店/网上销售", boolean(), options=["是", "否"]),
        Column("shop", "网店名称或链接", text(200), example="淘宝 草原羊倌旗舰店"),
        Column("employed", "进入电商企业任职", boolean(), options=["是", "否"]),
        Column("employer", "任职企业", text(200), note="进入电商企业任职时必填"),
        Column("influencer", "成为网红", boolean(), options=["是", "否"]),
        Column("account", "网红账号", text(200), note="成为网红时必填，如 抖音 @草原小羊"),
        Column(
            "annual_online_sales",
            "年网络销售额（元）",
            decimal_number(2, min_value=decimal.Decimal(0)),
            note="不清楚时留空",
            example="1200000",
        ),
        Column("notes", "备注", text(300)),
    ]

    def key_label(self, values):
        return _("%(p)s %(y)s年") % {"p": self._names[values["person_id"]], "y": values["year"]}

    def clean_row(self, values):
        super().clean_row(values)
        self.take_person(values)
        if values.get("year") and values["year"] > 2100:
            raise CellError("年度", _("年度应为四位年份：%(y)s") % {"y": values["year"]})
        if values.get("employed") and not values.get("employer"):
            raise CellError("任职企业", _("进入电商企业任职时请填写任职企业"))
        if values.get("influencer") and not values.get("account"):
            raise CellError("网红账号", _("成为网红时请填写平台及账号"))
        recorded_on = values.get("recorded_on")
        if recorded_on and recorded_on < datetime.date(values["year"], 1, 1):
            raise CellError(
                "登记日期",
                _("登记日期 %(d)s 早于 %(y)s 年，不能登记该年度的成效")
                % {"d": recorded_on.isoformat(), "y": values["year"]},
            )


def _visited_person(visit, ledger) -> str:
    person = visit.person
    if person is None:
        return ""
    if person.id_number:
        return person.id_number if ledger.sees_full_id else mask_id_number(person.id_number)
    return person.mobile


class FollowUpVisitLedger(ContractRecordLedger):
    """Follow-up visits, matched on the visit number."""

    model = FollowUpVisit
    sheet_name = "跟踪回访"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "person", "organisation")
    columns = [
        contract_column(),
        Column("number", "回访编号", text(30), required=True, example="HF-20260410-01"),
        day("visited_on", "回访日期"),
        ForeignColumn(
            "person",
            "回访学员身份证号或手机号",
            Person,
            keys=("id_number", "mobile"),
            note="回访学员时填写；手机号对应多人时请填身份证号",
            example="150824198805120021",
            export=_visited_person,
        ),
        ForeignColumn(
            "organisation",
            "回访经营主体",
            Organisation,
            keys=("credit_code", "name"),
            note="统一社会信用代码或名称；回访企业、合作社时填写",
            example="海流图牧歌合作社",
        ),
        Column(
            "method",
            "回访方式",
            choice(VisitMethod),
            required=True,
            options=[str(label) for label in VisitMethod.labels],
        ),
        Column("visitor", "回访人", text(50), example="李强"),
        Column(
            "findings",
            "经营情况与问题",
            text(5000),
            required=True,
            example="网店月销售额约 3 万元，缺少冷链包装",
        ),
        Column("help_given", "提供的帮助", text(5000), example="对接冷链包装供应商"),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        if values.get("person") is None and values.get("organisation") is None:
            raise CellError("回访学员身份证号或手机号", _("请填写回访的学员或经营主体（至少一项）"))


class TextbookLedger(CompositeKeyLedger):
    """Textbook versions, matched on (title, version)."""

    model = Textbook
    sheet_name = "标准化教材"
    key_field = "version"
    key_fields = ("title", "version")
    repr_field = "title"
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column("title", "教材名称", text(200), required=True, example="农村电商创业带头人标准化培训教材"),
        Column("version", "版本", text(30), required=True, example="第1版"),
        day("published_on", "发布日期"),
        Column(
            "published_where", "发布平台", text(200), required=True, example="微信公众号「乌拉特中旗电商」"
        ),
        Column("url", "链接", checked(_url_problem), example="https://mp.weixin.qq.com/s/example"),
        Column("notes", "备注", text(300)),
    ]

    def key_label(self, values):
        return f"{values['title']}（{values['version']}）"


def _previous(census, ledger):
    return getattr(census, "previous_count", None)


class MerchantCensusLedger(CompositeKeyLedger):
    """The yearly online-merchant counts, matched on (contract, year). The export adds the year
    before's count and the change (not imported: they are computed)."""

    model = MerchantCensus
    sheet_name = "网商统计"
    key_field = "year"
    key_fields = ("contract", "year")
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column("year", "统计年度", integer(min_value=2000), required=True, example="2026"),
        day("counted_on", "统计日期"),
        Column("merchant_count", "网商数量", integer(min_value=0), required=True, example="1260"),
        Column("method", "统计口径", text(200), example="店铺注册地在本旗、年内有交易的网店"),
        Column("notes", "备注", text(300)),
        Column("previous_count", "上年网商数量", importable=False, export=_previous),
        Column(
            "change",
            "与上年相比",
            importable=False,
            export=lambda c, ledger: services.census_change(c.merchant_count, _previous(c, ledger)),
        ),
    ]

    def export_queryset(self, queryset):
        return services.with_previous_count(super().export_queryset(queryset))

    def key_label(self, values):
        return _("%(y)s 年") % {"y": values["year"]}

    def clean_row(self, values):
        super().clean_row(values)
        if values["year"] > 2100:
            raise CellError("统计年度", _("年度应为四位年份：%(y)s") % {"y": values["year"]})
        counted_on = values.get("counted_on")
        if counted_on and counted_on < datetime.date(values["year"], 1, 1):
            raise CellError(
                "统计日期",
                _("统计日期 %(d)s 早于 %(y)s 年") % {"d": counted_on.isoformat(), "y": values["year"]},
            )


class FeedbackAnalysisLedger(ContractRecordLedger):
    """Feedback analysis reports, matched on the report number."""

    model = FeedbackAnalysis
    sheet_name = "培训反馈分析"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column("number", "报告编号", text(30), required=True, example="FX-20260630-01"),
        Column("title", "报告名称", text(200), required=True, example="2026 年上半年培训反馈分析报告"),
        Column("period_from", "分析期间（起）", date_cell(), required=True, example="2026-01-01"),
        Column("period_to", "分析期间（止）", date_cell(), required=True, example="2026-06-30"),
        day("written_on", "成稿日期"),
        Column("respondents", "反馈人数", integer(min_value=0), example="120"),
        Column(
            "satisfaction",
            "满意度（%）",
            decimal_number(2, min_value=decimal.Decimal(0), max_value=decimal.Decimal(100)),
            example="92.5",
        ),
        Column("summary", "反馈分析", text(10000), required=True),
        Column("next_plan", "下期培训方案调整", text(10000), required=True),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        if values.get("respondents") is None:
            values["respondents"] = 0
        if values["period_from"] > values["period_to"]:
            raise CellError("分析期间（止）", _("分析期间的止日不能早于起日"))
        if values["written_on"] < values["period_from"]:
            raise CellError("成稿日期", _("成稿日期不能早于分析期间的起日"))
