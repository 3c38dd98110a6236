"""Centralised purchasing: one order gathers several businesses' needs; receipts arrive against
its lines, partly or wholly, never beyond what a line ordered counting earlier receipts."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.supply import services
from muxiang.supply.models import Receipt, ReceiptLine, StockMovement
from muxiang.supply.tests.conftest import IN_PHASE_1, q

MARCH_20 = datetime.date(2026, 3, 20)
MARCH_25 = datetime.date(2026, 3, 25)


def test_an_order_gathers_the_needs_of_several_businesses_in_numbered_lines(order, shop, organisation):
    assert order.number == "CG-202603-001"
    assert [(line.position, line.client, line.quantity) for line in order.lines.all()] == [
        (1, shop, 100),
        (2, organisation, 40),
        (3, shop, 200),
    ]


def test_a_partial_receipt_puts_stock_in_and_leaves_the_rest_outstanding(
    order, county_warehouse, flour, staff
):
    receipt = services.record_receipt(order, MARCH_20, {1: q(60)}, staff, received_by="刘仓管")
    assert receipt.number == "RK-202603-001"
    assert services.balance_on(county_warehouse, flour, MARCH_20) == 60
    assert services.outstanding_lines(order) == {1: 40, 2: 40, 3: 200}
    services.record_receipt(order, MARCH_25, {1: q(40), 2: q(40), 3: q(200)}, staff)
    assert services.outstanding_lines(order) == {}
    assert services.balance_on(county_warehouse, flour, MARCH_25) == 140


def test_a_receipt_beyond_the_order_counting_earlier_receipts_is_refused_and_writes_nothing(order, staff):
    # given 60 of line 1's 100 bags received
    services.record_receipt(order, MARCH_20, {1: q(60)}, staff)
    receipts, lines, movements = (
        Receipt.objects.count(),
        ReceiptLine.objects.count(),
        StockMovement.objects.count(),
    )
    # when 41 more arrive for line 1, with a good line 2 in the same receipt
    with pytest.raises(ValidationError) as refused:
        services.record_receipt(order, MARCH_25, {1: q(41), 2: q(10)}, staff)
    # then the message names the line, product, business and quantities, and nothing was written
    message = refused.value.messages[0]
    for part in (
        "第 1 行",
        "河套雪花粉",
        "中旗网店01",
        "采购 100袋",
        "已到货 60袋",
        "最多还可到货 40袋",
        "41袋",
    ):
        assert part in message, message
    assert (Receipt.objects.count(), ReceiptLine.objects.count(), StockMovement.objects.count()) == (
        receipts,
        lines,
        movements,
    )


def test_a_receipt_for_a_line_the_order_has_not_is_refused(order, staff):
    with pytest.raises(ValidationError, match="没有第 9 行"):
        services.record_receipt(order, MARCH_20, {9: q(1)}, staff)


def test_a_receipt_dated_before_the_order_is_refused(order, staff):
    with pytest.raises(ValidationError, match="早于下单日期"):
        services.record_receipt(order, IN_PHASE_1 - datetime.timedelta(days=1), {1: q(1)}, staff)


def test_a_cancelled_receipt_frees_its_quantity_for_a_new_receipt(order, staff):
    receipt = services.record_receipt(order, MARCH_20, {1: q(100)}, staff)
    services.cancel_document(receipt, staff, reason="重复录入")
    assert services.outstanding_lines(order)[1] == 100
    services.record_receipt(order, MARCH_25, {1: q(100)}, staff)


def test_an_order_needs_lines_with_positive_quantities(
    contract, supplier, county_warehouse, flour, shop, staff
):
    with pytest.raises(ValidationError, match="至少需要一行"):
        services.create_purchase_order(contract, supplier, county_warehouse, IN_PHASE_1, [], staff)
    with pytest.raises(ValidationError, match="应大于 0"):
        services.create_purchase_order(
            contract, supplier, county_warehouse, IN_PHASE_1, [(flour, shop, q(0), None)], staff
        )
