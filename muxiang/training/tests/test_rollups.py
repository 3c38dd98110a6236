"""The stored training figures (``training.rollups``) and the evidence marks of training records
stay equal to a rebuild from the raw rows after every kind of write: forms' saves, bulk and import
inserts, edits that move a row, soft deletes, restores, purges, sessions moved or deleted, and
evidence attached, deleted and restored."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from muxiang.contracts.engine import EVIDENCE_PARAM, Window
from muxiang.core import rollups
from muxiang.core import services as core_services
from muxiang.core.bulk import insert_rows
from muxiang.core.choices import EVIDENCE_BITS
from muxiang.core.models import Evidence
from muxiang.training import metrics
from muxiang.training.models import Attendance, TrainedPerson, TrainingSession

from .conftest import IN_PHASE_1, IN_PHASE_2, attach, make_attendance, make_session

pytestmark = pytest.mark.django_db


def assert_rollups_match_a_rebuild():
    for rollup in rollups.ROLLUPS.values():
        assert rollup.differences() == {}, rollup.name


def raw_person_times(contract, start, last):
    return Attendance.objects.filter(
        session__contract=contract, session__deleted_at__isnull=True, session__held_on__range=(start, last)
    ).count()


def test_session_counts_and_trained_people_follow_every_write(contract, person, other_person, operator_admin):
    # given two sessions, 乌云 (a poor household) signed in on the first through the form's save
    first = make_session(contract)
    second = make_session(contract, code="PX-20260801-01", held_on=IN_PHASE_2)
    wuyun = make_attendance(first, person)
    assert_rollups_match_a_rebuild()
    first.refresh_from_db()
    assert (first.attendance_count, first.poor_attendance_count) == (1, 1)
    assert TrainedPerson.objects.get(contract=contract, person=person).first_trained_on == IN_PHASE_1

    # when 格日勒 comes in by a bulk insert (the sign-in sheet import) and by bulk_create
    now = timezone.now()
    insert_rows(
        Attendance,
        [
            {
                "session_id": second.pk,
                "person_id": other_person.pk,
                "contract_id": contract.pk,
                "held_on": IN_PHASE_2,
            }
        ],
        defaults={"created_at": now, "updated_at": now},
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=second, person=person, poor_household=False, contract=contract, held_on=IN_PHASE_2
            )
        ]
    )
    assert_rollups_match_a_rebuild()
    assert TrainedPerson.objects.get(contract=contract, person=other_person).first_trained_on == IN_PHASE_2

    # and an edit changes the poor-household flag, then moves the row to the other session
    wuyun.poor_household = False
    wuyun.save()
    assert_rollups_match_a_rebuild()
    core_services.soft_delete_record(Attendance.objects.get(session=second, person=person), operator_admin)
    wuyun.session = second
    wuyun.save()
    assert_rollups_match_a_rebuild()
    assert TrainedPerson.objects.get(contract=contract, person=person).first_trained_on == IN_PHASE_2

    # and the attendance is soft-deleted, restored, the session moved to another day and deleted
    core_services.soft_delete_record(wuyun, operator_admin)
    assert_rollups_match_a_rebuild()
    assert not TrainedPerson.objects.filter(contract=contract, person=person).exists()
    core_services.restore_record(Attendance.all_objects.get(pk=wuyun.pk), operator_admin)
    assert_rollups_match_a_rebuild()
    second.held_on = datetime.date(2026, 2, 1)
    second.save()
    assert_rollups_match_a_rebuild()
    assert (
        TrainedPerson.objects.get(contract=contract, person=other_person).first_trained_on == second.held_on
    )
    core_services.soft_delete_record(second, operator_admin)
    assert_rollups_match_a_rebuild()
    assert not TrainedPerson.objects.filter(contract=contract).exists()

    # then the figures equal the raw counts
    window = Window(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), datetime.date(2026, 11, 28))
    params = {EVIDENCE_PARAM: ()}
    expected = raw_person_times(contract, window.start, window.end)
    assert metrics.person_times(window, params, contract) == expected


def test_a_stale_session_instance_saved_again_keeps_its_counts(contract, person):
    # given a session loaded before anyone signed in
    session = make_session(contract)
    stale = TrainingSession.objects.get(pk=session.pk)
    make_attendance(session, person)
    # when the stale instance is saved (a form posted later)
    stale.title = "直播带货实操培训（二）"
    stale.save()
    # then its stored count is still the attendance's, not the stale zero
    session.refresh_from_db()
    assert session.attendance_count == 1
    assert_rollups_match_a_rebuild()


def test_evidence_marks_follow_attach_delete_restore_purge_and_bulk_evidence(contract, operator_admin):
    # given a session without evidence
    session = make_session(contract)
    window = Window(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), datetime.date(2026, 6, 30))

    def proven(kinds):
        return list(core_services.with_evidence(TrainingSession.objects.filter(pk=session.pk), kinds))

    assert proven(["sign_in_sheet"]) == []
    # when its sign-in sheet is attached
    sheet = attach(session, operator_admin)
    session.refresh_from_db()
    assert session.evidence_mask == EVIDENCE_BITS["sign_in_sheet"]
    assert proven(["sign_in_sheet"]) == [session]
    assert proven(["sign_in_sheet", "photo"]) == []
    assert proven(["sign_in_sheet", "photo|notice"]) == []
    assert proven(None) == [session]
    # and a photo comes by a bulk insert of evidence rows (the demo, the benches)
    insert_rows(
        Evidence,
        [
            {
                "content_type_id": ContentType.objects.get_for_model(TrainingSession).pk,
                "object_id": session.pk,
                "file": "evidence/x.png",
                "original_name": "现场.png",
                "sha256": "0" * 64,
                "size": 1,
                "mime_type": "image/png",
                "extension": ".png",
                "kind": "photo",
            }
        ],
        defaults={"created_at": timezone.now(), "updated_at": timezone.now()},
        returning=False,
    )
    assert proven(["sign_in_sheet", "photo|notice"]) == [session]
    assert_rollups_match_a_rebuild()
    # and the sheet is deleted, restored, deleted and purged
    core_services.soft_delete_record(sheet, operator_admin)
    assert proven(["sign_in_sheet"]) == []
    assert_rollups_match_a_rebuild()
    core_services.restore_record(Evidence.all_objects.get(pk=sheet.pk), operator_admin)
    assert proven(["sign_in_sheet"]) == [session]
    core_services.soft_delete_record(Evidence.all_objects.get(pk=sheet.pk), operator_admin)
    core_services.purge_record(Evidence.all_objects.get(pk=sheet.pk), operator_admin)
    assert_rollups_match_a_rebuild()
    # then the figures the targets measure agree with the raw EXISTS
    session.refresh_from_db()
    assert session.evidence_mask == EVIDENCE_BITS["photo"]
    assert (
        metrics.standards_trainings(window, {EVIDENCE_PARAM: ("photo",)}, contract) == 0
    )  # not a standards topic
    assert proven(["photo"]) == [session]


def test_rollups_check_finds_a_difference_and_rebuild_repairs_it(contract, person):
    # given a stored count someone changed behind the platform's back
    session = make_session(contract)
    make_attendance(session, person)
    TrainingSession.all_objects.filter(pk=session.pk).update(attendance_count=7)
    TrainedPerson.objects.all().delete()
    # when checked, then the command names the difference and fails
    with pytest.raises(CommandError):
        call_command("rollups", "check")
    # when rebuilt, then the check passes and the figures are the attendance's again
    call_command("rollups", "rebuild")
    call_command("rollups", "check")
    session.refresh_from_db()
    assert session.attendance_count == 1
    assert TrainedPerson.objects.filter(contract=contract, person=person).exists()
    # and a second rebuild changes nothing (idempotent)
    assert rollups.rebuild_all() == {name: 0 for name in rollups.ROLLUPS}
