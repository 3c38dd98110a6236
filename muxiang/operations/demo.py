"""Demo records of station operations (see ``muxiang.demo.activity``): every active station's daily
reports since the contract started (a few stations often miss a day, some report late), the premium
stations' transaction ledgers, visits with their checklists, problems and asset counts, the fixed
assets of the visited stations, station-manager trainings, two evaluations, and the 智慧乡村 APP's
check-ins, with the platform's and the app's monthly screenshots.

The story the dashboard tells: phase 1's visits, trainings, evaluations, app activity and premium
turnover are met (a few records lack their evidence, so the target pages show "missing evidence");
daily reporting falls short of the contract's 100%; phase 2 — three months in — is partly done.
"""

import datetime
from decimal import Decimal

from muxiang.core.bulk import insert_audited_rows
from muxiang.operations.choices import AssetCountResult, Award, InspectionKind, TrainingFormat, TrainingTopic
from muxiang.operations.models import (
    AppActivityMonth,
    AppCheckIn,
    AssetCountLine,
    EvaluationEntry,
    FixedAsset,
    InspectionProblem,
    ManagerTraining,
    ReportMonth,
    StationDailyReport,
    StationEvaluation,
    StationInspection,
    StationTransaction,
)
from muxiang.operations.services import month_end, months_between

ONE_DAY = datetime.timedelta(days=1)
CENT = Decimal("0.01")

# What premium stations sell and buy: (kind, goods, counterparty, typical yuan)
TRADE = [
    ("proxy_selling", "巴美羊肉（分割装）", "呼和浩特社区团购", 1800),
    ("proxy_selling", "奶豆腐、奶皮子", "包头市商超", 900),
    ("proxy_selling", "向日葵籽（原味）", "巴彦淖尔粮油批发", 1500),
    ("proxy_selling", "河套面粉（雪花粉）", "线上网店订单", 700),
    ("proxy_selling", "羊绒围巾", "抖音小店订单", 1200),
    ("proxy_selling", "风干牛肉干", "快手直播订单", 650),
    ("proxy_buying", "化肥、种子代购", "乌拉特中旗农资公司", 800),
    ("proxy_buying", "日用品代购", "拼多多", 300),
    ("trade", "饲草料统一配送", "乌拉特中旗供销社", 1100),
]
ASSETS = [
    ("电脑一体机", "3800.00", True),
    ("激光打印机", "1200.00", True),
    ("电子秤", "420.00", True),
    ("快递货架", "650.00", True),
    ("冷藏展示柜", "2600.00", False),
]
INSPECTORS = ["李强", "王敏", "张海军", "萨仁"]
FINDINGS = [
    "站点运营正常，代买代卖台账按日登记。",
    "门头标识完好，营业时间公示；快递收发区较拥挤。",
    "指导站长使用商务部业务系统统一平台报送日报，现场完成 3 天补报。",
    "一对一指导上行店铺上架奶食品 4 款，讲解详情页拍摄。",
    "固定资产逐项清点，账实相符。",
]
PROBLEMS = [
    ("门头灯箱不亮", "联系广告公司维修灯箱"),
    ("代卖台账缺 3 天记录", "补记台账并每日登记"),
    ("宣传横幅褪色", "更换站点宣传横幅"),
    ("网络信号差，平台报送不稳定", "加装 4G 路由器"),
]
TRAININGS = [
    (
        "站点负责人业务培训（一）",
        [TrainingTopic.STATION_BUSINESS, TrainingTopic.DATA_REPORTING],
        TrainingFormat.OFFLINE,
    ),
    ("上行店铺运营指导", [TrainingTopic.ONLINE_SHOP], TrainingFormat.ON_SITE),
    ("商务部平台日报报送实操", [TrainingTopic.DATA_REPORTING], TrainingFormat.ONLINE),
    ("智慧乡村APP签到与活跃度", [TrainingTopic.APP], TrainingFormat.ONLINE),
    (
        "站点负责人业务培训（二）",
        [TrainingTopic.STATION_BUSINESS, TrainingTopic.ONLINE_SHOP],
        TrainingFormat.OFFLINE,
    ),
    ("农产品上行与直播带货", [TrainingTopic.ONLINE_SHOP, TrainingTopic.OTHER], TrainingFormat.OFFLINE),
]
EVALUATIONS = [
    ("年度“十佳电商服务站”综合评选", "交易额 40%；服务人次 25%；日报完整率 20%；站容站貌 15%"),
    ("“优秀站点负责人”评选", "代买代卖业绩 50%；数据报送 30%；群众评价 20%"),
]


def seed(demo) -> dict[str, int]:
    """Write the demo's station operations; returns what it wrote, by name."""
    start = demo.phase(1).start
    stations = [s for s in demo.stations if s.opened_on is not None]
    counts = {}
    counts["daily_reports"] = _daily_reports(demo, stations, start)
    counts["report_months"] = _months(demo, ReportMonth, start, latest_without_screenshot=True)
    counts["transactions"] = _transactions(demo, [s for s in stations if s.is_premium], start)
    counts["inspections"], counts["fixed_assets"] = _visits(demo, stations)
    counts["manager_trainings"] = _trainings(demo)
    counts["evaluations"] = _evaluations(demo, stations)
    counts["app_check_ins"] = _check_ins(demo, stations, start)
    counts["app_months"] = _months(demo, AppActivityMonth, start)
    return counts


def _yuan(value: float) -> Decimal:
    return Decimal(str(round(value, 1))).quantize(CENT)


def _daily_reports(demo, stations, start) -> int:
    """Every station's day since the contract started: most stations miss a day now and then, two
    often; some reports come days late; about half have reported today already."""
    rng, today = demo.rng, demo.today
    unreliable = {s.pk for s in rng.sample(stations, min(2, len(stations)))}
    rows = []
    late = []
    for station in stations:
        scale = 2.0 if station.level == "town" else 1.0
        missing = 0.3 if station.pk in unreliable else rng.uniform(0.02, 0.08)
        day = max(start, station.opened_on)
        while day <= today:
            if day == today and rng.random() < 0.5:
                break
            if rng.random() >= missing:
                harvest = 2.0 if day.month in (9, 10, 11) else 1.0
                festival = 1.8 if day.month in (1, 2) else 1.0
                buying = rng.randint(0, int(5 * scale * festival))
                selling = rng.randint(0, int(3 * scale * harvest))
                selling_amount = _yuan(selling * rng.uniform(80, 420))
                rows.append(
                    {
                        "station_id": station.pk,
                        "day": day,
                        "proxy_buying_orders": buying,
                        "proxy_buying_amount": _yuan(buying * rng.uniform(30, 160)),
                        "proxy_selling_orders": selling,
                        "proxy_selling_amount": selling_amount,
                        "farm_product_amount": (
                            selling_amount * Decimal(str(round(rng.uniform(0.6, 1), 2)))
                        ).quantize(CENT),
                        "parcels_sent": selling + rng.randint(0, 3),
                        "parcels_received": rng.randint(0, int(10 * scale)),
                        "villagers_served": rng.randint(3, int(20 * scale)),
                        "convenience_services": rng.randint(0, 6),
                        "poor_households": rng.randint(0, 2),
                        "note": "",
                    }
                )
                if day < today and rng.random() < 0.05:
                    late.append(len(rows) - 1)
            day += ONE_DAY
    pks = insert_audited_rows(StationDailyReport, rows, "示例数据：站点日报", "day")
    _stamp_entry_times(demo, StationDailyReport, rows, pks, late)
    return len(rows)


def _stamp_entry_times(demo, model, rows, pks, late) -> None:
    """When each report was entered: the evening of its day, or days later for the late ones (the
    completeness page tells them apart); today's a little before now."""
    from django.utils import timezone

    now = timezone.now()
    late_set = set(late)
    by_moment: dict = {}
    for index, (row, pk) in enumerate(zip(rows, pks, strict=True)):
        day = row["day"]
        if day == demo.today:
            moment = min(demo.moment(day, 8), now)
        elif index in late_set:
            moment = demo.moment(day + datetime.timedelta(days=demo.rng.randint(2, 5)), 10)
        else:
            moment = demo.moment(day, 20)
        by_moment.setdefault(moment, []).append(pk)
    for moment, ids in by_moment.items():
        for chunk in range(0, len(ids), 900):
            model.all_objects.filter(pk__in=ids[chunk : chunk + 900]).update(created_at=moment)


def _months(demo, model, start, latest_without_screenshot=False) -> int:
    """A month record per complete month, with the platform's (or the app's) screenshot; for the
    daily reports the latest month's screenshot is not taken yet."""
    last = demo.today.replace(day=1) - ONE_DAY
    records = [model.objects.create(month=month) for month in months_between(start, last)]
    demo.attach_kind(records[:-1] if latest_without_screenshot else records, "screenshot")
    return len(records)


def _transactions(demo, premium, start) -> int:
    """Premium stations' ledgers: three to four lines a month, some 6,000–7,500 yuan a month (one
    station a little less), with the ledger page as evidence on all but a few lines."""
    rng, today = demo.rng, demo.today
    numbers: dict[str, int] = {}
    rows = []
    for position, station in enumerate(premium):
        monthly_goal = 6600 if position == len(premium) - 1 else rng.uniform(7000, 8000)
        for month in months_between(max(start, station.opened_on), today - ONE_DAY):
            lines = rng.randint(3, 4)
            for n in range(lines):
                kind, goods, counterparty, _typical = rng.choice(TRADE)
                day = min(
                    month + datetime.timedelta(days=rng.randint(n * 7, n * 7 + 6)), month_end(month), today
                )
                stem = f"JY-{day:%Y%m}-"
                numbers[stem] = numbers.get(stem, 0) + 1
                rows.append(
                    {
                        "number": f"{stem}{numbers[stem]:03d}",
                        "station_id": station.pk,
                        "day": day,
                        "kind": kind,
                        "goods": goods,
                        "counterparty": counterparty,
                        "amount": _yuan(monthly_goal / lines * rng.uniform(0.85, 1.15)),
                        "note": "",
                    }
                )
    insert_audited_rows(StationTransaction, rows, "示例数据：精品站点交易台账", "number")
    lines = list(StationTransaction.objects.filter(number__in=[r["number"] for r in rows]).order_by("pk"))
    demo.attach_required(
        [line for index, line in enumerate(lines) if index % 23 != 5], "stations.premium_min_turnover"
    )
    return len(rows)


def _visits(demo, stations) -> tuple[int, int]:
    """Nine visits in phase 1 and two so far in phase 2, with the checklist, the phone's GPS point,
    problems and, for the counts, the visited station's fixed assets."""
    rng = demo.rng
    plan = [(1, i) for i in range(9)] + [(2, i) for i in range(2)]
    visited = rng.sample(stations, min(len(plan), len(stations)))
    assets = 0
    visits = []
    for (phase, index), station in zip(plan, visited, strict=False):
        kinds = [InspectionKind.PATROL]
        if index % 2 == 0:
            kinds.insert(0, InspectionKind.GUIDANCE)
        if index % 3 == 0:
            kinds.append(InspectionKind.ASSET_COUNT)
        day = demo.day_in_phase(phase)
        point = {}
        if station.latitude is not None:
            point = {
                "latitude": (
                    station.latitude + Decimal(str(round(rng.uniform(-0.0003, 0.0003), 6)))
                ).quantize(Decimal("0.000001")),
                "longitude": (
                    station.longitude + Decimal(str(round(rng.uniform(-0.0003, 0.0003), 6)))
                ).quantize(Decimal("0.000001")),
                "location_accuracy": rng.randint(5, 30),
            }
        visit = StationInspection.objects.create(
            contract=demo.contract,
            station=station,
            visited_on=day,
            kinds=kinds,
            inspector=rng.choice(INSPECTORS),
            has_signage=rng.random() < 0.9,
            keeps_hours=rng.random() < 0.85,
            equipment_working=rng.random() < 0.85,
            keeps_ledger=rng.random() < 0.8,
            offers_services=True,
            has_publicity=rng.random() < 0.8,
            findings=rng.choice(FINDINGS),
            **point,
        )
        visits.append(visit)
        if rng.random() < 0.5:
            description, action = rng.choice(PROBLEMS)
            due = day + datetime.timedelta(days=30)
            closed = day + datetime.timedelta(days=rng.randint(5, 25)) if phase == 1 else None
            InspectionProblem.objects.create(
                inspection=visit,
                description=description,
                corrective_action=action,
                due_on=due,
                closed_on=closed if closed and closed <= demo.today else None,
                closure_note="已整改" if closed and closed <= demo.today else "",
            )
        if InspectionKind.ASSET_COUNT in kinds:
            register = [
                FixedAsset.objects.create(
                    asset_number=f"ZC-{station.code}-{n + 1:02d}",
                    station=station,
                    name=name,
                    value=Decimal(value),
                    programme_funded=funded,
                    acquired_on=min(station.opened_on + datetime.timedelta(days=20), day),
                )
                for n, (name, value, funded) in enumerate(ASSETS[: rng.randint(3, 5)])
            ]
            assets += len(register)
            for asset in register:
                result = AssetCountResult.FOUND if rng.random() < 0.85 else AssetCountResult.DAMAGED
                AssetCountLine.objects.create(inspection=visit, asset=asset, result=result)
    # One phase-1 visit still waits for its ledger page and report.
    demo.attach_required([v for i, v in enumerate(visits) if i != 4], "stations.inspections")
    return len(visits), assets


def _trainings(demo) -> int:
    """Five trainings in phase 1 (one without its sign-in sheet yet), one so far in phase 2."""
    rng = demo.rng
    records = [
        ManagerTraining.objects.create(
            contract=demo.contract,
            title=title,
            held_on=demo.day_in_phase(1 if index < 5 else 2),
            topics=topics,
            format=form,
            location="乌拉特中旗电子商务公共服务中心" if form == TrainingFormat.OFFLINE else "",
            trainer=rng.choice(INSPECTORS),
            attendees=rng.randint(18, 42),
        )
        for index, (title, topics, form) in enumerate(TRAININGS)
    ]
    demo.attach_required([r for i, r in enumerate(records) if i != 2], "stations.manager_trainings")
    return len(records)


def _evaluations(demo, stations) -> int:
    """Two evaluations in phase 1, each scoring a dozen stations with awards for the best; the
    phase-2 one is not held yet."""
    rng = demo.rng
    awards = [Award.FIRST, Award.SECOND, Award.SECOND, Award.THIRD, Award.THIRD, Award.THIRD]
    records = []
    for title, criteria in EVALUATIONS:
        evaluation = StationEvaluation.objects.create(
            contract=demo.contract,
            title=title,
            held_on=demo.day_in_phase(1),
            criteria=criteria,
            summary="评选方案发布、站点自评、实地考核、结果公示四个环节，表彰先进站点。",
        )
        entrants = rng.sample(stations, min(12, len(stations)))
        scores = sorted((round(rng.uniform(70, 98), 1) for _ in entrants), reverse=True)
        EvaluationEntry.objects.bulk_create(
            EvaluationEntry(
                evaluation=evaluation,
                station=station,
                score=Decimal(str(score)),
                award=awards[rank] if rank < len(awards) else (Award.EXCELLENCE if rank < 9 else ""),
            )
            for rank, (station, score) in enumerate(zip(entrants, scores, strict=True))
        )
        records.append(evaluation)
    demo.attach_required(records, "stations.evaluations")
    return len(records)


def _check_ins(demo, stations, start) -> int:
    """Check-ins on the 智慧乡村 APP: most stations several days a month, some months one station
    in ten not at all."""
    rng, today = demo.rng, demo.today
    rows = []
    for station in stations:
        for month in months_between(max(start, station.opened_on), today - ONE_DAY):
            if rng.random() < 0.1:
                continue
            last = min(month_end(month), today - ONE_DAY)
            first = max(month, station.opened_on)
            span = (last - first).days + 1
            if span <= 0:
                continue
            days = sorted(rng.sample(range(span), min(span, rng.randint(4, 18))))
            rows.extend({"station_id": station.pk, "day": first + datetime.timedelta(days=d)} for d in days)
    insert_audited_rows(AppCheckIn, rows, "示例数据：智慧乡村 APP 签到", "day")
    return len(rows)
