"""Demo records of the brand system and the trade standard (see ``muxiang.demo.activity``).

The story the dashboard tells: in phase 1 the operator integrated the regional public brand
「乌拉特草原」, built three industry brands (肉羊、奶制品、向日葵) and incubated eleven enterprise
brands; twelve enterprises joined the regional brand (one left in phase 2) and were given brand
services; two product series with eight products were launched, and 4,400 packages produced. In
phase 2 one more enterprise brand, two members and 1,200 packages so far. The lamb trade standard has
two versions (the second current since phase 2) and seven applying enterprises. Every record carries
the evidence its target asks for, apart from one enterprise brand still missing its document, so
its target page shows "missing evidence".

Products are created with codes ``BR-…`` (get_or_create), so that the supply demo's own catalogue
and these coexist.
"""

import datetime

from muxiang.brands import services
from muxiang.brands.choices import BrandServiceKind, BrandTier, TrademarkStatus
from muxiang.organisations.choices import OrganisationKind
from muxiang.standards import services as standard_services
from muxiang.standards.models import TradeStandard
from muxiang.supply.models import Product

REGIONAL_STORY = (
    "乌拉特草原地处阴山北麓、黄河几字弯，是蒙古族乌拉特部世代游牧的地方。草原上放养的巴美肉羊、"
    "牧民家手工做的奶食、河套平原的向日葵，构成了“乌拉特中旗故事”。"
)
INDUSTRY_BRANDS = [
    ("乌拉特羊", "肉羊", "巴美肉羊草原散养，肉质细嫩无膻味：讲好肉羊产业故事。"),
    ("乌拉特奶香", "奶制品", "奶豆腐、奶皮子、酸奶疙瘩，牧民手工奶食的传承。"),
    ("乌拉特葵花", "向日葵", "河套灌区的向日葵籽粒饱满，炒货与葵花油远销各地。"),
]
ENTERPRISE_NAMES = [
    "牧歌", "草原红", "乌拉特兄弟", "巴音牧场", "苏木人家", "阴山羊", "河套金葵", "德岭山奶坊",
    "海流图老味道", "甘其毛都", "川井草原", "呼和温都尔",
]  # fmt: skip
# (code, name, category, specification, series index)
PRODUCTS = [
    ("BR-001", "巴美羊肉礼盒", "肉羊", "2.5kg", 0),
    ("BR-002", "手把羊肉", "肉羊", "1kg×2 袋", 0),
    ("BR-003", "风干羊肉", "肉羊", "500g", 0),
    ("BR-004", "羊排精选", "肉羊", "2kg", 0),
    ("BR-005", "手工奶豆腐", "奶制品", "400g", 1),
    ("BR-006", "奶皮子", "奶制品", "250g", 1),
    ("BR-007", "酸奶疙瘩", "奶制品", "300g", 1),
    ("BR-008", "原味葵花籽", "向日葵", "500g×2 袋", 1),
]
SERIES = [("XL-01", "乌拉特草原·羊肉系列"), ("XL-02", "乌拉特草原·草原好礼系列")]
# (units, design, series index): phase 1 adds up to 4,400, phase 2 so far to 1,200.
PACKAGING = {
    1: [
        (1200, "羊肉礼盒 2.5kg 装", 0),
        (800, "手提袋（羊肉系列）", 0),
        (600, "真空包装袋", 0),
        (900, "奶食礼盒", 1),
        (500, "葵花籽牛皮纸袋", 1),
        (400, "草原好礼组合箱", 1),
    ],
    2: [(700, "羊肉礼盒 2.5kg 装（第二批）", 0), (500, "奶食礼盒（第二批）", 1)],
}
SUPPLIERS = ["巴彦淖尔印务有限公司", "内蒙古草原包装制品有限公司", "呼和浩特彩印包装厂"]
SERVICE_CONTENT = {
    BrandServiceKind.BRAND_BUILDING: "梳理企业品牌定位与品牌故事，纳入区域公共品牌授权体系",
    BrandServiceKind.DESIGN: "设计产品包装与区域品牌标识联合使用方案",
    BrandServiceKind.MARKETING: "策划电商平台上新与短视频推广",
    BrandServiceKind.INCUBATION: "辅导开设网店并完成首批线上销售",
    BrandServiceKind.TRAINING: "讲解品牌使用规范与网销流通标准",
}


def _between(demo, first: datetime.date, phase: int) -> datetime.date:
    """A day from ``first`` to the end of ``phase`` (not after today)."""
    last = min(demo.phase(phase).end, demo.today)
    if last <= first:
        return first
    return first + datetime.timedelta(days=demo.rng.randint(0, (last - first).days))


def _early(demo, phase: int, days: int = 60) -> datetime.date:
    start = demo.phase(phase).start
    return min(start + datetime.timedelta(days=demo.rng.randint(5, days)), demo.today)


def seed(demo) -> dict:
    if demo.today < demo.phase(1).start:
        return {}
    enterprises = [
        o
        for o in demo.organisations
        if o.kind
        in (
            OrganisationKind.ENTERPRISE,
            OrganisationKind.COOPERATIVE,
            OrganisationKind.FAMILY_FARM,
            OrganisationKind.LARGE_GROWER,
        )
    ] or list(demo.organisations)
    brands = _brands(demo, enterprises)
    members = _members(demo, brands[0], enterprises)
    series, entries, runs = _series(demo, brands[0])
    versions, adoptions = _standard(demo, enterprises)
    return {
        "brands": len(brands),
        "brand_members": len(members),
        "product_series": len(series),
        "series_products": len(entries),
        "packaging_runs": len(runs),
        "standard_versions": len(versions),
        "standard_adoptions": len(adoptions),
    }


def _brands(demo, enterprises):
    contract = demo.contract
    regional = services.establish_brand(
        contract,
        "乌拉特草原",
        BrandTier.REGIONAL,
        _early(demo, 1, 30),
        industry="综合",
        trademark_number="62345871",
        trademark_status=TrademarkStatus.REGISTERED,
        story=REGIONAL_STORY,
    )
    brands = [regional]
    for name, industry, story in INDUSTRY_BRANDS:
        brands.append(
            services.establish_brand(
                contract,
                name,
                BrandTier.INDUSTRY,
                _early(demo, 1, 120),
                industry=industry,
                trademark_status=TrademarkStatus.APPLIED,
                story=story,
            )
        )
    industries = [industry for _name, industry, _story in INDUSTRY_BRANDS]
    for index, name in enumerate(ENTERPRISE_NAMES):
        if index >= len(enterprises):
            break
        phase = 1 if index < 11 else 2
        brands.append(
            services.establish_brand(
                contract,
                name,
                BrandTier.ENTERPRISE,
                demo.day_in_phase(phase),
                owner=enterprises[index],
                industry=industries[index % 3],
                trademark_status=TrademarkStatus.REGISTERED if index % 3 == 0 else TrademarkStatus.APPLIED,
                trademark_number=f"5{demo.rng.randint(1000000, 9999999)}" if index % 3 == 0 else "",
            )
        )
    # One enterprise brand of phase 1 still lacks its document: its target page says so.
    demo.attach_required([b for i, b in enumerate(brands) if i != 6], "brands.count")
    demo.attach_kind(brands[:4], "photo", "品牌标识.png")
    return brands


def _members(demo, regional, enterprises):
    members = []
    for index, organisation in enumerate(enterprises[:14]):
        phase = 1 if index < 12 else 2
        joined = _early(demo, phase, 150)
        members.append(
            services.join_brand(
                regional,
                organisation,
                f"WLT-SQ-{index + 1:03d}",
                joined,
                products="羊肉、奶食、葵花籽" if index % 2 else "羊肉制品",
            )
        )
    kinds = list(SERVICE_CONTENT)
    for index, member in enumerate(members):
        for turn in range(2):
            day = _between(demo, member.joined_on, 1 if member.joined_on <= demo.phase(1).end else 2)
            kind = kinds[(index + turn) % len(kinds)]
            service = services.record_brand_service(member, kind, day, SERVICE_CONTENT[kind])
            demo.attach_kind([service], "photo", "服务现场.png")
    # The third member left in phase 2 (when phase 2 has begun).
    if demo.today >= demo.phase(2).start:
        services.leave_brand(members[2], _between(demo, demo.phase(2).start, 2))
    demo.attach_required(members, "brands.member_enterprises")
    return members


def _series(demo, regional):
    series = [
        services.launch_series(
            regional, code, name, _early(demo, 1, 120), description="区域公共品牌授权产品，线上线下同步销售"
        )
        for code, name in SERIES
    ]
    entries = []
    for code, name, category, specification, which in PRODUCTS:
        product, _created = Product.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": category, "specification": specification, "unit": "件"},
        )
        entries.append(
            services.add_to_series(
                series[which],
                product,
                _between(demo, series[which].launched_on, 1),
                selling_points="草原散养、源头直供" if category == "肉羊" else "牧民手工、传统工艺",
            )
        )
    demo.attach_required(series, "brands.product_series")
    demo.attach_required(entries, "brands.products")
    runs = []
    for phase, plan in PACKAGING.items():
        if demo.today < demo.phase(phase).start:
            continue
        for units, design, which in plan:
            runs.append(
                services.record_packaging_run(
                    series[which],
                    units,
                    _between(demo, max(series[which].launched_on, demo.phase(phase).start), phase),
                    design,
                    demo.rng.choice(SUPPLIERS),
                    invoice_number=f"{demo.rng.randint(10000000, 99999999)}",
                )
            )
    demo.attach_required(runs, "brands.packages")
    return series, entries, runs


def _standard(demo, enterprises):
    standard = TradeStandard.objects.create(
        title="乌拉特中旗羊肉网销流通标准",
        industry="肉羊",
        issuer="乌拉特中旗电子商务协会",
        scope_text="适用于乌拉特中旗生产的鲜冻羊肉及其制品在电商平台的分级、包装、标识、冷链物流与售后。",
    )
    first = _early(demo, 1, 90)
    versions = [
        standard_services.issue_version(
            standard,
            "T/WLTZQ 001—2025",
            "V1.0",
            first,
            current=True,
            changes="首次发布：分级、包装、标识、冷链",
        )
    ]
    if demo.today >= demo.phase(2).start:
        versions.append(
            standard_services.issue_version(
                standard,
                "T/WLTZQ 001—2026",
                "V2.0",
                _early(demo, 2, 45),
                current=True,
                changes="增加溯源码标识与售后时限要求",
            )
        )
    demo.attach_document(versions, "标准文本.pdf")
    demo.attach_document([standard], "标准编制说明.pdf")
    demo.attach_photo([standard], "标准宣贯会.png")
    adoptions = [
        standard_services.adopt_standard(
            standard, organisation, _between(demo, first, 1), products="羊肉制品"
        )
        for organisation in enterprises[:7]
    ]
    demo.attach_document(adoptions, "执行承诺书.pdf")
    return versions, adoptions
