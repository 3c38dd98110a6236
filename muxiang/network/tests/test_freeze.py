"""An accepted phase freezes what its network coverage counted: an outlet opened or closed inside
it is not added, moved or removed, and an outlet that served during it keeps its code, kind,
operator and place and is not deleted — until the operator admin unlocks the phase. What happened
since (a closing date after the phase, a new status, an address) stays editable."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from muxiang.contracts import acceptance
from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import PhaseAcceptance
from muxiang.core import services
from muxiang.core.tests.test_ledger_import import ledger_xlsx
from muxiang.network.ledgers import OutletLedger
from muxiang.network.models import Outlet
from muxiang.network.tests.conftest import OPENED, make_outlet

IN_PHASE_2 = datetime.date(2026, 9, 1)
FROZEN = "已验收"


@pytest.fixture(autouse=True)
def _today_is_after_the_phases(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 28))


@pytest.fixture
def accepted(contract, client_supervisor):
    phase = contract.phases.get(number=1)
    PhaseAcceptance.objects.create(phase=phase, state=AcceptanceState.ACCEPTED, decided_by=client_supervisor)
    return phase


def outlet_form(outlet, **changes):
    values = {
        "code": outlet.code,
        "name": outlet.name,
        "kind": outlet.kind,
        "operator": outlet.operator_id,
        "region": outlet.region_id,
        "address": outlet.address,
        "opened_on": outlet.opened_on.isoformat() if outlet.opened_on else "",
        "closed_on": outlet.closed_on.isoformat() if outlet.closed_on else "",
        "status": outlet.status,
        "notes": outlet.notes,
    }
    return {**values, **changes}


def test_an_outlet_that_served_in_an_accepted_phase_keeps_its_place_and_is_not_deleted(
    login, staff, town, other_town, organisation, accepted
):
    outlet = make_outlet("YZ-01", town, organisation)
    response = login(staff).post(
        reverse("network:edit", args=[outlet.pk]), outlet_form(outlet, region=other_town.pk)
    )
    assert response.status_code == 400
    assert "计入了已验收的" in response.content.decode()
    assert Outlet.objects.get(pk=outlet.pk).region == town
    with pytest.raises(ValidationError) as refused:
        services.soft_delete_record(outlet, staff)
    assert FROZEN in refused.value.messages[0]


def test_closing_it_after_the_phase_is_still_recorded(login, staff, town, organisation, accepted):
    outlet = make_outlet("YZ-01", town, organisation)
    response = login(staff).post(
        reverse("network:edit", args=[outlet.pk]),
        outlet_form(outlet, status="closed", closed_on=IN_PHASE_2.isoformat(), address="团结路 8 号"),
    )
    assert response.status_code == 302, response.content.decode()
    outlet.refresh_from_db()
    assert (outlet.status, outlet.closed_on) == ("closed", IN_PHASE_2)


def test_an_opening_date_inside_the_accepted_phase_is_neither_set_nor_moved(town, organisation, accepted):
    new = Outlet(
        code="YZ-02", name="新网点", kind="post", operator=organisation, region=town, status="active"
    )
    new.opened_on = datetime.date(2026, 5, 1)
    with pytest.raises(ValidationError) as refused:
        new.full_clean()
    assert "2026-05-01 属于已验收的" in str(refused.value)
    planned = make_outlet("YZ-03", town, organisation, status="planned", opened_on=None)
    planned.opened_on, planned.status = IN_PHASE_2, "active"
    planned.full_clean()  # opening in phase 2 is open


def test_an_import_refuses_to_move_a_counted_outlet_and_keeps_an_unchanged_row(
    staff, town, other_town, organisation, accepted
):
    make_outlet("YZ-01", town, organisation, name="海流图镇邮政便民服务站")
    row = {
        "网点编号": "YZ-01",
        "网点名称": "海流图镇邮政便民服务站",
        "网点类型": "邮政网点",
        "运营单位": organisation.name,
        "所在镇/村": town.path,
        "开业日期": OPENED,
        "状态": "运营中",
    }
    same = OutletLedger(staff).import_file(ledger_xlsx(OutletLedger, [row]), "网点.xlsx")
    assert same.ok and same.unchanged == 1
    moved = OutletLedger(staff).import_file(
        ledger_xlsx(OutletLedger, [{**row, "所在镇/村": other_town.path}]), "网点.xlsx"
    )
    [problem] = moved.problems
    assert problem.row == 2 and "计入了已验收的" in problem.message
    assert Outlet.objects.get(code="YZ-01").region == town


def test_after_an_unlock_the_outlet_is_corrected(
    staff, operator_admin, town, other_town, organisation, accepted
):
    outlet = make_outlet("YZ-01", town, organisation)
    acceptance.unlock_phase(accepted, "网点所在镇登记错误", operator_admin)
    outlet.region = other_town
    outlet.full_clean()
    outlet.save()
    assert Outlet.objects.get(pk=outlet.pk).region == other_town
