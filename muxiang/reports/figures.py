"""The figures of each report kind, computed from the records by aggregates.

A builder returns the report's *snapshot*: plain JSON (numbers as numbers) of sections, each with
its tables (the .xlsx has a sheet per table), its charts and the short statements computed from
the data. The PDF and the .xlsx are rendered from the snapshot alone, so a submitted report can be
rendered again byte for byte from what was frozen.

The number of queries of a builder depends on the contract (its targets) and the calendar, never
on the number of records: every figure is one aggregate (``GROUP BY`` town, station, month,
product, channel …), and the few per-group names are read in one query per kind of group.

Statements claim only what the figures show: none when there is nothing to compare (no data, one
town, no month before).
"""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from muxiang.contracts.catalogue import CATALOGUE
from muxiang.contracts.choices import ProgressStatus
from muxiang.contracts.engine import EVIDENCE_PARAM, TARGET_PARAM, Window, compute_progress, measure
from muxiang.reports.choices import ReportKind
from muxiang.reports.periods import Period, month_period

# Metric kinds whose figure over a month is "the work done in the month" (records added); levels,
# shares and coverages are states, shown against their targets instead.
WORK_KINDS = {"count", "sum", "distinct"}
TREND_MONTHS = 6
TOP_STATIONS = 20
TOP_PRODUCTS = 10


def build_figures(kind: str, contract, period: Period, today: datetime.date | None = None) -> dict:
    """The snapshot of a report of ``kind`` over ``period``, as of ``today`` (or the period's end
    when it is over)."""
    today = today or timezone.localdate()
    as_of = min(today, period.end)
    builder = {
        ReportKind.MONTHLY: monthly_figures,
        ReportKind.ANALYSIS: analysis_figures,
        ReportKind.TRAINING: training_figures,
        ReportKind.MERCHANTS: merchant_figures,
    }[ReportKind(kind)]
    # A report to the client is a Chinese document whatever the language of whoever builds it: the
    # snapshot keeps its labels and statements as written.
    with translation.override("zh-hans"):
        sections = builder(contract, period, as_of)
    return {
        "kind": str(kind),
        "kind_label": str(ReportKind(kind).label),
        "contract": contract.key,
        "contract_name": contract.name,
        "client": contract.client_name,
        "operator": contract.operator_name,
        "county": contract.county_name,
        "period": period.text,
        "period_label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": as_of.isoformat(),
        "sections": sections,
    }


# --------------------------------------------------------------------------------------------------
# helpers


def num(value):
    """A JSON number: whole values as int, money and rates with two decimals; None stays None."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return int(value)
    return float(value.quantize(Decimal("0.01")))


def pct(part, whole):
    if not whole:
        return None
    return float((Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(Decimal("0.1")))


def fmt(value) -> str:
    """A figure as a statement writes it: 12,345.6."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def table(key, title, columns, rows, note=""):
    return {"key": key, "title": title, "columns": columns, "rows": rows, "note": note}


def chart(kind, title, labels, series, unit=""):
    return {"kind": kind, "title": title, "labels": labels, "series": series, "unit": unit}


def section(title, tables=(), charts=(), statements=(), text=""):
    return {
        "title": title,
        "tables": list(tables),
        "charts": list(charts),
        "statements": list(statements),
        "text": text,
    }


def _metric_params(target) -> dict:
    # Every record of the month, with or without its evidence: the month's work as recorded.
    return {**(target.params or {}), TARGET_PARAM: target.key, EVIDENCE_PARAM: ()}


def _phase_of(contract, day):
    phases = list(contract.phases.all())
    for phase in phases:
        if phase.start <= day <= phase.end:
            return phase
    return None


def _county_reports(contract):
    """The daily reports of the contract's county made by a live station on a day it was open."""
    from muxiang.operations.models import StationDailyReport
    from muxiang.operations.services import of_open_station_in

    return StationDailyReport.objects.filter(of_open_station_in(contract.county)).order_by()


TOWN_OF_REPORT = Case(
    When(station__region__level="village", then=F("station__region__parent_id")),
    default=F("station__region_id"),
)
TOWN_OF_STATION = Case(When(region__level="village", then=F("region__parent_id")), default=F("region_id"))


def _region_names(ids) -> dict[int, str]:
    from muxiang.regions.models import Region

    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(Region.all_objects.filter(pk__in=ids).values_list("pk", "name"))


def _change(current, previous) -> tuple:
    """(difference, percent change or None when there is nothing to compare with)."""
    if current is None:
        return None, None
    if previous is None:
        return None, None
    difference = num(Decimal(str(current)) - Decimal(str(previous)))
    return difference, (pct(difference, previous) if previous else None)


# --------------------------------------------------------------------------------------------------
# 月度工作报告 (4.3)


def monthly_figures(contract, period: Period, as_of: datetime.date) -> list[dict]:
    from muxiang.operations.services import month_figures

    progress = compute_progress(contract, as_of)
    phase = _phase_of(contract, period.start)
    month = Window(period.start, period.end, as_of)

    work_rows = []
    for item in progress:
        target = item.target
        spec = CATALOGUE.get(target.metric)
        if spec is None or spec.kind not in WORK_KINDS or not item.measurable:
            continue
        value = measure(target.metric, month, _metric_params(target), contract)
        work_rows.append([target.section, target.key, target.title, target.unit, num(value)])

    target_rows, statuses = [], {}
    for item in progress:
        target = item.target
        figure = item.phases[phase.number - 1] if phase is not None else item.overall
        status = str(ProgressStatus(figure.status).label) if figure.status else _("无阶段目标")
        statuses[status] = statuses.get(status, 0) + 1
        target_rows.append(
            [
                target.section,
                target.key,
                target.title,
                target.unit,
                num(figure.target),
                num(figure.actual),
                num(figure.percent),
                status,
                num(figure.forecast),
            ]
        )

    ops = month_figures(period.start, contract.county)
    ops_rows = [
        [_("开业站点（个）"), ops.stations_open],
        [_("应报日报（份）"), ops.expected_reports],
        [_("实收日报（份）"), ops.reports],
        [_("日报报送率（%）"), num(ops.completeness)],
        [_("代买单数"), ops.proxy_buying_orders],
        [_("代买金额（元）"), num(ops.proxy_buying_amount)],
        [_("代卖单数"), ops.proxy_selling_orders],
        [_("代卖金额（元）"), num(ops.proxy_selling_amount)],
        [_("其中农产品金额（元）"), num(ops.farm_product_amount)],
        [_("寄出快递（件）"), ops.parcels_sent],
        [_("收到快递（件）"), ops.parcels_received],
        [_("服务村民（人次）"), ops.villagers_served],
        [_("便民服务（笔）"), ops.convenience_services],
        [_("APP 活跃站点（个）"), ops.app_active_stations],
    ]

    phase_title = str(phase) if phase is not None else _("合同期")
    with_percent = [row for row in target_rows if row[6] is not None]
    statements = []
    counted = sum(statuses.values())
    if counted:
        met = statuses.get(str(ProgressStatus.MET.label), 0)
        behind = statuses.get(str(ProgressStatus.BEHIND.label), 0)
        at_risk = statuses.get(str(ProgressStatus.AT_RISK.label), 0)
        statements.append(
            _(
                "截至 %(d)s，%(p)s %(n)d 项绩效目标中已达成 %(met)d 项，有风险 %(risk)d 项，落后 %(behind)d 项。"
            )
            % {
                "d": as_of.isoformat(),
                "p": phase_title,
                "n": counted,
                "met": met,
                "risk": at_risk,
                "behind": behind,
            }
        )
    work_done = [row for row in work_rows if row[4]]
    work_statements = []
    if work_done:
        sections = sorted({row[0] for row in work_done})
        work_statements.append(
            _("本月 %(n)d 项计量指标有新增记录，涉及条款：%(s)s。")
            % {"n": len(work_done), "s": "、".join(sections)}
        )
    ops_statements = []
    if ops.expected_reports:
        ops_statements.append(
            _("本月应报站点日报 %(e)s 份，实收 %(r)s 份，报送率 %(c)s%%。")
            % {"e": fmt(ops.expected_reports), "r": fmt(ops.reports), "c": fmt(num(ops.completeness))}
        )

    return [
        section(
            _("一、本月工作（按合同条款）"),
            tables=[
                table(
                    "work",
                    _("本月工作量"),
                    [_("条款"), _("标识"), _("绩效目标"), _("单位"), _("本月完成")],
                    work_rows,
                    note=_("本月（%(s)s 至 %(e)s）登记的记录按各目标的计量口径统计，不论是否已附佐证材料。")
                    % {"s": period.start.isoformat(), "e": period.end.isoformat()},
                )
            ],
            statements=work_statements,
        ),
        section(
            _("二、绩效目标完成情况（%(p)s）") % {"p": phase_title},
            tables=[
                table(
                    "targets",
                    _("绩效目标"),
                    [
                        _("条款"),
                        _("标识"),
                        _("绩效目标"),
                        _("单位"),
                        _("阶段目标"),
                        _("实际完成"),
                        _("完成率（%）"),
                        _("状态"),
                        _("阶段预测"),
                    ],
                    target_rows,
                )
            ],
            charts=[
                chart(
                    "barh",
                    _("各项目标完成率（%）"),
                    [row[1] for row in with_percent],
                    [{"name": _("完成率"), "values": [min(row[6], 200) for row in with_percent]}],
                    "%",
                ),
                chart(
                    "bar",
                    _("目标状态分布（项）"),
                    list(statuses),
                    [{"name": _("目标数"), "values": list(statuses.values())}],
                ),
            ]
            if target_rows
            else [],
            statements=statements,
        ),
        section(
            _("三、站点运营数据"),
            tables=[table("stations", _("站点运营"), [_("指标"), _("本月")], ops_rows)],
            statements=ops_statements,
        ),
    ]


# --------------------------------------------------------------------------------------------------
# 数据分析报告 (2.2)


def _months_back(period: Period, count: int) -> list[Period]:
    year, month = period.start.year, period.start.month
    months = []
    for _i in range(count):
        months.append(month_period(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def analysis_figures(contract, period: Period, as_of: datetime.date) -> list[dict]:
    from muxiang.operations.models import StationTransaction
    from muxiang.operations.services import last_counted_day, open_days, stations_in
    from muxiang.sales.choices import SaleMode, SalesChannel
    from muxiang.sales.models import Sale

    months = _months_back(period, TREND_MONTHS)
    previous = months[-2]
    in_month = Q(day__range=(period.start, period.end))
    in_previous = Q(day__range=(previous.start, previous.end))
    reports = _county_reports(contract)

    # --- by town: this month and the month before, one GROUP BY -----------------------------------
    turnover = F("proxy_buying_amount") + F("proxy_selling_amount")
    by_town = list(
        reports.filter(day__range=(previous.start, period.end))
        .annotate(town=TOWN_OF_REPORT)
        .values("town")
        .annotate(
            reports=Count("id", filter=in_month),
            buying=Sum("proxy_buying_amount", filter=in_month),
            selling=Sum("proxy_selling_amount", filter=in_month),
            farm=Sum("farm_product_amount", filter=in_month),
            turnover=Sum(turnover, filter=in_month),
            previous=Sum(turnover, filter=in_previous),
            stations=Count("station_id", filter=in_month, distinct=True),
        )
    )

    # --- completeness by town: days open (station spans grouped by town) against reports -----------
    last = last_counted_day(period.end, as_of)
    spans = []
    if last >= period.start:
        spans = list(
            stations_in(contract.county)
            .filter(opened_on__isnull=False, opened_on__lte=last)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=period.start))
            .annotate(town=TOWN_OF_STATION)
            .order_by()
            .values_list("town", "opened_on", "closed_on")
            .annotate(n=Count("pk"))
        )
    expected: dict = {}
    for town, opened, closed, n in spans:
        expected[town] = expected.get(town, 0) + n * open_days(opened, closed, period.start, last)
    received = dict(
        reports.filter(day__range=(period.start, last))
        .annotate(town=TOWN_OF_REPORT)
        .values("town")
        .annotate(n=Count("id"))
        .values_list("town", "n")
    )
    names = _region_names({row["town"] for row in by_town} | set(expected))

    town_rows = []
    for row in by_town:
        if not row["reports"] and not row["previous"]:
            continue
        town_rows.append(
            {
                "town": names.get(row["town"], "?"),
                "stations": row["stations"],
                "reports": row["reports"],
                "buying": num(row["buying"] or 0),
                "selling": num(row["selling"] or 0),
                "farm": num(row["farm"] or 0),
                "turnover": num(row["turnover"] or 0),
                "previous": num(row["previous"] or 0),
            }
        )
    town_rows.sort(key=lambda r: (-r["turnover"], r["town"]))
    completeness_rows = sorted(
        (
            [names.get(town, "?"), count, received.get(town, 0), pct(received.get(town, 0), count)]
            for town, count in expected.items()
            if count
        ),
        key=lambda r: (r[3] if r[3] is not None else 0, r[0]),
    )

    # --- stations: the month's largest turnovers -------------------------------------------------
    station_rows = [
        [
            row["station__code"],
            row["station__name"],
            row["orders"],
            num(row["buying"]),
            num(row["selling"]),
            num(row["turnover"]),
        ]
        for row in reports.filter(in_month)
        .values("station_id", "station__code", "station__name")
        .annotate(
            orders=Sum(F("proxy_buying_orders") + F("proxy_selling_orders")),
            buying=Sum("proxy_buying_amount"),
            selling=Sum("proxy_selling_amount"),
            turnover=Sum(turnover),
        )
        .order_by("-turnover", "station__code")[:TOP_STATIONS]
    ]

    # --- trend over the last months --------------------------------------------------------------
    trend = {
        row["month"]: row
        for row in reports.filter(day__range=(months[0].start, period.end))
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(
            buying=Sum("proxy_buying_amount"),
            selling=Sum("proxy_selling_amount"),
            buying_orders=Sum("proxy_buying_orders"),
            selling_orders=Sum("proxy_selling_orders"),
            reports=Count("id"),
        )
    }

    def _month_key(value):
        return value.date() if isinstance(value, datetime.datetime) else value

    trend = {_month_key(k): v for k, v in trend.items()}
    trend_rows = []
    for month in months:
        row = trend.get(month.start, {})
        trend_rows.append(
            [
                month.text,
                row.get("reports", 0) or 0,
                row.get("buying_orders", 0) or 0,
                num(row.get("buying") or 0),
                row.get("selling_orders", 0) or 0,
                num(row.get("selling") or 0),
                num((row.get("buying") or 0) + (row.get("selling") or 0)),
            ]
        )

    # --- premium stations' transaction ledger ----------------------------------------------------
    ledger_filter = Q(day__range=(period.start, period.end), station__deleted_at__isnull=True)
    if contract.county is not None:
        from muxiang.stations.models import station_in_region

        ledger_filter &= station_in_region(contract.county, "station__")
    from muxiang.operations.choices import TransactionKind

    ledger_rows = [
        [str(TransactionKind(row["kind"]).label), row["lines"], num(row["total"])]
        for row in StationTransaction.objects.filter(ledger_filter)
        .order_by()
        .values("kind")
        .annotate(lines=Count("id"), total=Sum("amount"))
        .order_by("-total")
    ]

    # --- sales ledger: products and channels -----------------------------------------------------
    sales = Sale.objects.filter(contract=contract, sold_on__range=(period.start, period.end)).order_by()
    sales_total = sales.aggregate(total=Sum("amount"))
    total_amount = sales_total["total"] or 0
    product_rows = [
        [
            row["product__name"],
            row["orders"],
            num(row["qty"]),
            num(row["total"]),
            pct(row["total"], total_amount),
        ]
        for row in sales.values("product_id", "product__name")
        .annotate(orders=Count("id"), qty=Sum("quantity"), total=Sum("amount"))
        .order_by("-total", "product__name")[:TOP_PRODUCTS]
    ]
    channel_rows = [
        [
            str(SalesChannel(row["channel"]).label)
            if row["channel"] in SalesChannel.values
            else row["channel"],
            row["orders"],
            num(row["total"]),
            pct(row["total"], total_amount),
            num(row["online"] or 0),
        ]
        for row in sales.values("channel")
        .annotate(
            orders=Count("id"), total=Sum("amount"), online=Sum("amount", filter=Q(mode=SaleMode.ONLINE))
        )
        .order_by("-total", "channel")
    ]
    online = sum(row[4] for row in channel_rows)

    # --- statements --------------------------------------------------------------------------------
    station_statements, trend_statements, proxy_statements, sales_statements, completeness_statements = (
        [],
        [],
        [],
        [],
        [],
    )
    total = sum(r["turnover"] for r in town_rows)
    total_previous = sum(r["previous"] for r in town_rows)
    if total:
        if total_previous:
            change = pct(total - total_previous, total_previous)
            trend_statements.append(
                _("本月站点交易额 %(t)s 元，较上月（%(p)s 元）%(dir)s %(c)s%%。")
                % {
                    "t": fmt(total),
                    "p": fmt(total_previous),
                    "dir": _("上升") if change >= 0 else _("下降"),
                    "c": fmt(abs(change)),
                }
            )
        else:
            trend_statements.append(
                _("本月站点交易额 %(t)s 元；上月没有交易数据，不作比较。") % {"t": fmt(total)}
            )
    compared = [r for r in town_rows if r["previous"] and r["turnover"]]
    if compared:
        best = max(compared, key=lambda r: (r["turnover"] - r["previous"], r["town"]))
        rise = num(Decimal(str(best["turnover"])) - Decimal(str(best["previous"])))
        if rise > 0:
            station_statements.append(
                _("交易额增长最多的是%(town)s，较上月增加 %(r)s 元（%(c)s%%）。")
                % {"town": best["town"], "r": fmt(rise), "c": fmt(pct(rise, best["previous"]))}
            )
    active_towns = [r for r in town_rows if r["reports"]]
    if len(active_towns) >= 2:
        average = sum(r["turnover"] for r in active_towns) / len(active_towns)
        below = [r["town"] for r in active_towns if r["turnover"] < average]
        if below:
            station_statements.append(
                _("各镇平均交易额 %(a)s 元，低于平均的有：%(towns)s。")
                % {"a": fmt(num(average)), "towns": "、".join(below)}
            )
    buying = sum(r["buying"] for r in town_rows)
    selling = sum(r["selling"] for r in town_rows)
    if buying or selling:
        farm = sum(r["farm"] for r in town_rows)
        proxy_statements.append(
            _("本月代买（下行）%(b)s 元、代卖（上行）%(s)s 元，代卖占 %(share)s%%；代卖中农产品 %(f)s 元。")
            % {
                "b": fmt(buying),
                "s": fmt(selling),
                "share": fmt(pct(selling, buying + selling)),
                "f": fmt(farm),
            }
        )
    if product_rows:
        top = product_rows[0]
        sales_statements.append(
            _("本月销售额 %(t)s 元，最高的商品是%(p)s（%(a)s 元，占 %(s)s%%）；线上渠道占 %(o)s%%。")
            % {
                "t": fmt(num(total_amount)),
                "p": top[0],
                "a": fmt(top[3]),
                "s": fmt(top[4]),
                "o": fmt(pct(online, total_amount)),
            }
        )
    all_expected = sum(r[1] for r in completeness_rows)
    if all_expected:
        all_received = sum(r[2] for r in completeness_rows)
        line = _("应报日报 %(e)s 份，实收 %(r)s 份，报送率 %(c)s%%") % {
            "e": fmt(all_expected),
            "r": fmt(all_received),
            "c": fmt(pct(all_received, all_expected)),
        }
        # "The lowest" only when one town is below another: a tie names no one.
        if len(completeness_rows) >= 2 and (completeness_rows[0][3] or 0) < (completeness_rows[-1][3] or 0):
            lowest = completeness_rows[0]
            line += _("；报送率最低的是%(t)s（%(c)s%%）") % {"t": lowest[0], "c": fmt(lowest[3])}
        completeness_statements.append(line + "。")

    town_table_rows = [
        [
            r["town"],
            r["stations"],
            r["reports"],
            r["buying"],
            r["selling"],
            r["farm"],
            r["turnover"],
            r["previous"],
            _change(r["turnover"], r["previous"])[1] if r["previous"] else None,
        ]
        for r in town_rows
    ]
    return [
        section(
            _("一、各镇与站点交易"),
            tables=[
                table(
                    "towns",
                    _("各镇交易"),
                    [
                        _("镇/苏木"),
                        _("报送站点"),
                        _("日报（份）"),
                        _("代买金额（元）"),
                        _("代卖金额（元）"),
                        _("其中农产品（元）"),
                        _("交易额（元）"),
                        _("上月交易额（元）"),
                        _("环比（%）"),
                    ],
                    town_table_rows,
                ),
                table(
                    "stations",
                    _("站点交易前%(n)d名") % {"n": TOP_STATIONS},
                    [
                        _("站点编号"),
                        _("站点"),
                        _("单数"),
                        _("代买金额（元）"),
                        _("代卖金额（元）"),
                        _("交易额（元）"),
                    ],
                    station_rows,
                ),
                table(
                    "ledger",
                    _("精品站点交易台账"),
                    [_("交易类型"), _("笔数"), _("金额（元）")],
                    ledger_rows,
                ),
            ],
            charts=[
                chart(
                    "barh",
                    _("各镇交易额（元）"),
                    [r["town"] for r in town_rows],
                    [
                        {"name": _("本月"), "values": [r["turnover"] for r in town_rows]},
                        {"name": _("上月"), "values": [r["previous"] for r in town_rows]},
                    ],
                    _("元"),
                )
            ]
            if town_rows
            else [],
            statements=station_statements,
        ),
        section(
            _("二、近%(n)d个月趋势") % {"n": TREND_MONTHS},
            tables=[
                table(
                    "trend",
                    _("月度趋势"),
                    [
                        _("月份"),
                        _("日报（份）"),
                        _("代买单数"),
                        _("代买金额（元）"),
                        _("代卖单数"),
                        _("代卖金额（元）"),
                        _("交易额（元）"),
                    ],
                    trend_rows,
                )
            ],
            charts=[
                chart(
                    "line",
                    _("代买与代卖金额走势（元）"),
                    [row[0] for row in trend_rows],
                    [
                        {"name": _("代买"), "values": [row[3] for row in trend_rows]},
                        {"name": _("代卖"), "values": [row[5] for row in trend_rows]},
                    ],
                    _("元"),
                )
            ],
            statements=trend_statements,
        ),
        section(_("三、代买与代卖"), statements=proxy_statements),
        section(
            _("四、商品与销售渠道"),
            tables=[
                table(
                    "products",
                    _("销售额前%(n)d的商品") % {"n": TOP_PRODUCTS},
                    [_("商品"), _("订单数"), _("数量"), _("销售额（元）"), _("占比（%）")],
                    product_rows,
                ),
                table(
                    "channels",
                    _("销售渠道"),
                    [_("渠道"), _("订单数"), _("销售额（元）"), _("占比（%）"), _("其中线上（元）")],
                    channel_rows,
                ),
            ],
            charts=[
                chart(
                    "bar",
                    _("各渠道销售额（元）"),
                    [row[0] for row in channel_rows],
                    [{"name": _("销售额"), "values": [row[2] for row in channel_rows]}],
                    _("元"),
                )
            ]
            if channel_rows
            else [],
            statements=sales_statements,
        ),
        section(
            _("五、日报报送完整性"),
            tables=[
                table(
                    "completeness",
                    _("日报报送率"),
                    [_("镇/苏木"), _("应报（份）"), _("实收（份）"), _("报送率（%）")],
                    completeness_rows,
                    note=_("应报为各站点本月开业的天数（统计到 %(d)s）。") % {"d": last.isoformat()},
                )
            ],
            statements=completeness_statements,
        ),
    ]


# --------------------------------------------------------------------------------------------------
# 培训分析报告 (3)


def training_figures(contract, period: Period, as_of: datetime.date) -> list[dict]:
    from muxiang.training.choices import TrainingAudience, TrainingLevel, TrainingTopic, VisitMethod
    from muxiang.training.models import Attendance, FeedbackAnalysis, FollowUpVisit, TrainingSession

    span = (period.start, min(period.end, as_of))
    sessions = TrainingSession.objects.filter(contract=contract, held_on__range=span).order_by()
    attendance = Attendance.objects.filter(
        contract=contract, held_on__range=span, session__deleted_at__isnull=True
    ).order_by()
    poor = Q(poor_household=True)

    totals = attendance.aggregate(
        n=Count("id"), poor=Count("id", filter=poor), people=Count("person_id", distinct=True)
    )
    sessions_by_topic = dict(sessions.values("topic").annotate(n=Count("id")).values_list("topic", "n"))
    topic_rows = [
        [
            str(TrainingTopic(row["session__topic"]).label),
            sessions_by_topic.get(row["session__topic"], 0),
            row["n"],
            row["poor"],
            pct(row["poor"], row["n"]),
        ]
        for row in attendance.values("session__topic")
        .annotate(n=Count("id"), poor=Count("id", filter=poor))
        .order_by("-n", "session__topic")
    ]
    # A session may address several audiences: its person-times count toward each of them.
    audiences: dict[str, list[int]] = {}
    for row in attendance.values("session__audiences").annotate(n=Count("id"), poor=Count("id", filter=poor)):
        for audience in row["session__audiences"] or ["—"]:
            figures = audiences.setdefault(audience, [0, 0])
            figures[0] += row["n"]
            figures[1] += row["poor"]
    audience_labels = dict(TrainingAudience.choices)
    audience_rows = sorted(
        ([str(audience_labels.get(a, a)), n, p, pct(p, n)] for a, (n, p) in audiences.items()),
        key=lambda r: (-r[1], r[0]),
    )
    level_rows = [
        [str(TrainingLevel(row["session__level"]).label), row["n"]]
        for row in attendance.values("session__level").annotate(n=Count("id")).order_by("session__level")
    ]

    window = Window(period.start, period.end, as_of)
    no_evidence = {EVIDENCE_PARAM: ()}
    outcome_rows = [
        [_("学员转化率（%）"), num(measure("training.conversion_rate", window, no_evidence, contract))],
        [_("推荐任职（人）"), num(measure("training.placements", window, no_evidence, contract))],
        [_("孵化网红（人）"), num(measure("training.influencers", window, no_evidence, contract))],
        [
            _("年网络销售额 100 万元以上的网商（人）"),
            num(measure("training.million_yuan_merchants", window, no_evidence, contract)),
        ],
    ]
    visits = FollowUpVisit.objects.filter(contract=contract, visited_on__range=span).order_by()
    method_labels = dict(VisitMethod.choices)
    visit_rows = [
        [str(method_labels.get(row["method"], row["method"])), row["n"], row["people"]]
        for row in visits.values("method")
        .annotate(n=Count("id"), people=Count("person_id", distinct=True))
        .order_by("-n")
    ]
    feedback_rows = [
        [
            row["number"],
            row["title"],
            row["written_on"].isoformat(),
            row["respondents"],
            num(row["satisfaction"]),
        ]
        for row in FeedbackAnalysis.objects.filter(contract=contract, written_on__range=span)
        .order_by("written_on", "pk")
        .values("number", "title", "written_on", "respondents", "satisfaction")[:50]
    ]

    statements = []
    if totals["n"]:
        statements.append(
            _(
                "本期举办培训 %(s)s 场，培训 %(n)s 人次（%(p)s 人），其中贫困户/脱贫户 %(poor)s 人次，占 %(share)s%%。"
            )
            % {
                "s": fmt(sum(sessions_by_topic.values())),
                "n": fmt(totals["n"]),
                "p": fmt(totals["people"]),
                "poor": fmt(totals["poor"]),
                "share": fmt(pct(totals["poor"], totals["n"])),
            }
        )
        if topic_rows:
            statements.append(
                _("参训人次最多的培训内容是%(t)s（%(n)s 人次）。")
                % {"t": topic_rows[0][0], "n": fmt(topic_rows[0][2])}
            )
    visit_total = sum(row[1] for row in visit_rows)
    visit_statements = (
        [
            _("本期跟踪回访 %(n)s 次，涉及 %(p)s 人。")
            % {"n": fmt(visit_total), "p": fmt(sum(r[2] for r in visit_rows))}
        ]
        if visit_total
        else []
    )
    return [
        section(
            _("一、参训情况"),
            tables=[
                table(
                    "topics",
                    _("按培训内容"),
                    [_("培训内容"), _("场次"), _("人次"), _("贫困户人次"), _("贫困户占比（%）")],
                    topic_rows,
                ),
                table(
                    "audiences",
                    _("按培训对象"),
                    [_("培训对象"), _("人次"), _("贫困户人次"), _("贫困户占比（%）")],
                    audience_rows,
                    note=_("一场培训面向多类对象时，其人次计入每一类。"),
                ),
                table("levels", _("按培训类别"), [_("类别"), _("人次")], level_rows),
            ],
            charts=[
                chart(
                    "barh",
                    _("各培训内容参训人次"),
                    [row[0] for row in topic_rows],
                    [{"name": _("人次"), "values": [row[2] for row in topic_rows]}],
                ),
                chart(
                    "barh",
                    _("各类培训对象参训人次"),
                    [row[0] for row in audience_rows],
                    [{"name": _("人次"), "values": [row[1] for row in audience_rows]}],
                ),
            ]
            if topic_rows
            else [],
            statements=statements,
        ),
        section(
            _("二、学员转化"),
            tables=[table("outcomes", _("学员转化"), [_("指标"), _("本期")], outcome_rows)],
        ),
        section(
            _("三、跟踪回访与反馈"),
            tables=[
                table("visits", _("跟踪回访"), [_("回访方式"), _("次数"), _("人数")], visit_rows),
                table(
                    "feedback",
                    _("反馈分析报告"),
                    [_("编号"), _("名称"), _("成稿日期"), _("反馈人数"), _("满意度（%）")],
                    feedback_rows,
                ),
            ],
            statements=visit_statements,
        ),
    ]


# --------------------------------------------------------------------------------------------------
# 网商统计报告 (3)


def merchant_figures(contract, period: Period, as_of: datetime.date) -> list[dict]:
    from muxiang.sales.choices import SaleMode, SalesChannel
    from muxiang.sales.models import Sale
    from muxiang.training.models import MerchantCensus, TraineeOutcome

    year = period.start.year
    last_year = year - 1
    censuses = {
        row["year"]: row
        for row in MerchantCensus.objects.filter(contract=contract, year__in=[last_year, year]).values(
            "year", "merchant_count", "counted_on", "method"
        )
    }
    million = Decimal("1000000")
    outcomes = {
        row["year"]: row
        for row in TraineeOutcome.objects.filter(contract=contract, year__in=[last_year, year])
        .order_by()
        .values("year")
        .annotate(
            sells=Count("person_id", filter=Q(sells_online=True), distinct=True),
            employed=Count("person_id", filter=Q(employed=True), distinct=True),
            influencers=Count("person_id", filter=Q(influencer=True), distinct=True),
            million=Count("person_id", filter=Q(annual_online_sales__gte=million), distinct=True),
            sales=Sum("annual_online_sales"),
        )
    }
    this_year = Q(sold_on__year=year)
    before = Q(sold_on__year=last_year)
    channel_sales = list(
        Sale.objects.filter(
            contract=contract,
            mode=SaleMode.ONLINE,
            sold_on__range=(datetime.date(last_year, 1, 1), datetime.date(year, 12, 31)),
        )
        .order_by()
        .values("channel")
        .annotate(current=Sum("amount", filter=this_year), previous=Sum("amount", filter=before))
        .order_by("channel")
    )

    def row(label, current, previous, has_previous):
        difference, change = _change(current, previous if has_previous else None)
        note = "" if has_previous else _("上年无数据")
        return [label, num(current), num(previous) if has_previous else None, difference, change, note]

    has_census = last_year in censuses
    has_outcomes = last_year in outcomes
    category_rows = []
    if year in censuses or has_census:
        category_rows.append(
            row(
                _("全旗网商数量（家）"),
                censuses.get(year, {}).get("merchant_count"),
                censuses.get(last_year, {}).get("merchant_count"),
                has_census,
            )
        )
    for key, label in (
        ("sells", _("开设网店的学员（人）")),
        ("employed", _("电商企业任职的学员（人）")),
        ("influencers", _("网红（人）")),
        ("million", _("年网络销售额 100 万元以上的网商（人）")),
        ("sales", _("学员年网络销售额（元）")),
    ):
        if year in outcomes or has_outcomes:
            category_rows.append(
                row(
                    label,
                    (outcomes.get(year) or {}).get(key) or 0,
                    (outcomes.get(last_year) or {}).get(key) or 0,
                    has_outcomes,
                )
            )
    has_sales_before = any(r["previous"] for r in channel_sales)
    channel_rows = [
        row(
            _("线上销售：%(c)s（元）")
            % {
                "c": str(SalesChannel(r["channel"]).label)
                if r["channel"] in SalesChannel.values
                else r["channel"]
            },
            r["current"] or 0,
            r["previous"] or 0,
            has_sales_before,
        )
        for r in channel_sales
    ]

    statements = []
    current = censuses.get(year)
    if current is None and last_year in censuses:
        statements.append(
            _("%(y)d 年的网商统计尚未登记（%(l)d 年为 %(n)s 家）。")
            % {"y": year, "l": last_year, "n": fmt(censuses[last_year]["merchant_count"])}
        )
    if current:
        line = _("%(y)d 年全旗网商 %(n)s 家") % {"y": year, "n": fmt(current["merchant_count"])}
        previous = censuses.get(last_year)
        if previous:
            difference = current["merchant_count"] - previous["merchant_count"]
            line += _("，较上年%(dir)s %(d)s 家（%(c)s%%）") % {
                "dir": _("增加") if difference >= 0 else _("减少"),
                "d": fmt(abs(difference)),
                "c": fmt(abs(pct(difference, previous["merchant_count"])))
                if previous["merchant_count"]
                else "—",
            }
        else:
            line += _("；上年无统计数据，不作比较")
        statements.append(line + "。")
    census_rows = [
        [y, censuses[y]["merchant_count"], censuses[y]["counted_on"].isoformat(), censuses[y]["method"]]
        for y in sorted(censuses)
    ]
    # Counts only: money on the same axis would flatten them.
    compared = [
        r for r in category_rows if r[1] is not None and r[2] is not None and not r[0].endswith("（元）")
    ]
    return [
        section(
            _("一、网商数量与上年对比"),
            tables=[
                table(
                    "categories",
                    _("分类对比"),
                    [
                        _("类别"),
                        _("%(y)d年") % {"y": year},
                        _("%(y)d年") % {"y": last_year},
                        _("增减"),
                        _("增减（%）"),
                        _("说明"),
                    ],
                    category_rows,
                ),
                table(
                    "census",
                    _("网商统计"),
                    [_("年度"), _("网商数量"), _("统计日期"), _("统计口径")],
                    census_rows,
                ),
            ],
            charts=[
                chart(
                    "bar",
                    _("与上年对比"),
                    [r[0] for r in compared],
                    [
                        {"name": _("%(y)d年") % {"y": last_year}, "values": [r[2] for r in compared]},
                        {"name": _("%(y)d年") % {"y": year}, "values": [r[1] for r in compared]},
                    ],
                )
            ]
            if compared
            else [],
            statements=statements,
        ),
        section(
            _("二、线上销售（按渠道）"),
            tables=[
                table(
                    "online_sales",
                    _("线上销售"),
                    [
                        _("类别"),
                        _("%(y)d年") % {"y": year},
                        _("%(y)d年") % {"y": last_year},
                        _("增减"),
                        _("增减（%）"),
                        _("说明"),
                    ],
                    channel_rows,
                )
            ],
        ),
    ]
