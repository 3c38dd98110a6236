"""Demo records of the supply chain (see ``muxiang.demo.activity``): the county's products, a
county warehouse and three station stock points, centralised purchases gathering the needs of a
dozen small businesses with their receipts (one still partly outstanding), unified deliveries with
their signed notes and photos, transfers to the stations, an inventory count with its adjustment,
systematic services for local enterprises and cooperatives, and the 巴美肉羊 supply chain.

The story: phase 1 serves 12 client businesses (one delivery lacks its signed note, so its target
page shows "missing evidence") and 6 systematic-service recipients; phase 2, three months in, has
served most of them again. Every stock effect goes through ``services``, so the demo's ledger
obeys the same never-negative rule as real postings.
"""

import datetime
from decimal import Decimal

from muxiang.supply import services
from muxiang.supply.choices import SystematicServiceKind, WarehouseKind
from muxiang.supply.models import Product, Supplier, SupplyChain, SystematicService, Warehouse

# (code, name, category, specification, unit)
PRODUCTS = [
    ("SP-0001", "巴美肉羊分割羊排", "肉羊", "2kg/袋", "袋"),
    ("SP-0002", "巴美肉羊手把肉", "肉羊", "1.5kg/箱", "箱"),
    ("SP-0003", "河套向日葵籽（原味）", "向日葵", "500g/袋", "袋"),
    ("SP-0004", "草原酸奶", "奶制品", "180g×12 杯/箱", "箱"),
    ("SP-0005", "奶皮子", "奶制品", "250g/盒", "盒"),
    ("SP-0006", "河套雪花小麦粉", "小麦粉", "5kg/袋", "袋"),
    ("SP-0007", "乌拉特枸杞", "枸杞", "250g/罐", "罐"),
    ("SP-0008", "腌沙葱", "蔬菜", "400g/瓶", "瓶"),
]
SUPPLIERS = [
    ("乌拉特中旗河套雪面粉有限公司", "河套小麦粉、挂面"),
    ("乌拉特中旗草原牧歌肉业有限公司", "巴美肉羊分割肉"),
    ("乌拉特中旗葵香炒货食品有限公司", "葵花籽、炒货"),
    ("新忽热苏木牧人奶食品专业合作社", "酸奶、奶皮子"),
]
# Which businesses are served: the small businesses, trade firms and shops first.
CLIENT_KINDS = (
    "online_merchant",
    "supply_marketing",
    "post_office",
    "logistics",
    "enterprise",
    "cooperative",
)
SYSTEMATIC_KINDS = ("cooperative", "large_grower", "enterprise", "family_farm")
ROUTES = [
    "县级仓储配送中心—海流图镇—德岭山镇",
    "县级仓储配送中心—乌加河镇—石哈河镇",
    "县级仓储配送中心—温更镇—新忽热苏木",
    "县级仓储配送中心—甘其毛都镇",
]
RECEIVERS = ["王丽", "张海军", "其木格", "刘春梅", "巴图", "李娜", "赵文斌", "乌兰"]
SERVICES = [
    (
        SystematicServiceKind.BRAND_REGISTRATION,
        "协助办理“草原牧歌”商标注册申请，整理申报材料",
        "商标注册申请已受理",
    ),
    (
        SystematicServiceKind.TESTING,
        "送检产品至盟农畜产品质量检测中心，指导检测项目选择",
        "取得检测报告 1 份",
    ),
    (
        SystematicServiceKind.MARKETING_PLAN,
        "制定年度网络营销策划方案：平台选择、节点活动与预算",
        "形成营销方案 1 套",
    ),
    (SystematicServiceKind.MARKETING, "组织线上直播与线下商超进店推广", "直播 2 场，进店 3 家"),
    (SystematicServiceKind.MATCHMAKING, "组织参加产销对接会，对接区外采购商", "签订采购意向 2 份"),
    (SystematicServiceKind.BRAND_BUILDING, "品牌视觉设计与包装升级指导", "完成包装设计 2 款"),
]


def _day(phase, offset: int, today: datetime.date) -> datetime.date:
    return min(phase.start + datetime.timedelta(days=offset), phase.end, today)


def seed(demo) -> dict[str, int]:
    """Write the demo's supply chain; returns what it wrote, by name."""
    contract = demo.contract
    phase_1, phase_2 = demo.phase(1), demo.phase(2)
    by = None
    products = {
        code: Product.objects.get_or_create(
            code=code, defaults={"name": name, "category": category, "specification": spec, "unit": unit}
        )[0]
        for code, name, category, spec, unit in PRODUCTS
    }
    by_name = {o.name: o for o in demo.organisations}
    suppliers = [
        Supplier.objects.get_or_create(
            name=name, defaults={"organisation": by_name.get(name), "supplies": supplies}
        )[0]
        for name, supplies in SUPPLIERS
    ]
    county = Warehouse.objects.create(
        code="CK-01",
        name="乌拉特中旗县级仓储配送中心",
        kind=WarehouseKind.COUNTY,
        address="海流图镇物流园区 8 号",
    )
    points = [
        Warehouse.objects.create(
            code=f"ZD-{station.code}",
            name=f"{station.name}前置仓",
            kind=WarehouseKind.STATION,
            station=station,
        )
        for station in demo.stations[:3]
    ]
    clients = sorted(
        (o for o in demo.organisations if o.kind in CLIENT_KINDS),
        key=lambda o: (CLIENT_KINDS.index(o.kind), o.pk),
    )[:12]
    recipients = sorted(
        (o for o in demo.organisations if o.kind in SYSTEMATIC_KINDS),
        key=lambda o: (SYSTEMATIC_KINDS.index(o.kind), o.pk),
    )[:6]
    if len(clients) < 10 or len(recipients) < 5:
        return {}
    catalogue = list(products.values())

    # Centralised purchases: each gathers four businesses' needs of three products.
    orders = []
    receipts = []
    for phase, offsets in ((phase_1, (10, 60, 120, 200)), (phase_2, (5, 40))):
        for index, offset in enumerate(offsets):
            day = _day(phase, offset, demo.today)
            chosen = [catalogue[(index * 3 + k) % len(catalogue)] for k in range(3)]
            buyers = [clients[(index * 4 + k) % len(clients)] for k in range(4)]
            lines = [
                (
                    product,
                    buyer,
                    Decimal(demo.rng.choice((60, 80, 100, 120))),
                    Decimal(demo.rng.choice((35, 48, 65))),
                )
                for product in chosen
                for buyer in buyers[:2]
            ] + [(chosen[0], buyers[2], Decimal(50), None), (chosen[1], buyers[3], Decimal(40), None)]
            order = services.create_purchase_order(
                contract,
                suppliers[index % len(suppliers)],
                county,
                day,
                lines,
                by,
                expected_on=day + datetime.timedelta(days=7),
            )
            orders.append(order)
            received_on = min(day + datetime.timedelta(days=3), demo.today)
            # The last order of phase 2 is still arriving: only half of its first lines so far.
            if phase is phase_2 and index == len(offsets) - 1:
                partial = {line.position: line.quantity / 2 for line in order.lines.all()[:3]}
                receipts.append(
                    services.record_receipt(order, received_on, partial, by, received_by="刘仓管")
                )
            else:
                first = {line.position: line.quantity for line in order.lines.all()[:4]}
                receipts.append(services.record_receipt(order, received_on, first, by, received_by="刘仓管"))
                rest = services.outstanding_lines(order)
                if rest:
                    later = min(received_on + datetime.timedelta(days=2), demo.today)
                    receipts.append(services.record_receipt(order, later, rest, by, received_by="刘仓管"))
    demo.attach_kind(receipts, "document", "入库验收单.pdf")

    # Transfers to the station stock points, then deliveries.
    transfers = 0
    for point in points:
        day = _day(phase_1, 70, demo.today)
        for product in catalogue[:2]:
            if services.available_on(county, product, day) >= 20:
                services.transfer_stock(product, county, point, Decimal(20), day, by, note="站点前置备货")
                transfers += 1

    deliveries = []

    def deliver(phase, offset, client=None, station=None, warehouse=county):
        day = _day(phase, offset, demo.today)
        stocked = [p for p in catalogue if services.available_on(warehouse, p, day) >= 10]
        if not stocked:
            return None
        picked = demo.rng.sample(stocked, min(2, len(stocked)))
        lines = [(p, Decimal(demo.rng.choice((4, 6, 8, 10)))) for p in picked]
        delivery = services.record_delivery(
            contract,
            warehouse,
            day,
            lines,
            by,
            client=client,
            to_station=station,
            route=demo.rng.choice(ROUTES),
            receiver_name=demo.rng.choice(RECEIVERS),
        )
        deliveries.append(delivery)
        return delivery

    for n, client in enumerate(clients):
        deliver(phase_1, 20 + n * 12, client=client)
    for n, point in enumerate(points):
        deliver(phase_1, 90 + n * 5, station=point.station)
        deliver(
            phase_1,
            100 + n * 5,
            client=next((c for c in clients if c.station_id == point.station_id), clients[n]),
            warehouse=point,
        )
    for n, client in enumerate(clients[:8]):
        deliver(phase_2, 8 + n * 9, client=client)
    deliveries = [d for d in deliveries if d is not None]
    unsigned = deliveries[3] if len(deliveries) > 3 else None
    demo.attach_required([d for d in deliveries if d is not unsigned], "supply.client_businesses")
    demo.attach_kind(deliveries, "photo", "签收照片.png")

    # An inventory count at the county warehouse: two bags of flour found torn.
    count_day = _day(phase_1, 300, demo.today)
    flour = products["SP-0006"]
    book = services.balance_on(county, flour, count_day)
    counts = []
    if book >= 2 and services.available_on(county, flour, count_day) >= 2:
        counts.append(
            services.record_stock_count(
                contract,
                county,
                count_day,
                [(flour, book - 2)] + [(p, services.balance_on(county, p, count_day)) for p in catalogue[:3]],
                by,
                counted_by="刘仓管、王敏",
                notes="年度盘点：面粉破袋 2 袋报损",
            )
        )
        demo.attach_kind(counts, "document", "盘点表.pdf")

    # Systematic services: each recipient served in phase 1, four of them again in phase 2.
    systematic = []
    for n, organisation in enumerate(recipients):
        kind, content, result = SERVICES[n % len(SERVICES)]
        systematic.append(
            SystematicService.objects.create(
                contract=contract,
                organisation=organisation,
                kind=kind,
                provided_on=_day(phase_1, 30 + n * 25, demo.today),
                content=content,
                result=result,
            )
        )
    for n, organisation in enumerate(recipients[:4]):
        kind, content, result = SERVICES[(n + 2) % len(SERVICES)]
        systematic.append(
            SystematicService.objects.create(
                contract=contract,
                organisation=organisation,
                kind=kind,
                provided_on=_day(phase_2, 10 + n * 15, demo.today),
                content=content,
                result=result,
            )
        )
    demo.attach_required(systematic, "supply.systematic_services")

    chain = SupplyChain.objects.create(
        contract=contract,
        name="巴美肉羊县域供应链",
        product_line="巴美肉羊：养殖—屠宰分割—冷链仓储—统一配送—网络销售",
        participant_notes="县级仓储配送中心、邮政快递",
        integrated_on=_day(phase_1, 150, demo.today),
        description="整合养殖合作社、屠宰分割企业、冷链物流与网店，统一品牌、统一分级包装、统一配送",
    )
    chain.participants.set(
        [o for o in demo.organisations if o.kind in ("enterprise", "cooperative", "logistics")][:6]
    )
    demo.attach_required([chain], "supply.supply_chains")
    return {
        "supply_orders": len(orders),
        "supply_receipts": len(receipts),
        "supply_deliveries": len(deliveries),
        "supply_transfers": transfers,
        "supply_counts": len(counts),
        "systematic_services": len(systematic),
        "supply_chains": 1,
    }
