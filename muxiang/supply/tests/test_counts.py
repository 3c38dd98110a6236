"""Inventory counts (盘点): each product's book figure of the day is kept and the difference is
posted as an adjustment; a count that would leave a later day negative is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.supply import services
from muxiang.supply.models import StockCount
from muxiang.supply.tests.conftest import IN_PHASE_1, deliver, q, stock

MARCH_10 = datetime.date(2026, 3, 10)
MARCH_20 = datetime.date(2026, 3, 20)


def test_a_count_posts_the_difference_from_the_book_as_an_adjustment(supply, staff):
    stock(supply.county, supply.flour, 30, MARCH_10)
    stock(supply.county, supply.mutton, 8, MARCH_10)
    count = services.record_stock_count(
        supply.contract,
        supply.county,
        IN_PHASE_1,
        [(supply.flour, q(27)), (supply.mutton, q(8))],
        staff,
        counted_by="刘仓管",
    )
    lines = {line.product: line for line in count.lines.all()}
    assert (lines[supply.flour].book_quantity, lines[supply.flour].difference) == (30, -3)
    assert lines[supply.mutton].difference == 0
    assert [m.quantity for m in count.movements()] == [-3]  # no movement for a product found as booked
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 27


def test_a_back_dated_count_that_would_leave_a_later_day_negative_is_refused(supply, staff):
    # given 30 bags, 28 delivered on 20 March
    stock(supply.county, supply.flour, 30, MARCH_10)
    deliver(supply.contract, supply.county, supply.flour, 28, MARCH_20, client=supply.shop)
    # when a count of 15 March finds only 20
    with pytest.raises(ValidationError, match="库存不足"):
        services.record_stock_count(
            supply.contract, supply.county, IN_PHASE_1, [(supply.flour, q(20))], staff
        )
    # then nothing was written
    assert not StockCount.all_objects.exists()


def test_a_count_may_not_name_a_product_twice_nor_find_less_than_nothing(supply, staff):
    with pytest.raises(ValidationError, match="只能出现一次"):
        services.record_stock_count(
            supply.contract, supply.county, IN_PHASE_1, [(supply.flour, q(1)), (supply.flour, q(2))], staff
        )
    with pytest.raises(ValidationError, match="不能为负"):
        services.record_stock_count(
            supply.contract, supply.county, IN_PHASE_1, [(supply.flour, q(-1))], staff
        )
