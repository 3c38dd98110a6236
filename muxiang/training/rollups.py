"""The training figures stored for the contract dashboard (``core.rollups``).

- per session, its live person-times and poor-household person-times (``TrainingSession
  .attendance_count`` / ``poor_attendance_count``): ``training.person_times`` and
  ``training.poor_household_share`` sum them over the sessions of a window;
- per contract and person, the day of their first live session (``TrainedPerson``):
  ``training.conversion_rate`` counts the people trained by a day from it.

Both are recomputed per key from the attendance whenever an attendance row is written (form, API,
sign-in sheet import, soft delete, restore, purge) or a session is (its date, contract or deletion
changes who was trained when).
"""

from collections import defaultdict

from django.db.models import Count, Min, Q

from muxiang.core.bulk import insert_rows
from muxiang.core.rollups import Rollup, Source, chunked, register

# Above this many people of one contract, one grouped pass over the contract's attendance is
# cheaper than probing person by person (attendance has no index on the person).
GROUPED_FROM = 200


def _session_counts_compute(keys):
    from muxiang.training.models import Attendance

    def counted(rows):
        figures = rows.values("session_id").annotate(
            n=Count("id"), poor=Count("id", filter=Q(poor_household=True))
        )
        return {row["session_id"]: (row["n"], row["poor"]) for row in figures.order_by()}

    if keys is None:
        return counted(Attendance.objects.all())
    found = {}
    for chunk in chunked(keys):
        found.update(counted(Attendance.objects.filter(session_id__in=chunk)))
    return found


def _session_counts_stored(keys):
    from muxiang.training.models import TrainingSession

    sessions = TrainingSession.all_objects.exclude(attendance_count=0, poor_attendance_count=0)
    columns = ("pk", "attendance_count", "poor_attendance_count")
    if keys is None:
        return {pk: (n, poor) for pk, n, poor in sessions.values_list(*columns)}
    found = {}
    for chunk in chunked(keys):
        found.update({pk: (n, poor) for pk, n, poor in sessions.filter(pk__in=chunk).values_list(*columns)})
    return found


def _session_counts_store(figures, _stored):
    from muxiang.training.models import TrainingSession

    by_figure = defaultdict(list)
    for pk, figure in figures.items():
        by_figure[figure].append(pk)
    for (n, poor), pks in by_figure.items():
        for chunk in chunked(pks):
            TrainingSession.all_objects.filter(pk__in=chunk).update(
                attendance_count=n, poor_attendance_count=poor
            )


session_counts = register(
    Rollup(
        name="training.session_person_times",
        label="培训场次：签到人次与贫困户人次",
        sources=[
            Source(
                "training.Attendance",
                frozenset({"session_id", "poor_household", "deleted_at"}),
                lambda rows: {row.get("session_id") for row in rows},
            ),
            # A save of the session itself writes its counts back: refresh them after it.
            Source(
                "training.TrainingSession", frozenset({"id"}), lambda rows: {row.get("id") for row in rows}
            ),
        ],
        compute=_session_counts_compute,
        stored=_session_counts_stored,
        store=_session_counts_store,
        zero=(0, 0),
    )
)


def _first_days(rows) -> dict:
    firsts = rows.values("session__contract_id", "person_id").annotate(first=Min("session__held_on"))
    return {(row["session__contract_id"], row["person_id"]): row["first"] for row in firsts.order_by()}


def _trained_compute(keys):
    from muxiang.training.models import Attendance

    live = Attendance.objects.filter(session__deleted_at__isnull=True)
    if keys is None:
        return _first_days(live)
    people = defaultdict(set)
    for contract_id, person_id in keys:
        people[contract_id].add(person_id)
    found = {}
    for contract_id, persons in people.items():
        of_contract = live.filter(session__contract_id=contract_id)
        if len(persons) > GROUPED_FROM:
            found.update({key: day for key, day in _first_days(of_contract).items() if key[1] in persons})
            continue
        for chunk in chunked(persons):
            found.update(_first_days(of_contract.filter(person_id__in=chunk)))
    return found


def _trained_stored(keys):
    from muxiang.training.models import TrainedPerson

    columns = ("contract_id", "person_id", "first_trained_on")
    if keys is None:
        return {(c, p): day for c, p, day in TrainedPerson.objects.values_list(*columns).iterator()}
    people = defaultdict(set)
    for contract_id, person_id in keys:
        people[contract_id].add(person_id)
    found = {}
    for contract_id, persons in people.items():
        of_contract = TrainedPerson.objects.filter(contract_id=contract_id)
        if len(persons) > GROUPED_FROM:
            # As in _trained_compute: one pass over the contract's rows beats 5,000-key probes.
            rows = of_contract.values_list(*columns).iterator()
            found.update({(c, p): day for c, p, day in rows if p in persons})
            continue
        for chunk in chunked(persons):
            rows = of_contract.filter(person_id__in=chunk)
            found.update({(c, p): day for c, p, day in rows.values_list(*columns)})
    return found


def _trained_store(figures, stored):
    from muxiang.training.models import TrainedPerson

    # Only the people who have a row now lose it: an import of 50,000 newcomers deletes nothing.
    people = defaultdict(list)
    for contract_id, person_id in figures:
        if stored.get((contract_id, person_id)) is not None:
            people[contract_id].append(person_id)
    for contract_id, persons in people.items():
        for chunk in chunked(persons):
            TrainedPerson.objects.filter(contract_id=contract_id, person_id__in=chunk).delete()
    # core.bulk's fast path: an import of 100,000 sign-in lines stores 50,000 of these at once.
    insert_rows(
        TrainedPerson,
        [
            {"contract_id": contract_id, "person_id": person_id, "first_trained_on": day}
            for (contract_id, person_id), day in figures.items()
            if day is not None
        ],
        returning=False,
    )


def _attendance_keys(rows) -> set:
    """(contract, person) of attendance rows: the contract is the session's (the row's copy may
    lag behind a session moved to another contract)."""
    from muxiang.training.models import TrainingSession

    sessions = {row.get("session_id") for row in rows} - {None}
    contract_of = {}
    for chunk in chunked(sessions):
        contract_of.update(TrainingSession.all_objects.filter(pk__in=chunk).values_list("pk", "contract_id"))
    keys = set()
    for row in rows:
        person = row.get("person_id")
        for contract in (contract_of.get(row.get("session_id")), row.get("contract_id")):
            if contract is not None and person is not None:
                keys.add((contract, person))
    return keys


def _session_keys(rows) -> set:
    """(contract, person) of everyone on the sheets of the sessions, under the contract each row
    (before or after the write) names."""
    from muxiang.training.models import Attendance

    contracts = defaultdict(set)
    for row in rows:
        if row.get("id") is not None and row.get("contract_id") is not None:
            contracts[row["id"]].add(row["contract_id"])
    keys = set()
    for chunk in chunked(contracts):
        for session_id, person_id in Attendance.all_objects.filter(session_id__in=chunk).values_list(
            "session_id", "person_id"
        ):
            keys.update((contract, person_id) for contract in contracts[session_id])
    return keys


trained_people = register(
    Rollup(
        name="training.trained_people",
        label="参训学员：首次参训日期",
        sources=[
            Source(
                "training.Attendance",
                frozenset({"session_id", "person_id", "deleted_at", "contract_id"}),
                _attendance_keys,
            ),
            Source(
                "training.TrainingSession", frozenset({"contract_id", "held_on", "deleted_at"}), _session_keys
            ),
        ],
        compute=_trained_compute,
        stored=_trained_stored,
        store=_trained_store,
        zero=None,
    )
)
