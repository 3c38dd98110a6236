from muxiang.contracts.acceptance import frozen_phases
from muxiang.core.ledgers import CellError, Column, ForeignColumn, Ledger, boolean, choice, date_cell, text
from muxiang.network.choices import OutletKind, OutletStatus
from muxiang.network.models import Outlet
from muxiang.network.services import outlet_problems
from muxiang.organisations.models import Organisation
from muxiang.regions.models import Region
from muxiang.stations.models import Station

HEADERS = {"region": "所在镇/村", "opened_on": "开业日期", "closed_on": "关闭日期"}


class OutletLedger(Ledger):
    """The trade-network register: one row per outlet, matched on the outlet code."""

    model = Outlet
    sheet_name = "商贸流通网点"
    key_field = "code"
    select_related = ("operator", "region", "station")
    columns = [
        Column("code", "网点编号", text(30), required=True, example="YZ-HLT-01"),
        Column("name", "网点名称", text(100), required=True, example="海流图镇邮政便民服务点"),
        Column(
            "kind", "网点类型", choice(OutletKind), required=True, options=[str(c.label) for c in OutletKind]
        ),
        ForeignColumn(
            "operator",
            "运营单位",
            Organisation,
            keys=("credit_code", "name"),
            required=True,
            note="统一社会信用代码或不重名的单位名称",
            example="中国邮政集团有限公司乌拉特中旗分公司",
            export=lambda r, ledger: r.operator.name,
        ),
        ForeignColumn(
            "region",
            "所在镇/村",
            Region,
            keys=("code", "path", "name"),
            required=True,
            note="区划代码、全称（乌拉特中旗/海流图镇）或不重名的名称",
            example="乌拉特中旗/海流图镇",
            export=lambda r, ledger: r.region.path,
        ),
        ForeignColumn(
            "station",
            "融合站点编号",
            Station,
            keys=("code",),
            note="与网点共址经营的电商服务站点编号，可不填",
            export=lambda r, ledger: r.station.code if r.station_id else "",
        ),
        Column("address", "地址", text(200)),
        Column("opened_on", "开业日期", date_cell(), example="2025-05-01"),
        Column("closed_on", "关闭日期", date_cell()),
        Column(
            "status",
            "状态",
            choice(OutletStatus),
            required=True,
            options=[str(c.label) for c in OutletStatus],
        ),
        Column("digital", "已数字化经营", boolean(), options=["是", "否"]),
        Column("notes", "备注", text(300)),
    ]

    def clean_row(self, values):
        region = values.get("region")
        problems = outlet_problems(
            region.level if region else None,
            values.get("status"),
            values.get("opened_on"),
            values.get("closed_on"),
        )
        for field, message in problems.items():
            raise CellError(HEADERS[field], message)

    def validate_plans(self, plans, report):
        """A row that adds or changes an outlet is checked against the accepted phases as the form
        is (``Outlet.frozen_problem``); unchanged rows, most of a re-import, are not."""
        super().validate_plans(plans, report)
        if not frozen_phases().exists():
            return
        for plan in plans:
            if plan.pk is not None and not plan.changed:
                continue
            outlet = Outlet(pk=plan.pk, **plan.values)
            problem = outlet.frozen_problem()
            if problem:
                column = "开业日期" if "计入了已验收" not in problem else "网点编号"
                report.add(plan.number, column, problem)
