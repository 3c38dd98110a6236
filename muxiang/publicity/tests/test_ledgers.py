"""The publicity ledgers as spreadsheets: each keeps the promises of every ledger (all or nothing,
idempotent, audited, the export importing back unchanged), and refuses the bad rows of its own
domain (negative reads, no pages, an address that is not a web page, the county as a place, a date
in an accepted phase) naming row and column, writing nothing."""

import datetime

import pytest

from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import LedgerImportContract, ledger_xlsx, problems
from muxiang.publicity.ledgers import (
    ArticleLedger,
    BillboardLedger,
    BrochureDistributionLedger,
    MediaCoverageLedger,
    VideoLedger,
)
from muxiang.publicity.models import Article, BrochureDistribution, Video
from muxiang.publicity.tests.conftest import IN_PHASE_1, IN_PHASE_2, make_article


class PublicityLedgerContract(LedgerImportContract):
    @pytest.fixture(autouse=True)
    def _contract(self, contract):
        """Rows leave 合同 empty: the only contract loaded is theirs."""

    def record_for(self, row):
        # Links are matched as typed (the shared helper upper-cases codes).
        ledger = self.ledger_class
        key = row[ledger.header_of(ledger, ledger.key_field)]
        return self.model.all_objects.get(**{ledger.key_field: str(key)})


@pytest.mark.django_db
class TestArticleLedger(PublicityLedgerContract):
    ledger_class = ArticleLedger
    list_url = "/publicity/articles/"
    # Reads grow after publication: a re-import changing only them is the everyday update.
    changed_header, changed_value, changed_field = "阅读量", 5230, "reads"
    bad_header, bad_value, bad_fragment = "阅读量", -5, "不能为负数：-5"

    @pytest.fixture
    def rows(self):
        return [
            {
                "标题": "牧乡好物：乌拉特中旗羊肉走进直播间",
                "发布渠道": "微信公众号",
                "公众号/账号名称": "乌拉特中旗电商",
                "链接": "https://mp.weixin.qq.com/s/AbC-1?__biz=MzA&mid=1&idx=1",
                "发布日期": IN_PHASE_1,
                "阅读量": 3260,
                "区域公共品牌宣传": "是",
                "备注": "首期",
            },
            {
                "标题": "向日葵收获季",
                "发布渠道": "抖音",
                "链接": "https://www.douyin.com/note/2",
                "发布日期": IN_PHASE_2,
                "阅读量": 0,
            },
            {
                "标题": "河套面粉进城记",
                "发布渠道": "wechat",
                "链接": "http://example.cn/3.html",
                "发布日期": "2026/08/02",
                "阅读量": "1,200",
            },
        ]


@pytest.mark.django_db
class TestMediaCoverageLedger(PublicityLedgerContract):
    ledger_class = MediaCoverageLedger
    list_url = "/publicity/coverage/"
    changed_header, changed_value, changed_field = "媒体名称", "巴彦淖尔日报", "outlet"
    bad_header, bad_value, bad_fragment = "媒体级别", "乡级", "「乡级」不是可选值"

    @pytest.fixture
    def rows(self):
        return [
            {
                "媒体级别": "国家级",
                "媒体名称": "人民网",
                "报道标题": "草原上的电商服务站",
                "发布日期": IN_PHASE_1,
                "链接": "https://www.people.com.cn/n1/2026/1.html",
                "区域公共品牌宣传": "是",
                "备注": "专题",
            },
            {
                "媒体级别": "省级",
                "媒体名称": "内蒙古日报",
                "报道标题": "电商进牧区",
                "发布日期": IN_PHASE_2,
                "链接": "https://www.nmgrb.com.cn/2.html",
            },
            {
                "媒体级别": "县级",
                "媒体名称": "乌拉特中旗融媒体中心",
                "报道标题": "电商培训开班",
                "发布日期": IN_PHASE_2,
                "链接": "https://wltzq.example.cn/3",
            },
        ]


@pytest.mark.django_db
class TestBillboardLedger(PublicityLedgerContract):
    ledger_class = BillboardLedger
    list_url = "/publicity/billboards/"
    changed_header, changed_value, changed_field = "宣传内容", "牧乡好物 网上有售", "content"
    bad_header, bad_value, bad_fragment = "安装日期", "2026-13-01", "日期"

    @pytest.fixture
    def rows(self, town, village):
        return [
            {
                "编号": "GGP-001",
                "设置地点": "G7 京新高速海流图出口",
                "所在镇村": town.path,
                "安装日期": IN_PHASE_1,
                "尺寸": "6m×3m",
                "宣传内容": "电子商务进农村综合示范项目",
                "备注": "双面",
            },
            {"编号": "GGP-002", "设置地点": "巴音村村委会", "所在镇村": village.path, "安装日期": IN_PHASE_1},
            {"编号": "GGP-003", "设置地点": "电子商务公共服务中心", "安装日期": IN_PHASE_2},
        ]


@pytest.mark.django_db
class TestBrochureDistributionLedger(PublicityLedgerContract):
    ledger_class = BrochureDistributionLedger
    list_url = "/publicity/brochures/"
    changed_header, changed_value, changed_field = "发放页数", 800, "pages"
    bad_header, bad_value, bad_fragment = "发放页数", -40, "应大于 0：-40"

    @pytest.fixture
    def rows(self, town):
        return [
            {
                "编号": "CY-001",
                "彩页名称": "电商服务进牧区",
                "发放页数": 400,
                "发放地点": "海流图镇那达慕会场",
                "所在镇村": town.path,
                "发放日期": IN_PHASE_1,
                "发放对象": "赶集牧民",
                "备注": "四页折页",
            },
            {
                "编号": "CY-002",
                "彩页名称": "网店开设指南",
                "发放页数": 200,
                "发放地点": "培训教室",
                "发放日期": IN_PHASE_2,
            },
            {
                "编号": "CY-003",
                "彩页名称": "溯源码说明",
                "发放页数": "1,000",
                "发放地点": "集市",
                "发放日期": IN_PHASE_2,
            },
        ]


@pytest.mark.django_db
class TestVideoLedger(PublicityLedgerContract):
    ledger_class = VideoLedger
    list_url = "/publicity/videos/"
    changed_header, changed_value, changed_field = "播放量", 9999, "views"
    bad_header, bad_value, bad_fragment = "链接", "ftp://files.example.cn/film.mp4", "http:// 或 https://"

    @pytest.fixture
    def rows(self):
        return [
            {
                "视频标题": "乌拉特中旗区域公共品牌宣传片",
                "视频类别": "区域品牌宣传片",
                "发布平台": "微信视频号",
                "链接": "https://channels.weixin.qq.com/v/1",
                "发布日期": IN_PHASE_1,
                "播放量": 5200,
                "区域公共品牌宣传": "是",
                "备注": "首发",
            },
            {
                "视频标题": "乌拉特中旗区域公共品牌宣传片",
                "视频类别": "区域品牌宣传片",
                "发布平台": "抖音",
                "链接": "https://www.douyin.com/video/2",
                "发布日期": IN_PHASE_1,
                "播放量": 800,
            },
            {
                "视频标题": "网店开设培训第一讲",
                "视频类别": "培训视频",
                "发布平台": "乌拉特中旗电商公众号",
                "链接": "https://mp.weixin.qq.com/s/video-3",
                "发布日期": IN_PHASE_2,
                "播放量": 0,
            },
        ]


# --- the rules of each ledger -----------------------------------------------------------------------


def import_rows(ledger_class, user, rows):
    return ledger_class(user).import_file(ledger_xlsx(ledger_class, rows), "台账.xlsx")


def only_problem(report):
    assert not report.ok
    [problem] = report.problems
    return problem


ARTICLE = {
    "标题": "牧乡好物",
    "发布渠道": "微信公众号",
    "链接": "https://mp.weixin.qq.com/s/1",
    "发布日期": IN_PHASE_1,
    "阅读量": 10,
}


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("阅读量", -1, "不能为负数：-1"),
        ("阅读量", "很多", "应为整数：很多"),
        ("阅读量", None, "必填"),
        ("链接", "mp.weixin.qq.com/s/1", "请填写以 http:// 或 https:// 开头的完整网址"),
        ("链接", "javascript:alert(1)", "请填写以 http:// 或 https:// 开头的完整网址"),
        ("发布渠道", "小红书网", "不是可选值"),
        ("发布日期", datetime.date(2027, 1, 1), "日期不能晚于今天"),
    ],
)
def test_a_bad_article_row_is_refused_naming_row_and_column(staff, contract, header, value, message):
    report = import_rows(
        ArticleLedger, staff, [ARTICLE, {**ARTICLE, "链接": "https://x.cn/2", header: value}]
    )
    problem = only_problem(report)
    assert (problem.row, problem.column) == (3, header)
    assert message in problem.message
    assert not Article.all_objects.exists()


@pytest.mark.parametrize("pages", [0, -3])
def test_a_distribution_of_no_pages_is_refused_naming_row_and_column(staff, contract, pages):
    row = {
        "编号": "CY-001",
        "彩页名称": "彩页",
        "发放页数": pages,
        "发放地点": "集市",
        "发放日期": IN_PHASE_1,
    }
    problem = only_problem(import_rows(BrochureDistributionLedger, staff, [row]))
    assert str(problem) == f"第 2 行，「发放页数」列：应大于 0：{pages}"
    assert not BrochureDistribution.all_objects.exists()


def test_a_negative_view_count_is_refused_naming_row_and_column(staff, contract):
    row = {"视频标题": "片", "视频类别": "宣传片", "发布平台": "抖音", "链接": "https://v.cn/1"}
    problem = only_problem(import_rows(VideoLedger, staff, [{**row, "发布日期": IN_PHASE_1, "播放量": -20}]))
    assert str(problem) == "第 2 行，「播放量」列：不能为负数：-20"
    assert not Video.all_objects.exists()


def test_a_billboard_placed_in_the_county_as_a_whole_is_refused(staff, contract, county):
    row = {"编号": "GGP-001", "设置地点": "某处", "所在镇村": county.path, "安装日期": IN_PHASE_1}
    problem = only_problem(import_rows(BillboardLedger, staff, [row]))
    assert (problem.column, problem.message) == ("所在镇村", "请选择到镇/苏木或村/嘎查")


def test_a_link_of_a_deleted_article_is_refused_until_it_is_restored(staff, contract):
    article = make_article(contract, url=ARTICLE["链接"])
    article.deleted_at = article.created_at
    article.save()
    problem = only_problem(import_rows(ArticleLedger, staff, [ARTICLE]))
    assert (problem.row, problem.column) == (2, "链接")
    assert "已被删除" in problem.message


def test_a_brand_film_row_is_always_a_brand_promotion(staff, contract):
    row = {"视频标题": "品牌片", "视频类别": "区域品牌宣传片", "发布平台": "抖音", "链接": "https://v.cn/1"}
    report = import_rows(
        VideoLedger, staff, [{**row, "发布日期": IN_PHASE_1, "播放量": 1, "区域公共品牌宣传": "否"}]
    )
    assert report.ok, problems(report)
    assert Video.objects.get().promotes_brand is True


# --- reads updated by re-import, and accepted phases ---------------------------------------------


def test_a_reimport_changing_only_reads_writes_one_audit_entry_with_the_old_and_new_figure(staff, contract):
    # given the article as first imported, 3 days after publication
    assert import_rows(ArticleLedger, staff, [ARTICLE]).ok
    article = Article.objects.get()
    # when a month later the export is re-imported with the reads read off the back end
    report = import_rows(ArticleLedger, staff, [{**ARTICLE, "阅读量": 4800}])
    # then
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    entry = ObjectChange.objects.filter(object_id=article.pk, action="update").get()
    assert entry.changed_fields() == {"reads": (10, 4800)}
    assert (entry.user, entry.source) == (staff, "import")


def test_a_row_dated_in_an_accepted_phase_is_refused_but_an_unchanged_one_is_not(
    staff, contract, phase_1_accepted
):
    # given an article of phase 1, imported before the phase was accepted
    stored = make_article(contract, url=ARTICLE["链接"], reads=ARTICLE["阅读量"], title=ARTICLE["标题"])
    unchanged = {**ARTICLE, "公众号/账号名称": stored.account}
    new = {**ARTICLE, "链接": "https://mp.weixin.qq.com/s/late"}
    # when a file repeats it unchanged, and adds a new article dated in phase 1
    report = import_rows(ArticleLedger, staff, [unchanged, new])
    # then only the new row is refused
    problem = only_problem(report)
    assert (problem.row, problem.column) == (3, "发布日期")
    assert "已验收" in problem.message
    # and the unchanged row alone imports as unchanged
    alone = import_rows(ArticleLedger, staff, [unchanged])
    assert alone.ok and alone.unchanged == 1, problems(alone)


def test_a_row_may_name_its_contract_by_key_or_name(staff, contract):
    rows = [
        {**ARTICLE, "合同": contract.key},
        {**ARTICLE, "合同": contract.name, "链接": "https://x.cn/2"},
        {**ARTICLE, "链接": "https://x.cn/3"},
    ]
    report = import_rows(ArticleLedger, staff, rows)
    assert report.ok, problems(report)
    assert set(Article.objects.values_list("contract", flat=True)) == {contract.pk}


def test_a_row_naming_an_unknown_contract_is_refused(staff, contract):
    problem = only_problem(import_rows(ArticleLedger, staff, [{**ARTICLE, "合同": "no-such-contract"}]))
    assert (problem.row, problem.column) == (2, "合同")
    assert "找不到" in problem.message
