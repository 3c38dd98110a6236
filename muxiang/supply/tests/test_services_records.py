"""Systematic services go to local enterprises, cooperatives or large growers only."""

import pytest
from django.core.exceptions import ValidationError

from muxiang.supply.models import SystematicService
from muxiang.supply.tests.conftest import IN_PHASE_1, make_client


def test_a_systematic_service_to_an_online_shop_is_refused_naming_its_kind(contract):
    shop = make_client(5, kind="online_merchant")
    service = SystematicService(
        contract=contract, organisation=shop, provided_on=IN_PHASE_1, kind="testing", content="检测"
    )
    with pytest.raises(ValidationError) as refused:
        service.full_clean(exclude=["number"])
    assert "个体网商" in str(refused.value)
