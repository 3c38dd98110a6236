"""The centre's figures for the contract engine: each counts the contract's live records dated in
the window (a record on the phase's last day counts in it, the next day's does not), only those
with evidence when the target requires it, in the same number of queries for 3 records as for 30."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.centre.tests.conftest import (
    FIRST_DAY_OF_PHASE_2,
    IN_PHASE_1,
    LAST_DAY_OF_PHASE_1,
    TODAY,
    at,
    document,
    make_event,
    make_follow_up,
    make_income,
    make_incubation,
    make_service,
    make_survey,
    make_work_order,
    photo,
)
from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, REGISTRY, Window, measure
from muxiang.core.services import attach_evidence, soft_delete_record

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
PHASE_2 = Window(FIRST_DAY_OF_PHASE_2, datetime.date(2026, 12, 31), TODAY)

METRICS = [
    "centre.events",
    "centre.work_orders",
    "centre.incubated_recipients",
    "centre.field_surveys",
    "centre.value_added_income",
    "sales.matchmaking_fairs",
    "brands.launch_events",
    "training.directed_incubations",
    "training.follow_up_guidance",
]


def figure(name, window=PHASE_1, contract=None, **params):
    return measure(name, window, params, contract)


def test_every_metric_of_the_centre_is_registered_with_its_records():
    for name in METRICS:
        assert name in REGISTRY and name in RECORDS, name


def test_events_count_on_the_last_day_of_the_phase_and_not_the_day_after(contract):
    make_event(contract, held_on=LAST_DAY_OF_PHASE_1)
    make_event(contract, held_on=FIRST_DAY_OF_PHASE_2)
    make_event(contract, kind="matchmaking", sales="500", held_on=IN_PHASE_1)
    assert figure("centre.events", contract=contract) == 2
    assert figure("centre.events", PHASE_2, contract=contract) == 1
    assert figure("centre.events", contract=contract, kinds=["matchmaking"]) == 1
    assert figure("centre.events", contract=contract, kinds=["seminar", "training"]) == 0


def test_deleted_records_do_not_count(contract, staff, live_room, organisation):
    event = make_event(contract)
    order = make_work_order(contract, live_room, at(IN_PHASE_1, 9), at(IN_PHASE_1, 10))
    incubation = make_incubation(contract, organisation=organisation, directed=True)
    follow_up = make_follow_up(incubation)
    for record in (event, order, follow_up):
        soft_delete_record(record, staff)
    assert figure("centre.events", contract=contract) == 0
    assert figure("centre.work_orders", contract=contract) == 0
    assert figure("training.follow_up_guidance", contract=contract) == 0
    # a follow-up of a deleted incubation no longer counts either
    make_follow_up(incubation)
    assert figure("training.follow_up_guidance", contract=contract) == 1
    soft_delete_record(incubation, staff)
    assert figure("training.follow_up_guidance", contract=contract) == 0
    assert figure("centre.incubated_recipients", contract=contract) == 0


def test_a_work_order_counts_on_the_local_day_it_starts(contract, live_room, classroom):
    # 23:00 on the last day of phase 1 is phase 1; 07:00 the next day (still June 30 in UTC) is not
    make_work_order(contract, live_room, at(LAST_DAY_OF_PHASE_1, 23), at(FIRST_DAY_OF_PHASE_2, 1))
    make_work_order(contract, live_room, at(FIRST_DAY_OF_PHASE_2, 7), at(FIRST_DAY_OF_PHASE_2, 8))
    make_work_order(contract, classroom, at(IN_PHASE_1, 9), at(IN_PHASE_1, 12))
    assert figure("centre.work_orders", contract=contract) == 2
    assert figure("centre.work_orders", PHASE_2, contract=contract) == 1
    assert figure("centre.work_orders", contract=contract, areas=["training"]) == 1
    assert figure("centre.work_orders", contract=contract, areas=["live_streaming", "training"]) == 2


def test_a_booking_after_the_day_measured_does_not_count_yet(contract, live_room):
    make_work_order(
        contract, live_room, at(datetime.date(2026, 12, 1), 9), at(datetime.date(2026, 12, 1), 10)
    )
    assert figure("centre.work_orders", PHASE_2, contract=contract) == 0


def test_incubated_recipients_are_counted_once_each(contract, organisation, other_organisation, person):
    make_incubation(contract, organisation=organisation, kind="brand_building")
    make_incubation(contract, organisation=organisation, kind="data_analysis")
    make_incubation(contract, organisation=other_organisation, provided_on=LAST_DAY_OF_PHASE_1)
    make_incubation(contract, person=person, directed=True)
    make_incubation(contract, person=person, provided_on=FIRST_DAY_OF_PHASE_2, directed=True)
    assert figure("centre.incubated_recipients", contract=contract) == 3
    assert figure("centre.incubated_recipients", contract=contract, kinds=["enterprise"]) == 2
    assert figure("centre.incubated_recipients", contract=contract, kinds=["person"]) == 1
    assert figure("centre.incubated_recipients", contract=contract, kinds=["enterprise", "person"]) == 3
    assert figure("centre.incubated_recipients", PHASE_2, contract=contract) == 1
    assert figure("training.directed_incubations", contract=contract) == 1
    whole = Window(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), TODAY)
    assert figure("training.directed_incubations", whole, contract=contract) == 1


def test_follow_up_guidance_counts_only_follow_ups_of_directed_incubations(contract, organisation, person):
    directed = make_incubation(contract, organisation=organisation, directed=True)
    ordinary = make_incubation(contract, person=person)
    make_follow_up(directed, held_on=LAST_DAY_OF_PHASE_1)
    make_follow_up(directed, held_on=FIRST_DAY_OF_PHASE_2)
    make_follow_up(ordinary)
    assert figure("training.follow_up_guidance", contract=contract) == 1
    assert figure("training.follow_up_guidance", PHASE_2, contract=contract) == 1


def test_field_surveys_by_subject(contract, station):
    make_survey(contract, station=station, surveyed_on=LAST_DAY_OF_PHASE_1)
    make_survey(contract, subject="brand")
    make_survey(contract, subject="supply_chain", surveyed_on=FIRST_DAY_OF_PHASE_2)
    assert figure("centre.field_surveys", contract=contract) == 2
    assert figure("centre.field_surveys", contract=contract, subjects=["brand", "supply_chain"]) == 1
    assert figure("centre.field_surveys", PHASE_2, contract=contract) == 1


def test_value_added_income_is_the_sum_of_the_window(contract):
    service = make_service()
    make_income(contract, service, "600.50", received_on=LAST_DAY_OF_PHASE_1)
    make_income(contract, service, "200", received_on=IN_PHASE_1)
    make_income(contract, service, "999", received_on=FIRST_DAY_OF_PHASE_2)
    assert figure("centre.value_added_income", contract=contract) == Decimal("800.50")
    assert figure("centre.value_added_income", PHASE_2, contract=contract) == Decimal("999")
    empty = Window(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
    assert figure("centre.value_added_income", empty, contract=contract) == 0


def test_a_matchmaking_fair_counts_only_when_its_sales_reach_the_floor(contract):
    make_event(contract, kind="matchmaking", sales="10000", held_on=LAST_DAY_OF_PHASE_1)
    make_event(contract, kind="matchmaking", sales="9999.99")
    make_event(contract, kind="matchmaking")  # no sales recorded
    make_event(contract, kind="salon")
    make_event(contract, kind="matchmaking", sales="30000", held_on=FIRST_DAY_OF_PHASE_2)
    assert figure("sales.matchmaking_fairs", contract=contract, min_sales=10000) == 1
    assert figure("sales.matchmaking_fairs", contract=contract) == 1  # the contract's 10,000 by default
    assert figure("sales.matchmaking_fairs", contract=contract, min_sales=5000) == 2
    assert figure("sales.matchmaking_fairs", PHASE_2, contract=contract, min_sales=10000) == 1


def test_brand_launches_are_events_of_that_kind(contract):
    make_event(contract, kind="brand_launch", held_on=LAST_DAY_OF_PHASE_1)
    make_event(contract, kind="salon")
    assert figure("brands.launch_events", contract=contract) == 1
    assert figure("brands.launch_events", PHASE_2, contract=contract) == 0


def test_another_contracts_records_do_not_count(contract):
    from muxiang.centre.tests.conftest import SAMPLE
    from muxiang.contracts.services import load_contract

    other = load_contract(
        SAMPLE.read_text(encoding="utf-8").replace("sample-county-2026", "other-county-2026")
    )
    make_event(other)
    assert figure("centre.events", contract=contract) == 0
    assert figure("centre.events", contract=other) == 1


@pytest.mark.parametrize("name", METRICS)
def test_with_evidence_required_only_records_carrying_it_count(
    name, contract, staff, live_room, organisation
):
    record = _record_for(name, contract, live_room, organisation)
    params = {"min_sales": 10000} if name == "sales.matchmaking_fairs" else {}
    required = {EVIDENCE_PARAM: ("document", "photo")}
    assert figure(name, contract=contract, **params, **required) == 0
    assert figure(name, contract=contract, **params) > 0
    # when a document is uploaded, it does not count yet: the photo is missing
    attach_evidence(record, document(), staff)
    assert figure(name, contract=contract, **params, **required) == 0
    # then with its photo it counts
    attach_evidence(record, photo(), staff)
    assert figure(name, contract=contract, **params, **required) == figure(name, contract=contract, **params)


def _record_for(name, contract, live_room, organisation):
    if name == "centre.work_orders":
        return make_work_order(contract, live_room, at(IN_PHASE_1, 9), at(IN_PHASE_1, 10))
    if name in {"centre.incubated_recipients", "training.directed_incubations"}:
        return make_incubation(contract, organisation=organisation, directed=True)
    if name == "training.follow_up_guidance":
        return make_follow_up(make_incubation(contract, organisation=organisation, directed=True))
    if name == "centre.field_surveys":
        return make_survey(contract, subject="brand")
    if name == "centre.value_added_income":
        return make_income(contract, make_service())
    kind = {"sales.matchmaking_fairs": "matchmaking", "brands.launch_events": "brand_launch"}.get(
        name, "salon"
    )
    return make_event(contract, kind=kind, sales="20000" if kind == "matchmaking" else None)


def test_the_records_behind_a_figure_are_the_records_counted(contract, organisation, person):
    make_incubation(contract, organisation=organisation)
    make_incubation(contract, organisation=organisation)
    make_incubation(contract, person=person, provided_on=FIRST_DAY_OF_PHASE_2)
    records = RECORDS["centre.incubated_recipients"](PHASE_1, {}, contract)
    assert records.count() == 2
    assert {r.recipient for r in records} == {organisation.name}


@pytest.mark.parametrize("evidence", [False, True])
def test_the_figures_cost_the_same_queries_for_3_and_30_records(
    contract, live_room, organisation, other_organisation, person, evidence
):
    def build(first, count):
        service = make_service(f"服务{first}")
        for n in range(first, first + count):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
            make_event(
                contract,
                kind=("salon", "matchmaking", "brand_launch")[n % 3],
                sales="12000" if n % 3 == 1 else None,
                held_on=day,
            )
            make_work_order(contract, live_room, at(day, 9), at(day, 10))
            incubation = make_incubation(
                contract,
                organisation=(organisation, other_organisation, None)[n % 3],
                person=person if n % 3 == 2 else None,
                directed=bool(n % 2),
                provided_on=day,
            )
            make_follow_up(incubation, held_on=day)
            make_survey(contract, subject="brand", surveyed_on=day)
            make_income(contract, service, received_on=day)

    def measure_all():
        params = {EVIDENCE_PARAM: ("document",) if evidence else (), "min_sales": 10000}
        with CaptureQueriesContext(connection) as queries:
            figures = [measure(name, PHASE_1, params, contract) for name in METRICS]
        return figures, len(queries)

    build(0, 3)
    measure_all()  # warm the content-type cache
    few_figures, few = measure_all()
    build(3, 27)
    many_figures, many = measure_all()
    assert many == few == len(METRICS)
    if not evidence:
        assert many_figures[0] == 30 and many_figures[1] == 30
