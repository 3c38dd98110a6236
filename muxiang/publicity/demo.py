"""Demo records of publicity (see ``muxiang.demo.activity``): a year and a quarter of articles on the
programme's WeChat account and short-video channels, media reports, the outdoor billboards of phase
1, brochures handed out at fairs and trainings, training videos and the regional brand film shown on
six platforms.

The story the dashboard tells: phase 1's targets are met (articles 300, media 6, brochure pages
10,000, brand promotions 30 with 100,000 reads, one brand film shown five times), a few records
lacking their screenshot or photo so the target pages show "missing evidence"; phase 2 — three
months in — is partly done. Links are synthetic addresses on the real platforms' hosts.
"""

import string

from muxiang.core import audit
from muxiang.core.choices import ChangeAction
from muxiang.core.ledgers import bulk_changes
from muxiang.publicity.choices import ArticleChannel, MediaLevel, VideoKind
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, MediaCoverage, Video
from muxiang.regions.models import Region

AUDIT_MESSAGE = "加载示例数据"

PLACES = [
    "海流图镇", "乌加河镇", "德岭山镇", "石哈河镇", "甘其毛都镇",
    "温更镇", "川井苏木", "新忽热苏木", "呼鲁斯太苏木", "巴音乌兰苏木",
]  # fmt: skip
PRODUCTS = [
    "巴美羊肉", "草原牛肉干", "奶豆腐", "奶皮子", "向日葵籽", "河套面粉",
    "羊绒围巾", "沙葱", "肉苁蓉", "黄河鲤鱼", "蒙古族刺绣", "风干羊肉",
]  # fmt: skip
ARTICLE_TITLES = [
    "{place}：{product}搭上电商快车",
    "{product}直播带货走进{place}",
    "电商服务站让{place}牧民足不出户卖{product}",
    "电商培训走进{place}，牧民学会网上开店卖{product}",
    "{place}{product}网店订单排到了下个月",
    "快递进嘎查：{place}的{product}两天到北京",
    "产销对接会签约，{place}{product}进驻大型商超",
    "溯源码上线：扫一扫就知道{product}来自{place}",
]
BRAND_TITLES = [
    "「乌拉特草原」区域公共品牌｜{product}的草原好味道",
    "品牌故事｜{place}牧民与{product}",
    "乌拉特好物｜{product}：从{place}到全国餐桌",
]
# (channel, account, how its links look)
CHANNELS = [
    (ArticleChannel.WECHAT, "乌拉特中旗电子商务公共服务中心", "https://mp.weixin.qq.com/s/{token}"),
    (ArticleChannel.WECHAT, "乌拉特中旗电子商务公共服务中心", "https://mp.weixin.qq.com/s/{token}"),
    (ArticleChannel.WECHAT, "乌拉特中旗电子商务公共服务中心", "https://mp.weixin.qq.com/s/{token}"),
    (ArticleChannel.WECHAT, "乌拉特中旗融媒体中心", "https://mp.weixin.qq.com/s/{token}"),
    (ArticleChannel.DOUYIN, "牧乡乌拉特", "https://www.douyin.com/note/{digits}"),
    (ArticleChannel.TOUTIAO, "乌拉特中旗电商", "https://www.toutiao.com/article/{digits}/"),
    (ArticleChannel.WEIBO, "乌拉特中旗电商", "https://weibo.com/7{digits}"),
]
# (level, outlet, host)
OUTLETS = [
    (MediaLevel.NATIONAL, "人民网", "https://nm.people.com.cn/n2/2025/{digits}.html"),
    (MediaLevel.NATIONAL, "新华网", "https://www.news.cn/local/{digits}.htm"),
    (MediaLevel.PROVINCIAL, "内蒙古日报", "https://www.nmgrb.com.cn/news/{digits}.html"),
    (MediaLevel.PROVINCIAL, "内蒙古广播电视台", "https://www.nmtv.cn/folder/{digits}.html"),
    (MediaLevel.CITY, "巴彦淖尔日报", "https://www.bynrb.com/news/{digits}.html"),
    (MediaLevel.CITY, "巴彦淖尔广播电视台", "https://www.byntv.cn/news/{digits}.html"),
    (MediaLevel.CITY, "巴彦淖尔日报", "https://www.bynrb.com/news/{digits}.html"),
    (MediaLevel.COUNTY, "乌拉特中旗融媒体中心", "https://mp.weixin.qq.com/s/{token}"),
    (MediaLevel.COUNTY, "乌拉特中旗融媒体中心", "https://mp.weixin.qq.com/s/{token}"),
]
MEDIA_TITLES = [
    "乌拉特中旗：电商进牧区 牛羊肉卖全国",
    "草原上的电商服务站",
    "乌拉特中旗打造「乌拉特草原」区域公共品牌",
    "边境旗县的数字乡村路：乌拉特中旗电子商务进农村综合示范见闻",
    "牧民变主播：乌拉特中旗电商培训惠及千余人次",
    "乌拉特中旗农畜产品上行通道全面打通",
    "巴彦淖尔：县域电商公共服务中心投入运营",
    "乌拉特中旗电商服务站覆盖全部苏木镇",
    "中旗牧民直播卖羊绒",
]
# (place, town, size, content)
BILLBOARDS = [
    ("G7 京新高速海流图出口", "海流图镇", "12m×4m", "乌拉特中旗国家级电子商务进农村综合示范县"),
    ("海流图镇乌兰街与甘其毛都街交叉口", "海流图镇", "6m×3m", "电商进牧区 好物出草原"),
    ("电子商务公共服务中心门前广场", "海流图镇", "8m×4m", "乌拉特中旗电子商务公共服务中心"),
    ("甘其毛都口岸货运通道入口", "甘其毛都镇", "6m×3m", "乌拉特草原 区域公共品牌"),
    ("乌加河镇政府广场", "乌加河镇", "4m×2m", "电商服务站 代买代卖 快递收发"),
    ("德岭山镇集贸市场", "德岭山镇", "4m×2m", "网上卖羊肉 就找电商服务站"),
    ("石哈河镇主街", "石哈河镇", "4m×2m", "电子商务进农村 服务到家门口"),
    ("温更镇主街东口", "温更镇", "4m×2m", "学电商 开网店 免费培训报名中"),
]
BROCHURES = [
    "电商服务进牧区",
    "网店开设指南",
    "农村电商服务站服务项目",
    "溯源码扫码说明",
    "「乌拉特草原」品牌手册",
]
AUDIENCES = ["赶集牧民", "合作社社员", "电商培训学员", "个体商户", "返乡青年", "站点周边农牧户"]
BROCHURE_PLACES = [
    "那达慕会场",
    "集贸市场",
    "电商服务站",
    "电商培训教室",
    "镇政府便民服务大厅",
    "嘎查党群服务中心",
]
# Phase 1's distributions in pages: 10,900 in all, 10,400 of them with photo and invoice.
PHASE_1_PAGES = [800, 1200, 600, 1000, 400, 900, 700, 1100, 600, 800, 500, 1000, 700, 600]
PHASE_2_PAGES = [400, 300]
TRAINING_VIDEOS = [
    "网店开设与店铺装修", "短视频拍摄入门", "直播带货话术与互动", "农畜产品包装与物流",
    "牛羊肉冷链发货要点", "商品主图拍摄技巧", "网店客服与售后", "溯源码的申领与使用",
    "社群团购运营", "电商数据看板解读", "奶食品网销标准", "羊绒制品网店运营",
]  # fmt: skip
TRAINING_PLATFORMS = [
    ("乌拉特中旗电子商务公共服务中心公众号", "https://mp.weixin.qq.com/s/{token}"),
    ("微信视频号", "https://channels.weixin.qq.com/web/pages/feed?oid={digits}"),
]
BRAND_FILM = "乌拉特中旗区域公共品牌宣传片《牧歌乌拉特》"
BRAND_FILM_PLATFORMS = [
    ("微信视频号", "https://channels.weixin.qq.com/web/pages/feed?oid={digits}"),
    ("抖音", "https://www.douyin.com/video/{digits}"),
    ("快手", "https://www.kuaishou.com/short-video/{token}"),
    ("哔哩哔哩", "https://www.bilibili.com/video/BV{token}"),
    ("学习强国", "https://www.xuexi.cn/lgpage/detail/index.html?id={digits}"),
    ("巴彦淖尔日报客户端", "https://www.bynrb.com/video/{digits}.html"),
]
PROMO_FILM = "乌拉特中旗电子商务进农村综合示范项目宣传片"
LIVE_REPLAYS = ["那达慕直播专场回放", "年货节羊肉直播回放", "向日葵丰收节直播回放", "奶食品专场直播回放"]

TOKEN_CHARS = string.ascii_letters + string.digits + "-_"


def seed(demo) -> dict[str, int]:
    towns = {region.name: region for region in Region.objects.filter(level="town")}
    links = _Links(demo)
    articles = _articles(demo, links)
    coverage = _coverage(demo, links)
    billboards = _billboards(demo, towns)
    brochures = _brochures(demo, towns)
    videos = _videos(demo, links)
    return {
        "publicity_articles": len(articles),
        "publicity_media_coverage": len(coverage),
        "publicity_billboards": len(billboards),
        "publicity_brochure_distributions": len(brochures),
        "publicity_videos": len(videos),
    }


class _Links:
    """Made-up addresses on the platforms' real hosts, each used once (the ledgers' key)."""

    def __init__(self, demo):
        self.rng = demo.rng
        self.used: set[str] = set()

    def make(self, pattern: str) -> str:
        while True:
            url = pattern.format(
                token="".join(self.rng.choice(TOKEN_CHARS) for _n in range(22)),
                digits="".join(self.rng.choice(string.digits) for _n in range(19)),
            )
            if url not in self.used:
                self.used.add(url)
                return url


def _created(model, records: list) -> list:
    """Write ``records`` at once, each with its audit entry."""
    model.objects.bulk_create(records)
    audit.record_changes(bulk_changes(records, ChangeAction.CREATE, AUDIT_MESSAGE))
    return records


def _without(records: list, every: int, offset: int) -> list:
    """All but every ``every``-th record: those are left without evidence."""
    return [record for index, record in enumerate(records) if index % every != offset]


def _articles(demo, links) -> list[Article]:
    """312 articles in phase 1 (target 300), every 13th promoting the brand; 27 so far in phase 2
    (target 75 for the year). Every 40th lacks its screenshot."""
    rng = demo.rng
    plan = []
    for phase, count in ((1, 312), (2, 27)):
        for index in range(count):
            brand = phase == 1 and index % 13 == 0
            channel, account, pattern = rng.choice(CHANNELS[:4] if brand else CHANNELS)
            template = rng.choice(BRAND_TITLES if brand else ARTICLE_TITLES)
            plan.append(
                Article(
                    contract=demo.contract,
                    title=template.format(place=rng.choice(PLACES), product=rng.choice(PRODUCTS)),
                    channel=channel,
                    account=account,
                    url=links.make(pattern),
                    published_on=demo.day_in_phase(phase),
                    reads=rng.randint(4000, 7500) if brand else rng.randint(150, 3200),
                    promotes_brand=brand,
                )
            )
    articles = _created(Article, plan)
    brand_articles = [a for a in articles if a.promotes_brand]
    demo.attach_required(_without([a for a in articles if not a.promotes_brand], 40, 7), "publicity.articles")
    # Brand articles need what the article, promotion and reads targets ask for (screenshots).
    demo.attach_required(_without(brand_articles, 24, 19), "brands.promotions")
    return articles


def _coverage(demo, links) -> list[MediaCoverage]:
    """Phase 1: two national, two provincial and three city reports (target 6), two of the county's
    own media (not counted); one city report lacks its screenshot. Phase 2: one so far (target 2)."""
    rng = demo.rng
    plan = [
        MediaCoverage(
            contract=demo.contract,
            level=level,
            outlet=outlet,
            title=MEDIA_TITLES[index],
            published_on=demo.day_in_phase(1),
            url=links.make(pattern),
            promotes_brand=index in (2, 3),
        )
        for index, (level, outlet, pattern) in enumerate(OUTLETS)
    ]
    plan.append(
        MediaCoverage(
            contract=demo.contract,
            level=MediaLevel.PROVINCIAL,
            outlet="内蒙古日报",
            title=f"乌拉特中旗{rng.choice(PRODUCTS)}乘电商东风走俏全国",
            published_on=demo.day_in_phase(2),
            url=links.make("https://www.nmgrb.com.cn/news/{digits}.html"),
        )
    )
    coverage = _created(MediaCoverage, plan)
    demo.attach_required(_without(coverage, 100, 6), "publicity.media_coverage")
    return coverage


def _billboards(demo, towns) -> list[Billboard]:
    """Eight boards put up in phase 1 at motorway exits, main streets and the centre; the last one
    still waits for its photo."""
    plan = [
        Billboard(
            contract=demo.contract,
            number=f"GGP-{index:03d}",
            place=place,
            region=towns.get(town),
            installed_on=demo.day_in_phase(1),
            size=size,
            content=content,
        )
        for index, (place, town, size, content) in enumerate(BILLBOARDS, start=1)
    ]
    billboards = _created(Billboard, plan)
    demo.attach_photo(billboards[:-1], "宣传牌照片.png")
    return billboards


def _brochures(demo, towns) -> list[BrochureDistribution]:
    """10,900 pages in phase 1 (target 10,000), 500 of them still without photo and invoice; 700 so
    far in phase 2 (target 2,000)."""
    rng = demo.rng
    plan = []
    number = 0
    for phase, pages_list in ((1, PHASE_1_PAGES), (2, PHASE_2_PAGES)):
        for pages in pages_list:
            number += 1
            town = rng.choice(PLACES)
            plan.append(
                BrochureDistribution(
                    contract=demo.contract,
                    number=f"CY-{number:03d}",
                    title=rng.choice(BROCHURES),
                    pages=pages,
                    place=f"{town}{rng.choice(BROCHURE_PLACES)}",
                    region=towns.get(town),
                    distributed_on=demo.day_in_phase(phase),
                    audience=rng.choice(AUDIENCES),
                )
            )
    brochures = _created(BrochureDistribution, plan)
    demo.attach_required([b for b in brochures if b.pages != 500], "publicity.brochure_pages")
    return brochures


def _videos(demo, links) -> list[Video]:
    """The brand film on six platforms in phase 1 (target: one film, five showings), the programme's
    film, twelve training videos and live replays in phase 1, three training videos in phase 2."""
    rng = demo.rng
    film_day = demo.day_in_phase(1)
    plan = [
        Video(
            contract=demo.contract,
            title=BRAND_FILM,
            kind=VideoKind.BRAND_PROMO,
            platform=platform,
            url=links.make(pattern),
            published_on=film_day,
            views=rng.randint(1800, 5200),
            promotes_brand=True,
        )
        for platform, pattern in BRAND_FILM_PLATFORMS
    ]
    plan += [
        Video(
            contract=demo.contract,
            title=PROMO_FILM,
            kind=VideoKind.PROMO,
            platform=platform,
            url=links.make(pattern),
            published_on=demo.day_in_phase(1),
            views=rng.randint(600, 2400),
        )
        for platform, pattern in BRAND_FILM_PLATFORMS[:2]
    ]
    for phase, titles in ((1, TRAINING_VIDEOS), (2, TRAINING_VIDEOS[:3])):
        for index, title in enumerate(titles):
            platform, pattern = TRAINING_PLATFORMS[index % 2]
            plan.append(
                Video(
                    contract=demo.contract,
                    title=f"电商培训课堂{'（进阶）' if phase == 2 else ''}：{title}",
                    kind=VideoKind.TRAINING,
                    platform=platform,
                    url=links.make(pattern),
                    published_on=demo.day_in_phase(phase),
                    views=rng.randint(90, 1500),
                )
            )
    plan += [
        Video(
            contract=demo.contract,
            title=title,
            kind=VideoKind.LIVE_REPLAY,
            platform="抖音",
            url=links.make("https://www.douyin.com/video/{digits}"),
            published_on=demo.day_in_phase(1),
            views=rng.randint(300, 4000),
        )
        for title in LIVE_REPLAYS
    ]
    videos = _created(Video, plan)
    films = videos[: len(BRAND_FILM_PLATFORMS)]
    # The brand film: the film itself (video) for 2.3's film target, a screenshot of each showing.
    demo.attach_required(films, "brands.promo_videos")
    demo.attach_required(films, "brands.promo_video_showings")
    demo.attach_kind(_without(videos[len(films) :], 8, 5), "screenshot")
    return videos
