"""The publicity ledgers (台账). Articles, media coverage and videos are matched on their link (a
publication has exactly one address); billboards and brochure distributions on their number.

Reads and views grow after publication: export the ledger, change the 阅读量 / 播放量 column and
import it again. Only the changed cells are written, each changed record with one audit entry."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.contracts.records import ContractRecordLedger, contract_column, only_contract
from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    boolean,
    checked,
    choice,
    date_cell,
    integer,
    text,
)
from muxiang.publicity.choices import ArticleChannel, MediaLevel, VideoKind
from muxiang.publicity.models import (
    URL_LENGTH,
    Article,
    Billboard,
    BrochureDistribution,
    MediaCoverage,
    Video,
    validate_web_url,
)
from muxiang.regions.models import Region

YES_NO = ["是", "否"]


def url_problem(value: str) -> str | None:
    if len(value) > URL_LENGTH:
        return _("超过 %(n)d 个字符") % {"n": URL_LENGTH}
    try:
        validate_web_url(value)
    except ValidationError as exc:
        return str(exc.messages[0])
    return None


NEGATIVE = gettext_lazy("不能为负数：%(v)s")
NOT_POSITIVE = gettext_lazy("应大于 0：%(v)s")


def count(minimum: int, message):
    """A whole number of at least ``minimum``, refused with ``message`` (reads, views, pages)."""
    parse_integer = integer(min_value=None)

    def parse(raw):
        value = parse_integer(raw)
        if value is not None and value < minimum:
            raise CellError(str(message) % {"v": value})
        return value

    return parse


def url_column():
    return Column(
        "url",
        "链接",
        checked(url_problem),
        required=True,
        note="发布页面的网址，以 http:// 或 https:// 开头；按链接匹配已有记录",
        example="https://mp.weixin.qq.com/s/AbCdEf123",
    )


def day(field, header):
    return Column(
        field, header, date_cell(allow_future=False), required=True, note="不晚于今天", example="2025-06-18"
    )


def brand_column(note="计入合同 2.3 区域品牌宣传次数"):
    return Column("promotes_brand", "区域公共品牌宣传", boolean(), note=note, options=YES_NO)


def region_column():
    return ForeignColumn(
        "region",
        "所在镇村",
        Region,
        keys=("code", "path", "name"),
        note="镇/苏木或村/嘎查：区划代码、全称或名称",
        example="乌拉特中旗/海流图镇",
        export=lambda record, ledger: record.region.path if record.region_id else "",
    )


def choice_column(field, header, choices, example):
    return Column(
        field,
        header,
        choice(choices),
        required=True,
        options=[str(label) for label in choices.labels],
        example=example,
    )


class PublicityLedger(ContractRecordLedger):
    """The rules every publicity ledger shares on import."""

    def clean_row(self, values):
        if values.get("contract") is None:
            # ContractRecordLedger looks the only contract up again for every row with an empty
            # 合同 cell (``setdefault`` evaluates its default each time): look it up once per file.
            if "_the_only_contract" not in self.__dict__:
                self._the_only_contract = only_contract()
            if self._the_only_contract is None:
                raise CellError("合同", _("系统中有多个合同，请填写合同标识"))
            values["contract"] = self._the_only_contract
        super().clean_row(values)
        region = values.get("region")
        if region is not None and region.level == "county":
            raise CellError("所在镇村", _("请选择到镇/苏木或村/嘎查"))

    def validate_plans(self, plans, report):
        # A row that changes nothing writes nothing, so it cannot touch an accepted phase: a
        # re-import of the whole exported ledger stays possible after phase 1 is accepted.
        super().validate_plans([plan for plan in plans if plan.pk is None or plan.changed], report)


class ArticleLedger(PublicityLedger):
    """Articles, matched on the link."""

    model = Article
    sheet_name = "宣传文章"
    key_field = "url"
    repr_field = "title"
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column("title", "标题", text(200), required=True, example="牧乡好物：乌拉特中旗羊肉走进直播间"),
        choice_column("channel", "发布渠道", ArticleChannel, "微信公众号"),
        Column("account", "公众号/账号名称", text(100), example="乌拉特中旗电商"),
        url_column(),
        day("published_on", "发布日期"),
        Column(
            "reads",
            "阅读量",
            count(0, NEGATIVE),
            required=True,
            note="整数，不能为负数；尚无数据填 0。以后更新阅读量：改这一列后重新导入",
            example="3260",
        ),
        brand_column("是：计入合同 2.3 区域品牌宣传次数，阅读量计入累计阅读量"),
        Column("notes", "备注", text(300)),
    ]


class MediaCoverageLedger(PublicityLedger):
    """Media coverage, matched on the link."""

    model = MediaCoverage
    sheet_name = "媒体宣传"
    key_field = "url"
    repr_field = "title"
    select_related = ("contract",)
    columns = [
        contract_column(),
        choice_column("level", "媒体级别", MediaLevel, "省级"),
        Column("outlet", "媒体名称", text(100), required=True, example="内蒙古日报"),
        Column("title", "报道标题", text(200), required=True, example="乌拉特中旗：电商进牧区 牛羊肉卖全国"),
        day("published_on", "发布日期"),
        url_column(),
        brand_column(),
        Column("notes", "备注", text(300)),
    ]


class BillboardLedger(PublicityLedger):
    """Outdoor billboards, matched on the number."""

    model = Billboard
    sheet_name = "户外宣传牌"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "region")
    columns = [
        contract_column(),
        Column("number", "编号", text(30), required=True, note="每块宣传牌唯一", example="GGP-001"),
        Column("place", "设置地点", text(200), required=True, example="G7 京新高速海流图出口"),
        region_column(),
        day("installed_on", "安装日期"),
        Column("size", "尺寸", text(50), example="6m×3m"),
        Column("content", "宣传内容", text(300), example="电子商务进农村综合示范项目"),
        Column("notes", "备注", text(300)),
    ]


class BrochureDistributionLedger(PublicityLedger):
    """Brochure distributions, matched on the number."""

    model = BrochureDistribution
    sheet_name = "宣传彩页发放"
    key_field = "number"
    repr_field = "number"
    select_related = ("contract", "region")
    columns = [
        contract_column(),
        Column("number", "编号", text(30), required=True, note="每次发放唯一", example="CY-001"),
        Column("title", "彩页名称", text(200), required=True, example="电商服务进牧区 宣传彩页"),
        Column(
            "pages",
            "发放页数",
            count(1, NOT_POSITIVE),
            required=True,
            note="整数，大于 0；按页计：4 页的彩页发给 100 人为 400 页",
            example="400",
        ),
        Column("place", "发放地点", text(200), required=True, example="海流图镇那达慕会场"),
        region_column(),
        day("distributed_on", "发放日期"),
        Column("audience", "发放对象", text(200), example="赶集牧民"),
        Column("notes", "备注", text(300)),
    ]


class VideoLedger(PublicityLedger):
    """Videos, matched on the link: one row per publication, the same film on five platforms five
    rows with the same title."""

    model = Video
    sheet_name = "视频发布"
    key_field = "url"
    repr_field = "title"
    select_related = ("contract",)
    columns = [
        contract_column(),
        Column("title", "视频标题", text(200), required=True, example="乌拉特中旗区域公共品牌宣传片"),
        choice_column("kind", "视频类别", VideoKind, "培训视频"),
        Column("platform", "发布平台", text(100), required=True, example="微信视频号"),
        url_column(),
        day("published_on", "发布日期"),
        Column(
            "views",
            "播放量",
            count(0, NEGATIVE),
            required=True,
            note="整数，不能为负数；尚无数据填 0",
            example="1200",
        ),
        brand_column("是：计入合同 2.3 区域品牌宣传次数，播放量计入累计阅读量；区域品牌宣传片总是计入"),
        Column("notes", "备注", text(300)),
    ]

    def clean_row(self, values):
        super().clean_row(values)
        # As Video.clean: a brand film promotes the brand whatever the cell says.
        if values.get("kind") == VideoKind.BRAND_PROMO:
            values["promotes_brand"] = True
