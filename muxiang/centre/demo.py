"""Demo records of the service centre (see ``muxiang.demo.activity``): the centre with its nine
functions, a year and a quarter of work orders, events, incubation services with follow-ups,
field surveys and value-added income.

The story the dashboard tells: phase 1's targets are met (a few records lack their evidence, so
the target pages show "missing evidence"), phase 2 — three months in — is partly done.
"""

import datetime
from decimal import Decimal

from muxiang.centre.choices import (
    EventKind,
    FunctionalAreaKind,
    IncubationKind,
    PlanStatus,
    SurveySubject,
)
from muxiang.centre.models import (
    Event,
    FieldSurvey,
    FunctionalArea,
    IncubationFollowUp,
    IncubationService,
    ServiceCentre,
    ServiceIncome,
    ValueAddedService,
    WorkOrder,
)

CENTRE = {
    "name": "乌拉特中旗电子商务公共服务中心",
    "address": "乌拉特中旗海流图镇乌兰街 66 号",
    "floor_area": Decimal("1286.00"),
}

# (code, kind, name, floor area m², capacity)
AREAS = [
    ("XS-01", FunctionalAreaKind.SALES_SERVICE, "农畜产品展销厅", "220", 60),
    ("YX-01", FunctionalAreaKind.MARKETING, "产品营销策划室", "80", 15),
    ("GY-01", FunctionalAreaKind.SUPPLY_CHAIN, "供应链调度室", "70", 10),
    ("CC-01", FunctionalAreaKind.WAREHOUSING, "仓储分拣区", "260", 20),
    ("ZD-01", FunctionalAreaKind.STATION_MANAGEMENT, "站点运营管理室", "60", 10),
    ("PX-01", FunctionalAreaKind.TRAINING, "电商培训教室", "180", 80),
    ("ZB-01", FunctionalAreaKind.LIVE_STREAMING, "一号直播间", "45", 8),
    ("ZB-02", FunctionalAreaKind.LIVE_STREAMING, "二号直播间", "45", 8),
    ("FH-01", FunctionalAreaKind.INCUBATION, "创业孵化工位区", "150", 30),
    ("JD-01", FunctionalAreaKind.RECEPTION, "服务接待大厅", "120", 40),
]

# What each kind of area is used for, by whom: (purpose, outcome)
USES = {
    FunctionalAreaKind.SALES_SERVICE: [
        ("巴美羊肉展销及团购接洽", "达成团购意向 3 单"),
        ("河套面粉、向日葵籽展示对接商超采购", "2 家商超采样"),
        ("奶食品（奶豆腐、奶皮子）试吃推介", "现场订货 40 余份"),
    ],
    FunctionalAreaKind.MARKETING: [
        ("羊绒围巾网店主图与文案策划", "完成主图 6 张、详情页 1 套"),
        ("牛肉干节令促销方案讨论", "形成促销方案初稿"),
    ],
    FunctionalAreaKind.SUPPLY_CHAIN: [
        ("冷链配送线路与苏木集货点协调", "确定 2 条集货线路"),
        ("向日葵籽统一采购议价", "达成统一采购价格"),
    ],
    FunctionalAreaKind.WAREHOUSING: [
        ("牛羊肉年货分拣打包", "分拣发货 300 余件"),
        ("河套面粉入库与盘点", "入库 120 袋"),
    ],
    FunctionalAreaKind.STATION_MANAGEMENT: [
        ("站点负责人月度例会", "收集站点问题 5 条"),
        ("站点代买代卖台账核对", "核对台账 8 份"),
    ],
    FunctionalAreaKind.TRAINING: [
        ("网店运营实操培训", "学员完成开店操作"),
        ("直播带货基础课", "学员完成试播"),
        ("短视频拍摄与剪辑培训", "学员完成作品 1 条"),
    ],
    FunctionalAreaKind.LIVE_STREAMING: [
        ("乌拉特羊肉直播带货", "直播 2 小时，成交 60 余单"),
        ("奶食品专场直播", "直播成交 40 余单"),
        ("羊绒制品直播", "直播成交 20 余单"),
        ("向日葵籽助农直播", "直播成交 80 余单"),
    ],
    FunctionalAreaKind.INCUBATION: [
        ("入驻孵化企业工位使用", "完成店铺装修"),
        ("孵化对象一对一辅导", "制定店铺运营计划"),
    ],
    FunctionalAreaKind.RECEPTION: [
        ("接待旗商务局调研", "介绍示范项目进展"),
        ("接待外地考察团", "参观各功能区"),
        ("接待企业咨询入驻", "登记入驻意向"),
    ],
}

# (start hour, minutes, end hour, minutes): the centre's day has three slots, so that no two
# demo bookings of one area overlap.
SLOTS = [(9, 0, 11, 30), (14, 0, 17, 0), (19, 0, 21, 0)]

PLACES = ["公共服务中心一楼报告厅", "公共服务中心电商培训教室", "海流图镇文化广场", "甘其毛都镇便民服务中心"]

SALONS = [
    (EventKind.SALON, "电商沙龙：乌拉特羊肉线上品牌怎么讲故事"),
    (EventKind.SALON, "电商沙龙：牧区直播带货经验分享"),
    (EventKind.SALON, "电商沙龙：奶食品网销包装与冷链"),
    (EventKind.SEMINAR, "电商研讨会：县域农畜产品上行路径"),
    (EventKind.SEMINAR, "电商研讨会：河套面粉区域品牌建设"),
    (EventKind.TRAINING, "培训会：站点负责人网销业务培训"),
    (EventKind.LIVE_STREAM, "直播活动：苏木嘎查好物直播节"),
    (EventKind.SALON, "电商沙龙：羊绒制品跨境电商入门"),
    (EventKind.SEMINAR, "电商研讨会：向日葵产业电商化"),
    (EventKind.LIVE_STREAM, "直播活动：年货节直播专场"),
]

FAIRS = [
    ("乌拉特中旗牛羊肉产销对接会", "48000"),
    ("河套面粉进商超产销对接会", "26500"),
    ("奶食品产销对接会", "18800"),
    ("向日葵籽产销对接会", "35200"),
    ("羊绒制品产销对接会", "52000"),
    ("年货节农畜产品产销对接会", "61000"),
    ("德岭山镇向日葵籽秋季对接会", "12800"),
    ("苏木嘎查特色产品线上对接会", "8600"),  # below the floor: recorded, not counted
]

INCUBATION_TEXT = {
    IncubationKind.PRODUCT_GUIDANCE: ("梳理产品规格与定价，优化牛肉干小包装", "确定 3 个网销规格"),
    IncubationKind.BRAND_BUILDING: ("品牌命名、标志与包装设计指导", "完成品牌标志与包装方案"),
    IncubationKind.MARKETING_PLAN: ("制定节令营销与直播排期方案", "形成季度营销方案"),
    IncubationKind.DATA_ANALYSIS: ("分析店铺流量与转化数据，找出流失环节", "提交数据分析报告 1 份"),
    IncubationKind.SHOP_OPERATION: ("网店开设、详情页与客服话术指导", "店铺上线并完成首单"),
}

SURVEYS = [
    (SurveySubject.STATION, "代买代卖台账记录不全，快递收发区拥挤", "统一台账模板，增设快递货架"),
    (SurveySubject.BRAND, "区域品牌标识在企业包装上使用不统一", "制定品牌标识使用规范并培训企业"),
    (SurveySubject.SUPPLY_CHAIN, "苏木集货点冷链断档，夏季损耗高", "增设两处冷藏集货点，调整配送班次"),
    (SurveySubject.STATION, "站点网销产品少，村民不会上架", "每站至少上架 5 款本地产品，开展上架辅导"),
    (SurveySubject.BRAND, "企业品牌故事雷同，缺少乌拉特特色", "分企业梳理品牌故事，统一拍摄素材"),
    (SurveySubject.SUPPLY_CHAIN, "向日葵籽分级标准不一", "推行统一分级标准与检测"),
    (SurveySubject.STATION, "站点日报报送不及时", "建立日报提醒与月度通报"),
]

SERVICES = [
    ("直播间租用", "含灯光、声卡与场控协助", "200", "小时"),
    ("产品摄影与详情页制作", "主图 5 张、详情页 1 套", "800", "套"),
    ("仓储代发", "入库、分拣、打包与快递代发", "3", "件"),
    ("网店代运营", "月度店铺运营与数据报告", "2000", "月"),
]


def seed(demo) -> dict[str, int]:
    centre = ServiceCentre.objects.create(**CENTRE, opened_on=demo.phase(1).start, notes="“9+1”建设运营模式")
    areas = [
        FunctionalArea.objects.create(
            centre=centre, code=code, kind=kind, name=name, floor_area=Decimal(area), capacity=capacity
        )
        for code, kind, name, area, capacity in AREAS
    ]
    work_orders = _work_orders(demo, areas)
    events = _events(demo)
    incubations, follow_ups = _incubations(demo)
    surveys = _surveys(demo)
    incomes = _incomes(demo)
    # Most records carry the evidence their targets ask for; every ninth is left without, so the
    # target pages show what "missing evidence" looks like.
    demo.attach_required(_most(work_orders), "centre.work_orders")
    demo.attach_required(_most(events), "centre.events")
    demo.attach_required(
        _most([e for e in events if e.kind == EventKind.MATCHMAKING]), "sales.matchmaking_fairs"
    )
    demo.attach_required([e for e in events if e.kind == EventKind.BRAND_LAUNCH], "brands.launch_events")
    demo.attach_required(_most(incubations), "centre.incubated_recipients")
    demo.attach_required(_most(follow_ups), "training.follow_up_guidance")
    demo.attach_required(_most(surveys), "centre.field_surveys")
    demo.attach_required(incomes, "centre.value_added_income")
    return {
        "centre_areas": len(areas),
        "centre_work_orders": len(work_orders),
        "centre_events": len(events),
        "centre_incubations": len(incubations),
        "centre_follow_ups": len(follow_ups),
        "centre_field_surveys": len(surveys),
        "centre_service_incomes": len(incomes),
    }


def _most(records: list) -> list:
    return [record for index, record in enumerate(records) if index % 9 != 4]


def _work_orders(demo, areas) -> list[WorkOrder]:
    """230 uses of the areas in phase 1 (target 200), 30 so far in phase 2 (target 50)."""
    requesters = demo.organisations + demo.trainees
    taken: set[tuple] = set()
    plan = []
    for phase, count in ((1, 230), (2, 30)):
        for _n in range(count):
            while True:
                area = demo.rng.choice(areas)
                day = demo.day_in_phase(phase)
                slot = demo.rng.choice(SLOTS)
                if (area.pk, day, slot) not in taken:
                    taken.add((area.pk, day, slot))
                    break
            plan.append((day, slot, area))
    orders = []
    for day, (h1, m1, h2, m2), area in sorted(plan, key=lambda p: (p[0], p[1], p[2].code)):
        purpose, outcome = demo.rng.choice(USES[area.kind])
        requester = demo.rng.choice(requesters) if requesters else None
        start = demo.moment(day, h1) + datetime.timedelta(minutes=m1)
        end = demo.moment(day, h2) + datetime.timedelta(minutes=m2)
        orders.append(
            WorkOrder.objects.create(
                contract=demo.contract,
                area=area,
                requester_organisation=requester if _is_organisation(requester) else None,
                requester_person=requester
                if requester is not None and not _is_organisation(requester)
                else None,
                requester_name="" if requester is not None else "散客",
                purpose=purpose,
                starts_at=start,
                ends_at=end,
                attendees=demo.rng.randint(2, min(area.capacity or 10, 40)),
                outcome=outcome if day < demo.today else "",
            )
        )
    return orders


def _is_organisation(record) -> bool:
    return record is not None and record._meta.model_name == "organisation"


def _events(demo) -> list[Event]:
    """Phase 1: ten salons and seminars, eight fairs (seven reach 10,000 yuan; target 6) and the
    brand launch (19 events, target 15); phase 2: two fairs and one salon so far (target 5)."""
    planned = [(1, kind, title, None) for kind, title in SALONS]
    planned += [(1, EventKind.MATCHMAKING, title, Decimal(sales)) for title, sales in FAIRS]
    planned.append((1, EventKind.BRAND_LAUNCH, "“乌拉特中旗·牧乡好物”区域公共品牌发布会", None))
    planned += [
        (2, EventKind.MATCHMAKING, "春季牛羊肉产销对接会", Decimal("23000")),
        (2, EventKind.MATCHMAKING, "社区团购农畜产品对接会", Decimal("15600")),
        (2, EventKind.SALON, "电商沙龙：牧区网店春季运营", None),
    ]
    dated = sorted(((demo.day_in_phase(phase), kind, title, sales) for phase, kind, title, sales in planned))
    return [
        Event.objects.create(
            contract=demo.contract,
            kind=kind,
            title=title,
            held_on=day,
            place=demo.rng.choice(PLACES),
            organiser="乌拉特中旗商务局" if kind == EventKind.BRAND_LAUNCH else "公共服务中心运营团队",
            attendees=demo.rng.randint(25, 120),
            sales_amount=sales,
            notes="",
        )
        for day, kind, title, sales in dated
    ]


def _incubations(demo) -> tuple[list, list]:
    """Phase 1: twelve recipients (target 10), eleven of them directed (target 10), with twelve
    follow-ups (target 10); phase 2: four new recipients so far (target 5)."""
    organisations = list(demo.organisations)
    trainees = list(demo.trainees)
    demo.rng.shuffle(organisations)
    demo.rng.shuffle(trainees)
    recipients = organisations[:9] + trainees[:7]
    kinds = list(IncubationKind)
    incubations = []
    for index, recipient in enumerate(recipients):
        phase = 1 if index < 12 else 2
        kind = kinds[index % len(kinds)]
        delivered, outcome = INCUBATION_TEXT[kind]
        incubations.append(
            IncubationService.objects.create(
                contract=demo.contract,
                recipient_organisation=recipient if _is_organisation(recipient) else None,
                recipient_person=None if _is_organisation(recipient) else recipient,
                kind=kind,
                directed=phase == 1 and index != 7,
                provided_on=demo.day_in_phase(phase),
                delivered=delivered,
                outcome=outcome,
            )
        )
    follow_ups = []
    directed = [i for i in incubations if i.directed]
    phase_end = min(demo.phase(1).end, demo.today)
    for index in range(12):
        incubation = directed[index % len(directed)]
        room = (phase_end - incubation.provided_on).days
        held_on = incubation.provided_on + datetime.timedelta(days=demo.rng.randint(0, max(room, 0)))
        follow_ups.append(
            IncubationFollowUp.objects.create(
                contract=demo.contract,
                incubation=incubation,
                held_on=held_on,
                content="回访店铺经营情况，复盘上月数据，调整主推产品",
                next_steps="下月跟进直播排期与复购活动",
            )
        )
    return incubations, follow_ups


def _surveys(demo) -> list[FieldSurvey]:
    """Phase 1: seven surveys (target 6); phase 2: one so far (target 2)."""
    stations = list(demo.stations)
    surveys = []
    for index, (subject, findings, plan) in enumerate(SURVEYS + [SURVEYS[0]]):
        phase = 1 if index < 7 else 2
        day = demo.day_in_phase(phase)
        station = None
        if subject == SurveySubject.STATION:
            if stations:
                station = demo.rng.choice(stations)
            else:
                subject = SurveySubject.OTHER
        status = PlanStatus.DONE if phase == 1 and index % 3 else PlanStatus.IN_PROGRESS
        surveys.append(
            FieldSurvey.objects.create(
                contract=demo.contract,
                subject=subject,
                station=station,
                surveyed_on=day,
                place=station.name if station else "乌拉特中旗",
                findings=findings,
                improvement_plan=plan,
                plan_status=status,
                plan_due=day + datetime.timedelta(days=60),
            )
        )
    return surveys


def _incomes(demo) -> list[ServiceIncome]:
    services = [
        ValueAddedService.objects.create(name=name, description=text, price=Decimal(price), unit=unit)
        for name, text, price, unit in SERVICES
    ]
    customers = [o.name for o in demo.organisations] or ["散客"]
    incomes = []
    for phase, count in ((1, 14), (2, 5)):
        for _n in range(count):
            service = demo.rng.choice(services)
            quantity = demo.rng.randint(1, 6) if service.unit != "件" else demo.rng.randint(100, 600)
            incomes.append((demo.day_in_phase(phase), service, quantity))
    return [
        ServiceIncome.objects.create(
            contract=demo.contract,
            service=service,
            received_on=day,
            customer=demo.rng.choice(customers),
            amount=service.price * quantity,
            notes=f"{quantity} {service.unit}",
        )
        for day, service, quantity in sorted(incomes, key=lambda i: (i[0], i[1].name))
    ]
