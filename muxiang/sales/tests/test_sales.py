"""The rules of a sale: a positive amount, an order counted once, the phase freeze, and what a
typed-in sale is given (its number, its mode)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import PhaseAcceptance
from muxiang.sales.models import Sale
from muxiang.sales.services import record_sale
from muxiang.sales.tests.conftest import IN_PHASE_1, make_sale


def sale_values(contract, organisation, product, **values):
    return {
        "contract": contract,
        "sold_on": IN_PHASE_1,
        "seller": organisation,
        "product": product,
        "quantity": "12",
        "amount": "2400",
        "channel": "supermarket",
        **values,
    }


def test_a_typed_in_sale_gets_the_next_number_of_its_month_and_its_channels_mode(
    contract, organisation, lamb
):
    first = record_sale(**sale_values(contract, organisation, lamb))
    second = record_sale(**sale_values(contract, organisation, lamb, channel="social_media"))
    assert (first.order_number, first.mode, first.source) == ("XS-202603-001", "offline", "手工登记")
    assert (second.order_number, second.mode) == ("XS-202603-002", "online")


def test_it_refuses_a_negative_amount_with_a_message_and_writes_nothing(contract, organisation, lamb):
    with pytest.raises(ValidationError) as refused:
        record_sale(**sale_values(contract, organisation, lamb, amount="-300"))
    assert "金额不能为负数" in refused.value.message_dict["amount"][0]
    assert not Sale.all_objects.exists()


def test_it_refuses_a_zero_amount(contract, organisation, lamb):
    with pytest.raises(ValidationError) as refused:
        record_sale(**sale_values(contract, organisation, lamb, amount="0"))
    assert refused.value.message_dict["amount"] == ["金额应大于 0"]


def test_the_same_order_of_the_same_source_is_counted_once(contract, organisation, lamb):
    record_sale(**sale_values(contract, organisation, lamb, source="抖音小店", order_number="6938001"))
    with pytest.raises(ValidationError) as refused:
        record_sale(**sale_values(contract, organisation, lamb, source="抖音小店", order_number="6938001"))
    assert "已登记，同一订单不能重复计入" in refused.value.message_dict["order_number"][0]
    # Another platform may use the same number for its own order.
    record_sale(**sale_values(contract, organisation, lamb, source="淘宝", order_number="6938001"))
    assert Sale.objects.count() == 2


def test_a_sale_in_an_accepted_phase_is_frozen(contract, organisation, lamb):
    PhaseAcceptance.objects.create(phase=contract.phases.get(number=1), state=AcceptanceState.ACCEPTED)
    with pytest.raises(ValidationError) as refused:
        record_sale(**sale_values(contract, organisation, lamb, sold_on=datetime.date(2026, 6, 30)))
    assert "已冻结" in refused.value.message_dict["sold_on"][0]


def test_the_list_page_totals_sales_by_channel_and_phase(login, staff, contract, organisation, lamb):
    make_sale(contract, organisation, lamb, amount="1000", channel="supermarket")
    make_sale(
        contract, organisation, lamb, amount="500", channel="supermarket", sold_on=datetime.date(2026, 8, 1)
    )
    make_sale(contract, organisation, lamb, amount="250", channel="social_media")
    response = login(staff).get("/sales/orders/")
    assert response.status_code == 200
    channels = {t.label: (t.count, t.amount) for t in response.context["channel_totals"]}
    assert channels == {"商超": (2, Decimal("1500")), "自媒体电商": (1, Decimal("250"))}
    phases = [(t.phase.number, t.count, t.amount, t.counted) for t in response.context["phase_totals"]]
    assert phases == [(1, 2, Decimal("1250"), Decimal("0")), (2, 1, Decimal("500"), Decimal("0"))]
    filtered = login(staff).get("/sales/orders/?channel=social_media&phase=1")
    assert [t.amount for t in filtered.context["channel_totals"]] == [Decimal("250")]
