"""The service centre's ledgers (台账): the centre and its areas, work orders, events, incubation
services and their follow-ups, field surveys, value-added services and their income.

Programme records are matched on their number (工单编号, 活动编号 …), which an import must give;
the centre on its name, an area on its code, a value-added service on its name.
"""

import datetime
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.centre import services
from muxiang.centre.choices import (
    EventKind,
    FunctionalAreaKind,
    IncubationKind,
    PlanStatus,
    SurveySubject,
)
from muxiang.centre.models import (
    Event,
    FieldSurvey,
    FunctionalArea,
    IncubationFollowUp,
    IncubationService,
    ServiceCentre,
    ServiceIncome,
    ValueAddedService,
    WorkOrder,
)
from muxiang.contracts.records import ContractRecordLedger, contract_column
from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    LedgerFileError,
    boolean,
    choice,
    date_cell,
    decimal_number,
    integer,
    parse_date_text,
    text,
)
from muxiang.organisations.models import Organisation
from muxiang.people.models import Person
from muxiang.stations.models import Station

# ---------------------------------------------------------------------------------------------------
# Cells


_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")


def moment():
    """A date and time cell: a date-time cell of the workbook, or text such as ``2026-03-15 09:30``
    (also ``2026/3/15 9:30``, ``2026-03-15T09:30``, ``2026年3月15日 9:30``), read as local time."""

    def parse(raw):
        if isinstance(raw, datetime.datetime):
            value = raw
        elif isinstance(raw, datetime.date):
            raise CellError(_("请同时填写日期和时间，如 2026-03-15 09:30：%(v)s") % {"v": raw.isoformat()})
        else:
            text_value = str(raw or "").strip()
            if not text_value:
                return None
            parts = re.split(r"[T\s]+", text_value.replace("日", "日 "), maxsplit=1)
            if len(parts) != 2 or not _TIME.match(parts[1].strip()):
                raise CellError(
                    _("时间格式应为 2026-03-15 09:30（日期和时间）：%(v)s") % {"v": text_value[:40]}
                )
            day = parse_date_text(parts[0])
            hour, minute, second = _TIME.match(parts[1].strip()).groups()
            try:
                value = datetime.datetime.combine(
                    day, datetime.time(int(hour), int(minute), int(second or 0))
                )
            except ValueError as exc:
                raise CellError(_("时间不存在：%(v)s") % {"v": text_value[:40]}) from exc
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    return parse


def export_moment(field):
    def export(record, ledger):
        value = getattr(record, field)
        return services.format_moment(value) if value else ""

    return export


def yes_unless_no():
    """是/否 where an empty cell means 是 (a new service is on offer unless the file says not)."""
    parse_flag = boolean()

    def parse(raw):
        if raw is None or str(raw).strip() == "":
            return True
        return parse_flag(raw)

    return parse


def person_column(field: str, header: str) -> ForeignColumn:
    """A person named by ID number or by an unambiguous name. The export gives the ID number only
    to the roles that see it in full, the name to the others."""

    def export(record, ledger):
        person = getattr(record, field)
        if person is None:
            return ""
        return (person.id_number or person.name) if ledger.sees_full_id else person.name

    return ForeignColumn(
        field,
        header,
        Person,
        keys=("id_number", "name"),
        note="身份证号，或不重名的姓名",
        export=export,
    )


def organisation_column(field: str, header: str) -> ForeignColumn:
    return ForeignColumn(
        field,
        header,
        Organisation,
        keys=("credit_code", "name"),
        note="统一社会信用代码，或不重名的单位名称",
        export=lambda record, ledger: str(getattr(record, field) or ""),
    )


def number_column(header: str, example: str) -> Column:
    return Column(
        "number", header, text(40), required=True, note="导入时必填，用于匹配已有记录", example=example
    )


def day(field, header, allow_future=False, required=True):
    return Column(
        field,
        header,
        date_cell(allow_future=allow_future),
        required=required,
        note="" if allow_future else "不晚于今天",
        example="2026-03-15",
    )


def zero_when_blank(values: dict, *fields: str) -> None:
    """Counts left empty are 0, as the form's default has it (the columns are NOT NULL)."""
    for name in fields:
        if name in values and values[name] is None:
            values[name] = 0


# ---------------------------------------------------------------------------------------------------
# The centre and its areas


class ServiceCentreLedger(Ledger):
    """The service centre(s), matched on the name."""

    model = ServiceCentre
    sheet_name = "服务中心"
    key_field = "name"
    repr_field = "name"
    columns = [
        Column("name", "名称", text(100), required=True, example="乌拉特中旗电子商务公共服务中心"),
        Column("address", "地址", text(200), required=True, example="海流图镇团结路 18 号"),
        Column(
            "floor_area",
            "建筑面积（平方米）",
            decimal_number(2, min_value=Decimal("0.01")),
            required=True,
            note="合同要求不低于 1200 平方米",
            example="1280",
        ),
        day("opened_on", "启用日期", allow_future=True, required=False),
        Column("notes", "备注", text(300)),
    ]


class FunctionalAreaLedger(Ledger):
    """Functional areas, matched on the area code; names are unique within a centre."""

    model = FunctionalArea
    sheet_name = "功能区"
    key_field = "code"
    repr_field = "code"
    select_related = ("centre",)
    columns = [
        Column("code", "功能区编号", text(30), required=True, example="ZB-01"),
        ForeignColumn(
            "centre",
            "所属服务中心",
            ServiceCentre,
            keys=("name",),
            required=True,
            example="乌拉特中旗电子商务公共服务中心",
        ),
        Column(
            "kind",
            "功能类型",
            choice(FunctionalAreaKind),
            required=True,
            options=[str(label) for label in FunctionalAreaKind.labels],
        ),
        Column("name", "名称", text(100), required=True, example="一号直播间"),
        Column("floor_area", "面积（平方米）", decimal_number(2), example="60"),
        Column("capacity", "容纳人数", integer(min_value=0), example="20"),
        Column("notes", "备注", text(300)),
    ]

    def validate_plans(self, plans, report):
        """Two live areas of one centre may not share a name: in the file, or with a stored area
        the file does not rename."""
        in_file = {p.pk for p in plans if p.pk}
        seen: dict[tuple, int] = {}
        found = []
        for plan in plans:
            key = (plan.values["centre"].pk, plan.values["name"])
            if key in seen:
                message = _("与第 %(r)d 行同属一个服务中心且重名：%(n)s") % {"r": seen[key], "n": key[1]}
                found.append((plan.number, message))
            else:
                seen[key] = plan.number
        stored = set(
            FunctionalArea.objects.filter(centre_id__in={k[0] for k in seen}, name__in={k[1] for k in seen})
            .exclude(pk__in=in_file)
            .values_list("centre_id", "name")
        )
        found += [
            (number, _("该服务中心已有同名功能区：%(n)s") % {"n": key[1]})
            for key, number in seen.items()
            if key in stored
        ]
        for number, message in sorted(found):
            report.add(number, "名称", message)


# ---------------------------------------------------------------------------------------------------
# Work orders


class WorkOrderLedger(ContractRecordLedger):
    """Work orders, matched on the work-order number. A row is refused when its booking overlaps
    another row's or a stored work order's of the same area (bookings that only touch are fine)."""

    model = WorkOrder
    sheet_name = "服务工单"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "area", "requester_person", "requester_organisation")
    columns = [
        contract_column(),
        number_column("工单编号", "GD-202603-001"),
        ForeignColumn(
            "area",
            "功能区",
            FunctionalArea,
            keys=("code", "name"),
            required=True,
            note="功能区编号，或不重名的功能区名称",
            example="ZB-01",
            export=lambda record, ledger: record.area.code,
        ),
        Column(
            "starts_at",
            "开始时间",
            moment(),
            required=True,
            note="日期和时间",
            example="2026-03-15 09:00",
            export=export_moment("starts_at"),
        ),
        Column(
            "ends_at",
            "结束时间",
            moment(),
            required=True,
            note="晚于开始时间；可跨日",
            example="2026-03-15 11:30",
            export=export_moment("ends_at"),
        ),
        organisation_column("requester_organisation", "服务对象单位"),
        person_column("requester_person", "服务对象个人"),
        Column("requester_name", "服务对象名称", text(100), note="未登记的个人或单位填写名称"),
        Column("purpose", "使用事由", text(300), required=True, example="牛羊肉直播带货"),
        Column("attendees", "参加人数", integer(min_value=0), example="12"),
        Column("outcome", "服务成果", text(5000)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        zero_when_blank(values, "attendees")
        problem = services.requester_problem(
            values.get("requester_person"), values.get("requester_organisation"), values.get("requester_name")
        )
        if problem:
            raise CellError("服务对象名称", problem)
        problem = services.booking_time_problem(values["starts_at"], values["ends_at"])
        if problem:
            raise CellError("结束时间", problem)

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        bookings = [
            services.Booking(
                plan.number,
                plan.pk,
                plan.values["area"].pk,
                plan.values["starts_at"],
                plan.values["ends_at"],
                plan.values["number"],
            )
            for plan in plans
        ]
        for row, message in services.booking_clashes_in_file(bookings) + services.booking_clashes_with_stored(
            bookings
        ):
            report.add(row, "开始时间", message)

    def write(self, plans, report, filename):
        # The file was checked against the stored bookings before this transaction began; with the
        # areas locked, check again, so that a booking saved meanwhile is not overlapped.
        areas = {plan.values["area"].pk for plan in plans}
        list(FunctionalArea.all_objects.select_for_update().filter(pk__in=areas).values_list("pk"))
        bookings = [
            services.Booking(
                p.number, p.pk, p.values["area"].pk, p.values["starts_at"], p.values["ends_at"], ""
            )
            for p in plans
        ]
        clashes = services.booking_clashes_with_stored(bookings)
        if clashes:
            row, message = clashes[0]
            raise LedgerFileError(_("第 %(r)d 行：%(m)s") % {"r": row, "m": message})
        super().write(plans, report, filename)


# ---------------------------------------------------------------------------------------------------
# Events


class EventLedger(ContractRecordLedger):
    """Events, matched on the event number. Sales are recorded for matchmaking fairs only."""

    model = Event
    sheet_name = "电商活动"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract",)
    columns = [
        contract_column(),
        number_column("活动编号", "HD-202603-001"),
        Column(
            "kind",
            "活动类型",
            choice(EventKind),
            required=True,
            options=[str(label) for label in EventKind.labels],
        ),
        Column("title", "活动名称", text(200), required=True, example="乌拉特中旗牛羊肉产销对接会"),
        day("held_on", "举办日期", allow_future=True),
        Column("place", "地点", text(200), required=True, example="公共服务中心一楼报告厅"),
        Column("organiser", "主办单位", text(200), example="乌拉特中旗商务局"),
        Column("attendees", "参加人数", integer(min_value=0), example="60"),
        Column(
            "sales_amount",
            "销售额（元）",
            decimal_number(2),
            note="仅产销对接会填写，每场不少于 10000 元方计入考核",
            example="35000",
        ),
        Column("notes", "备注", text(5000)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        zero_when_blank(values, "attendees")
        problem = services.sales_problem(values["kind"], values.get("sales_amount"), values["held_on"])
        if problem:
            raise CellError("销售额（元）", problem)


# ---------------------------------------------------------------------------------------------------
# Incubation


class IncubationServiceLedger(ContractRecordLedger):
    """Incubation services, matched on the service number; exactly one recipient per row."""

    model = IncubationService
    sheet_name = "孵化服务"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "recipient_person", "recipient_organisation")
    columns = [
        contract_column(),
        number_column("服务编号", "FH-202603-001"),
        organisation_column("recipient_organisation", "服务对象企业"),
        person_column("recipient_person", "服务对象个人"),
        Column(
            "kind",
            "服务类型",
            choice(IncubationKind),
            required=True,
            options=[str(label) for label in IncubationKind.labels],
        ),
        Column("directed", "定向孵化", boolean(), options=["是", "否"]),
        day("provided_on", "服务日期"),
        Column("delivered", "服务内容", text(5000), required=True, example="羊绒制品网店详情页优化指导"),
        Column("outcome", "服务成果", text(5000)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        problem = services.recipient_problem(
            values.get("recipient_person"), values.get("recipient_organisation")
        )
        if problem:
            raise CellError("服务对象企业", problem)


class IncubationFollowUpLedger(ContractRecordLedger):
    """Follow-up guidance, matched on its number; it names its incubation service by number and
    takes that service's contract."""

    model = IncubationFollowUp
    sheet_name = "跟踪指导"
    key_field = "number"
    repr_field = "number"
    select_related = ("incubation",)
    columns = [
        number_column("跟踪编号", "GZ-202604-001"),
        ForeignColumn(
            "incubation",
            "孵化服务编号",
            IncubationService,
            keys=("number",),
            required=True,
            example="FH-202603-001",
            queryset=IncubationService.objects.select_related("contract"),
        ),
        day("held_on", "指导日期"),
        Column("content", "指导内容", text(5000), required=True, example="复盘店铺上月数据，调整主推款"),
        Column("next_steps", "下一步安排", text(5000)),
    ]

    def clean_row(self, values):
        # The contract is the incubation's: set before the base ledger looks for a 合同 cell.
        values["contract"] = values["incubation"].contract
        super().clean_row(values)
        problem = services.follow_up_date_problem(values["incubation"].provided_on, values["held_on"])
        if problem:
            raise CellError("指导日期", problem)


# ---------------------------------------------------------------------------------------------------
# Field surveys


class FieldSurveyLedger(ContractRecordLedger):
    """Field surveys, matched on the survey number; a station survey names its station by code."""

    model = FieldSurvey
    sheet_name = "现场调研"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "station")
    columns = [
        contract_column(),
        number_column("调研编号", "DY-202603-001"),
        Column(
            "subject",
            "调研板块",
            choice(SurveySubject),
            required=True,
            options=[str(label) for label in SurveySubject.labels],
        ),
        ForeignColumn(
            "station",
            "站点编号",
            Station,
            keys=("code", "name"),
            note="调研板块为「站点」时必填：站点编号或不重名的站点名称",
            example="HLT-001",
        ),
        day("surveyed_on", "调研日期"),
        Column("place", "调研地点", text(200), example="海流图镇电商服务站"),
        Column("findings", "调研发现", text(5000), required=True, example="代买代卖台账不全，快递收发区拥挤"),
        Column("improvement_plan", "服务提升方案", text(5000)),
        Column(
            "plan_status",
            "方案状态",
            choice(PlanStatus),
            note="空白视为「待实施」",
            options=[str(label) for label in PlanStatus.labels],
        ),
        day("plan_due", "计划完成日期", allow_future=True, required=False),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        if "plan_status" in values and not values["plan_status"]:
            values["plan_status"] = PlanStatus.PLANNED
        problems = services.survey_problems(
            values["subject"],
            values.get("station"),
            values["surveyed_on"],
            values.get("improvement_plan", ""),
            values.get("plan_status", PlanStatus.PLANNED),
            values.get("plan_due"),
        )
        for field_name, message in problems.items():
            raise CellError(self.header_of(field_name), message)


# ---------------------------------------------------------------------------------------------------
# The market mechanism


class ValueAddedServiceLedger(Ledger):
    """The centre's paid services, matched on the name."""

    model = ValueAddedService
    sheet_name = "增值服务项目"
    key_field = "name"
    repr_field = "name"
    columns = [
        Column("name", "服务名称", text(100), required=True, example="直播间租用"),
        Column("description", "服务说明", text(5000)),
        Column("price", "参考价格（元）", decimal_number(2), example="200"),
        Column("unit", "计价单位", text(20), example="小时"),
        Column("active", "在售", yes_unless_no(), note="空白视为「是」", options=["是", "否"]),
    ]


class ServiceIncomeLedger(ContractRecordLedger):
    """Income from value-added services, matched on the income number."""

    model = ServiceIncome
    sheet_name = "增值服务收入"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "service")
    columns = [
        contract_column(),
        number_column("收入编号", "SR-202603-001"),
        ForeignColumn(
            "service", "增值服务", ValueAddedService, keys=("name",), required=True, example="直播间租用"
        ),
        day("received_on", "收款日期"),
        Column("customer", "客户", text(200), required=True, example="德岭山镇向日葵合作社"),
        Column(
            "amount",
            "金额（元）",
            decimal_number(2, min_value=Decimal("0.01")),
            required=True,
            note="大于 0，最多两位小数",
            example="600",
        ),
        Column("notes", "备注", text(300)),
    ]
