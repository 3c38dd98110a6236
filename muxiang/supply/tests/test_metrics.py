"""The supply chain's figures for the contract engine: distinct businesses served by deliveries,
distinct organisations given systematic services, supply chains integrated — a record on the
phase's last day counts in it, the next day's does not, and only records with the required
evidence count."""

import datetime

from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, REGISTRY, Window, measure
from muxiang.core.services import attach_evidence
from muxiang.supply.tests.conftest import (
    FIRST_DAY_OF_PHASE_2,
    IN_PHASE_1,
    LAST_DAY_OF_PHASE_1,
    TODAY,
    deliver,
    document,
    make_chain,
    make_client,
    make_service,
    photo,
    stock,
)

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
PHASE_2 = Window(FIRST_DAY_OF_PHASE_2, datetime.date(2026, 12, 31), TODAY)
WHOLE = Window(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), TODAY)
METRICS = ["supply.client_businesses", "supply.systematic_services", "supply.supply_chains"]


def figure(name, window=PHASE_1, contract=None, evidence=()):
    return measure(name, window, {EVIDENCE_PARAM: evidence}, contract)


def test_every_metric_of_the_supply_chain_is_registered_with_its_records():
    for name in METRICS:
        assert name in REGISTRY and name in RECORDS, name


def test_client_businesses_are_counted_once_each_on_the_last_day_of_the_phase_not_the_day_after(supply):
    stock(supply.county, supply.flour, 100, datetime.date(2026, 1, 5))
    other = make_client(2)
    # the shop twice in phase 1 (once on its last day), the cooperative on phase 2's first day
    deliver(supply.contract, supply.county, supply.flour, 1, IN_PHASE_1, client=supply.shop)
    deliver(supply.contract, supply.county, supply.flour, 1, LAST_DAY_OF_PHASE_1, client=supply.shop)
    deliver(supply.contract, supply.county, supply.flour, 1, FIRST_DAY_OF_PHASE_2, client=supply.organisation)
    deliver(supply.contract, supply.county, supply.flour, 1, FIRST_DAY_OF_PHASE_2, client=other)
    # a delivery to a station is not a client business served
    deliver(
        supply.contract, supply.county, supply.flour, 1, IN_PHASE_1, to_station=supply.station_point.station
    )
    assert figure("supply.client_businesses", contract=supply.contract) == 1
    assert figure("supply.client_businesses", PHASE_2, contract=supply.contract) == 2
    assert figure("supply.client_businesses", WHOLE, contract=supply.contract) == 3


def test_only_deliveries_with_the_required_evidence_count_and_cancelled_ones_not_at_all(supply, staff):
    from muxiang.supply import services

    stock(supply.county, supply.flour, 100, datetime.date(2026, 1, 5))
    signed = deliver(supply.contract, supply.county, supply.flour, 1, IN_PHASE_1, client=supply.shop)
    photographed = deliver(
        supply.contract, supply.county, supply.flour, 1, IN_PHASE_1, client=supply.organisation
    )
    cancelled = deliver(supply.contract, supply.county, supply.flour, 1, IN_PHASE_1, client=make_client(3))
    attach_evidence(signed, document(), staff, kind="document")
    attach_evidence(photographed, photo(), staff, kind="photo")
    attach_evidence(cancelled, document(), staff, kind="document")
    services.cancel_document(cancelled, staff)
    assert figure("supply.client_businesses", contract=supply.contract, evidence=("document",)) == 1
    assert figure("supply.client_businesses", contract=supply.contract) == 2


def test_systematic_services_count_distinct_organisations_in_the_window(contract, organisation, staff):
    grower = make_client(4, kind="large_grower")
    make_service(contract, organisation, IN_PHASE_1)
    make_service(contract, organisation, LAST_DAY_OF_PHASE_1, kind="testing")
    make_service(contract, grower, FIRST_DAY_OF_PHASE_2)
    assert figure("supply.systematic_services", contract=contract) == 1
    assert figure("supply.systematic_services", PHASE_2, contract=contract) == 1
    assert figure("supply.systematic_services", WHOLE, contract=contract) == 2
    assert figure("supply.systematic_services", contract=contract, evidence=("document",)) == 0


def test_supply_chains_count_from_the_day_they_were_integrated(contract, staff):
    chain = make_chain(contract, LAST_DAY_OF_PHASE_1)
    make_chain(contract, FIRST_DAY_OF_PHASE_2, name="河套向日葵供应链")
    attach_evidence(chain, document(), staff, kind="document")
    assert figure("supply.supply_chains", contract=contract, evidence=("document",)) == 1
    assert figure("supply.supply_chains", WHOLE, contract=contract) == 2


def test_the_records_behind_the_client_figure_are_the_deliveries(supply):
    stock(supply.county, supply.flour, 100, datetime.date(2026, 1, 5))
    delivery = deliver(supply.contract, supply.county, supply.flour, 1, IN_PHASE_1, client=supply.shop)
    records = RECORDS["supply.client_businesses"](PHASE_1, {}, supply.contract)
    assert list(records) == [delivery]
