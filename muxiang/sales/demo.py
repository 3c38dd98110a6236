"""Demo sales and census (see ``muxiang.demo.activity``): the programme's sales across the eight
channels — a little over 3 million yuan in phase 1 (target 3 million), about 1.7 million three
months into phase 2 (target 6 million: on its way) — each with its invoice or order export except
a few, some brought about by a matchmaking fair, a brand promotion or a station; and two census
years (one completed in each phase) with the comparison between them.

Products come from the catalogue (``supply.Product``); while the catalogue is empty the demo
registers the county's staple products itself.
"""

import datetime
from decimal import Decimal

from muxiang.centre.models import Event
from muxiang.publicity.models import Article
from muxiang.regions.models import Region
from muxiang.sales.choices import BuyerKind, SalesChannel
from muxiang.sales.models import CensusEntry, ProductCensus, Sale
from muxiang.sales.services import default_mode
from muxiang.supply.models import Product

# (code, name, category, specification, unit, unit price in yuan)
PRODUCTS = [
    ("XS-SP-01", "乌拉特羊肉", "肉羊", "2.5kg 礼盒", "盒", 398),
    ("XS-SP-02", "巴美羊肉卷", "肉羊", "500g×4", "箱", 168),
    ("XS-SP-03", "河套葵花籽", "向日葵", "500g×2 袋", "袋", 39),
    ("XS-SP-04", "河套雪花粉", "小麦", "5kg", "袋", 45),
    ("XS-SP-05", "草原风干牛肉", "肉牛", "250g", "袋", 89),
    ("XS-SP-06", "牧人奶豆腐", "奶制品", "400g", "盒", 58),
    ("XS-SP-07", "温更腌沙葱", "沙葱", "300g×3 瓶", "箱", 66),
    ("XS-SP-08", "乌加河番茄酱", "番茄", "850g×6", "箱", 120),
]

# (channel, weight, typical order size in units: min, max, buyer kind)
CHANNELS = [
    (SalesChannel.FARM_MARKET, 3, (40, 160), BuyerKind.BUSINESS),
    (SalesChannel.SUPERMARKET, 3, (30, 120), BuyerKind.BUSINESS),
    (SalesChannel.COMMUNITY_CHAIN, 2, (20, 80), BuyerKind.BUSINESS),
    (SalesChannel.WELFARE_PROCUREMENT, 2, (60, 200), BuyerKind.INSTITUTION),
    (SalesChannel.ECOMMERCE, 4, (10, 60), BuyerKind.CONSUMER),
    (SalesChannel.GROUP_BUYING, 2, (15, 70), BuyerKind.CONSUMER),
    (SalesChannel.SOCIAL_MEDIA, 3, (10, 60), BuyerKind.CONSUMER),
    (SalesChannel.SPECIAL, 1, (50, 150), BuyerKind.OTHER),
]
SOURCES = {
    SalesChannel.ECOMMERCE: "淘宝",
    SalesChannel.SOCIAL_MEDIA: "抖音小店",
    SalesChannel.GROUP_BUYING: "美团优选",
}
PHASE_GOALS = {1: Decimal("3150000"), 2: Decimal("1700000")}
PHASE_1_TARGET = Decimal("3000000")

CENSUS_ROWS = [
    # (category, town, area mu, herd, output, unit, season, quality, technology, shares, brands, firms)
    (
        "肉羊",
        "海流图镇",
        None,
        52000,
        3100,
        "吨",
        "全年，9—12 月集中出栏",
        "地理标志产品",
        "标准化舍饲养殖",
        [["收购商", 55], ["屠宰企业订单", 30], ["农贸市场", 15]],
        "乌拉特羊肉",
        "草原牧歌肉业、牧野优选",
    ),
    (
        "肉羊",
        "石哈河镇",
        None,
        38000,
        2300,
        "吨",
        "9—12 月",
        "地理标志产品",
        "半舍饲",
        [["收购商", 70], ["屠宰企业订单", 30]],
        "",
        "牧野优选",
    ),
    (
        "向日葵",
        "德岭山镇",
        86000,
        None,
        17200,
        "吨",
        "9—10 月",
        "绿色食品认证",
        "滴灌、机械化收获",
        [["收购商", 65], ["炒货企业订单", 25], ["合作社统销", 10]],
        "葵香",
        "葵香炒货",
    ),
    (
        "小麦",
        "乌加河镇",
        42000,
        None,
        16800,
        "吨",
        "7—8 月",
        "一般",
        "测土配方施肥",
        [["面粉厂订单", 80], ["收购商", 20]],
        "河套雪",
        "河套雪面粉、河套农家特产",
    ),
    (
        "番茄",
        "乌加河镇",
        9000,
        None,
        54000,
        "吨",
        "8—9 月",
        "一般",
        "膜下滴灌",
        [["加工企业订单", 85], ["农贸市场", 15]],
        "",
        "河套农家特产",
    ),
    (
        "奶制品",
        "新忽热苏木",
        None,
        6200,
        310,
        "吨",
        "6—10 月",
        "传统工艺",
        "家庭作坊",
        [["农贸市场", 60], ["熟人销售", 40]],
        "",
        "草原味道",
    ),
    (
        "沙葱",
        "温更镇",
        3500,
        None,
        2100,
        "吨",
        "5—8 月",
        "野生驯化",
        "设施种植",
        [["农贸市场", 50], ["收购商", 50]],
        "",
        "沙葱哥直播工作室",
    ),
]


def seed(demo) -> dict[str, int]:
    if not demo.organisations:
        return {"sales": 0, "sales_census_years": 0}
    products = _products(demo)
    sellers = [
        o for o in demo.organisations if o.kind not in ("post_office", "logistics", "supply_marketing")
    ]
    fairs = list(Event.objects.filter(contract=demo.contract, kind="matchmaking").order_by("held_on"))
    promotions = list(
        Article.objects.filter(contract=demo.contract, promotes_brand=True).order_by("published_on")
    )
    weights = [c[1] for c in CHANNELS]
    sales = []
    numbers: dict[str, int] = {}
    for phase, goal in PHASE_GOALS.items():
        total = Decimal(0)
        while total < goal:
            channel, _weight, (low, high), buyer_kind = demo.rng.choices(CHANNELS, weights)[0]
            product, price = demo.rng.choice(products)
            quantity = demo.rng.randint(low, high)
            amount = (price * quantity * Decimal(demo.rng.choice(["0.85", "0.9", "0.95", "1"]))).quantize(
                Decimal("0.01")
            )
            day = demo.day_in_phase(phase)
            source = SOURCES.get(channel, "销售单据")
            numbers[source] = numbers.get(source, 0) + 1
            order_number = (
                f"{day:%Y%m%d}{numbers[source]:06d}"
                if source in SOURCES.values()
                else f"XSD-{day:%Y%m}-{numbers[source]:04d}"
            )
            brought_by = demo.rng.random()
            sale = Sale(
                contract=demo.contract,
                source=source,
                order_number=order_number,
                sold_on=day,
                seller=demo.rng.choice(sellers),
                product=product,
                quantity=Decimal(quantity),
                amount=amount,
                channel=channel,
                mode=default_mode(channel),
                buyer_kind=buyer_kind,
                event=_near(fairs, day, "held_on") if brought_by < 0.2 else None,
                promotion=_near(promotions, day, "published_on") if 0.2 <= brought_by < 0.5 else None,
                station=demo.rng.choice(demo.stations) if brought_by >= 0.8 and demo.stations else None,
            )
            sale.save()
            sales.append(sale)
            total += amount
        if phase == 1:
            phase_1_count = len(sales)
    # Every sale but about one in fifteen carries its invoice or order export. The target counts
    # only those, so the unproven ones of phase 1 are picked within its margin over 3 million, whatever
    # the catalogue's prices made the sales add up to.
    phase_1_total = sum(sale.amount for sale in sales[:phase_1_count])
    margin = phase_1_total - PHASE_1_TARGET
    unproven = set()
    for index, sale in enumerate(sales):
        if index % 15 != 6:
            continue
        if index < phase_1_count:
            if sale.amount > margin:
                continue
            margin -= sale.amount
        unproven.add(index)
    demo.attach_kind([s for i, s in enumerate(sales) if i not in unproven], "sales_proof", "销售证明.pdf")
    censuses = _censuses(demo)
    return {"sales": len(sales), "sales_census_years": len(censuses)}


def _products(demo) -> list[tuple]:
    catalogue = list(Product.objects.filter(is_agricultural=True).order_by("code")[:12])
    if catalogue:
        return [(p, Decimal(demo.rng.choice([39, 58, 89, 120, 168, 398]))) for p in catalogue]
    made = []
    for code, name, category, specification, unit, price in PRODUCTS:
        product = Product.objects.create(
            code=code, name=name, category=category, specification=specification, unit=unit
        )
        made.append((product, Decimal(price)))
    return made


def _near(records, day, field):
    """The latest of ``records`` dated on or before ``day``, or None."""
    earlier = [r for r in records if getattr(r, field) <= day]
    return earlier[-1] if earlier else None


def _censuses(demo) -> list[ProductCensus]:
    towns = {t.name: t for t in Region.objects.towns()}
    result = []
    for phase, growth in ((1, Decimal("1")), (2, Decimal("1.08"))):
        completed_on = min(demo.phase(phase).start + datetime.timedelta(days=75), demo.today)
        census = ProductCensus.objects.create(
            contract=demo.contract,
            year=completed_on.year
            if phase == 1
            else completed_on.year + (1 if completed_on.year == result[0].year else 0),
            completed_on=completed_on,
            summary="对全旗主要农畜产品的生产规模、上市时间、销售渠道和品牌情况进行了入户摸底。",
            proposal=(
                "一、肉羊产业：推动屠宰企业订单收购比例提高到 40%，扩大“乌拉特羊肉”区域公用品牌授权；"
                "二、向日葵产业：引导合作社统销，建设产地初加工和分级包装线；"
                "三、奶制品：推广标准化作坊和 SC 认证，开发电商小规格包装。"
            ),
        )
        for (
            category,
            town,
            area,
            herd,
            output,
            unit,
            season,
            quality,
            technology,
            shares,
            brands,
            firms,
        ) in CENSUS_ROWS:
            if town not in towns:
                continue
            CensusEntry.objects.create(
                census=census,
                category=category,
                town=towns[town],
                planted_area=None if area is None else (Decimal(area) * growth).quantize(Decimal("1")),
                herd_size=None if herd is None else int(herd * growth),
                output=(Decimal(output) * growth).quantize(Decimal("1")),
                output_unit=unit,
                market_season=season,
                quality_level=quality,
                technology_level=technology,
                channel_shares=shares,
                own_brands=brands,
                ecommerce_firms=firms,
            )
        result.append(census)
    demo.attach_required(result, "sales.census_updates")
    return result
