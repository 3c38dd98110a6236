"""The sales ledger (and the order exports of the platforms), the census years and their rows as
spreadsheets. Sales are matched on (订单来源, 订单号): importing the same export again finds every
order already counted and writes nothing."""

from django.utils.translation import gettext as _

from muxiang.centre.models import Event
from muxiang.contracts.models import Contract
from muxiang.contracts.records import ContractRecordLedger, contract_column
from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    Table,
    choice,
    date_cell,
    decimal_number,
    integer,
    text,
)
from muxiang.organisations.models import Organisation
from muxiang.publicity.models import Article
from muxiang.regions.models import Region
from muxiang.sales import services
from muxiang.sales.choices import BuyerKind, SaleMode, SalesChannel
from muxiang.sales.models import CensusEntry, ProductCensus, Sale
from muxiang.stations.models import Station
from muxiang.supply.models import Product

# What the platforms call our columns in their order exports (抖音小店, 淘宝, 拼多多, 有赞 …): an
# export is imported as it is downloaded, with the columns it lacks (来源, 销售主体, 渠道) added.
HEADER_ALIASES = {
    "订单编号": "订单号",
    "子订单编号": "订单号",
    "主订单编号": "订单号",
    "下单时间": "销售日期",
    "下单日期": "销售日期",
    "付款时间": "销售日期",
    "订单创建时间": "销售日期",
    "商品编码": "商品",
    "商家编码": "商品",
    "商品名称": "商品",
    "商品数量": "数量",
    "购买数量": "数量",
    "实付金额": "金额（元）",
    "订单金额": "金额（元）",
    "实收款": "金额（元）",
    "金额": "金额（元）",
    "平台": "订单来源",
    "店铺平台": "订单来源",
    "渠道": "销售渠道",
    "收货人": "买家",
    "买家昵称": "买家",
}


class OrderKey(tuple):
    """(source, order number), reading as 「抖音小店 6938…」 in messages."""

    def __str__(self):
        return " ".join(self)


class SaleLedger(ContractRecordLedger):
    """农产品销售: one row per order or sales document."""

    model = Sale
    sheet_name = "农产品销售"
    key_field = "order_number"
    repr_field = "order_number"
    select_related = ("contract", "seller", "product", "event", "promotion", "station")
    columns = [
        contract_column(),
        Column(
            "source",
            "订单来源",
            text(50),
            required=True,
            note="平台或单据来源，如：抖音小店、淘宝、手工登记；与订单号一起识别订单",
            example="抖音小店",
        ),
        Column(
            "order_number",
            "订单号",
            text(60),
            required=True,
            note="平台订单号或单据号；同一来源的订单号只计一次",
            example="6938120045511",
        ),
        Column("sold_on", "销售日期", date_cell(allow_future=False), required=True, example="2026-03-15"),
        ForeignColumn(
            "seller",
            "销售主体",
            Organisation,
            keys=("credit_code", "name"),
            required=True,
            note="统一社会信用代码或不重名的单位名称",
            example="乌拉特中旗巴美羊肉合作社",
            export=lambda r, ledger: r.seller.name,
        ),
        ForeignColumn(
            "product",
            "商品",
            Product,
            keys=("code", "gtin", "name"),
            required=True,
            note="商品编号、商品条码或不重名的商品名称（须已在商品目录中登记）",
            example="SP-0001",
            export=lambda r, ledger: r.product.code,
        ),
        Column("quantity", "数量", decimal_number(3, min_value=None), required=True, example="2"),
        Column(
            "amount",
            "金额（元）",
            decimal_number(2, min_value=None),
            required=True,
            note="实收金额，应大于 0",
            example="198.00",
        ),
        Column(
            "channel",
            "销售渠道",
            choice(SalesChannel),
            required=True,
            options=[str(c.label) for c in SalesChannel],
        ),
        Column(
            "mode",
            "线上/线下",
            choice(SaleMode),
            note="留空则按渠道判断：传统电商、社区团购、自媒体电商为线上",
            options=[str(c.label) for c in SaleMode],
        ),
        Column(
            "buyer_kind",
            "买家类型",
            choice(BuyerKind),
            note="留空为个人消费者",
            options=[str(c.label) for c in BuyerKind],
        ),
        Column("buyer", "买家", text(100)),
        ForeignColumn(
            "event",
            "产销对接会",
            Event,
            keys=("number",),
            note="带来这笔销售的产销对接会的活动编号，如 HD-202603-001",
            export=lambda r, ledger: r.event.number if r.event_id else "",
            queryset=Event.objects.filter(kind="matchmaking"),
        ),
        ForeignColumn(
            "promotion",
            "品牌宣传链接",
            Article,
            keys=("url",),
            note="带来这笔销售的区域公共品牌宣传文章的链接",
            export=lambda r, ledger: r.promotion.url if r.promotion_id else "",
            queryset=Article.objects.filter(promotes_brand=True),
        ),
        ForeignColumn(
            "station",
            "站点编号",
            Station,
            keys=("code",),
            note="代卖或带动这笔销售的电商服务站点",
            export=lambda r, ledger: r.station.code if r.station_id else "",
        ),
        Column("notes", "备注", text(300)),
    ]

    def prepare(self, table: Table) -> None:
        present = set(table.headers)
        renamed = []
        for header in table.headers:
            wanted = HEADER_ALIASES.get(header)
            if wanted and wanted not in present:
                present.add(wanted)
                renamed.append(wanted)
            else:
                renamed.append(header)
        table.headers = renamed

    def key_of(self, values):
        source, number = values.get("source"), values.get("order_number")
        if not source or not number:
            return None
        return OrderKey((source, number))

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "source", "order_number", "deleted_at", *(attnames[n][0] for n in compared)}
        wanted = set(keys)
        numbers = sorted({number for _source, number in keys})
        found = {}
        # One query per 2,000 order numbers whatever the sources: a number names one order on
        # nearly every platform, so the few rows of another source read along cost nothing.
        for start in range(0, len(numbers), 2000):
            rows = Sale.all_objects.filter(order_number__in=numbers[start : start + 2000])
            for row in rows.values(*names):
                key = OrderKey((row["source"], row["order_number"]))
                if key in wanted:
                    found[key] = row
        return found

    def clean_row(self, values):
        super().clean_row(values)
        problem = services.amount_problem(values.get("amount"))
        if problem:
            raise CellError("金额（元）", problem)
        if values.get("quantity") is not None and values["quantity"] <= 0:
            raise CellError("数量", _("数量应大于 0：%(v)s") % {"v": values["quantity"]})
        if not values.get("mode"):
            values["mode"] = services.default_mode(values["channel"])
        if not values.get("buyer_kind"):
            values["buyer_kind"] = BuyerKind.CONSUMER


class CensusKey(tuple):
    """(contract id, year), shown as the year: several contracts each have their 2026 census."""

    def __str__(self):
        return str(self[1])


class ProductCensusLedger(ContractRecordLedger):
    """The census years: one row per contract and year, matched on (合同, 年度)."""

    model = ProductCensus
    sheet_name = "农村产品数据库年度版本"
    key_field = "year"
    repr_field = "year"
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column("year", "年度", integer(min_value=2000), required=True, example="2026"),
        Column("completed_on", "完成日期", date_cell(allow_future=False), note="未完成时留空"),
        Column("summary", "摸底情况概述", text(5000)),
        Column("proposal", "产业提升建议方案", text(10000), note="完成年度更新时必填"),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        problems = services.census_problems(
            None, values.get("year"), values.get("completed_on"), values.get("proposal")
        )
        headers = {"completed_on": "完成日期", "proposal": "产业提升建议方案"}
        for field, message in problems.items():
            raise CellError(headers.get(field, "年度"), message)

    def key_of(self, values):
        contract, year = values.get("contract"), values.get("year")
        if contract is None or year is None:
            return None
        return CensusKey((contract.pk, year))

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "contract_id", "year", "deleted_at", *(attnames[n][0] for n in compared)}
        wanted = set(keys)
        found = {}
        for row in ProductCensus.all_objects.filter(year__in={k[1] for k in keys}).values(*names):
            key = (row["contract_id"], row["year"])
            if key in wanted:
                found[key] = row
        return found


def _shares_cell(raw):
    from muxiang.core.ledgers import _as_text

    try:
        return services.parse_channel_shares(_as_text(raw))
    except ValueError as exc:
        raise CellError(str(exc)) from exc


class EntryKey(tuple):
    def __str__(self):
        return f"{self.parts[0]}年 {self.parts[1]} {self.parts[2]}"


class CensusEntryLedger(Ledger):
    """The rows of the census years, matched on (年度, 产品品类, 镇/苏木)."""

    model = CensusEntry
    sheet_name = "农村产品数据库"
    key_field = "category"
    repr_field = "category"
    select_related = ("census__contract", "town")
    columns = [
        ForeignColumn(
            "contract",
            "合同",
            Contract,
            keys=("key", "name"),
            note="合同标识或合同名称；不填时按镇/苏木所在旗县找到合同",
            example="urad-middle-banner-package-1",
            export=lambda r, ledger: r.census.contract.key,
        ),
        Column(
            "year",
            "年度",
            integer(min_value=2000),
            required=True,
            note="已建立的年度版本，如 2026",
            example="2026",
            export=lambda r, ledger: r.census.year,
        ),
        Column("category", "产品品类", text(50), required=True, example="肉羊"),
        ForeignColumn(
            "town",
            "镇/苏木",
            Region,
            keys=("code", "path", "name"),
            required=True,
            note="区划代码、全称或不重名的名称",
            example="乌拉特中旗/海流图镇",
            export=lambda r, ledger: r.town.path,
            queryset=Region.objects.towns(),
        ),
        Column("planted_area", "种植面积（亩）", decimal_number(2), note="种植业填写；与存栏量至少填一项"),
        Column("herd_size", "存栏量（头/只）", integer(), note="养殖业填写"),
        Column("output", "产量", decimal_number(2), required=True, example="1200"),
        Column("output_unit", "产量单位", text(10), example="吨"),
        Column("market_season", "上市时间", text(50), required=True, example="9—11 月"),
        Column("quality_level", "质量水平", text(100), example="绿色食品认证"),
        Column("technology_level", "技术水平", text(100), example="标准化养殖"),
        Column(
            "channel_shares",
            "传统销售渠道及比例",
            _shares_cell,
            required=True,
            note="渠道名称 比例，用顿号分隔，合计 100%",
            example="收购商 60%、农贸市场 30%、合作社统销 10%",
            export=lambda r, ledger: services.format_channel_shares(r.channel_shares),
        ),
        Column("own_brands", "自主品牌情况", text(200)),
        Column("ecommerce_firms", "农产品电商企业情况", text(300)),
        Column("notes", "备注", text(300)),
    ]

    def key_of(self, values):
        census, category, town = values.get("census"), values.get("category"), values.get("town")
        if census is None or not category or town is None:
            return None
        key = EntryKey((census.pk, category, town.pk))
        key.parts = (census.year, category, town.name)
        return key

    def existing_by_key(self, keys, compared):
        attnames = self._attnames()
        names = {"id", "census_id", "category", "town_id", "deleted_at", *(attnames[n][0] for n in compared)}
        wanted = set(keys)
        found = {}
        rows = CensusEntry.objects.filter(census_id__in={k[0] for k in keys}).values(*names)
        for row in rows:
            key = (row["census_id"], row["category"], row["town_id"])
            if key in wanted:
                found[key] = row
        return found

    def clean_row(self, values):
        if not values.get("output_unit"):
            values["output_unit"] = "吨"
        # The row names its census by contract and year; the contract may be left to the town's
        # county. Every row ends with the same keys in the same order (the engine completes them
        # in one pass).
        contract, year = values.pop("contract", None), values.pop("year")
        town = values.get("town")
        # The census years of a year are read once per file, not once per row.
        years = self.__dict__.setdefault("_census_years", {})
        if year not in years:
            years[year] = list(ProductCensus.objects.filter(year=year).select_related("contract__county"))
        census = services.census_for(year, town, contract, years[year])
        if isinstance(census, str):
            raise CellError("合同" if contract else "年度", census)
        values["census"] = census
        problems = services.entry_problems(
            None,
            values.get("category"),
            values.get("town"),
            values.get("planted_area"),
            values.get("herd_size"),
            values.get("channel_shares"),
        )
        headers = {
            "town": "镇/苏木",
            "planted_area": "种植面积（亩）",
            "channel_shares": "传统销售渠道及比例",
            "census": "年度",
        }
        for field, message in problems.items():
            raise CellError(headers.get(field, "产品品类"), message)
        problem = services.town_outside_contract(census.contract, town)
        if problem:
            raise CellError("镇/苏木", problem)
        # Once per census year, not once per row.
        frozen = self.__dict__.setdefault("_frozen", {})
        if census.pk not in frozen:
            frozen[census.pk] = census.frozen_problem()
        if frozen[census.pk]:
            raise CellError("年度", frozen[census.pk])
