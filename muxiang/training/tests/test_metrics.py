"""What training contributes to the dashboard, figure by figure: records dated on the last day of a
phase count in it and not the day after, deleted records never count, targets that require
evidence count only what carries it, and every figure costs the same queries for 3 records as for
30."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, REGISTRY, Window, compute_progress, measure
from muxiang.core.services import soft_delete_record
from muxiang.people.models import Person
from muxiang.training.tests.conftest import (
    FIRST_DAY_OF_PHASE_2,
    IN_PHASE_1,
    IN_PHASE_2,
    LAST_DAY_OF_PHASE_1,
    TODAY,
    attach,
    make_analysis,
    make_attendance,
    make_census,
    make_outcome,
    make_session,
    make_textbook,
    make_visit,
)

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
PHASE_2 = Window(FIRST_DAY_OF_PHASE_2, datetime.date(2026, 12, 31), TODAY)
NONE = {EVIDENCE_PARAM: ()}
SIGN_IN = {EVIDENCE_PARAM: ("photo", "sign_in_sheet")}
MINE = {
    "training.person_times",
    "training.poor_household_share",
    "training.conversion_rate",
    "training.million_yuan_merchants",
    "training.placements",
    "training.influencers",
    "training.follow_up_visits",
    "training.merchant_census",
    "training.analysis_reports",
    "standards.trainings",
}


def figure(name, window, contract, **params):
    return measure(name, window, {**NONE, **params}, contract)


def trainees(count: int, poor_every: int = 0, offset: int = 0) -> list[Person]:
    return Person.objects.bulk_create(
        Person(
            name=f"学员{i}",
            mobile=f"1390000{i:04d}",
            kinds=["trainee"],
            poor_household=bool(poor_every) and i % poor_every == 0,
        )
        for i in range(offset, offset + count)
    )


def test_every_training_metric_is_registered_with_the_records_behind_it():
    assert MINE <= set(REGISTRY)
    assert MINE <= set(RECORDS)
    # Directed incubation and its follow-up guidance are the service centre's records.
    for name in ("training.directed_incubations", "training.follow_up_guidance"):
        assert name not in REGISTRY or REGISTRY[name].__module__ != "muxiang.training.metrics"


# --- person-times and the poor-household share ---------------------------------------------------


def test_attendance_on_the_last_day_of_a_phase_counts_in_it_and_the_next_day_in_the_next(contract, person):
    # given one attendance on 2026-06-30 and one on 2026-07-01
    make_attendance(make_session(contract, code="PX-A", held_on=LAST_DAY_OF_PHASE_1), person)
    make_attendance(make_session(contract, code="PX-B", held_on=FIRST_DAY_OF_PHASE_2), person)
    # then
    assert figure("training.person_times", PHASE_1, contract) == 1
    assert figure("training.person_times", PHASE_2, contract) == 1


def test_one_person_at_three_sessions_is_three_person_times(contract, person):
    for code in ("PX-A", "PX-B", "PX-C"):
        make_attendance(make_session(contract, code=code), person)
    assert figure("training.person_times", PHASE_1, contract) == 3


def test_deleted_attendance_and_the_attendance_of_a_deleted_session_do_not_count(
    contract, staff, person, other_person
):
    kept = make_session(contract, code="PX-A")
    make_attendance(kept, person)
    soft_delete_record(make_attendance(kept, other_person), staff)
    dropped = make_session(contract, code="PX-B")
    make_attendance(dropped, person)
    soft_delete_record(dropped, staff)
    assert figure("training.person_times", PHASE_1, contract) == 1


def test_person_times_of_advanced_trainings_and_of_chosen_audiences(contract, person, other_person):
    advanced = make_session(contract, code="PX-A", level="advanced", audiences=["first_secretary"])
    basic = make_session(contract, code="PX-B", level="basic", audiences=["veteran", "cooperative"])
    for session in (advanced, basic):
        make_attendance(session, person)
        make_attendance(session, other_person)
    assert figure("training.person_times", PHASE_1, contract, levels=["advanced"]) == 2
    assert figure("training.person_times", PHASE_1, contract, audiences=["veteran"]) == 2
    assert figure("training.person_times", PHASE_1, contract, audiences=["veteran", "first_secretary"]) == 4
    assert figure("training.person_times", PHASE_1, contract, audiences=["government"]) == 0


def test_person_times_need_the_sessions_sign_in_sheet_and_photo_where_the_target_requires_them(
    contract, staff, person
):
    proved, photo_only, bare = (make_session(contract, code=c) for c in ("PX-A", "PX-B", "PX-C"))
    for session in (proved, photo_only, bare):
        make_attendance(session, person)
    attach(proved, staff, "sign_in_sheet")
    attach(proved, staff, "photo", "现场.pdf")
    attach(photo_only, staff, "photo", "现场.pdf")
    assert figure("training.person_times", PHASE_1, contract, **SIGN_IN) == 1
    assert figure("training.person_times", PHASE_1, contract) == 3


def test_the_poor_household_share_is_of_person_times_as_the_sheets_declare(contract, person, other_person):
    # given 乌云 (poor household) at two sessions, 格日勒 at two, one of them declared poor on the sheet
    first, second = make_session(contract, code="PX-A"), make_session(contract, code="PX-B")
    make_attendance(first, person)
    make_attendance(second, person)
    make_attendance(first, other_person)
    make_attendance(second, other_person, poor_household=True)
    # then 3 of 4 person-times
    assert figure("training.poor_household_share", PHASE_1, contract) == Decimal("75.0")


def test_the_poor_household_share_is_not_measurable_without_person_times_never_zero(contract):
    assert figure("training.poor_household_share", PHASE_1, contract) is None


# --- outcomes ------------------------------------------------------------------------------------


def test_the_conversion_rate_is_of_the_people_trained_by_the_windows_end(contract, person, other_person):
    # given two trainees of phase 1; 乌云 opened a shop (recorded in phase 1), 格日勒 was employed in phase 2
    session = make_session(contract)
    make_attendance(session, person)
    make_attendance(session, other_person)
    make_outcome(contract, person, sells_online=True, shop="淘宝 草原羊倌")
    make_outcome(contract, other_person, recorded_on=IN_PHASE_2, employed=True, employer="牧歌电商")
    # then
    assert figure("training.conversion_rate", PHASE_1, contract) == Decimal("50.00")
    assert figure("training.conversion_rate", PHASE_2, contract) == Decimal("100.00")


def test_the_conversion_rate_counts_only_trained_people_with_a_real_outcome(contract, person, other_person):
    make_attendance(make_session(contract), person)
    # 乌云's outcome records sales but neither a shop, a job nor an account; 格日勒 never attended
    make_outcome(contract, person, annual_online_sales=Decimal("5000"))
    make_outcome(contract, other_person, influencer=True, account="抖音 @格日勒")
    assert figure("training.conversion_rate", PHASE_1, contract) == Decimal("0.00")


def test_the_conversion_rate_is_not_measurable_before_anyone_is_trained(contract, person):
    make_outcome(contract, person, sells_online=True)
    assert figure("training.conversion_rate", PHASE_1, contract) is None


def test_the_conversion_rate_counts_outcomes_with_their_proof_where_the_target_requires_it(
    contract, staff, person
):
    make_attendance(make_session(contract), person)
    outcome = make_outcome(contract, person, sells_online=True)
    proof = {EVIDENCE_PARAM: ("document|screenshot",)}
    assert figure("training.conversion_rate", PHASE_1, contract, **proof) == Decimal("0.00")
    attach(outcome, staff, "screenshot", "网店截图.pdf")
    assert figure("training.conversion_rate", PHASE_1, contract, **proof) == Decimal("100.00")


def test_million_yuan_merchants_are_people_with_a_years_sales_of_a_million_in_a_year_of_the_window(
    contract, person, other_person
):
    # given 乌云 sold 1.2 million in 2025 and 2026 (one merchant), 格日勒 999,999.99 in 2026
    make_outcome(
        contract,
        person,
        year=2025,
        recorded_on=datetime.date(2026, 1, 10),
        annual_online_sales=Decimal("1200000"),
    )
    make_outcome(contract, person, year=2026, annual_online_sales=Decimal("1000000"))
    make_outcome(contract, other_person, year=2026, annual_online_sales=Decimal("999999.99"))
    # then
    assert figure("training.million_yuan_merchants", PHASE_1, contract, min_sales=1000000) == 1
    assert figure("training.million_yuan_merchants", PHASE_1, contract, min_sales=900000) == 2
    earlier = Window(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), datetime.date(2024, 12, 31))
    assert figure("training.million_yuan_merchants", earlier, contract, min_sales=1000000) == 0


def test_placements_and_influencers_are_distinct_people_recorded_in_the_window(
    contract, person, other_person
):
    make_outcome(
        contract, person, year=2025, recorded_on=datetime.date(2026, 1, 5), employed=True, employer="甲"
    )
    make_outcome(
        contract,
        person,
        year=2026,
        recorded_on=LAST_DAY_OF_PHASE_1,
        employed=True,
        employer="乙",
        influencer=True,
        account="@乌云",
    )
    make_outcome(contract, other_person, recorded_on=FIRST_DAY_OF_PHASE_2, employed=True, employer="丙")
    assert figure("training.placements", PHASE_1, contract) == 1
    assert figure("training.placements", PHASE_2, contract) == 1
    assert figure("training.influencers", PHASE_1, contract) == 1
    assert figure("training.influencers", PHASE_2, contract) == 0


def test_deleted_outcomes_do_not_count(contract, staff, person):
    make_attendance(make_session(contract), person)
    soft_delete_record(
        make_outcome(contract, person, employed=True, employer="甲", annual_online_sales=Decimal("2000000")),
        staff,
    )
    assert figure("training.placements", PHASE_1, contract) == 0
    assert figure("training.million_yuan_merchants", PHASE_1, contract, min_sales=1000000) == 0
    assert figure("training.conversion_rate", PHASE_1, contract) == Decimal("0.00")


# --- the counted records -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "make"),
    [
        ("training.follow_up_visits", lambda c, p, day: make_visit(c, person=p, visited_on=day)),
        (
            "training.merchant_census",
            lambda c, p, day: make_census(c, year=2000 + day.timetuple().tm_yday % 100, counted_on=day),
        ),
        ("training.analysis_reports", lambda c, p, day: make_analysis(c, written_on=day)),
        (
            "standards.trainings",
            lambda c, p, day: make_session(c, code=f"PX-{day:%m%d}", held_on=day, topic="standards"),
        ),
    ],
)
def test_records_count_in_the_phase_of_their_date_with_evidence_where_required(
    contract, staff, person, metric, make
):
    # given one record on the last day of phase 1, one on the first day of phase 2 and one deleted
    last = make(contract, person, LAST_DAY_OF_PHASE_1)
    first = make(contract, person, FIRST_DAY_OF_PHASE_2)
    soft_delete_record(make(contract, person, datetime.date(2026, 3, 1)), staff)
    # then
    assert figure(metric, PHASE_1, contract) == 1
    assert figure(metric, PHASE_2, contract) == 1
    documents = {EVIDENCE_PARAM: ("document",)}
    assert figure(metric, PHASE_1, contract, **documents) == 0
    attach(last, staff, "document")
    assert figure(metric, PHASE_1, contract, **documents) == 1
    assert first.pk in {r.pk for r in RECORDS[metric](PHASE_2, NONE, contract)}


def test_sessions_on_other_topics_are_not_standardisation_trainings(contract):
    make_session(contract, topic="live_selling")
    assert figure("standards.trainings", PHASE_1, contract) == 0


def test_the_records_behind_person_times_are_the_sessions_with_their_person_times(
    contract, person, other_person
):
    session = make_session(contract)
    make_attendance(session, person)
    make_attendance(session, other_person)
    make_session(contract, code="PX-EMPTY")
    [listed] = RECORDS["training.person_times"](PHASE_1, NONE, contract)
    assert (listed.pk, listed.person_times) == (session.pk, 2)


# --- the dashboard -------------------------------------------------------------------------------


def test_the_shipped_contract_measures_its_training_targets(db, person, other_person, staff):
    from muxiang.contracts.services import load_contract

    shipped = Path(__file__).resolve().parents[2] / "contracts" / "data" / "urad-middle-banner-package-1.toml"
    contract = load_contract(shipped.read_text(encoding="utf-8"), start=datetime.date(2026, 1, 1))
    session = make_session(contract, level="advanced")
    make_attendance(session, person)
    make_attendance(session, other_person)
    attach(session, staff, "sign_in_sheet")
    attach(session, staff, "photo", "现场.pdf")
    progress = {p.target.key: p for p in compute_progress(contract, today=TODAY)}
    assert progress["3-person-times"].phases[0].actual == 2
    assert progress["3-advanced-training"].phases[0].actual == 2
    assert progress["3-poor-share"].phases[0].actual == Decimal("50.0")
    assert progress["3-conversion-rate"].phases[0].actual == Decimal("0.00")
    assert progress["2.4-standard-trainings"].phases[0].actual == 0


def _world_of(contract, count: int, offset: int):
    people = trainees(count, poor_every=3, offset=offset)
    sessions = [
        make_session(contract, code=f"PX-{offset + i}", held_on=IN_PHASE_1, topic="standards")
        for i in range(count)
    ]
    for i, person in enumerate(people):
        make_attendance(sessions[i], person)
        make_outcome(
            contract,
            person,
            sells_online=True,
            employed=True,
            employer="甲",
            influencer=True,
            account="@a",
            annual_online_sales=Decimal("1500000"),
        )
        make_visit(contract, person=person)
        make_analysis(contract)
    for year in range(2000 + offset, 2000 + offset + count):
        make_census(contract, year=year)
    make_textbook(contract, version=f"第{offset + 1}版")


@pytest.mark.parametrize("evidence", [NONE, {EVIDENCE_PARAM: ("photo", "sign_in_sheet")}])
def test_the_figures_cost_the_same_queries_for_three_records_as_for_thirty(contract, evidence):
    def queries_for(count, offset):
        _world_of(contract, count, offset)
        with CaptureQueriesContext(connection) as captured:
            for name in sorted(MINE):
                measure(name, PHASE_1, {**evidence, "min_sales": 1000000}, contract)
        return len(captured)

    few = queries_for(3, 0)
    assert few <= 2 * len(MINE)
    assert queries_for(27, 3) == few


def test_the_target_page_lists_the_sessions_behind_the_person_times(
    db, login, client_supervisor, staff, person
):
    from muxiang.contracts.services import load_contract

    shipped = Path(__file__).resolve().parents[2] / "contracts" / "data" / "urad-middle-banner-package-1.toml"
    contract = load_contract(shipped.read_text(encoding="utf-8"), start=datetime.date(2026, 1, 1))
    proved, bare = make_session(contract, code="PX-PROVED"), make_session(contract, code="PX-BARE")
    make_attendance(proved, person)
    make_attendance(bare, person)
    attach(proved, staff, "sign_in_sheet")
    attach(proved, staff, "photo", "现场.pdf")
    page = login(client_supervisor).get(f"/contracts/{contract.key}/targets/3-person-times/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "PX-PROVED" in html and "PX-BARE" in html
    assert "缺少" in html
