"""Two deliveries posted at the same moment from two connections cannot both pass the stock
check: the lock row of the (stock point, product) makes the second wait for the first and then
see its movement. Run on PostgreSQL (SQLite serialises every writer anyway)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from muxiang.supply import services
from muxiang.supply.models import Delivery, StockMovement
from muxiang.supply.tests.conftest import IN_PHASE_1, deliver, stock

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


def test_two_deliveries_at_the_same_moment_cannot_both_take_the_last_stock(supply):
    # given 10 bags of flour and two deliveries of 7 each, released together from two connections
    stock(supply.county, supply.flour, 10)
    start = threading.Barrier(2)
    outcomes = []

    def post(client):
        try:
            start.wait()
            deliver(supply.contract, supply.county, supply.flour, 7, IN_PHASE_1, client=client)
            outcomes.append("posted")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in (supply.shop, supply.organisation)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # then one was posted, the other refused with the 3 bags left, and stock is not negative
    assert sorted(outcomes, key=len)[0] == "posted", outcomes
    assert "可用数量为 3袋" in sorted(outcomes, key=len)[1], outcomes
    assert Delivery.objects.count() == 1
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 3
    assert services.negative_balance_days() == []
    assert StockMovement.objects.count() == 2
