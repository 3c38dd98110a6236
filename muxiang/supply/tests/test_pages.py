"""The supply chain's pages: documents entered through the forms go through the services, so a
delivery beyond the stock or a receipt beyond the order is refused with its message and writes
nothing; balances read as of a day; movements are reversed, never edited."""

import datetime

from django.urls import reverse

from muxiang.supply import services
from muxiang.supply.models import Delivery, Receipt, StockMovement
from muxiang.supply.tests.conftest import IN_PHASE_1, q, stock

MARCH_10 = datetime.date(2026, 3, 10)


def delivery_form(supply, lines, **extra):
    return {
        "contract": supply.contract.pk,
        "warehouse": supply.county.pk,
        "client": supply.shop.pk,
        "delivered_on": "2026-03-15",
        "route": "海流图镇—德岭山镇",
        "receiver_name": "王丽",
        "lines": lines,
        **extra,
    }


def test_staff_deliver_through_the_form_with_lines_as_text(login, supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    response = login(supply.staff).post(reverse("supply:delivery-add"), delivery_form(supply, "SP-0002 12\n"))
    assert response.status_code == 302, response.content.decode()[:2000]
    delivery = Delivery.objects.get()
    assert delivery.number == "PS-202603-001" and delivery.lines.get().quantity == 12
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 18


def test_a_delivery_beyond_the_stock_is_refused_on_the_form_and_nothing_is_written(login, supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    response = login(supply.staff).post(reverse("supply:delivery-add"), delivery_form(supply, "SP-0002 31"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "库存不足" in page and "可用数量为 30袋" in page
    assert not Delivery.all_objects.exists() and StockMovement.objects.count() == 1


def test_a_bad_line_is_named_by_its_row(login, supply):
    response = login(supply.staff).post(
        reverse("supply:delivery-add"), delivery_form(supply, "SP-0002 5\nSP-9999 3\nSP-0002 abc")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 2 行：找不到商品编号「SP-9999」" in page and "第 3 行：数量应为数字" in page


def test_a_receipt_beyond_the_order_is_refused_on_the_form(login, order, staff):
    client = login(staff)
    response = client.post(
        reverse("supply:receipt-add"), {"order": order.pk, "received_on": "2026-03-20", "lines": "1 101"}
    )
    assert response.status_code == 400
    assert "最多还可到货 100袋" in response.content.decode()
    assert not Receipt.all_objects.exists()
    response = client.post(
        reverse("supply:receipt-add"), {"order": order.pk, "received_on": "2026-03-20", "receive_all": "on"}
    )
    assert response.status_code == 302
    assert services.outstanding_lines(order) == {}


def test_the_order_page_shows_what_each_line_still_waits_for(login, order, staff):
    services.record_receipt(order, datetime.date(2026, 3, 20), {1: q(60)}, staff)
    page = login(staff).get(reverse("supply:order-detail", args=[order.pk])).content.decode()
    assert "中旗网店01" in page and ">40<" in page


def test_the_balances_page_reads_a_stock_point_as_of_a_day(login, supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    stock(supply.county, supply.flour, 5, IN_PHASE_1)
    client = login(supply.staff)
    page = client.get(reverse("supply:balances"), {"warehouse": supply.county.pk, "as_of": "2026-03-12"})
    assert page.status_code == 200 and ">30<" in page.content.decode()
    page = client.get(reverse("supply:balances"), {"warehouse": supply.county.pk, "as_of": "2026-03-15"})
    assert ">35<" in page.content.decode()
    assert client.get(reverse("supply:balances"), {"as_of": "15/03/2026"}).status_code == 400


def test_a_movement_cannot_be_edited_but_can_be_reversed(login, supply):
    (movement,) = stock(supply.county, supply.flour, 30, MARCH_10)
    client = login(supply.staff)
    assert client.get(reverse("supply:movement-edit", args=[movement.pk])).status_code == 403
    assert client.post(reverse("supply:movement-delete", args=[movement.pk])).status_code == 403
    response = client.post(reverse("supply:movement-reverse", args=[movement.pk]), {"note": "录错"})
    assert response.status_code == 302
    assert services.balance_on(supply.county, supply.flour, MARCH_10) == 0


def test_deleting_a_delivery_on_its_page_cancels_it_and_returns_its_stock(login, supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    delivery = services.record_delivery(
        supply.contract, supply.county, IN_PHASE_1, [(supply.flour, q(10))], supply.staff, client=supply.shop
    )
    response = login(supply.staff).post(reverse("supply:delivery-delete", args=[delivery.pk]))
    assert response.status_code == 302
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 30


def test_the_clients_page_lists_the_businesses_served(login, supply, order):
    page = login(supply.staff).get(reverse("supply:clients")).content.decode()
    assert "中旗网店01" in page and "海流图牧歌合作社" in page


def test_a_transfer_is_entered_on_the_movement_ledger(login, supply):
    stock(supply.county, supply.flour, 30, MARCH_10)
    response = login(supply.staff).post(
        reverse("supply:movement-add"),
        {
            "product": supply.flour.pk,
            "warehouse": supply.county.pk,
            "target": supply.station_point.pk,
            "amount": "10",
            "day": "2026-03-15",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert services.balance_on(supply.station_point, supply.flour, IN_PHASE_1) == 10
