from django.urls import reverse

from muxiang.funds.choices import FundFlagKind
from muxiang.funds.models import Quotation
from muxiang.funds.services import funds_flags
from muxiang.funds.tests.conftest import IN_PHASE_1, make_purchase


def test_equipment_with_two_quotations_is_flagged(contract):
    purchase = make_purchase(contract, quotes=2)
    flags = funds_flags(contract)
    assert [(f.kind, f.record) for f in flags] == [(FundFlagKind.FEW_QUOTATIONS, purchase)]
    assert "仅有 2 份报价" in flags[0].message


def test_equipment_with_three_quotations_a_choice_and_a_reason_is_not_flagged(contract):
    make_purchase(contract, quotes=3)
    assert funds_flags(contract) == []


def test_equipment_without_a_reason_for_the_choice_is_flagged(contract):
    make_purchase(contract, quotes=3, reason="")
    [flag] = funds_flags(contract)
    assert "未填写选定理由" in flag.message


def test_a_third_quotation_added_on_the_page_clears_the_flag(login, staff, contract):
    purchase = make_purchase(contract, quotes=2)
    response = login(staff).post(
        reverse("funds:quotation-add"),
        {
            "equipment": purchase.pk,
            "supplier": "第三家",
            "amount": "3500",
            "quoted_on": IN_PHASE_1.isoformat(),
        },
    )
    assert response.status_code == 302
    assert funds_flags(contract) == []


def test_a_second_chosen_quotation_is_refused(login, staff, contract):
    purchase = make_purchase(contract, quotes=3)
    response = login(staff).post(
        reverse("funds:quotation-add"),
        {
            "equipment": purchase.pk,
            "supplier": "第四家",
            "amount": "3500",
            "quoted_on": IN_PHASE_1.isoformat(),
            "chosen": "on",
        },
    )
    assert response.status_code == 400
    assert "已选定另一个报价" in response.content.decode()
    assert Quotation.objects.filter(chosen=True).count() == 1


def test_the_equipment_page_lists_its_quotations_and_what_is_missing(login, auditor, contract):
    purchase = make_purchase(contract, quotes=2)
    html = login(auditor).get(reverse("funds:equipment-detail", args=[purchase.pk])).content.decode()
    assert "供应商0" in html and "供应商1" in html
    assert "仅有 2 份报价" in html
