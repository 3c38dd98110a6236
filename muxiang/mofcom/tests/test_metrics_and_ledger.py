"""The monthly reports the contract counts (mofcom.monthly_deliveries), and the delivery ledger."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.contracts.engine import EVIDENCE_PARAM, Window, measure
from muxiang.mofcom.choices import DeliveryKind, DeliveryState
from muxiang.mofcom.ledgers import MinistryDeliveryLedger
from muxiang.mofcom.models import MinistryDelivery
from muxiang.operations.tests.conftest import attach, csv_upload

PHASE_1 = Window(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), datetime.date(2026, 6, 30))
NO_EVIDENCE = {EVIDENCE_PARAM: ()}


def monthly(contract, month, state=DeliveryState.DELIVERED):
    return MinistryDelivery.objects.create(
        kind=DeliveryKind.MONTHLY, period=month, contract=contract, state=state
    )


def test_delivered_months_of_the_phase_count_and_the_next_does_not(contract):
    monthly(contract, datetime.date(2026, 6, 1))
    monthly(contract, datetime.date(2026, 5, 1), state=DeliveryState.RETRYING)
    monthly(contract, datetime.date(2026, 7, 1))
    assert measure("mofcom.monthly_deliveries", PHASE_1, NO_EVIDENCE, contract) == 1


def test_a_deleted_delivery_does_not_count(contract):
    june = monthly(contract, datetime.date(2026, 6, 1))
    MinistryDelivery.all_objects.filter(pk=june.pk).update(
        deleted_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
    )
    assert measure("mofcom.monthly_deliveries", PHASE_1, NO_EVIDENCE, contract) == 0


def test_a_month_counts_with_the_document_the_target_requires(contract, staff):
    june = monthly(contract, datetime.date(2026, 6, 1))
    monthly(contract, datetime.date(2026, 5, 1))
    attach(june, "document", staff)
    assert measure("mofcom.monthly_deliveries", PHASE_1, {EVIDENCE_PARAM: ("document",)}, contract) == 1


def test_the_figure_costs_the_same_queries_for_3_and_30_months(contract):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            measure(
                "mofcom.monthly_deliveries",
                Window(datetime.date(2024, 1, 1), datetime.date(2026, 6, 30), datetime.date(2026, 6, 30)),
                {EVIDENCE_PARAM: ("document",)},
                contract,
            )
        return len(queries)

    for n in range(3):
        monthly(contract, datetime.date(2024, 1 + n, 1))
    few = cost()
    for n in range(27):
        monthly(contract, datetime.date(2024 + (n + 3) // 12, (n + 3) % 12 + 1, 1))
    assert cost() == few


HEADER = "报送类型,数据日期,合同,报送方式,备注\n"


def test_an_import_schedules_deliveries_and_a_second_import_changes_nothing(staff, contract):
    text = HEADER + "站点交易数据（每日）,2026-11-20,,接口推送,\n项目数据（每月）,2026-10-15,,,十月\n"
    first = MinistryDeliveryLedger(staff).import_file(csv_upload(text), "报送.csv")
    assert first.ok, first.problems
    assert sorted(MinistryDelivery.objects.values_list("reference", flat=True)) == [
        "daily-2026-11-20",
        "monthly-2026-10",
    ]
    assert len(set(MinistryDelivery.objects.values_list("idempotency_key", flat=True))) == 2
    second = MinistryDeliveryLedger(staff).import_file(csv_upload(text), "报送.csv")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    exported = MinistryDeliveryLedger(staff).export(MinistryDelivery.objects.all())
    again = MinistryDeliveryLedger(staff).import_file(exported, "export.xlsx")
    assert again.ok and again.unchanged == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("站点交易数据（每日）,2026-11-28,,,", "数据日期", "尚未完整"),
        ("项目数据（每月）,2026-11-02,,,", "数据日期", "尚未完整"),
        ("按周,2026-11-02,,,", "报送类型", "不是可选值"),
        ("站点交易数据（每日）,2026-11-20,,快递,", "报送方式", "不是可选值"),
    ],
)
def test_a_bad_row_is_refused_naming_row_and_column(staff, contract, row, column, message):
    result = MinistryDeliveryLedger(staff).import_file(csv_upload(HEADER + row + "\n"), "报送.csv")
    assert [(p.row, p.column) for p in result.problems] == [(2, column)]
    assert message in result.problems[0].message
    assert not MinistryDelivery.objects.exists()


def test_a_delivered_delivery_cannot_be_changed_by_import(staff, contract):
    MinistryDelivery.objects.create(
        kind="daily", period=datetime.date(2026, 11, 20), state=DeliveryState.DELIVERED, transport="file"
    )
    result = MinistryDeliveryLedger(staff).import_file(
        csv_upload(HEADER + "站点交易数据（每日）,2026-11-20,,接口推送,\n"), "报送.csv"
    )
    assert [(p.row, p.column) for p in result.problems] == [(2, "报送编号")]
    assert MinistryDelivery.objects.get().transport == "file"


def test_the_form_refuses_a_second_delivery_of_a_period(login, staff, contract):
    from django.urls import reverse

    MinistryDelivery.objects.create(kind="daily", period=datetime.date(2026, 11, 20))
    response = login(staff).post(reverse("mofcom:delivery-add"), {"kind": "daily", "period": "2026-11-20"})
    assert response.status_code == 400 and "已有报送记录" in response.content.decode()
