"""The brand ledgers (台账). Brands are matched on their name, members on the authorisation number,
services and packaging runs on their number, series on their code, series products on the pair
(系列, 商品). A member, service, series product and packaging run take the contract of the brand or
series they name: they have no 合同 column.

Imports apply the rules of ``brands.services`` to the whole file and the database together (two
rows making one enterprise a member twice are refused as much as one row against a stored
membership), so that nothing is written when any row is wrong."""

from django.utils.translation import gettext as _

from muxiang.brands import services
from muxiang.brands.choices import BrandServiceKind, BrandTier, TrademarkStatus
from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, ProductSeries, SeriesProduct
from muxiang.contracts.records import ContractRecordLedger, contract_column
from muxiang.core.ledgers import CellError, Column, ForeignColumn, choice, date_cell, integer, text
from muxiang.organisations.models import Organisation
from muxiang.supply.models import Product


def day(field, header, required=True, example="2026-03-15"):
    return Column(
        field, header, date_cell(allow_future=False), required=required, note="不晚于今天", example=example
    )


def choice_column(field, header, choices, example, required=True):
    return Column(
        field,
        header,
        choice(choices),
        required=required,
        options=[str(label) for label in choices.labels],
        example=example,
    )


def positive(raw):
    value = integer(min_value=None)(raw)
    if value is not None and value <= 0:
        raise CellError(_("生产数量应大于 0：%(v)s") % {"v": value})
    return value


def organisation_column(field, header, required=True):
    return ForeignColumn(
        field,
        header,
        Organisation,
        keys=("credit_code", "name"),
        required=required,
        note="统一社会信用代码或名称",
        example="海流图牧歌合作社",
        export=lambda record, ledger: str(getattr(record, field) or ""),
    )


def series_column():
    return ForeignColumn(
        "series",
        "产品系列",
        ProductSeries,
        keys=("code", "name"),
        required=True,
        note="系列编号或名称",
        example="XL-01",
    )


class BrandLedgerBase(ContractRecordLedger):
    """Child records take the contract of their parent (``parent_field``), read once per contract."""

    parent_field = ""

    def clean_row(self, values):
        parent = values.get(self.parent_field) if self.parent_field else None
        if parent is not None:
            values["contract"] = self._contract(parent.contract_id)
        super().clean_row(values)

    def _contract(self, contract_id):
        from muxiang.contracts.models import Contract

        cache = self.__dict__.setdefault("_contracts", {})
        if contract_id not in cache:
            cache[contract_id] = Contract.objects.get(pk=contract_id)
        return cache[contract_id]

    def validate_plans(self, plans, report):
        # A row that changes nothing writes nothing, so it cannot touch an accepted phase.
        super().validate_plans([plan for plan in plans if plan.pk is None or plan.changed], report)


class BrandLedger(BrandLedgerBase):
    """Brands, matched on the name."""

    model = Brand
    sheet_name = "品牌"
    key_field = "name"
    repr_field = "name"
    select_related = ("contract", "owner")
    columns = [
        contract_column(),
        Column("name", "品牌名称", text(100), required=True, example="乌拉特草原"),
        choice_column("tier", "品牌层级", BrandTier, "区域公共品牌"),
        Column("industry", "所属产业", text(50), example="肉羊"),
        organisation_column("owner", "权属企业", required=False),
        Column("trademark_number", "商标注册号", text(50), example="58123456"),
        choice_column("trademark_status", "商标状态", TrademarkStatus, "已注册", required=False),
        day("established_on", "建立日期"),
        Column("story", "品牌故事", text()),
        Column("notes", "备注", text(300)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        values["trademark_status"] = values.get("trademark_status") or TrademarkStatus.NONE
        if values.get("tier") == BrandTier.ENTERPRISE and values.get("owner") is None:
            raise CellError("权属企业", _("企业品牌须填写权属企业"))
        if values["trademark_status"] == TrademarkStatus.REGISTERED and not values.get("trademark_number"):
            raise CellError("商标注册号", _("商标已注册，请填写商标注册号"))

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        # One regional brand per contract, counting the file's rows and the stored brands.
        in_file = {p.pk for p in plans if p.pk}
        regional = {
            contract_id: name
            for contract_id, name in Brand.objects.filter(tier=BrandTier.REGIONAL)
            .exclude(pk__in=in_file)
            .values_list("contract_id", "name")
        }
        for plan in plans:
            if plan.values.get("tier") != BrandTier.REGIONAL:
                continue
            contract_id = plan.values["contract"].pk
            if contract_id in regional:
                report.add(
                    plan.number,
                    "品牌层级",
                    _("本合同已有区域公共品牌「%(b)s」，只能有一个") % {"b": regional[contract_id]},
                )
            else:
                regional[contract_id] = plan.values["name"]


class BrandMemberLedger(BrandLedgerBase):
    """Member enterprises of the regional brand, matched on the authorisation number."""

    model = BrandMember
    sheet_name = "成员企业"
    key_field = "authorisation_number"
    repr_field = "authorisation_number"
    parent_field = "brand"
    select_related = ("brand", "organisation")
    columns = [
        ForeignColumn(
            "brand",
            "区域公共品牌",
            Brand,
            keys=("name",),
            required=True,
            queryset=Brand.objects.filter(tier=BrandTier.REGIONAL),
            example="乌拉特草原",
        ),
        organisation_column("organisation", "成员企业"),
        Column("authorisation_number", "授权编号", text(50), required=True, example="WLT-SQ-001"),
        day("joined_on", "加入日期"),
        day("left_on", "退出日期", required=False, example=""),
        Column("products", "授权产品", text(200), example="羊肉礼盒、风干羊肉"),
        Column("notes", "备注", text(300)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        problem = services.leaving_problem(values.get("joined_on"), values.get("left_on"))
        if problem:
            raise CellError("退出日期", problem)

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        # No enterprise holds two memberships of a brand at once: rows against stored records (other
        # than those the file itself changes) and rows against each other.
        in_file = {p.pk for p in plans if p.pk}
        organisations = {p.values["organisation"].pk for p in plans}
        stored = {}
        for member in BrandMember.objects.filter(organisation_id__in=organisations).exclude(pk__in=in_file):
            stored.setdefault((member.brand_id, member.organisation_id), []).append(
                (member.joined_on, member.left_on, member.authorisation_number)
            )
        for plan in plans:
            values = plan.values
            key = (values["brand"].pk, values["organisation"].pk)
            for joined, left, number in stored.get(key, []):
                if services.periods_meet(joined, left, values["joined_on"], values.get("left_on")):
                    report.add(
                        plan.number,
                        "成员企业",
                        _("「%(o)s」已是该品牌成员（授权编号 %(n)s，%(d)s 加入），不能重复加入")
                        % {"o": values["organisation"], "n": number, "d": joined.isoformat()},
                    )
                    break
            else:
                stored.setdefault(key, []).append(
                    (values["joined_on"], values.get("left_on"), values["authorisation_number"])
                )


class BrandServiceLedger(BrandLedgerBase):
    """Brand services, matched on the number."""

    model = BrandService
    sheet_name = "品牌服务"
    key_field = "number"
    repr_field = "number"
    parent_field = "member"
    select_related = ("member__organisation",)
    columns = [
        Column("number", "服务编号", text(30), required=True, note="每次服务唯一", example="PF-001"),
        ForeignColumn(
            "member",
            "成员企业授权编号",
            BrandMember,
            keys=("authorisation_number",),
            required=True,
            example="WLT-SQ-001",
        ),
        choice_column("kind", "服务类型", BrandServiceKind, "设计服务"),
        day("provided_on", "服务日期"),
        Column("content", "服务内容", text(), required=True, example="设计礼盒包装与品牌标识应用"),
        Column("outcome", "服务成果", text(300)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        member = values["member"]
        problem = services.service_date_problem(member.joined_on, member.left_on, values.get("provided_on"))
        if problem:
            raise CellError("服务日期", problem)


class ProductSeriesLedger(BrandLedgerBase):
    """Product series, matched on the code."""

    model = ProductSeries
    sheet_name = "网销产品系列"
    key_field = "code"
    repr_field = "code"
    parent_field = "brand"
    select_related = ("brand",)
    columns = [
        Column("code", "系列编号", text(30), required=True, example="XL-01"),
        Column("name", "系列名称", text(100), required=True, example="草原羊肉系列"),
        ForeignColumn("brand", "所属品牌", Brand, keys=("name",), required=True, example="乌拉特草原"),
        day("launched_on", "推出日期"),
        Column("description", "系列说明", text()),
    ]


class SeriesProductLedger(BrandLedgerBase):
    """Products of the series, matched on the pair (产品系列, 商品)."""

    model = SeriesProduct
    sheet_name = "网销产品"
    key_field = "series"
    repr_field = "launched_on"
    parent_field = "series"
    select_related = ("series", "product")
    columns = [
        series_column(),
        ForeignColumn(
            "product",
            "商品",
            Product,
            keys=("code", "name"),
            required=True,
            note="商品编号或名称",
            example="BR-001",
        ),
        day("launched_on", "上线日期"),
        Column("selling_points", "卖点", text(300), example="草原散养，肉质鲜嫩"),
    ]

    def key_of(self, values):
        series, product = values.get("series"), values.get("product")
        if series is None or product is None:
            return None
        return (series.pk, product.pk)

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "series_id", "product_id", "deleted_at", *(attnames[n][0] for n in compared)}
        rows = SeriesProduct.all_objects.filter(
            series_id__in={k[0] for k in keys}, product_id__in={k[1] for k in keys}
        ).values(*names)
        found = {}
        # A deleted entry may share its key with a live one: the live one is the match.
        for row in sorted(rows, key=lambda r: r["deleted_at"] is None):
            found[(row["series_id"], row["product_id"])] = row
        return found


class PackagingRunLedger(BrandLedgerBase):
    """Packaging runs, matched on the number."""

    model = PackagingRun
    sheet_name = "包装生产"
    key_field = "number"
    repr_field = "number"
    parent_field = "series"
    select_related = ("series", "product")
    columns = [
        Column("number", "批次编号", text(30), required=True, note="每批唯一", example="BZ-001"),
        series_column(),
        ForeignColumn(
            "product",
            "商品",
            Product,
            keys=("code", "name"),
            note="系列通用包装可不填；填写时须是该系列的产品",
            example="BR-001",
        ),
        Column("design", "包装设计", text(200), required=True, example="礼盒 2.5kg 装"),
        Column("units", "生产数量（件）", positive, required=True, note="整数，大于 0", example="2000"),
        Column("supplier", "包装供应商", text(200), required=True, example="巴彦淖尔印务有限公司"),
        Column("invoice_number", "发票号码", text(50), example="04512345"),
        day("produced_on", "生产日期"),
        Column("notes", "备注", text(300)),
    ]

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        pairs = {(p.values["series"].pk, p.values["product"].pk) for p in plans if p.values.get("product")}
        if not pairs:
            return
        known = set(
            SeriesProduct.objects.filter(
                series_id__in={s for s, _p in pairs}, product_id__in={p for _s, p in pairs}
            ).values_list("series_id", "product_id")
        )
        for plan in plans:
            product = plan.values.get("product")
            if product is not None and (plan.values["series"].pk, product.pk) not in known:
                report.add(
                    plan.number,
                    "商品",
                    _("「%(p)s」不是系列「%(s)s」的产品，请先把它加入该系列")
                    % {"p": product, "s": plan.values["series"].name},
                )
