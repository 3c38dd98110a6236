"""The delivery log as a spreadsheet: exported as it stands, and imported to schedule deliveries in
bulk (报送类型, 数据日期, 报送方式, 合同), matched on the 报送编号 that the type and date make. The
state, attempts and outcome columns are the adapter's and are never read from a file."""

import uuid

from django.utils.translation import gettext as _

from muxiang.contracts.models import Contract
from muxiang.contracts.records import only_contract
from muxiang.core.ledgers import CellError, Column, ForeignColumn, Ledger, choice, date_cell, text
from muxiang.mofcom.choices import DeliveryKind, DeliveryState, TransportKind
from muxiang.mofcom.models import MinistryDelivery, period_problem, reference_for


class MinistryDeliveryLedger(Ledger):
    model = MinistryDelivery
    sheet_name = "平台报送"
    key_field = "reference"
    repr_field = "reference"
    select_related = ("contract",)
    columns = [
        Column(
            "kind",
            "报送类型",
            choice(DeliveryKind),
            required=True,
            options=[str(c.label) for c in DeliveryKind],
        ),
        Column(
            "period", "数据日期", date_cell(allow_future=False), required=True, note="每月数据填该月任一天"
        ),
        ForeignColumn(
            "contract",
            "合同",
            Contract,
            keys=("key", "name"),
            note="每月项目数据的合同标识；系统中只有一个合同时可不填",
            export=lambda record, ledger: record.contract.key if record.contract_id else "",
        ),
        Column("transport", "报送方式", choice(TransportKind), options=[str(c.label) for c in TransportKind]),
        Column("note", "备注", text(300)),
        Column("reference", "报送编号", importable=False, export=lambda r, ledger: r.reference),
        Column("state", "状态", importable=False),
        Column("attempts", "尝试次数", importable=False),
        Column(
            "delivered_at", "报送成功时间", importable=False, export=lambda r, ledger: r.delivered_at or ""
        ),
        Column("last_error", "最近错误", importable=False),
    ]

    def clean_row(self, values):
        kind, period = values["kind"], values["period"]
        if kind == DeliveryKind.MONTHLY:
            values["period"] = period = period.replace(day=1)
            if values.get("contract") is None:
                values["contract"] = self.__dict__.setdefault("_contract", [only_contract()])[0]
                if values["contract"] is None:
                    raise CellError("合同", _("每月项目数据须填写合同"))
        else:
            values["contract"] = None
        if not values.get("transport"):
            from muxiang.mofcom.services import default_transport

            values["transport"] = default_transport()
        values["reference"] = reference_for(kind, period)
        problem = period_problem(kind, period)
        if problem:
            raise CellError("数据日期", problem)

    def complete_rows(self, new_values):
        rows = super().complete_rows(new_values)
        for row in rows:
            # Each delivery its own key, kept across its retries (the field's default is one value).
            row["idempotency_key"] = uuid.uuid4()
        return rows

    def validate_plans(self, plans, report):
        changed = {plan.pk: plan for plan in plans if plan.pk is not None and plan.changed}
        if not changed:
            return
        delivered = MinistryDelivery.all_objects.filter(pk__in=list(changed), state=DeliveryState.DELIVERED)
        for pk in delivered.values_list("pk", flat=True):
            plan = changed[pk]
            report.add(plan.number, "报送编号", _("%(r)s 已报送，不能修改") % {"r": plan.key})
