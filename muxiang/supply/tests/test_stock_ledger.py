"""The stock ledger: balances are sums of immutable movements; no balance ever goes negative, at
the posting date or any later date, also for a back-dated delivery; a refused posting writes
nothing; corrections are reversals."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.core.models import ObjectChange
from muxiang.supply import services
from muxiang.supply.models import Delivery, DeliveryLine, ImmutableMovement, StockMovement
from muxiang.supply.tests.conftest import IN_PHASE_1, deliver, q, stock

MARCH_10 = datetime.date(2026, 3, 10)
MARCH_20 = datetime.date(2026, 3, 20)


def test_a_balance_is_the_sum_of_the_movements_up_to_the_day(supply):
    stock(supply.county, supply.flour, 50, MARCH_10)
    deliver(supply.contract, supply.county, supply.flour, 20, IN_PHASE_1, client=supply.shop)
    assert services.balance_on(supply.county, supply.flour, MARCH_10) == 50
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 30
    assert services.balance_on(supply.county, supply.flour, MARCH_10 - datetime.timedelta(days=1)) == 0
    assert [(b.product, b.quantity) for b in services.balances(supply.county, IN_PHASE_1)] == [
        (supply.flour, 30)
    ]


def test_a_delivery_of_more_than_is_in_stock_is_refused_naming_product_warehouse_date_and_available(supply):
    # given 30 bags of flour in the county warehouse
    stock(supply.county, supply.flour, 30, MARCH_10)
    # when 巴特尔's shop is to receive 31
    with pytest.raises(ValidationError) as refused:
        deliver(supply.contract, supply.county, supply.flour, 31, IN_PHASE_1, client=supply.shop)
    # then the message names all four, and nothing was written
    message = refused.value.messages[0]
    for part in ("河套雪花粉", "乌拉特中旗县级仓储配送中心", "2026-03-15", "可用数量为 30袋", "31袋"):
        assert part in message, message
    assert not Delivery.all_objects.exists()
    assert not DeliveryLine.objects.exists()
    assert StockMovement.objects.count() == 1


def test_a_back_dated_delivery_may_not_take_stock_a_later_delivery_already_took(supply):
    # given 30 bags on 10 March and 25 of them delivered on 20 March
    stock(supply.county, supply.flour, 30, MARCH_10)
    deliver(supply.contract, supply.county, supply.flour, 25, MARCH_20, client=supply.shop)
    # when a delivery of 10 is back-dated to 15 March (30 were there that day)
    with pytest.raises(ValidationError) as refused:
        deliver(supply.contract, supply.county, supply.flour, 10, IN_PHASE_1, client=supply.organisation)
    # then only 5 were free to go: 20 March would have gone to -5
    assert "可用数量为 5袋" in refused.value.messages[0]
    deliver(supply.contract, supply.county, supply.flour, 5, IN_PHASE_1, client=supply.organisation)
    assert services.negative_balance_days() == []


def test_a_delivery_of_the_whole_stock_leaves_zero(supply):
    stock(supply.county, supply.flour, 12, MARCH_10)
    deliver(supply.contract, supply.county, supply.flour, 12, MARCH_10, client=supply.shop)
    assert services.balance_on(supply.county, supply.flour, MARCH_10) == 0
    assert services.balances(supply.county, MARCH_10) == []


def test_stock_of_one_stock_point_is_not_available_at_another(supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    with pytest.raises(ValidationError):
        deliver(supply.contract, supply.station_point, supply.flour, 1, IN_PHASE_1, client=supply.shop)


def test_a_transfer_moves_stock_between_stock_points_on_its_day(supply, staff):
    stock(supply.county, supply.flour, 30, MARCH_10)
    out, into = services.transfer_stock(
        supply.flour, supply.county, supply.station_point, q(12), IN_PHASE_1, staff
    )
    assert out.transfer_id == into.transfer_id and (out.quantity, into.quantity) == (-12, 12)
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 18
    assert services.balance_on(supply.station_point, supply.flour, IN_PHASE_1) == 12
    with pytest.raises(ValidationError):
        services.transfer_stock(supply.flour, supply.county, supply.station_point, q(19), IN_PHASE_1, staff)


def test_a_movement_is_never_changed_nor_deleted(supply):
    (movement,) = stock(supply.county, supply.flour, 30, MARCH_10)
    movement.quantity = q(300)
    with pytest.raises(ImmutableMovement):
        movement.save()
    with pytest.raises(ImmutableMovement):
        movement.delete()
    assert StockMovement.objects.get().quantity == 30


def test_a_reversal_is_a_new_movement_of_the_opposite_sign_and_only_one(supply, staff):
    # given a delivery of 10 out of 30
    stock(supply.county, supply.flour, 30, MARCH_10)
    delivery = deliver(supply.contract, supply.county, supply.flour, 10, IN_PHASE_1, client=supply.shop)
    (movement,) = delivery.movements()
    # when it is reversed
    reversal = services.reverse_movement(movement, staff, note="数量录错")
    # then the stock is back, the original is untouched and points at its reversal
    assert reversal.quantity == 10 and reversal.reverses == movement and reversal.day == IN_PHASE_1
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 30
    assert StockMovement.objects.get(pk=movement.pk).quantity == -10
    with pytest.raises(ValidationError, match="已冲销"):
        services.reverse_movement(movement, staff)
    with pytest.raises(ValidationError, match="不能再次冲销"):
        services.reverse_movement(reversal, staff)


def test_reversing_a_receipt_whose_stock_was_delivered_is_refused(supply, staff):
    (opening,) = stock(supply.county, supply.flour, 30, MARCH_10)
    deliver(supply.contract, supply.county, supply.flour, 25, MARCH_20, client=supply.shop)
    with pytest.raises(ValidationError, match="库存不足"):
        services.reverse_movement(opening, staff)


def test_a_station_manager_may_not_reverse_movements(supply, manager):
    (opening,) = stock(supply.station_point, supply.flour, 30, MARCH_10)
    with pytest.raises(Exception, match="权限"):
        services.reverse_movement(opening, manager)


def test_every_movement_lands_in_the_audit_trail_with_who_posted_it(supply, staff):
    stock(supply.county, supply.flour, 30, MARCH_10, by=staff)
    deliver(supply.contract, supply.county, supply.flour, 10, IN_PHASE_1, client=supply.shop, by=staff)
    entries = ObjectChange.objects.filter(content_type__model="stockmovement")
    assert entries.count() == 2
    assert {e.user_name for e in entries} == {"liqiang"} or all(e.user_id == staff.pk for e in entries)


def test_cancelling_a_delivery_reverses_its_stock_and_deletes_it_for_good(supply, staff):
    stock(supply.county, supply.flour, 30, MARCH_10)
    delivery = deliver(supply.contract, supply.county, supply.flour, 10, IN_PHASE_1, client=supply.shop)
    # a plain delete is refused while its stock is booked
    from muxiang.core.services import restore_record, soft_delete_record

    with pytest.raises(ValidationError, match="作废并冲销"):
        soft_delete_record(delivery, staff)
    services.cancel_document(delivery, staff, reason="客户取消")
    delivery.refresh_from_db()
    assert delivery.deleted_at is not None
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 30
    with pytest.raises(ValidationError, match="不能恢复"):
        restore_record(delivery, staff)


def test_a_delivery_goes_to_a_client_business_or_a_station_not_both_nor_neither(supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    for client, to_station in ((None, None), (supply.shop, supply.station_point.station)):
        with pytest.raises(ValidationError, match="二选一"):
            deliver(supply.contract, supply.county, supply.flour, 1, client=client, to_station=to_station)
    delivery = deliver(
        supply.contract, supply.county, supply.flour, 1, to_station=supply.station_point.station
    )
    assert delivery.station == supply.station_point.station


def test_stock_received_on_the_day_of_a_delivery_is_available_to_it(supply):
    stock(supply.county, supply.flour, 10, IN_PHASE_1)
    deliver(supply.contract, supply.county, supply.flour, 7, IN_PHASE_1, client=supply.shop)
    with pytest.raises(ValidationError, match="可用数量为 3袋"):
        deliver(supply.contract, supply.county, supply.flour, 4, IN_PHASE_1, client=supply.shop)
