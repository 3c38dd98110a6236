"""Demo records of e-commerce training (see ``muxiang.demo.activity``): sessions at the service
centre and at the stations with their sign-in sheets, what the trainees went on to do, follow-up
visits, the yearly online-merchant counts, feedback analyses and the standard textbook.

The story the dashboard tells: phase 1's targets are met — over 1,000 person-times of which over 500
advanced, more than 7% from poor households, ten million-yuan merchants, placements and
influencers, four standardisation trainings — with a few sessions and outcomes left without their
evidence so the target pages show "missing evidence"; phase 2, three months in, is partly done.
"""

import datetime
from decimal import Decimal

from muxiang.core import audit
from muxiang.core.choices import ChangeAction
from muxiang.core.ledgers import bulk_changes
from muxiang.training.choices import TrainingAudience as A
from muxiang.training.choices import TrainingLevel, TrainingTopic, VisitMethod
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    Textbook,
    TraineeOutcome,
    TrainingSession,
)

AUDIT_MESSAGE = "加载示例数据"
CENTRE = "乌拉特中旗电子商务公共服务中心培训教室"

# (topic, level, title, audiences, teacher)
COURSES = [
    (
        TrainingTopic.LIVE_SELLING,
        TrainingLevel.ADVANCED,
        "直播带货实操：乌拉特羊肉专场",
        [A.FARMERS_HERDERS, A.COOPERATIVE],
        "阿拉坦仓",
    ),
    (
        TrainingTopic.SHOP_OPERATION,
        TrainingLevel.BASIC,
        "网店开设与日常运营",
        [A.FARMERS_HERDERS, A.RETURNED_STUDENT],
        "王晓燕",
    ),
    (
        TrainingTopic.PACKAGING,
        TrainingLevel.ADVANCED,
        "奶食品网销包装设计",
        [A.ENTERPRISE, A.COOPERATIVE],
        "赵丽",
    ),
    (
        TrainingTopic.PHOTOGRAPHY,
        TrainingLevel.BASIC,
        "手机拍摄产品图与短视频",
        [A.FARMERS_HERDERS, A.VETERAN],
        "其其格",
    ),
    (TrainingTopic.MARKETING, TrainingLevel.ADVANCED, "河套面粉、向日葵籽节令营销", [A.ENTERPRISE], "刘建军"),
    (
        TrainingTopic.POLICY,
        TrainingLevel.BASIC,
        "电子商务进农村政策解读",
        [A.GOVERNMENT, A.FIRST_SECRETARY],
        "旗商务局 张科长",
    ),
    (
        TrainingTopic.LOGISTICS,
        TrainingLevel.BASIC,
        "牛羊肉冷链打包与快递发货",
        [A.COOPERATIVE, A.STATION_MANAGER],
        "孙师傅",
    ),
    (
        TrainingTopic.LIVE_SELLING,
        TrainingLevel.ADVANCED,
        "羊绒制品直播话术与选品",
        [A.RETURNED_STUDENT, A.RETURNED_WORKER],
        "阿拉坦仓",
    ),
    (
        TrainingTopic.SHOP_OPERATION,
        TrainingLevel.ADVANCED,
        "网店数据分析与推广投放",
        [A.ENTERPRISE, A.RETURNED_STUDENT],
        "王晓燕",
    ),
    (
        TrainingTopic.PHOTOGRAPHY,
        TrainingLevel.BASIC,
        "网店美工：主图与详情页",
        [A.FARMERS_HERDERS, A.RETURNED_WORKER],
        "其其格",
    ),
]
STANDARDS = (
    TrainingTopic.STANDARDS,
    TrainingLevel.BASIC,
    "乌拉特羊肉网销流通标准宣贯",
    [A.ENTERPRISE, A.COOPERATIVE, A.FARMERS_HERDERS],
    "标准起草组 白老师",
)

FINDINGS = [
    ("网店月销售额约 2 万元，主要卖风干牛肉，差评集中在物流慢", "对接旗内快递共配点，改为次日发货"),
    ("直播每周 3 场，观看人数少，缺少选品", "推荐 3 款奶食品加入直播货盘，安排一次连麦"),
    ("已在电商企业做客服主管，希望学习数据分析", "推荐参加增值培训数据分析课程"),
    ("合作社网店上新向日葵籽，缺少质检报告", "协助联系检测机构，补齐质检报告"),
    ("抖音账号粉丝过万，想做羊绒制品带货", "对接羊绒企业供货，制定带货排期"),
    ("网店停更两个月，家中牧忙无人打理", "约定牧闲时上门辅导重新上架"),
]

SHOPS = ["淘宝 草原羊倌", "拼多多 乌拉特牧场直供", "抖音小店 巴音奶食", "微店 河套面粉坊", "京东 乌拉特羊绒"]
EMPLOYERS = [
    "乌拉特中旗牧歌电子商务有限公司",
    "巴彦淖尔草原云仓物流有限公司",
    "乌拉特中旗羊绒电商产业园",
    "内蒙古河套优选网络科技有限公司",
]
ACCOUNTS = [
    "抖音 @草原上的其木格",
    "快手 @巴图的牧场",
    "抖音 @乌拉特羊倌",
    "视频号 @嘎查奶食铺",
    "抖音 @向日葵姑娘",
]


def seed(demo) -> dict[str, int]:
    sessions = _sessions(demo)
    attendance = _attendance(demo, sessions)
    attended = sorted({a.person_id for a in attendance})
    outcomes = _outcomes(demo, [p for p in demo.trainees if p.pk in set(attended)])
    visits = _visits(demo, outcomes)
    censuses = _censuses(demo)
    analyses = _analyses(demo)
    textbooks = _textbooks(demo)
    # The sign-in sheet and the photo prove a session's person-times (and a standards training);
    # a few sessions are left without, so the target pages show "missing evidence".
    unproved = [s for s in sessions if s.topic != TrainingTopic.STANDARDS][6::13]
    demo.attach_required([s for s in sessions if s not in unproved], "training.person_times")
    _attach_outcome_proof(demo, outcomes)
    demo.attach_required(_most(visits), "training.follow_up_visits")
    demo.attach_required(censuses, "training.merchant_census")
    demo.attach_required(analyses, "training.analysis_reports")
    demo.attach_kind(textbooks, "document", "标准化培训教材.pdf")
    demo.attach_kind(textbooks, "screenshot", "公众号推送截图.png")
    return {
        "training_sessions": len(sessions),
        "training_attendance": len(attendance),
        "training_outcomes": len(outcomes),
        "training_follow_up_visits": len(visits),
        "training_merchant_census": len(censuses),
        "training_feedback_analyses": len(analyses),
        "training_textbooks": len(textbooks),
    }


def _most(records: list) -> list:
    return [record for index, record in enumerate(records) if index % 9 != 4]


def _sessions(demo) -> list[TrainingSession]:
    """36 sessions in phase 1 (four on the trade standard), 9 so far in phase 2 (one on it)."""
    plan = []
    for phase, count, standards in ((1, 32, 4), (2, 8, 1)):
        courses = [COURSES[i % len(COURSES)] for i in range(count)] + [STANDARDS] * standards
        plan.extend((demo.day_in_phase(phase), course) for course in courses)
    sessions = []
    for day, (topic, level, title, audiences, teacher) in sorted(plan, key=lambda p: (p[0], p[1][2])):
        at_station = demo.stations and demo.rng.random() < 0.35
        station = demo.rng.choice(demo.stations) if at_station else None
        sessions.append(
            TrainingSession.objects.create(
                contract=demo.contract,
                title=title,
                topic=topic,
                level=level,
                audiences=list(audiences),
                held_on=day,
                place=station.name if station else CENTRE,
                teacher=teacher,
                station=station,
            )
        )
    return sessions


def _attendance(demo, sessions) -> list[Attendance]:
    """30–45 trainees at each session; the sign-in sheets declare the households as registered."""
    rows = []
    for session in sessions:
        size = min(len(demo.trainees), demo.rng.randint(30, 45))
        for person in demo.rng.sample(demo.trainees, size):
            rows.append(
                Attendance(
                    contract=demo.contract,
                    session=session,
                    person=person,
                    poor_household=person.poor_household,
                    held_on=session.held_on,
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=500)
    audit.record_changes(bulk_changes(rows, ChangeAction.CREATE, AUDIT_MESSAGE))
    return rows


def _outcome(demo, person, year: int, phase: int, **values) -> TraineeOutcome:
    day = demo.day_in_phase(phase)
    return TraineeOutcome.objects.create(
        contract=demo.contract,
        person=person,
        year=year,
        recorded_on=max(day, datetime.date(year, 1, 1)),
        **values,
    )


def _outcomes(demo, attended) -> list[TraineeOutcome]:
    """Phase 1: 12 merchants over a million yuan a year, 12 placements, 11 influencers and 8 smaller
    shops; phase 2 so far: 6 of the merchants again (this year's sales), 3 placements, 2
    influencers."""
    rng = demo.rng
    first, second = demo.phase(1).start.year, demo.phase(2).start.year
    people = rng.sample(attended, min(len(attended), 48))
    merchants, placed, famous, small, later = (
        people[:12],
        people[12:24],
        people[24:35],
        people[35:43],
        people[43:48],
    )
    outcomes = []
    for person in merchants:
        sales = Decimal(rng.randrange(1_050_000, 2_800_000, 1000))
        outcomes.append(
            _outcome(
                demo, person, first, 1, sells_online=True, shop=rng.choice(SHOPS), annual_online_sales=sales
            )
        )
    for person in placed:
        outcomes.append(_outcome(demo, person, first, 1, employed=True, employer=rng.choice(EMPLOYERS)))
    for person in famous:
        sales = Decimal(rng.randrange(80_000, 600_000, 1000))
        outcomes.append(
            _outcome(
                demo,
                person,
                first,
                1,
                influencer=True,
                account=rng.choice(ACCOUNTS),
                sells_online=True,
                shop=rng.choice(SHOPS),
                annual_online_sales=sales,
            )
        )
    for person in small:
        sales = Decimal(rng.randrange(20_000, 300_000, 1000))
        outcomes.append(
            _outcome(
                demo, person, first, 1, sells_online=True, shop=rng.choice(SHOPS), annual_online_sales=sales
            )
        )
    if demo.today >= demo.phase(2).start:
        for person in merchants[:6]:
            sales = Decimal(rng.randrange(1_000_000, 3_000_000, 1000))
            outcomes.append(
                _outcome(
                    demo,
                    person,
                    second,
                    2,
                    sells_online=True,
                    shop=rng.choice(SHOPS),
                    annual_online_sales=sales,
                )
            )
        for person in later[:3]:
            outcomes.append(_outcome(demo, person, second, 2, employed=True, employer=rng.choice(EMPLOYERS)))
        for person in later[3:]:
            outcomes.append(_outcome(demo, person, second, 2, influencer=True, account=rng.choice(ACCOUNTS)))
    return outcomes


def _attach_outcome_proof(demo, outcomes) -> None:
    """Each outcome carries the proof its targets ask for: the sales statement of a million-yuan
    merchant, the employment document of a placement, the account screenshot of an influencer; one
    of each kind is left without."""
    merchants = [o for o in outcomes if (o.annual_online_sales or 0) >= 1_000_000]
    placed = [o for o in outcomes if o.employed]
    famous = [o for o in outcomes if o.influencer]
    shops = [o for o in outcomes if o.sells_online and o not in merchants and o not in famous]
    demo.attach_required(merchants[1:], "training.million_yuan_merchants")
    demo.attach_required(placed[1:], "training.placements")
    demo.attach_required(famous[1:], "training.influencers")
    demo.attach_required(shops, "training.conversion_rate")


def _visits(demo, outcomes) -> list[FollowUpVisit]:
    """14 visits in phase 1 (target 10) to trainees and businesses, 5 so far in phase 2."""
    rng = demo.rng
    visited = [o.person for o in outcomes]
    plan = [(demo.day_in_phase(phase), phase) for phase, count in ((1, 14), (2, 5)) for _ in range(count)]
    visits = []
    for day, _phase in sorted(plan):
        findings, help_given = rng.choice(FINDINGS)
        to_business = demo.organisations and rng.random() < 0.3
        visits.append(
            FollowUpVisit.objects.create(
                contract=demo.contract,
                visited_on=day,
                person=None if to_business else rng.choice(visited),
                organisation=rng.choice(demo.organisations) if to_business else None,
                method=rng.choice(
                    [VisitMethod.VISIT, VisitMethod.VISIT, VisitMethod.PHONE, VisitMethod.ONLINE]
                ),
                visitor=rng.choice(demo.staff).name if demo.staff else "",
                findings=findings,
                help_given=help_given,
            )
        )
    return visits


def _censuses(demo) -> list[MerchantCensus]:
    """The count of the year before the contract (the baseline, counted in the first weeks) and of
    the contract's first year (counted after it ended, when that day has come)."""
    start = demo.phase(1).start
    plan = [(start.year - 1, start + datetime.timedelta(days=40), 1086, "基期：上一年度全旗网商数量")]
    counted = datetime.date(start.year + 1, 1, 20)
    if counted <= demo.today:
        plan.append((start.year, counted, 1247, ""))
    return [
        MerchantCensus.objects.create(
            contract=demo.contract,
            year=year,
            counted_on=day,
            merchant_count=count,
            method="店铺注册地或发货地在本旗、年内有交易的网店及直播账号（商务局、平台数据与站点摸排核对）",
            notes=notes,
        )
        for year, day, count, notes in plan
    ]


def _analyses(demo) -> list[FeedbackAnalysis]:
    """After each half of phase 1, and so far one in phase 2."""
    first = demo.phase(1)
    middle = first.start + (first.end - first.start) / 2
    plan = [
        (
            first.start,
            middle,
            middle + datetime.timedelta(days=10),
            186,
            "91.5",
            "学员普遍反映直播实操课时不足，包装课程案例贴近本地产品",
            "下期增加两场直播带货实操，邀请本地主播连麦",
        ),
        (
            middle + datetime.timedelta(days=1),
            first.end,
            first.end - datetime.timedelta(days=5),
            214,
            "93.2",
            "增值培训学员希望有数据分析与投放课程；牧区学员希望送课到苏木",
            "新增网店数据分析课程，三期课程送到苏木站点",
        ),
    ]
    second = demo.phase(2)
    written = second.start + datetime.timedelta(days=60)
    if written <= demo.today:
        plan.append(
            (
                second.start,
                second.start + datetime.timedelta(days=45),
                written,
                97,
                "94.0",
                "第二阶段首月课程反响好，冷链打包课需配实物",
                "冷链打包课改在仓储区现场教学",
            )
        )
    analyses = []
    for period_from, period_to, written_on, respondents, satisfaction, summary, next_plan in plan:
        if written_on > demo.today:
            continue
        analyses.append(
            FeedbackAnalysis.objects.create(
                contract=demo.contract,
                title=f"{period_from:%Y年%m月}至{period_to:%Y年%m月}培训跟踪服务反馈分析报告",
                period_from=period_from,
                period_to=min(period_to, written_on),
                written_on=written_on,
                respondents=respondents,
                satisfaction=Decimal(satisfaction),
                summary=summary,
                next_plan=next_plan,
            )
        )
    return analyses


def _textbooks(demo) -> list[Textbook]:
    first = demo.phase(1).start + datetime.timedelta(days=75)
    plan = [("第1版", first, "微信公众号「乌拉特中旗电商」、公共服务中心培训教室")]
    revised = demo.phase(2).start + datetime.timedelta(days=30)
    if revised <= demo.today:
        plan.append(("第2版（修订）", revised, "微信公众号「乌拉特中旗电商」"))
    return [
        Textbook.objects.create(
            contract=demo.contract,
            title="农村电商创业带头人标准化培训教材",
            version=version,
            published_on=day,
            published_where=where,
            notes="含产品包装、摄影美工、直播带货、网店运营四个单元",
        )
        for version, day, where in plan
    ]
