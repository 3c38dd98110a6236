"""The sales figures for the contract engine: yuan of evidenced sales per phase (a sale on the
phase's last day counts in it, the next day's does not), census years completed in the phase."""

import datetime
from decimal import Decimal

from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, REGISTRY, Window, measure
from muxiang.core.services import attach_evidence, soft_delete_record
from muxiang.sales.tests.conftest import (
    FIRST_DAY_OF_PHASE_2,
    IN_PHASE_1,
    LAST_DAY_OF_PHASE_1,
    TODAY,
    make_census,
    make_entry,
    make_sale,
    proof,
)

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
PHASE_2 = Window(FIRST_DAY_OF_PHASE_2, datetime.date(2026, 12, 31), TODAY)
PROOF = {EVIDENCE_PARAM: ("sales_proof",)}
DOCUMENT = {EVIDENCE_PARAM: ("document",)}


def test_both_metrics_are_registered_with_their_records():
    for name in ("sales.amount", "sales.census_updates"):
        assert name in REGISTRY and name in RECORDS


def test_a_sale_on_the_last_day_of_phase_1_counts_in_phase_1_and_the_next_days_in_phase_2(
    contract, staff, organisation, lamb
):
    last = make_sale(contract, organisation, lamb, amount="1000.50", sold_on=LAST_DAY_OF_PHASE_1)
    first = make_sale(contract, organisation, lamb, amount="200", sold_on=FIRST_DAY_OF_PHASE_2)
    for sale in (last, first):
        attach_evidence(sale, proof(), staff, kind="sales_proof")
    assert measure("sales.amount", PHASE_1, PROOF, contract) == Decimal("1000.50")
    assert measure("sales.amount", PHASE_2, PROOF, contract) == Decimal("200")


def test_only_sales_with_their_sales_proof_count_and_deleted_ones_never(contract, staff, organisation, lamb):
    proven = make_sale(contract, organisation, lamb, amount="800")
    attach_evidence(proven, proof(), staff, kind="sales_proof")
    make_sale(contract, organisation, lamb, amount="5000")  # no proof
    photographed = make_sale(contract, organisation, lamb, amount="700")
    attach_evidence(photographed, proof("照片.pdf"), staff, kind="photo")
    deleted = make_sale(contract, organisation, lamb, amount="900")
    attach_evidence(deleted, proof(), staff, kind="sales_proof")
    soft_delete_record(deleted, staff)
    assert measure("sales.amount", PHASE_1, PROOF, contract) == Decimal("800")
    assert measure("sales.amount", PHASE_1, {}, contract) == Decimal("6500")
    assert RECORDS["sales.amount"](PHASE_1, {}, contract).count() == 3


def test_an_invoice_or_order_export_kind_either_counts(contract, staff, organisation, lamb):
    sale = make_sale(contract, organisation, lamb, amount="300")
    attach_evidence(sale, proof("发票.pdf"), staff, kind="invoice")
    assert measure("sales.amount", PHASE_1, {EVIDENCE_PARAM: ("invoice|sales_proof",)}, contract) == 300


def test_channels_narrow_the_sum(contract, organisation, lamb):
    make_sale(contract, organisation, lamb, amount="100", channel="supermarket")
    make_sale(contract, organisation, lamb, amount="40", channel="social_media")
    assert measure("sales.amount", PHASE_1, {"channels": ["social_media"]}, contract) == 40
    assert measure("sales.amount", PHASE_2, {}, contract) == 0


def test_a_census_year_counts_in_the_phase_it_is_completed_with_rows_and_its_document(contract, staff, town):
    on_the_last_day = make_census(contract, year=2026, completed_on=LAST_DAY_OF_PHASE_1)
    make_entry(on_the_last_day, town)
    attach_evidence(on_the_last_day, proof("建议方案.pdf"), staff, kind="document")
    without_rows = make_census(contract, year=2027, completed_on=IN_PHASE_1)
    attach_evidence(without_rows, proof("建议方案.pdf"), staff, kind="document")
    next_day = make_census(contract, year=2025, completed_on=FIRST_DAY_OF_PHASE_2)
    make_entry(next_day, town)
    assert measure("sales.census_updates", PHASE_1, DOCUMENT, contract) == 1
    assert measure("sales.census_updates", PHASE_2, DOCUMENT, contract) == 0  # no document yet
    assert measure("sales.census_updates", PHASE_2, {}, contract) == 1


def test_a_census_still_being_updated_does_not_count(contract, town):
    census = make_census(contract, completed_on=None, proposal="")
    make_entry(census, town)
    assert measure("sales.census_updates", PHASE_1, {}, contract) == 0
