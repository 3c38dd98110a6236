"""The figures of each report, checked against the records they come from, the statements claimed
from them (none when the data does not support one), and the cost: the number of queries does not
grow with the number of records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.reports.figures import build_figures
from muxiang.reports.periods import parse_period
from muxiang.reports.tests.conftest import OCTOBER, SEPTEMBER, daily
from muxiang.sales.tests.conftest import make_sale

pytestmark = pytest.mark.django_db


def figures(contract, kind="analysis", period="2026-10"):
    return build_figures(kind, contract, parse_period(kind, period, contract))


def find_table(snapshot, key):
    return next(t for s in snapshot["sections"] for t in s["tables"] if t["key"] == key)


def statements(snapshot):
    return [line for s in snapshot["sections"] for line in s["statements"]]


@pytest.fixture
def lamb(db):
    from muxiang.supply.models import Product

    return Product.objects.create(code="SP-0001", name="乌拉特羊肉", category="肉羊", unit="盒")


@pytest.fixture
def seeds(db):
    from muxiang.supply.models import Product

    return Product.objects.create(code="SP-0002", name="河套葵花籽", category="向日葵", unit="袋")


@pytest.fixture
def trade(contract, station, other_station, organisation, lamb, seeds):
    # 海流图镇 (巴特尔's town station) doubles its turnover; 乌加河镇 (其其格's village) stays level
    daily(station, SEPTEMBER, buying="100", selling="200")
    daily(station, OCTOBER, buying="150", selling="450", farm="400", buying_orders=3, selling_orders=9)
    daily(other_station, SEPTEMBER, selling="400")
    daily(other_station, OCTOBER, buying="100", selling="300", farm="300")
    make_sale(
        contract, organisation, lamb, amount="3000", sold_on=OCTOBER, channel="ecommerce", mode="online"
    )
    make_sale(
        contract, organisation, seeds, amount="1000", sold_on=OCTOBER, channel="supermarket", mode="offline"
    )
    make_sale(
        contract, organisation, lamb, amount="999", sold_on=SEPTEMBER, channel="supermarket", mode="offline"
    )


def test_the_analysis_sums_each_towns_daily_reports_with_the_month_before(contract, trade):
    snapshot = figures(contract)
    rows = {row[0]: row for row in find_table(snapshot, "towns")["rows"]}
    # town, stations, reports, buying, selling, farm, turnover, previous, change %
    assert rows["海流图镇"][1:] == [1, 1, 150, 450, 400, 600, 300, 100.0]
    assert rows["乌加河镇"][1:] == [1, 1, 100, 300, 300, 400, 400, 0.0]
    stations = find_table(snapshot, "stations")["rows"]
    assert [row[0] for row in stations] == ["HLT-001", "WJH-101"] and stations[0][2:] == [12, 150, 450, 600]


def test_the_analysis_states_the_largest_rise_the_towns_below_average_and_the_trend(contract, trade):
    said = statements(figures(contract))
    assert "交易额增长最多的是海流图镇，较上月增加 300 元（100%）。" in said
    assert "各镇平均交易额 500 元，低于平均的有：乌加河镇。" in said
    assert "本月站点交易额 1,000 元，较上月（700 元）上升 42.9%。" in said
    assert any(line.startswith("本月代买（下行）250 元、代卖（上行）750 元，代卖占 75%") for line in said)


def test_the_analysis_ranks_products_and_channels_of_the_months_sales(contract, trade):
    snapshot = figures(contract)
    products = find_table(snapshot, "products")["rows"]
    assert products == [["乌拉特羊肉", 1, 10, 3000, 75.0], ["河套葵花籽", 1, 10, 1000, 25.0]]
    channels = {row[0]: row for row in find_table(snapshot, "channels")["rows"]}
    assert channels["传统电商"][1:] == [1, 3000, 75.0, 3000] and channels["商超"][1:] == [1, 1000, 25.0, 0]
    assert "本月销售额 4,000 元，最高的商品是乌拉特羊肉（3,000 元，占 75%）；线上渠道占 75%。" in statements(
        snapshot
    )


def test_the_analysis_measures_reporting_completeness_per_town(contract, trade):
    rows = {row[0]: row for row in find_table(figures(contract), "completeness")["rows"]}
    # both stations were open every day of October and each reported once
    assert rows["海流图镇"][1:] == [31, 1, 3.2] and rows["乌加河镇"][1:] == [31, 1, 3.2]


def test_the_trend_covers_the_last_six_months(contract, trade):
    trend = find_table(figures(contract), "trend")["rows"]
    assert [row[0] for row in trend] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert trend[-2][6] == 700 and trend[-1][6] == 1000 and trend[0][6] == 0


def test_without_records_the_analysis_claims_nothing_but_the_missing_reports(contract):
    # given two stations open all October and not one daily report
    snapshot = figures(contract)
    assert statements(snapshot) == ["应报日报 62 份，实收 0 份，报送率 0%。"]
    assert find_table(snapshot, "towns")["rows"] == [] and find_table(snapshot, "products")["rows"] == []


def test_a_rise_is_not_claimed_when_there_is_no_month_before(contract, station, other_station):
    daily(station, OCTOBER, buying="100")
    daily(other_station, OCTOBER, buying="300")
    said = statements(figures(contract))
    assert not any("增长最多" in line for line in said)
    assert "本月站点交易额 400 元；上月没有交易数据，不作比较。" in said


def test_the_monthly_report_shows_each_target_against_its_phase_target(contract, trade):
    snapshot = figures(contract, "monthly")
    from muxiang.contracts.engine import compute_progress

    rows = {row[1]: row for row in find_table(snapshot, "targets")["rows"]}
    for item in compute_progress(contract, datetime.date(2026, 10, 31)):
        phase_2 = item.phases[1]
        row = rows[item.target.key]
        assert row[4] == (None if phase_2.target is None else float(phase_2.target))
        assert row[5] == (None if phase_2.actual is None else float(phase_2.actual))
    stations = dict(find_table(snapshot, "stations")["rows"])
    assert (
        stations["代买金额（元）"] == 250
        and stations["代卖金额（元）"] == 750
        and stations["实收日报（份）"] == 2
    )


def _more_records(contract, station, other_station, organisation, lamb, seeds, county):
    """Ten times the records: every day of September and October at both stations, a new town
    with a station, and more sales."""
    from muxiang.regions.models import Region
    from muxiang.stations.models import Station

    town = Region.objects.create(name="石哈河镇", level="town", parent=county)
    third = Station.objects.create(
        code="SHH-001",
        name="石哈河镇电商服务站",
        level="town",
        region=town,
        status="active",
        opened_on=datetime.date(2025, 1, 1),
    )
    for day in range(2, 31):
        for one in (station, other_station, third):
            daily(one, SEPTEMBER.replace(day=day), buying=str(day), selling=str(2 * day))
            daily(one, OCTOBER.replace(day=day), buying=str(day), selling=str(3 * day))
    for n in range(20):
        make_sale(
            contract,
            organisation,
            lamb if n % 2 else seeds,
            amount=str(100 + n),
            sold_on=OCTOBER,
            channel="group_buying",
            mode="online",
        )


@pytest.mark.parametrize("kind", ["analysis", "monthly"])
def test_the_figures_cost_the_same_queries_for_ten_times_the_records(
    kind, contract, trade, station, other_station, organisation, lamb, seeds, county
):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            figures(contract, kind)
        return len(queries)

    few = cost()
    _more_records(contract, station, other_station, organisation, lamb, seeds, county)
    assert cost() == few


def test_the_training_report_counts_person_times_by_topic_and_audience(contract, person, other_person):
    from muxiang.training.tests.conftest import make_attendance, make_session, make_visit

    # 乌云 is registered as a poor household, 其其格's trainee is not
    live = make_session(contract, code="PX-1", held_on=datetime.date(2026, 8, 5))
    packaging = make_session(
        contract, code="PX-2", held_on=datetime.date(2026, 9, 5), topic="packaging", audiences=["enterprise"]
    )
    make_session(contract, code="PX-OLD", held_on=datetime.date(2026, 3, 5))  # phase 1: not in the report
    make_attendance(live, person)
    make_attendance(live, other_person)
    make_attendance(packaging, person)
    make_visit(contract, person, visited_on=datetime.date(2026, 9, 10))
    snapshot = figures(contract, "training", "第2阶段")
    topics = {row[0]: row for row in find_table(snapshot, "topics")["rows"]}
    assert topics["直播带货"][1:] == [1, 2, 1, 50.0] and topics["产品包装"][1:] == [1, 1, 1, 100.0]
    audiences = {row[0]: row[1] for row in find_table(snapshot, "audiences")["rows"]}
    assert audiences == {"农牧民": 2, "合作社成员": 2, "企业": 1}
    assert find_table(snapshot, "visits")["rows"] == [["上门走访", 1, 1]]
    assert "本期举办培训 2 场，培训 3 人次（2 人），其中贫困户/脱贫户 2 人次，占 66.7%。" in statements(
        snapshot
    )


def test_the_merchant_statistics_compare_with_the_year_before(contract, person):
    from muxiang.training.tests.conftest import make_census, make_outcome

    make_census(contract, year=2026, counted_on=datetime.date(2026, 11, 1), merchant_count=1320)
    make_outcome(contract, person, year=2026, recorded_on=datetime.date(2026, 10, 1), sells_online=True)
    snapshot = figures(contract, "merchants", "2026")
    rows = {row[0]: row for row in find_table(snapshot, "categories")["rows"]}
    assert rows["全旗网商数量（家）"] == ["全旗网商数量（家）", 1320, None, None, None, "上年无数据"]
    assert "2026 年全旗网商 1,320 家；上年无统计数据，不作比较。" in statements(snapshot)

    make_census(contract, year=2025, counted_on=datetime.date(2025, 12, 1), merchant_count=1200)
    snapshot = figures(contract, "merchants", "2026")
    rows = {row[0]: row for row in find_table(snapshot, "categories")["rows"]}
    assert rows["全旗网商数量（家）"][1:] == [1320, 1200, 120, 10.0, ""]
    assert "2026 年全旗网商 1,320 家，较上年增加 120 家（10%）。" in statements(snapshot)


def test_the_merchant_statistics_say_when_the_years_census_is_not_yet_entered(contract):
    from muxiang.training.tests.conftest import make_census

    make_census(contract, year=2025, counted_on=datetime.date(2025, 12, 1), merchant_count=1200)
    snapshot = figures(contract, "merchants", "2026")
    assert statements(snapshot) == ["2026 年的网商统计尚未登记（2025 年为 1,200 家）。"]
    rows = {row[0]: row for row in find_table(snapshot, "categories")["rows"]}
    assert rows["全旗网商数量（家）"][1:3] == [None, 1200]
