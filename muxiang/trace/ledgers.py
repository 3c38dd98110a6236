"""The trace system's ledgers (台账): enrolled producers, bases, batches, their papers and events,
and the issuing runs, for export. The producers, bases and batches also import from a spreadsheet
(all-or-nothing, matched on their natural keys so that a second import of the same file changes
nothing):

- 溯源企业 on the organisation (its name or credit code; it must be in the registry);
- 生产基地 on (溯源企业, 基地名称);
- 批次 on (商品, 批次号), the GS1 lot, unique per product.

Runs are created by issuing (which stores their codes), and papers and events carry evidence files
and who recorded them: those are entered on their pages."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.contracts.records import ContractRecordLedger, contract_column
from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    choice,
    date_cell,
    decimal_number,
    text,
)
from muxiang.organisations.models import Organisation
from muxiang.regions.models import Region
from muxiang.supply.models import Product
from muxiang.trace.choices import BatchKind
from muxiang.trace.models import Batch, Certificate, CodeRun, Enterprise, ProductionBase, TraceEvent


def _name(path):
    def export(record, ledger):
        target = record
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                return ""
        return str(target)

    return export


def _day(field, header, example):
    return Column(
        field, header, date_cell(allow_future=False), required=True, note="不晚于今天", example=example
    )


def _latest_by_key(rows, key):
    """Stored rows by natural key; a soft-deleted record may share its key with a live one, and the
    live one is the match."""
    found = {}
    for row in sorted(rows, key=lambda r: r["deleted_at"] is None):
        found[key(row)] = row
    return found


class EnterpriseColumn(ForeignColumn):
    """溯源企业, named by its organisation's name or credit code; it must be enrolled."""

    def __init__(self):
        super().__init__(
            "enterprise",
            "溯源企业",
            Enterprise,
            required=True,
            note="已入驻溯源体系的企业名称或统一社会信用代码",
            example="海流图牧歌合作社",
            export=_name("enterprise.organisation.name"),
        )

    def resolve(self, wanted: set[str]) -> dict:
        found: dict[str, list] = {}
        texts = sorted(wanted)
        for start in range(0, len(texts), 2000):
            chunk = texts[start : start + 2000]
            for enterprise in Enterprise.objects.select_related("organisation").filter(
                Q(organisation__name__in=chunk) | Q(organisation__credit_code__in=chunk)
            ):
                for name in {enterprise.organisation.name, enterprise.organisation.credit_code}:
                    if name in wanted:
                        found.setdefault(name, []).append(enterprise)
        result = {}
        for name in wanted:
            matches = found.get(name, [])
            if len(matches) == 1:
                result[name] = matches[0]
            elif not matches:
                result[name] = CellError(_("找不到已入驻溯源体系的企业「%(v)s」") % {"v": name})
            else:
                result[name] = CellError(_("「%(v)s」对应多家企业，请改填统一社会信用代码") % {"v": name})
        return result


class EnterpriseLedger(ContractRecordLedger):
    """Producers enrolled in the trace system, matched on the organisation."""

    model = Enterprise
    sheet_name = "溯源企业"
    key_field = "organisation"
    repr_field = "industry"
    select_related = ("organisation", "contract")
    columns = [
        contract_column(),
        ForeignColumn(
            "organisation",
            "企业",
            Organisation,
            keys=("credit_code", "name"),
            required=True,
            note="统一社会信用代码或名称，须已在组织名录中",
            example="海流图牧歌合作社",
            export=_name("organisation.name"),
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            importable=False,
            export=_name("organisation.credit_code"),
            note="导出时列出，导入时不读",
        ),
        _day("enrolled_on", "入驻日期", "2026-03-01"),
        Column("industry", "重点产业", text(50), required=True, example="肉羊"),
        Column("enterprise_brand", "企业品牌", text(100)),
        Column("regional_brand", "区域公用品牌", text(100), example="乌拉特中旗羊肉"),
        Column("introduction", "企业简介（公开）", text(), note="消费者扫码时可见"),
        Column("notes", "备注", text(300)),
    ]

    def key_of(self, values):
        organisation = values.get("organisation")
        return organisation.pk if organisation is not None else None

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "organisation_id", "deleted_at", *(attnames[n][0] for n in compared)}
        rows = Enterprise.all_objects.filter(organisation_id__in=keys).values(*names)
        return _latest_by_key(rows, lambda row: row["organisation_id"])


class ProductionBaseLedger(Ledger):
    """Production bases, matched on (溯源企业, 基地名称)."""

    model = ProductionBase
    sheet_name = "生产基地"
    key_field = "name"
    repr_field = "name"
    select_related = ("enterprise__organisation", "region")
    columns = [
        EnterpriseColumn(),
        Column("name", "基地名称", text(100), required=True, example="巴音哈太牧场"),
        ForeignColumn(
            "region",
            "所在区域",
            Region,
            keys=("code", "path", "name"),
            export=lambda r, ledger: r.region.path if r.region_id else "",
        ),
        Column("address", "地址", text(200)),
        Column("area_mu", "面积（亩）", decimal_number(2), example="3200"),
        Column(
            "latitude",
            "纬度",
            decimal_number(6, min_value=-90, max_value=90),
            note="-90 至 90，最多六位小数",
            example="41.568",
        ),
        Column(
            "longitude",
            "经度",
            decimal_number(6, min_value=-180, max_value=180),
            note="-180 至 180，最多六位小数",
            example="108.515",
        ),
    ]

    def key_of(self, values):
        enterprise, name = values.get("enterprise"), values.get("name")
        if enterprise is None or not name:
            return None
        return (enterprise.pk, name)

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "enterprise_id", "name", "deleted_at", *(attnames[n][0] for n in compared)}
        rows = ProductionBase.all_objects.filter(
            enterprise_id__in={k[0] for k in keys}, name__in={k[1] for k in keys}
        ).values(*names)
        return _latest_by_key(rows, lambda row: (row["enterprise_id"], row["name"]))


class BatchLedger(Ledger):
    """Batches, matched on (商品, 批次号). The base is named within the row's producer."""

    model = Batch
    sheet_name = "批次"
    key_field = "lot"
    repr_field = "lot"
    select_related = ("enterprise__organisation", "product", "base")
    columns = [
        Column("lot", "批次号", text(20), required=True, note="同一商品内唯一", example="L20261020"),
        EnterpriseColumn(),
        ForeignColumn(
            "product",
            "商品",
            Product,
            keys=("code", "name"),
            required=True,
            note="商品编号或名称，须是本企业生产的商品",
            example="SP-0001",
            export=_name("product.name"),
        ),
        Column(
            "base",
            "生产基地",
            text(100),
            note="本企业的基地名称",
            example="巴音哈太牧场",
            export=_name("base.name"),
        ),
        Column(
            "kind",
            "日期类型",
            choice(BatchKind),
            required=True,
            options=[str(label) for label in BatchKind.labels],
            example=str(BatchKind.SLAUGHTER.label),
        ),
        _day("produced_on", "生产/屠宰日期", "2026-10-20"),
        Column("quantity", "数量", decimal_number(2), required=True, example="300"),
        Column("unit", "单位", text(10), note="不填为“件”", example="只"),
        Column("inputs", "投入品", text(), note="饲料、兽药、肥料等，一行一项"),
        Column("story", "产品故事（公开）", text(), note="消费者扫码时可见"),
    ]

    def prepare(self, table):
        """The bases of every producer, read once: a row names its base within its producer."""
        self._bases = {(base.enterprise_id, base.name): base for base in ProductionBase.objects.all()}

    def clean_row(self, values):
        enterprise, product = values["enterprise"], values["product"]
        if product.producer_id and product.producer_id != enterprise.organisation_id:
            raise CellError("商品", _("「%(p)s」的生产企业不是 %(e)s") % {"p": product.name, "e": enterprise})
        base_name = values.get("base") or ""
        if base_name:
            base = self._bases.get((enterprise.pk, base_name))
            if base is None:
                raise CellError(
                    "生产基地", _("%(e)s 没有名为「%(b)s」的生产基地") % {"e": enterprise, "b": base_name}
                )
            values["base"] = base
        else:
            values["base"] = None
        values["unit"] = values.get("unit") or "件"

    def key_of(self, values):
        product, lot = values.get("product"), values.get("lot")
        if product is None or not lot:
            return None
        return (product.pk, lot)

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "product_id", "lot", "deleted_at", *(attnames[n][0] for n in compared)}
        rows = Batch.all_objects.filter(
            product_id__in={k[0] for k in keys}, lot__in={k[1] for k in keys}
        ).values(*names)
        return _latest_by_key(rows, lambda row: (row["product_id"], row["lot"]))


class CertificateLedger(Ledger):
    model = Certificate
    sheet_name = "检测与合格证"
    select_related = ("batch",)
    columns = [
        Column("batch", "批次号", export=_name("batch.lot")),
        Column("kind", "类型"),
        Column("number", "编号"),
        Column("issuer", "出具单位"),
        Column("issued_on", "出具日期"),
        Column("passed", "结论合格", export=lambda r, ledger: "是" if r.passed else "否"),
        Column("items", "检测项目"),
    ]


class TraceEventLedger(Ledger):
    model = TraceEvent
    sheet_name = "溯源事件"
    select_related = ("batch", "recorded_by")
    columns = [
        Column("batch", "批次号", export=_name("batch.lot")),
        Column("step", "环节"),
        Column(
            "occurred_at",
            "发生时间",
            export=lambda r, ledger: timezone.localtime(r.occurred_at).strftime("%Y-%m-%d %H:%M"),
        ),
        Column("place", "地点"),
        Column("description", "说明"),
        Column("recorded_by", "记录人", export=_name("recorded_by")),
    ]


class CodeRunLedger(Ledger):
    model = CodeRun
    sheet_name = "发码记录"
    select_related = ("enterprise__organisation", "product", "issued_by")
    columns = [
        Column("issued_on", "发码日期"),
        Column("enterprise", "溯源企业", export=_name("enterprise.organisation.name")),
        Column("product", "商品", export=_name("product.name")),
        Column("count", "数量"),
        Column("issued_by", "发码人", export=_name("issued_by")),
        Column("notes", "备注"),
    ]
