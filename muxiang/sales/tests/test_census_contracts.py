"""With the contracts of two counties loaded, each contract's rural product census is its own: a
census row belongs to a town of its contract's county, an import finds the census by contract and
year (or by the county of the row's town), the census target and the year-over-year comparison
read only the contract's own census."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.contracts.engine import EVIDENCE_PARAM, Window, measure
from muxiang.contracts.services import load_contract
from muxiang.core.services import attach_evidence
from muxiang.core.tests.test_ledger_import import ledger_xlsx, problems
from muxiang.regions.models import Region
from muxiang.sales.ledgers import CensusEntryLedger, ProductCensusLedger
from muxiang.sales.models import CensusEntry, ProductCensus
from muxiang.sales.tests.conftest import (
    IN_PHASE_1,
    LAST_DAY_OF_PHASE_1,
    SAMPLE,
    make_census,
    make_entry,
    proof,
)

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
DOCUMENT = {EVIDENCE_PARAM: ("document",)}


@pytest.fixture
def front_banner(db):
    county = Region.objects.create(name="乌拉特前旗", level="county", code="150823")
    Region.objects.create(name="乌拉山镇", level="town", parent=county)
    return county


@pytest.fixture
def two_contracts(town, front_banner):
    """The middle banner's contract (the test sample) and the front banner's, loaded from the same
    file with another key and county."""
    middle = load_contract(SAMPLE.read_text(encoding="utf-8"))
    front = load_contract(
        SAMPLE.read_text(encoding="utf-8")
        .replace("sample-county-2026", "front-banner-2026")
        .replace('county = "乌拉特中旗"', 'county = "乌拉特前旗"')
        .replace('county_code = "150824"', 'county_code = "150823"')
        .replace('name = "示例县电子商务进农村综合示范项目"', 'name = "乌拉特前旗电子商务进农村项目"')
    )
    assert (middle.county.name, front.county.name) == ("乌拉特中旗", "乌拉特前旗")
    return middle, front


def front_town():
    return Region.objects.get(name="乌拉山镇")


def test_a_census_row_belongs_to_a_town_of_its_contracts_county(two_contracts, town):
    middle, front = two_contracts
    census = make_census(front)
    with pytest.raises(ValidationError) as refused:
        CensusEntry(
            census=census,
            town=town,
            category="肉羊",
            herd_size=100,
            output=1,
            market_season="9 月",
            channel_shares=[["收购商", 100]],
        ).full_clean()
    assert "不在合同「乌拉特前旗电子商务进农村项目」的旗县（乌拉特前旗）内" in str(refused.value)


def test_each_contracts_census_target_counts_only_its_own_census(two_contracts, town, staff):
    middle, front = two_contracts
    # given the middle banner's census completed in phase 1, the front banner's still open
    done = make_census(middle)
    make_entry(done, town)
    attach_evidence(done, proof("建议方案.pdf"), staff, kind="document")
    make_entry(make_census(front, completed_on=None), front_town())
    # then
    assert measure("sales.census_updates", PHASE_1, DOCUMENT, middle) == 1
    assert measure("sales.census_updates", PHASE_1, DOCUMENT, front) == 0


def entry_row(year, town_name, contract_key="", category="肉羊", herd=5000):
    return {
        "合同": contract_key,
        "年度": year,
        "产品品类": category,
        "镇/苏木": town_name,
        "存栏量（头/只）": herd,
        "产量": 300,
        "上市时间": "9—11 月",
        "传统销售渠道及比例": "收购商 70%、农贸市场 30%",
    }


def test_an_imported_row_finds_its_census_by_the_county_of_its_town(two_contracts, town, staff):
    middle, front = two_contracts
    ours, theirs = make_census(middle), make_census(front)
    rows = [entry_row(2026, "海流图镇"), entry_row(2026, "乌拉山镇")]
    report = CensusEntryLedger(staff).import_file(ledger_xlsx(CensusEntryLedger, rows), "条目.xlsx")
    assert report.ok, problems(report)
    assert list(ours.entries.values_list("town__name", flat=True)) == ["海流图镇"]
    assert list(theirs.entries.values_list("town__name", flat=True)) == ["乌拉山镇"]
    # importing it again changes nothing
    again = CensusEntryLedger(staff).import_file(ledger_xlsx(CensusEntryLedger, rows), "条目.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_row_naming_another_contract_than_its_towns_is_refused(two_contracts, staff):
    middle, front = two_contracts
    make_census(middle), make_census(front)
    rows = [entry_row(2026, "乌拉山镇", contract_key=middle.key)]
    report = CensusEntryLedger(staff).import_file(ledger_xlsx(CensusEntryLedger, rows), "条目.xlsx")
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "镇/苏木")
    assert "不在合同「示例县电子商务进农村综合示范项目」的旗县" in problem.message
    assert CensusEntry.objects.count() == 0


def test_census_years_of_two_contracts_import_side_by_side(two_contracts, staff):
    middle, front = two_contracts
    rows = [
        {"合同": middle.key, "年度": 2026, "完成日期": IN_PHASE_1, "产业提升建议方案": "扩大订单收购"},
        {"合同": front.key, "年度": 2026},
    ]
    report = ProductCensusLedger(staff).import_file(ledger_xlsx(ProductCensusLedger, rows), "年度.xlsx")
    assert report.ok, problems(report)
    assert sorted(ProductCensus.objects.values_list("contract__key", "year")) == [
        ("front-banner-2026", 2026),
        ("sample-county-2026", 2026),
    ]
    again = ProductCensusLedger(staff).import_file(ledger_xlsx(ProductCensusLedger, rows), "年度.xlsx")
    assert (again.created, again.unchanged) == (0, 2)


def test_the_comparison_reads_the_years_of_one_contract(two_contracts, town, login, auditor):
    middle, front = two_contracts
    before, after = make_census(middle, year=2025), make_census(middle, year=2026)
    make_entry(before, town, herd_size=50000)
    make_entry(after, town, herd_size=52000)
    # the front banner's census is newer, and not the middle banner's comparison
    make_entry(make_census(front, year=2027, completed_on=None), front_town(), herd_size=900)
    page = login(auditor).get(f"/sales/census/compare/?contract={middle.pk}").content.decode()
    assert "52000" in page and "50000" in page and "900" not in page
    # two years of different contracts are not compared
    other = make_census(front, year=2026, completed_on=None)
    response = login(auditor).get(f"/sales/census/compare/?before={other.pk}&after={after.pk}")
    assert "只能对比同一合同的两个年度版本" in response.content.decode()


def test_the_row_form_names_the_contract_of_each_census_year(two_contracts):
    from muxiang.sales.forms import CensusEntryForm

    middle, front = two_contracts
    make_census(middle), make_census(front)
    labels = sorted(label for _value, label in CensusEntryForm().fields["census"].choices if _value)
    assert labels == [
        "2026年度农村产品数据库（乌拉特前旗电子商务进农村项目）",
        "2026年度农村产品数据库（示例县电子商务进农村综合示范项目）",
    ]
