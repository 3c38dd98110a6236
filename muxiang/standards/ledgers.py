"""The standard ledgers (台账): standards matched on their title, versions on their number
(标准编号), applying enterprises on the pair (标准, 企业). An import may not leave a standard with
two current versions, counting the file and the database together, nor write a version or an
adoption dated in an accepted phase (``PhaseDatedLedger``)."""

from django.utils.translation import gettext as _

from muxiang.contracts.records import PhaseDatedLedger
from muxiang.core.ledgers import Column, ForeignColumn, Ledger, boolean, date_cell, text
from muxiang.organisations.models import Organisation
from muxiang.standards.models import StandardAdoption, StandardVersion, TradeStandard


def standard_column():
    return ForeignColumn(
        "standard",
        "标准名称",
        TradeStandard,
        keys=("title",),
        required=True,
        example="乌拉特中旗羊肉网销流通标准",
    )


class TradeStandardLedger(Ledger):
    model = TradeStandard
    sheet_name = "网销流通标准"
    key_field = "title"
    repr_field = "title"
    columns = [
        Column("title", "标准名称", text(200), required=True, example="乌拉特中旗羊肉网销流通标准"),
        Column("industry", "适用产业", text(50), required=True, example="肉羊"),
        Column("issuer", "发布单位", text(200), example="乌拉特中旗电子商务协会"),
        Column("scope_text", "适用范围", text()),
        Column("notes", "备注", text(300)),
    ]


class StandardVersionLedger(PhaseDatedLedger):
    model = StandardVersion
    sheet_name = "标准版本"
    key_field = "number"
    repr_field = "number"
    select_related = ("standard",)
    columns = [
        standard_column(),
        Column("number", "标准编号", text(50), required=True, example="T/WLTZQ 001—2026"),
        Column("version", "版本", text(30), required=True, example="V1.0"),
        Column("effective_on", "实施日期", date_cell(), required=True, example="2026-03-01"),
        Column("is_current", "现行版本", boolean(), note="每项标准只能有一个现行版本", options=["是", "否"]),
        Column("changes", "主要内容/修订说明", text()),
    ]

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        in_file = {p.pk for p in plans if p.pk}
        current = dict(
            StandardVersion.objects.filter(is_current=True)
            .exclude(pk__in=in_file)
            .values_list("standard_id", "number")
        )
        for plan in plans:
            if not plan.values.get("is_current"):
                continue
            standard = plan.values["standard"]
            if standard.pk in current:
                report.add(
                    plan.number,
                    "现行版本",
                    _("「%(s)s」已有现行版本「%(v)s」，每项标准只能有一个现行版本")
                    % {"s": standard, "v": current[standard.pk]},
                )
            else:
                current[standard.pk] = plan.values["number"]


class StandardAdoptionLedger(PhaseDatedLedger):
    model = StandardAdoption
    sheet_name = "执行企业"
    key_field = "standard"
    repr_field = "since"
    select_related = ("standard", "organisation")
    columns = [
        standard_column(),
        ForeignColumn(
            "organisation",
            "执行企业",
            Organisation,
            keys=("credit_code", "name"),
            required=True,
            note="统一社会信用代码或名称",
            example="海流图牧歌合作社",
            export=lambda record, ledger: str(record.organisation),
        ),
        Column("since", "执行日期", date_cell(allow_future=False), required=True, example="2026-04-01"),
        Column("products", "执行产品", text(200), example="羊肉礼盒"),
        Column("notes", "备注", text(300)),
    ]

    def key_of(self, values):
        standard, organisation = values.get("standard"), values.get("organisation")
        if standard is None or organisation is None:
            return None
        return (standard.pk, organisation.pk)

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "standard_id", "organisation_id", "deleted_at", *(attnames[n][0] for n in compared)}
        rows = StandardAdoption.all_objects.filter(
            standard_id__in={k[0] for k in keys}, organisation_id__in={k[1] for k in keys}
        ).values(*names)
        found = {}
        for row in sorted(rows, key=lambda r: r["deleted_at"] is None):
            found[(row["standard_id"], row["organisation_id"])] = row
        return found
