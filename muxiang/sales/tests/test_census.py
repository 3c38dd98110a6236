"""The rural product census: one version a year per contract, rows whose traditional channels add
up to 100% (a clear message naming the field otherwise), completion with its proposal, and the
year-over-year comparison page and export."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from muxiang.sales.models import CensusEntry
from muxiang.sales.services import complete_census, parse_channel_shares
from muxiang.sales.tests.conftest import make_census, make_entry


def entry_form(census, town, **values):
    return {
        "census": census.pk,
        "category": "肉羊",
        "town": town.pk,
        "herd_size": "52000",
        "output": "3100",
        "output_unit": "吨",
        "market_season": "9—12 月",
        "channel_shares": "收购商 60%、农贸市场 40%",
        **values,
    }


def test_shares_are_read_from_how_people_write_them():
    assert parse_channel_shares("收购商 60%、农贸市场：30，合作社统销10％") == [
        ["收购商", 60],
        ["农贸市场", 30],
        ["合作社统销", 10],
    ]


def test_a_row_whose_shares_do_not_add_up_is_refused_naming_the_field(login, staff, contract, town):
    census = make_census(contract)
    response = login(staff).post(
        "/sales/census-entries/add/", entry_form(census, town, channel_shares="收购商 60、农贸市场 30")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["channel_shares"] == ["各渠道比例合计应为 100%，现为 90%"]
    assert not CensusEntry.objects.exists()


def test_an_unreadable_share_names_the_item(login, staff, contract, town):
    census = make_census(contract)
    response = login(staff).post(
        "/sales/census-entries/add/", entry_form(census, town, channel_shares="收购商 六成")
    )
    assert "无法识别「收购商 六成」" in response.context["form"].errors["channel_shares"][0]


def test_a_row_needs_an_area_or_a_herd_and_a_town(login, staff, contract, town, village):
    census = make_census(contract)
    response = login(staff).post("/sales/census-entries/add/", entry_form(census, village, herd_size=""))
    errors = response.context["form"].errors
    assert "请填写种植面积" in errors["planted_area"][0]
    assert "town" in errors


def test_a_good_row_is_saved_through_the_page(login, staff, contract, town):
    census = make_census(contract)
    response = login(staff).post("/sales/census-entries/add/", entry_form(census, town))
    assert response.status_code == 302
    assert CensusEntry.objects.get().channel_shares == [["收购商", 60], ["农贸市场", 40]]


def test_one_census_version_per_contract_and_year(login, staff, contract):
    make_census(contract, year=2026)
    response = login(staff).post("/sales/census/add/", {"contract": contract.pk, "year": 2026})
    assert "每年只能有一个" in response.context["form"].errors["year"][0]


def test_completing_a_year_needs_rows_and_a_proposal(contract, town):
    census = make_census(contract, completed_on=None, proposal="")
    with pytest.raises(ValidationError) as refused:
        complete_census(census, datetime.date(2026, 5, 1), "")
    assert "产业提升建议方案" in refused.value.message_dict["proposal"][0]
    with pytest.raises(ValidationError):
        complete_census(census, datetime.date(2026, 5, 1), "扩大订单收购")
    make_entry(census, town)
    assert complete_census(census, datetime.date(2026, 5, 1), "扩大订单收购").completed_on == datetime.date(
        2026, 5, 1
    )


def test_the_comparison_page_shows_each_category_year_over_year(login, auditor, contract, town, other_town):
    before = make_census(contract, year=2026)
    make_entry(before, town, herd_size=50000, output=Decimal("3000"))
    make_entry(
        before,
        other_town,
        category="向日葵",
        herd_size=None,
        planted_area=Decimal("80000"),
        output=Decimal("16000"),
    )
    after = make_census(contract, year=2027, completed_on=datetime.date(2026, 9, 1))
    make_entry(after, town, herd_size=54000, output=Decimal("3300"))
    response = login(auditor).get(f"/sales/census/compare/?before={before.pk}&after={after.pk}")
    assert response.status_code == 200
    rows = {row.category: row for row in response.context["comparison"]["by_category"]}
    assert rows["肉羊"].change("herd_size") == 4000
    assert rows["肉羊"].change_percent("output") == Decimal("10.0")
    assert rows["向日葵"].after is None
    assert "+4000" in response.content.decode()


def test_the_comparison_page_asks_for_two_years(login, auditor, contract):
    make_census(contract)
    response = login(auditor).get("/sales/census/compare/?before=999")
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "找不到所选的年度版本" in response.content.decode()


def test_a_years_rows_export_as_a_workbook(login, auditor, contract, town):
    census = make_census(contract)
    make_entry(census, town)
    response = login(auditor).get(f"/sales/census-entries/export.xlsx?census={census.pk}")
    assert response.status_code == 200
    from muxiang.core.tests.test_ledger_import import read_xlsx

    rows = read_xlsx(response.content)
    assert rows[1][:4] == [contract.key, 2026, "肉羊", "乌拉特中旗/海流图镇"]
    assert "收购商 60%、农贸市场 40%" in rows[1]
