import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from muxiang.funds.models import Expense
from muxiang.funds.services import summarise_funds
from muxiang.funds.tests.conftest import IN_PHASE_1, IN_PHASE_2, make_expense, make_purchase, make_receipt


def spend(contract, start, count):
    """``count`` expenses from number ``start`` on, alternating sections and phases."""
    for i in range(start, start + count):
        make_expense(
            contract,
            f"N-{i}",
            amount=f"{100 + i}.{i % 100:02d}",
            day=IN_PHASE_1 if i % 2 else IN_PHASE_2,
            section=("A", "B.1", "4")[i % 3],
        )


def test_the_summary_sums_equal_the_records_per_section_and_per_phase(contract):
    # given
    spend(contract, 1, 12)
    make_receipt(contract)
    # when
    summary = summarise_funds(contract)
    # then
    for row in summary.by_section:
        expected = Expense.objects.filter(section=row["section"]).aggregate(t=Sum("amount"))["t"]
        assert row["total"] == expected
    for row in summary.by_phase:
        expected = Expense.objects.filter(phase__number=row["phase__number"]).aggregate(t=Sum("amount"))["t"]
        assert row["total"] == expected
    total = sum(Expense.objects.values_list("amount", flat=True))
    assert summary.spent == total
    assert sum(r["total"] for r in summary.by_section) == total
    assert sum(r["total"] for r in summary.by_phase) == total
    assert {r["phase__number"] for r in summary.by_phase} == {1, 2}
    assert summary.received == Decimal("600000.00")
    assert summary.balance == Decimal("600000.00") - total


def test_the_summary_page_shows_the_sums_and_the_flags(login, client_supervisor, contract):
    spend(contract, 1, 3)
    make_purchase(contract, quotes=2)
    html = login(client_supervisor).get(reverse("funds:summary"), {"contract": contract.key}).content.decode()
    for row in summarise_funds(contract).by_section:
        assert f'data-total="{row["total"]}"' in html
    assert html.count("缺少发票") == 3
    assert "询价记录不足" in html


def test_the_summary_pages_query_count_does_not_grow_with_rows(login, auditor, contract):
    client = login(auditor)
    url = reverse("funds:summary") + f"?contract={contract.key}"
    spend(contract, 1, 5)
    make_purchase(contract, "ZC-1", quotes=2)
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    spend(contract, 100, 40)
    for i in range(10):
        make_purchase(contract, f"ZC-{i + 2}", quotes=i % 4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("route", ["expense-list", "equipment-list", "receipt-list", "quotation-list"])
def test_the_ledger_lists_query_count_does_not_grow_with_rows(login, auditor, contract, route):
    client = login(auditor)
    spend(contract, 1, 3)
    make_purchase(contract, "ZC-1", quotes=3)
    make_receipt(contract, "HD-1")
    client.get(reverse(f"funds:{route}"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(f"funds:{route}"))
    spend(contract, 100, 20)
    for i in range(5):
        make_purchase(contract, f"ZC-{i + 2}", quotes=3)
        make_receipt(contract, f"HD-{i + 2}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(f"funds:{route}"))
    assert len(many) == len(few)


def test_the_audit_export_opens_with_calamine_and_has_the_five_sheets(login, auditor, contract):
    # given
    spend(contract, 1, 4)
    make_receipt(contract)
    make_purchase(contract, quotes=3)
    # when
    response = login(auditor).get(reverse("funds:audit-export"), {"contract": contract.key, "year": 2026})
    # then
    assert response.status_code == 200
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert workbook.sheet_names == ["到账", "支出", "设备采购", "询价", "汇总"]
    rows = {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}
    assert len(rows["支出"]) == 1 + 4
    assert len(rows["询价"]) == 1 + 3
    assert len(rows["到账"]) == 1 + 1
    assert rows["支出"][0][:3] == ["合同", "发票号码", "支出日期"]
    spent = next(r for r in rows["汇总"] if r and r[0] == "支出合计（元）")
    assert Decimal(str(spent[1])).quantize(Decimal("0.01")) == summarise_funds(contract).spent


def test_the_audit_export_of_another_year_has_headers_only(login, auditor, contract):
    spend(contract, 1, 2)
    response = login(auditor).get(reverse("funds:audit-export"), {"contract": contract.key, "year": 2025})
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert len(workbook.get_sheet_by_name("支出").to_python()) == 1


@pytest.mark.parametrize("year", ["abc", "99999", "\x00", "-1"])
def test_a_bad_year_is_a_400_not_a_crash(login, auditor, contract, year):
    response = login(auditor).get(reverse("funds:audit-export"), {"contract": contract.key, "year": year})
    assert response.status_code == 400
    assert "年度" in response.content.decode()


def test_an_unknown_contract_is_a_404(login, auditor, contract):
    response = login(auditor).get(reverse("funds:summary"), {"contract": "nope"})
    assert response.status_code == 404
