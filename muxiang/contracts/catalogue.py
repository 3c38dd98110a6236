"""Every metric name a contract may use, with what it measures.

The apps that hold the records register the implementations (``<app>/metrics.py``); a name listed
here without an implementation is known but "not measurable yet", and the dashboard says so rather
than showing a number. A contract that names a metric missing from this list is refused.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricSpec:
    name: str
    kind: str  # count, distinct, sum, share, coverage, minimum, manual, document
    description: str
    params: tuple[str, ...] = ()
    area: str = ""  # the app that will provide it


_SPECS = [
    # 1.1 service centre, publicity, incubation, surveys (issue 4)
    MetricSpec("centre.events", "count", "电商活动（沙龙、研讨、产销对接等）场次", ("kinds",), "centre"),
    MetricSpec("centre.work_orders", "count", "公共服务中心功能区使用次数（服务工单）", ("areas",), "centre"),
    MetricSpec(
        "centre.incubated_recipients", "distinct", "接受孵化指导的企业或个人（去重）", ("kinds",), "centre"
    ),
    MetricSpec(
        "centre.field_surveys", "count", "站点、品牌、供应链等板块现场调研次数", ("subjects",), "centre"
    ),
    MetricSpec("centre.value_added_income", "sum", "市场化运营机制的增值服务收入（元）", (), "centre"),
    MetricSpec("publicity.articles", "count", "项目宣传文章篇数", ("channels",), "centre"),
    MetricSpec("publicity.media_coverage", "count", "国家级、省级、市级媒体宣传次数", ("levels",), "centre"),
    MetricSpec("publicity.billboards", "count", "户外宣传牌数量", (), "centre"),
    MetricSpec("publicity.brochure_pages", "sum", "发放宣传彩页页数", (), "centre"),
    MetricSpec("publicity.videos", "count", "发布的视频（培训视频、宣传片）数量", ("kinds",), "centre"),
    # 1.2 stations (issues 2 and 5)
    MetricSpec("stations.coverage", "coverage", "站点覆盖率（镇级、村级、出列村）", ("level",), "stations"),
    MetricSpec("stations.inspections", "count", "站点一对一指导、巡查及固定资产盘点次数", (), "stations"),
    MetricSpec("stations.manager_trainings", "count", "站点负责人培训次数", (), "stations"),
    MetricSpec("stations.evaluations", "count", "站点综合评选活动次数", (), "stations"),
    MetricSpec("stations.daily_report_rate", "share", "站点日报按日报送率", (), "stations"),
    MetricSpec("stations.app_activity_rate", "share", "智慧乡村 APP 签到活跃度", (), "stations"),
    MetricSpec("stations.premium_count", "count", "精品站点数量", (), "stations"),
    MetricSpec(
        "stations.premium_min_turnover", "minimum", "每个精品站点合同期内交易额的最小值（元）", (), "stations"
    ),
    MetricSpec("stations.publicity", "count", "站点横幅、刷墙等宣传（有宣传的站点数）", (), "stations"),
    # 2.1–2.5 trade (issue 6) and traceability (issue 7)
    MetricSpec(
        "supply.client_businesses",
        "distinct",
        "获得集中采购、统一配送、库存管理服务的中小企业（去重）",
        (),
        "supply",
    ),
    MetricSpec("supply.supply_chains", "count", "整合的县域供应链条数", (), "supply"),
    MetricSpec(
        "supply.systematic_services",
        "distinct",
        "获得系统化服务的本地企业、合作社或种植大户（去重）",
        (),
        "supply",
    ),
    MetricSpec(
        "trade_network.coverage", "coverage", "商贸流通网络覆盖率（镇级、村级）", ("level",), "supply"
    ),
    MetricSpec("reports.data_analysis", "count", "商贸流通数据分析报告份数", (), "reports"),
    MetricSpec("brands.count", "count", "品牌数量（区域公共品牌、产业品牌、企业品牌）", ("tier",), "brands"),
    MetricSpec(
        "brands.member_enterprises", "distinct", "加入区域公共品牌体系的本地企业（去重）", (), "brands"
    ),
    MetricSpec("brands.launch_events", "count", "区域公共品牌发布会次数", (), "brands"),
    MetricSpec("brands.promotions", "count", "区域品牌线上线下宣传次数", (), "brands"),
    MetricSpec("brands.promotion_reads", "sum", "区域品牌宣传累计阅读量", (), "brands"),
    MetricSpec("brands.promo_videos", "count", "区域品牌宣传片数量", (), "brands"),
    MetricSpec("brands.promo_video_showings", "count", "宣传片在各类媒体的宣传次数", (), "brands"),
    MetricSpec("brands.product_series", "count", "网销产品系列数", (), "brands"),
    MetricSpec("brands.products", "count", "网销产品款数", (), "brands"),
    MetricSpec("brands.packages", "sum", "配套包装件数", (), "brands"),
    MetricSpec("standards.trainings", "count", "农产品网销标准化培训次数", (), "brands"),
    MetricSpec("trace.enterprises", "distinct", "建设溯源体系的生产流通企业（去重）", (), "trace"),
    MetricSpec("trace.codes", "sum", "配备的溯源码数量", (), "trace"),
    MetricSpec("sales.amount", "sum", "带动农产品销售额（元）", ("channels",), "sales"),
    MetricSpec(
        "sales.matchmaking_fairs", "count", "产销对接会场次（每场销售额达到下限的）", ("min_sales",), "sales"
    ),
    MetricSpec("sales.census_updates", "count", "农村产品数据库年度更新次数", (), "sales"),
    # 3 training (issue 4)
    MetricSpec("training.person_times", "sum", "电子商务培训人次", ("levels", "audiences"), "training"),
    MetricSpec("training.poor_household_share", "share", "贫困户培训人次占培训总人次的比例", (), "training"),
    MetricSpec(
        "training.conversion_rate", "share", "学员转化率（开网店、就业或创业的学员占比）", (), "training"
    ),
    MetricSpec(
        "training.million_yuan_merchants",
        "distinct",
        "年销售额 100 万元以上的网商（去重）",
        ("min_sales",),
        "training",
    ),
    MetricSpec("training.placements", "distinct", "推荐进入电商企业任职的优秀学员（去重）", (), "training"),
    MetricSpec("training.influencers", "distinct", "孵化或提升的主题网红（去重）", (), "training"),
    MetricSpec("training.follow_up_visits", "count", "培训后跟踪回访次数", (), "training"),
    MetricSpec(
        "training.directed_incubations", "distinct", "定向辅导、孵化的企业或个人（去重）", (), "training"
    ),
    MetricSpec("training.follow_up_guidance", "count", "定向孵化后的跟踪指导次数", (), "training"),
    MetricSpec("training.merchant_census", "count", "全旗网商数量年度统计次数", (), "training"),
    MetricSpec("training.analysis_reports", "count", "人才培养跟踪服务反馈分析报告份数", (), "training"),
    # 4 team and reporting (issues 2 and 8)
    MetricSpec("team.members", "count", "专业运营团队人数（登记为运营团队的人员）", (), "people"),
    MetricSpec(
        "reports.monthly",
        "count",
        "每月报送的数据信息及工作总结份数（甲方审定的月度工作报告）",
        (),
        "reports",
    ),
    MetricSpec("mofcom.monthly_deliveries", "count", "向商务部平台报送月度数据的月份数", (), "mofcom"),
    # figures from outside the platform, entered with evidence
    MetricSpec("manual", "manual", "人工填报的数值（附佐证材料，留变更记录）", ("label",), "contracts"),
]

CATALOGUE: dict[str, MetricSpec] = {spec.name: spec for spec in _SPECS}
