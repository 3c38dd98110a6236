from django.utils.translation import gettext as _

from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    boolean,
    checked,
    choice,
    date_cell,
    decimal_number,
    multi_choice,
    text,
)
from muxiang.core.validators import mobile_problem
from muxiang.people.models import Person
from muxiang.regions.models import Region
from muxiang.stations.choices import StationLevel, StationService, StationStatus
from muxiang.stations.models import Station


class StationLedger(Ledger):
    """The station register: one row per station, matched on the station code."""

    model = Station
    sheet_name = "站点"
    key_field = "code"
    select_related = ("region", "manager")
    columns = [
        Column("code", "站点编号", text(30), required=True, example="HLT-001"),
        Column("name", "站点名称", text(100), required=True, example="海流图镇电商服务站"),
        Column(
            "level", "级别", choice(StationLevel), required=True, options=[str(c.label) for c in StationLevel]
        ),
        ForeignColumn(
            "region",
            "服务区域",
            Region,
            keys=("code", "path", "name"),
            required=True,
            note="区划代码、全称（乌拉特中旗/海流图镇）或不重名的名称",
            example="乌拉特中旗/海流图镇",
            export=lambda r, ledger: r.region.path,
        ),
        Column("address", "地址", text(200)),
        Column("latitude", "纬度", decimal_number(6, min_value=-90, max_value=90)),
        Column("longitude", "经度", decimal_number(6, min_value=-180, max_value=180)),
        ForeignColumn(
            "manager",
            "负责人手机号",
            Person,
            keys=("mobile",),
            note="已登记人员的手机号",
            export=lambda r, ledger: r.manager.mobile if r.manager_id else "",
        ),
        Column("phone", "联系电话", checked(mobile_problem), example="13800000000"),
        Column("opened_on", "开业日期", date_cell(allow_future=True), example="2024-05-01"),
        Column("closed_on", "关闭日期", date_cell()),
        Column(
            "status",
            "状态",
            choice(StationStatus),
            required=True,
            options=[str(c.label) for c in StationStatus],
        ),
        Column(
            "services",
            "服务项目",
            multi_choice(StationService),
            note="用顿号分隔，如：代买、代卖、快递收发",
            export=lambda r, ledger: r.get_services_display(),
        ),
        Column("is_premium", "精品站点", boolean(), options=["是", "否"]),
    ]

    def clean_row(self, values):
        region = values.get("region")
        if region is not None and region.level != values["level"]:
            raise CellError(
                "服务区域",
                _("%(l)s不能服务于%(r)s（%(rl)s）")
                % {
                    "l": StationLevel(values["level"]).label,
                    "r": region.name,
                    "rl": region.get_level_display(),
                },
            )
        if values["status"] != StationStatus.PLANNED and not values.get("opened_on"):
            raise CellError(
                "开业日期",
                _("状态为「%(s)s」的站点需要填写开业日期") % {"s": StationStatus(values["status"]).label},
            )
        if values.get("closed_on") and values.get("opened_on") and values["closed_on"] < values["opened_on"]:
            raise CellError("关闭日期", _("关闭日期不能早于开业日期"))
        if values["status"] == StationStatus.CLOSED and not values.get("closed_on"):
            raise CellError("关闭日期", _("已关闭的站点需要填写关闭日期"))
        if (values.get("latitude") is None) != (values.get("longitude") is None):
            raise CellError("经度", _("经纬度需同时填写"))
        if "services" in values:
            values["services"] = values["services"] or []
