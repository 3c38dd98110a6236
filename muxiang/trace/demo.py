"""Demo records of the trace system (see ``muxiang.demo.activity``): six producers enrolled in
phase 1 (the mutton industry first, as the contract asks to focus on one), their products, bases
and batches with inspection papers and events, about 46,000 codes issued in phase 1 and 12,000 so
far in phase 2, rolls bound to the batches, a few codes voided, and scans with the anomalies they
raised.

The story the dashboard tells: phase 1's 40,000 codes and 5 enterprises are met (one run lacks its
invoice, so the target page shows "missing evidence"); phase 2 is on its way to 20,000.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from muxiang.supply.models import Product
from muxiang.trace.choices import EventStep
from muxiang.trace.models import Batch, Certificate, Enterprise, ProductionBase, TraceCode, TraceEvent
from muxiang.trace.services import bind_code_range, issue_trace_codes, record_scan, void_codes

# (organisation name, industry, enterprise brand, regional brand, introduction,
#  [(product code, name, specification, gtin body (12 digits) or "")], (base, town, area mu, lat, lon),
#  batch kind, phase-1 run sizes, phase-2 run sizes)
PRODUCERS = [
    (
        "乌拉特中旗草原牧歌肉业有限公司",
        "肉羊",
        "草原牧歌",
        "乌拉特中旗羊肉",
        "乌拉特草原天然放牧，屠宰、分割、冷链一体化的肉羊加工企业。",
        [
            ("SY-TR01", "乌拉特羊肉礼盒", "2.5kg", "690123450001"),
            ("SY-TR02", "手把肉（熟食）", "500g", "690123450002"),
        ],
        ("巴音哈太牧场", "海流图镇", "5200", "41.5678", "108.5153"),
        "slaughter",
        [12000, 6000],
        [4000],
    ),
    (
        "乌拉特中旗口岸通商贸有限公司",
        "肉羊",
        "口岸通",
        "乌拉特中旗羊肉",
        "风干牛肉干、羊肉干与奶制品的加工和口岸贸易。",
        [("SY-TR03", "风干羊肉干", "250g", "690123450003")],
        ("甘其毛都加工车间", "甘其毛都镇", "12", "41.8512", "108.3389"),
        "production",
        [8000],
        [3000],
    ),
    (
        "呼鲁斯太苏木驼乡养殖专业合作社",
        "肉羊",
        "驼乡",
        "乌拉特中旗羊肉",
        "牧民合作社，苏尼特羊与双峰驼散养。",
        [("SY-TR04", "羊排（冷冻）", "1kg", "")],
        ("呼鲁斯太夏营地", "呼鲁斯太苏木", "8600", "42.1020", "107.9850"),
        "slaughter",
        [5000],
        [2000],
    ),
    (
        "新忽热苏木牧人奶食品专业合作社",
        "奶食品",
        "牧人",
        "乌拉特中旗奶食品",
        "传统工艺奶豆腐、奶皮子，鲜奶当日收当日制。",
        [("SY-TR05", "奶豆腐", "400g", "690123450005")],
        ("新忽热奶食品作坊", "新忽热苏木", "6", "41.9301", "108.7705"),
        "production",
        [5000],
        [1500],
    ),
    (
        "乌拉特中旗葵香炒货食品有限公司",
        "向日葵",
        "葵香",
        "天赋河套",
        "河套食葵收购、筛选、烘炒与包装。",
        [("SY-TR06", "原味葵花籽", "500g", "690123450006")],
        ("德岭山食葵基地", "德岭山镇", "3000", "41.3307", "108.9512"),
        "harvest",
        [6000],
        [1500],
    ),
    (
        "乌拉特中旗河套雪面粉有限公司",
        "小麦",
        "河套雪",
        "天赋河套",
        "河套硬质小麦磨制的雪花粉与挂面。",
        [("SY-TR07", "河套雪花粉", "5kg", "690123450007")],
        ("乌加河小麦基地", "乌加河镇", "4500", "40.9923", "108.6041"),
        "harvest",
        [4500],
        [],
    ),
]

EVENTS = {
    "slaughter": [
        (EventStep.RAISING, -300, "牧场", "天然草场放牧，补饲自产玉米"),
        (EventStep.INSPECTING, -2, "牧场", "宰前检疫，官方兽医出具检疫证明"),
        (EventStep.SLAUGHTERING, 0, "定点屠宰厂", "定点屠宰，排酸 24 小时"),
        (EventStep.PROCESSING, 1, "分割车间", "分割、真空包装"),
        (EventStep.STORING, 2, "冷库", "-18℃ 冷冻储存"),
        (EventStep.SHIPPING, 5, "冷库", "冷链发往呼和浩特、北京"),
    ],
    "production": [
        (EventStep.RECEIVING, -3, "原料库", "原料验收"),
        (EventStep.PROCESSING, 0, "加工车间", "按标准工艺加工"),
        (EventStep.INSPECTING, 1, "化验室", "出厂检验"),
        (EventStep.STORING, 2, "成品库", "常温避光储存"),
        (EventStep.SHIPPING, 6, "成品库", "发往电商仓"),
    ],
    "harvest": [
        (EventStep.RAISING, -120, "基地", "播种、滴灌，施用有机肥"),
        (EventStep.HARVESTING, 0, "基地", "机械采收、晾晒"),
        (EventStep.INSPECTING, 4, "县农产品质量检测站", "农残检测"),
        (EventStep.PROCESSING, 8, "加工车间", "筛选、加工、包装"),
        (EventStep.SHIPPING, 12, "成品库", "发往电商仓"),
    ],
}
INPUTS = {
    "slaughter": "天然牧草\n玉米（自产，冬春补饲）\n驱虫药（按规定休药期）",
    "production": "鲜牛奶 / 鲜羊肉（自有牧场）\n食用盐",
    "harvest": "有机肥 60kg/亩\n滴灌用水",
}
PLACES = ["内蒙古巴彦淖尔", "内蒙古呼和浩特", "北京", "上海", "广东深圳", "浙江杭州"]


def gtin(body: str) -> str | None:
    """A GTIN-14 (leading 0) with its GS1 check digit, from a 12-digit body."""
    if not body:
        return None
    digits = "0" + body
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


def seed(demo) -> dict[str, int]:
    from muxiang.organisations.models import Organisation
    from muxiang.regions.models import Region

    staff_user = _staff_user()
    phase1, phase2 = demo.phase(1), demo.phase(2)
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=[p[0] for p in PRODUCERS])}
    towns = {r.name: r for r in Region.objects.filter(level="town")}
    counts = {"trace_enterprises": 0, "trace_batches": 0, "trace_codes": 0, "trace_scans": 0}
    enterprises, runs, batches, certificates = [], [], [], []
    for index, row in enumerate(PRODUCERS):
        name, industry, brand, regional, intro, products, base_row, kind, sizes1, sizes2 = row
        organisation = by_name.get(name)
        if organisation is None:
            continue
        enrolled = phase1.start + datetime.timedelta(days=10 + 6 * index)
        enterprise = Enterprise.objects.create(
            contract=demo.contract,
            organisation=organisation,
            enrolled_on=enrolled,
            industry=industry,
            enterprise_brand=brand,
            regional_brand=regional,
            introduction=intro,
        )
        enterprises.append(enterprise)
        items = [
            Product.all_objects.filter(code=code).first()
            or Product.objects.create(
                code=code,
                name=pname,
                specification=spec,
                gtin=gtin(body),
                producer=organisation,
                category=industry,
            )
            for code, pname, spec, body in products
        ]
        base_name, town, area, lat, lon = base_row
        base = ProductionBase.objects.create(
            enterprise=enterprise,
            name=base_name,
            region=towns.get(town),
            address=f"乌拉特中旗{town}",
            area_mu=Decimal(area),
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
        own_runs = []
        for number, size in enumerate(sizes1):
            day = min(enrolled + datetime.timedelta(days=20 + 30 * number), phase1.end, demo.today)
            own_runs.append(issue_trace_codes(enterprise, size, None, product=items[0], issued_on=day))
        for size in sizes2:
            if demo.today >= phase2.start:
                own_runs.append(
                    issue_trace_codes(
                        enterprise, size, None, product=items[0], issued_on=demo.day_in_phase(2)
                    )
                )
        runs.extend(own_runs)
        for number, run in enumerate(own_runs):
            produced = run.issued_on - datetime.timedelta(days=3)
            batch = Batch.objects.create(
                enterprise=enterprise,
                product=items[number % len(items)],
                base=base,
                lot=f"{run.issued_on:%Y%m%d}-{number + 1:02d}",
                kind=kind,
                produced_on=produced,
                quantity=Decimal(run.count),
                unit=items[0].unit,
                inputs=INPUTS[kind],
                story=f"{intro}本批产品产自{base_name}，{regional}。",
            )
            batches.append(batch)
            _events(demo, batch, kind, base_name)
            certificates.append(
                Certificate.objects.create(
                    batch=batch,
                    kind="compliance_certificate",
                    number=f"HGZ-{batch.lot}",
                    issuer=organisation.name,
                    issued_on=min(produced + datetime.timedelta(days=1), demo.today),
                    items="承诺不使用禁用药物，常规农兽药残留不超标",
                )
            )
            certificates.append(
                Certificate.objects.create(
                    batch=batch,
                    kind="inspection_report" if kind != "slaughter" else "quarantine_certificate",
                    number=f"JC-{batch.lot}",
                    issuer="乌拉特中旗农畜产品质量安全检测站"
                    if kind != "slaughter"
                    else "乌拉特中旗动物卫生监督所",
                    issued_on=min(produced + datetime.timedelta(days=2), demo.today),
                    items="兽药残留、瘦肉精" if kind == "slaughter" else "农药残留、重金属",
                )
            )
            # A roll of the run's first labels goes on the batch; the rest wait for packing.
            roll = TraceCode.objects.filter(run=run).order_by("serial").values_list("code", flat=True)
            bind_code_range(roll[0], roll[min(run.count, 2000) - 1], batch, None)
    demo.attach_required(enterprises, "trace.enterprises")
    # The last run of phase 1 lacks its invoice: the target page shows what "missing evidence" is.
    phase1_runs = [r for r in runs if r.issued_on <= phase1.end]
    demo.attach_kind([r for r in runs if r is not phase1_runs[-1]], "invoice", "标签印制发票.pdf")
    demo.attach_kind(runs, "document", "发码清单.pdf")
    demo.attach_kind(certificates, "document", "检测报告.pdf")
    demo.attach_photo(batches, "产品照片.png")
    counts["trace_enterprises"] = len(enterprises)
    counts["trace_batches"] = len(batches)
    counts["trace_codes"] = sum(r.count for r in runs)
    counts["trace_scans"] = _scans(demo, batches, staff_user)
    return counts


def _staff_user():
    from muxiang.accounts.models import User

    return User.objects.filter(role__in=["operator_staff", "operator_admin"]).order_by("pk").first()


def _events(demo, batch, kind, base_name) -> None:
    for step, offset, place, description in EVENTS[kind]:
        day = min(batch.produced_on + datetime.timedelta(days=offset), demo.today)
        TraceEvent.objects.create(
            batch=batch,
            step=step,
            occurred_at=demo.moment(day, 9 + demo.rng.randint(0, 8)),
            place=base_name if place in ("牧场", "基地") else place,
            description=description,
        )


def _scans(demo, batches, staff_user) -> int:
    """Consumers scanning the bound codes over the weeks after each batch, a couple of copied
    labels scanned in two cities, a voided label scanned, and one client guessing."""
    total = 0
    for batch in batches:
        bound = list(TraceCode.objects.filter(batch=batch).values_list("code", flat=True)[:40])
        for code in bound[:25]:
            for _ in range(demo.rng.choice([1, 1, 1, 2, 3])):
                day = min(batch.produced_on + datetime.timedelta(days=demo.rng.randint(7, 60)), demo.today)
                when = demo.moment(day, demo.rng.randint(8, 21))
                record_scan(
                    code,
                    place=demo.rng.choice(PLACES),
                    client=f"demo{demo.rng.randint(1, 999):04d}",
                    user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0",
                    now=when,
                )
                total += 1
    if batches:
        # A copied label: scanned in Shenzhen and Hohhot within the hour.
        copied = (
            TraceCode.objects.filter(batch=batches[0]).order_by("serial").values_list("code", flat=True)[30]
        )
        now = timezone.now() - datetime.timedelta(days=2)
        # With the positions the proxy's geolocation gives: about 2,050 km apart.
        record_scan(copied, place="广东深圳", client="demo-sz", now=now, latitude=22.54, longitude=114.06)
        record_scan(
            copied,
            place="内蒙古呼和浩特",
            client="demo-hh",
            now=now + datetime.timedelta(minutes=40),
            latitude=40.84,
            longitude=111.75,
        )
        voided = (
            TraceCode.objects.filter(batch=batches[0]).order_by("serial").values_list("code", flat=True)[35]
        )
        void_codes([voided], "标签破损，已重新贴标", staff_user)
        record_scan(voided, place="北京", client="demo-bj", now=now)
        from muxiang.trace import codes

        for guess in codes.generate(12):
            record_scan(guess, place="", client="demo-guess", now=now + datetime.timedelta(minutes=1))
        total += 15
    return total
