"""The ministry deliveries' API list costs the same queries for 3 deliveries as for 30: no N+1 in a
schema's resolver."""

import datetime

import pytest

from muxiang.core.testing import api_list_paths, assert_list_cost_is_constant
from muxiang.mofcom.choices import AttemptOutcome, DeliveryKind, DeliveryState
from muxiang.mofcom.models import DeliveryAttempt, MinistryDelivery
from muxiang.mofcom.tests.conftest import YESTERDAY
from muxiang.operations.tests.conftest import at

PREFIX = "/api/mofcom/"

# What each list of the API shows. A list the schema has and this does not fails below: a new
# route needs its records built here, so that it is guarded too.
LISTED = {
    "/api/mofcom/deliveries/": MinistryDelivery,
}

# Lists known to cost a query per row: path -> why (the field of the Out schema that queries).
N_PLUS_ONE: dict[str, str] = {}


def api_lists():
    return api_list_paths(PREFIX)


def cases():
    return [
        pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=N_PLUS_ONE[path]))
        if path in N_PLUS_ONE
        else path
        for path in api_lists()
    ]


@pytest.fixture
def build(contract):
    """``build(first, count)``: ``count`` delivered days, each of the contract, with its attempt in
    the delivery log and every outcome field filled."""

    def _build(first, count):
        for n in range(first, first + count):
            period = YESTERDAY - datetime.timedelta(days=n)
            delivered = at(period + datetime.timedelta(days=1), 2)
            delivery = MinistryDelivery.objects.create(
                kind=DeliveryKind.DAILY,
                period=period,
                contract=contract,
                transport="http",
                state=DeliveryState.DELIVERED,
                attempts=2,
                next_attempt_at=delivered,
                claimed_at=delivered,
                delivered_at=delivered,
                rows=2,
                payload_sha256=f"{n:064x}",
                response_status=201,
                last_error="first attempt: 503",
                note=f"第{n}天",
            )
            DeliveryAttempt.objects.create(
                delivery=delivery,
                attempted_at=delivered,
                transport="http",
                outcome=AttemptOutcome.OK,
                status_code=201,
                duration_ms=120,
            )

    return _build


def test_every_kind_the_schema_lists_has_its_builder():
    assert api_lists(), f"the schema has no list under {PREFIX}"
    assert set(api_lists()) == set(LISTED)


@pytest.mark.parametrize("path", cases())
def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
    assert path in LISTED, f"{path}: no builder makes its records (add it to LISTED and to build)"
    assert_list_cost_is_constant(client, api_token(auditor), path, build)
