"""The trace system's ledgers (台账), for export: enrolled producers, bases, batches, their papers
and events, and the issuing runs. Imports are not offered: runs are created by issuing (which
stores their codes), and the batch records are few enough to type."""

from django.utils import timezone

from muxiang.core.ledgers import Column, Ledger
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


class EnterpriseLedger(Ledger):
    model = Enterprise
    sheet_name = "溯源企业"
    select_related = ("organisation",)
    columns = [
        Column("organisation", "企业", export=_name("organisation.name")),
        Column("credit_code", "统一社会信用代码", export=_name("organisation.credit_code")),
        Column("enrolled_on", "入驻日期"),
        Column("industry", "重点产业"),
        Column("enterprise_brand", "企业品牌"),
        Column("regional_brand", "区域公用品牌"),
        Column("notes", "备注"),
    ]


class ProductionBaseLedger(Ledger):
    model = ProductionBase
    sheet_name = "生产基地"
    select_related = ("enterprise__organisation", "region")
    columns = [
        Column("enterprise", "溯源企业", export=_name("enterprise.organisation.name")),
        Column("name", "基地名称"),
        Column("region", "所在区域", export=_name("region.name")),
        Column("address", "地址"),
        Column("area_mu", "面积（亩）"),
        Column("latitude", "纬度"),
        Column("longitude", "经度"),
    ]


class BatchLedger(Ledger):
    model = Batch
    sheet_name = "批次"
    select_related = ("enterprise__organisation", "product", "base")
    columns = [
        Column("lot", "批次号"),
        Column("enterprise", "溯源企业", export=_name("enterprise.organisation.name")),
        Column("product", "商品", export=_name("product.name")),
        Column("base", "生产基地", export=_name("base.name")),
        Column("kind", "日期类型"),
        Column("produced_on", "生产/屠宰日期"),
        Column("quantity", "数量"),
        Column("unit", "单位"),
        Column("inputs", "投入品"),
    ]


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
