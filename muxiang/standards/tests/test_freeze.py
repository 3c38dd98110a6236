"""The trade standard's records freeze with an accepted phase like every other ledger: a version or
an applying enterprise dated in it cannot be added, changed, moved out of it or deleted — not by the
form, the API, an import or a delete — until the operator admin unlocks the phase (with a reason,
audited). The standard is the county's, so an accepted phase of any contract freezes it. Its
trainings are training sessions, frozen with their own contract's phase."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from muxiang.contracts import acceptance
from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import PhaseAcceptance
from muxiang.contracts.services import load_contract
from muxiang.core import services
from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import ledger_xlsx, problems
from muxiang.standards.ledgers import StandardAdoptionLedger, StandardVersionLedger
from muxiang.standards.models import StandardVersion
from muxiang.standards.tests.conftest import make_adoption, make_version
from muxiang.supply.tests.conftest import SAMPLE

IN_PHASE_1 = datetime.date(2026, 3, 1)
IN_PHASE_2 = datetime.date(2026, 8, 1)
FROZEN = "属于已验收的"


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def accepted(contract, client_supervisor):
    """Phase 1 (2026-01-01..06-30) accepted by the client supervisor, hence frozen."""
    phase = contract.phases.get(number=1)
    PhaseAcceptance.objects.create(phase=phase, state=AcceptanceState.ACCEPTED, decided_by=client_supervisor)
    return phase


def version_form(version, **changes):
    return {
        "standard": version.standard_id,
        "number": version.number,
        "version": version.version,
        "effective_on": version.effective_on.isoformat(),
        "is_current": "on" if version.is_current else "",
        "changes": version.changes,
        **changes,
    }


def test_a_version_of_an_accepted_phase_refuses_an_edit_on_its_page_with_the_reason(
    login, staff, standard, accepted
):
    version = make_version(standard, effective_on=IN_PHASE_1)
    response = login(staff).post(
        reverse("standards:version-edit", args=[version.pk]), version_form(version, changes="补充冷链要求")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert FROZEN in page and "记录已冻结" in page and "运营方管理员解锁" in page
    assert StandardVersion.objects.get(pk=version.pk).changes == ""


def test_a_version_cannot_be_moved_out_of_an_accepted_phase_nor_a_new_one_dated_in_it(standard, accepted):
    version = make_version(standard, effective_on=IN_PHASE_1)
    version.effective_on = IN_PHASE_2
    with pytest.raises(ValidationError) as moved:
        version.full_clean()
    assert FROZEN in str(moved.value)
    late = StandardVersion(
        standard=standard, number="T/WLTZQ 002—2026", version="V1.1", effective_on=IN_PHASE_1
    )
    with pytest.raises(ValidationError):
        late.full_clean()
    # a version of phase 2 is still open
    StandardVersion(
        standard=standard, number="T/WLTZQ 003—2026", version="V2.0", effective_on=IN_PHASE_2
    ).full_clean()


def test_an_applying_enterprise_of_an_accepted_phase_cannot_be_deleted(
    standard, organisation, staff, accepted
):
    adoption = make_adoption(standard, organisation, since=datetime.date(2026, 4, 1))
    with pytest.raises(ValidationError) as refused:
        services.soft_delete_record(adoption, staff)
    assert FROZEN in refused.value.messages[0]
    adoption.refresh_from_db()
    assert adoption.deleted_at is None


def test_an_import_refuses_a_changed_row_of_an_accepted_phase_and_keeps_an_unchanged_one(
    standard, organisation, staff, accepted
):
    make_version(standard, effective_on=IN_PHASE_1)
    row = {
        "标准名称": standard.title,
        "标准编号": "T/WLTZQ 001—2026",
        "版本": "V1.0",
        "实施日期": IN_PHASE_1,
        "现行版本": "是",
    }
    unchanged = StandardVersionLedger(staff).import_file(
        ledger_xlsx(StandardVersionLedger, [row]), "版本.xlsx"
    )
    assert unchanged.ok and unchanged.unchanged == 1, problems(unchanged)
    changed = StandardVersionLedger(staff).import_file(
        ledger_xlsx(StandardVersionLedger, [{**row, "主要内容/修订说明": "补充冷链要求"}]), "版本.xlsx"
    )
    [problem] = changed.problems
    assert (problem.row, problem.column) == (2, "实施日期") and FROZEN in problem.message
    new = StandardAdoptionLedger(staff).import_file(
        ledger_xlsx(
            StandardAdoptionLedger,
            [
                {
                    "标准名称": standard.title,
                    "执行企业": organisation.name,
                    "执行日期": datetime.date(2026, 5, 1),
                }
            ],
        ),
        "执行企业.xlsx",
    )
    assert [(p.row, p.column) for p in new.problems] == [(2, "执行日期")]


def test_after_the_admin_unlocks_the_phase_the_version_is_edited_and_the_edit_audited(
    login, staff, operator_admin, standard, accepted
):
    version = make_version(standard, effective_on=IN_PHASE_1)
    acceptance.unlock_phase(accepted, "标准文本更正错字", operator_admin)
    assert ObjectChange.objects.filter(object_id=accepted.acceptance.pk, action="update").exists()
    # when
    response = login(staff).post(
        reverse("standards:version-edit", args=[version.pk]), version_form(version, changes="更正错字")
    )
    # then
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.changes == "更正错字"
    entry = ObjectChange.objects.filter(object_id=version.pk, action="update").latest("id")
    assert entry.user == staff and entry.after["changes"] == "更正错字"


def test_the_trainings_on_the_standard_freeze_with_their_contracts_phase(contract, accepted):
    from muxiang.training.tests.conftest import make_session

    session = make_session(contract, topic="standards", held_on=datetime.date(2026, 5, 10))
    session.title = "网销标准化培训（更正）"
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert FROZEN in str(refused.value)
