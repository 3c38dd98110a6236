"""Phase acceptance: the checklist, the request and the sign-off, the freeze, payments and manual
figures, told with the personas (李强 requests, 赵监 signs off, 王敏 unlocks, 巴特尔 sees nothing)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from muxiang.contracts import acceptance
from muxiang.contracts.engine import compute_progress
from muxiang.contracts.models import PhaseAcceptance
from muxiang.contracts.services import load_contract
from muxiang.core.models import ObjectChange
from muxiang.stations.models import Station

DATA = Path(__file__).parent / "data"
SHIPPED = Path(__file__).parents[1] / "data" / "urad-middle-banner-package-1.toml"
# The sample contract with its articles counted by hand: no ledger measures them yet.
SAMPLE = (DATA / "sample-county.toml").read_text(encoding="utf-8")
SAMPLE_MANUAL = SAMPLE.replace('metric = "publicity.articles"', 'metric = "manual"')
DURING_PHASE_2 = datetime.date(2026, 7, 15)


def upload(name="实施方案.txt"):
    return SimpleUploadedFile(name, b"2026 implementation plan\n", content_type="text/plain")


@pytest.fixture
def contract(county, town, station):
    # 海流图镇, the county's only town, has its town station: coverage is 100% from the start.
    return load_contract(SAMPLE_MANUAL)


@pytest.fixture
def phase_1(contract):
    return contract.phases.get(number=1)


@pytest.fixture
def phase_2(contract):
    return contract.phases.get(number=2)


def premium_station(town, code, opened_on=datetime.date(2026, 3, 1)):
    return Station.objects.create(
        code=code,
        name=f"精品站 {code}",
        level="town",
        region=town,
        status="active",
        opened_on=opened_on,
        is_premium=True,
    )


def meet_checklist(phase, town, staff, client_supervisor, premium_stations=1):
    """Everything phase ``phase`` demands, done through the services."""
    contract = phase.contract
    for n in range(premium_stations):
        premium_station(town, f"P-{phase.number}-{n}")
    articles = contract.targets.get(key="B-articles")
    acceptance.enter_manual_figure(articles, phase, Decimal(10), "十篇", upload("文章清单.txt"), staff)
    for obligation in contract.obligations.all():
        if phase.number in obligation.phases:
            acceptance.attach_obligation_evidence(obligation, phase, upload(), staff)
            acceptance.sign_off_obligation(obligation, phase, client_supervisor)


def accept(phase, town, staff, client_supervisor, premium_stations=1):
    meet_checklist(phase, town, staff, client_supervisor, premium_stations)
    acceptance.request_acceptance(phase, staff, today=DURING_PHASE_2)
    return acceptance.sign_off_phase(phase, client_supervisor)


def changes_of(record):
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).order_by("time", "id")


# --- the checklist and the request ------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_cannot_request_acceptance_while_items_are_missing_and_the_message_lists_them(phase_1, staff):
    with pytest.raises(ValidationError) as refused:
        acceptance.request_acceptance(phase_1, staff, today=DURING_PHASE_2)
    messages = refused.value.messages
    assert messages[0] == "尚有 3 项验收条件未满足："
    assert "A 精品站点不少于 2 个（目标 1，实际 0）" in messages
    assert "B.1 宣传文章（暂无法计量）" in messages
    assert "B.2 实施方案（缺少佐证材料）" in messages
    assert acceptance.acceptance_of(phase_1).state == "open"


@pytest.mark.django_db
def test_the_checklist_holds_the_phases_targets_and_its_obligations(phase_1, phase_2):
    keys = [item.key for item in acceptance.phase_checklist(phase_1, DURING_PHASE_2)]
    assert keys == ["A-town-coverage", "A-premium", "B-articles", "B-plan"]
    # the implementation plan is due at phase 1 only
    assert "B-plan" not in [item.key for item in acceptance.phase_checklist(phase_2, DURING_PHASE_2)]


@pytest.mark.django_db
def test_an_obligation_with_evidence_waits_for_the_client_supervisors_sign_off(phase_1, staff):
    plan = phase_1.contract.obligations.get(key="B-plan")
    acceptance.attach_obligation_evidence(plan, phase_1, upload(), staff)
    item = next(i for i in acceptance.phase_checklist(phase_1, DURING_PHASE_2) if i.key == "B-plan")
    assert (item.state, item.detail, len(item.evidence)) == ("not_met", "待甲方确认", 1)


@pytest.mark.django_db
def test_staff_requests_and_the_client_supervisor_signs_off_when_every_item_is_met(
    phase_1, town, staff, client_supervisor
):
    # given
    meet_checklist(phase_1, town, staff, client_supervisor)
    assert all(item.met for item in acceptance.phase_checklist(phase_1, DURING_PHASE_2))
    # when
    acceptance.request_acceptance(phase_1, staff, today=DURING_PHASE_2)
    record = acceptance.sign_off_phase(phase_1, client_supervisor)
    # then
    assert record.state == "accepted" and record.decided_by == client_supervisor
    trail = [(c.user, c.after["state"]) for c in changes_of(record)]
    assert trail == [(staff, "open"), (staff, "requested"), (client_supervisor, "accepted")]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["operator_admin", "staff", "auditor", "manager"])
def test_only_the_client_supervisor_signs_off_a_phase(
    request, phase_1, town, staff, client_supervisor, persona
):
    meet_checklist(phase_1, town, staff, client_supervisor)
    acceptance.request_acceptance(phase_1, staff, today=DURING_PHASE_2)
    with pytest.raises(PermissionDenied):
        acceptance.sign_off_phase(phase_1, request.getfixturevalue(persona))
    assert PhaseAcceptance.objects.get(phase=phase_1).state == "requested"


@pytest.mark.django_db
def test_the_client_supervisor_cannot_request_acceptance_or_upload_evidence(phase_1, client_supervisor):
    with pytest.raises(PermissionDenied):
        acceptance.request_acceptance(phase_1, client_supervisor, today=DURING_PHASE_2)
    plan = phase_1.contract.obligations.get(key="B-plan")
    with pytest.raises(PermissionDenied):
        acceptance.attach_obligation_evidence(plan, phase_1, upload(), client_supervisor)


@pytest.mark.django_db
def test_staff_cannot_sign_off_an_obligation_nor_the_client_without_evidence(
    phase_1, staff, client_supervisor
):
    plan = phase_1.contract.obligations.get(key="B-plan")
    with pytest.raises(ValidationError, match="尚无佐证材料"):
        acceptance.sign_off_obligation(plan, phase_1, client_supervisor)
    acceptance.attach_obligation_evidence(plan, phase_1, upload(), staff)
    with pytest.raises(PermissionDenied):
        acceptance.sign_off_obligation(plan, phase_1, staff)


@pytest.mark.django_db
def test_returning_a_phase_needs_reasons_and_staff_may_request_again(phase_1, town, staff, client_supervisor):
    meet_checklist(phase_1, town, staff, client_supervisor)
    acceptance.request_acceptance(phase_1, staff, today=DURING_PHASE_2)
    with pytest.raises(ValidationError, match="理由"):
        acceptance.return_phase(phase_1, "   ", client_supervisor)
    with pytest.raises(PermissionDenied):
        acceptance.return_phase(phase_1, "照片不清晰", staff)
    record = acceptance.return_phase(phase_1, "实施方案缺少盖章页", client_supervisor)
    assert (record.state, record.reasons) == ("returned", "实施方案缺少盖章页")
    assert acceptance.request_acceptance(phase_1, staff, today=DURING_PHASE_2).state == "requested"


# --- the freeze -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_accepted_phase_freezes_a_dated_record(phase_1, town, staff, client_supervisor):
    # given a daily record dated the last day of phase 1, and one dated the first day of phase 2
    last_day, next_day = datetime.date(2026, 6, 30), datetime.date(2026, 7, 1)
    assert not acceptance.is_frozen(last_day)
    # when
    accept(phase_1, town, staff, client_supervisor)
    # then
    assert acceptance.frozen_phase_for(last_day) == phase_1
    assert acceptance.is_frozen(last_day, phase_1.contract)
    assert not acceptance.is_frozen(next_day)
    with pytest.raises(ValidationError, match="2026-06-30.*已冻结"):
        acceptance.assert_not_frozen(last_day)
    acceptance.assert_not_frozen(next_day)
    articles = phase_1.contract.targets.get(key="B-articles")
    with pytest.raises(ValidationError, match="已冻结"):
        acceptance.enter_manual_figure(articles, phase_1, Decimal(12), "", upload(), staff)


@pytest.mark.django_db
def test_only_the_operator_admin_unlocks_with_a_reason_and_the_unlock_is_audited(
    phase_1, town, staff, operator_admin, client_supervisor
):
    record = accept(phase_1, town, staff, client_supervisor)
    day = datetime.date(2026, 5, 1)
    with pytest.raises(PermissionDenied):
        acceptance.unlock_phase(phase_1, "更正日报", staff)
    with pytest.raises(PermissionDenied):
        acceptance.unlock_phase(phase_1, "更正日报", client_supervisor)
    with pytest.raises(ValidationError, match="理由"):
        acceptance.unlock_phase(phase_1, "", operator_admin)
    assert acceptance.is_frozen(day)
    # when
    acceptance.unlock_phase(phase_1, "5 月 1 日日报录入错误，需更正", operator_admin)
    # then
    assert not acceptance.is_frozen(day)
    unlock = changes_of(record).last()
    assert unlock.user == operator_admin
    assert unlock.after["unlock_reason"] == "5 月 1 日日报录入错误，需更正"
    # and locking it again freezes it once more, the reason staying in the trail
    acceptance.relock_phase(phase_1, operator_admin)
    assert acceptance.is_frozen(day)
    assert changes_of(record).last().before["unlock_reason"] == "5 月 1 日日报录入错误，需更正"


# --- payments ---------------------------------------------------------------------------------------


def states(contract, today=DURING_PHASE_2):
    return {row.milestone.key: row.state for row in acceptance.payment_rows(contract, today)}


@pytest.mark.django_db
def test_the_final_payment_becomes_due_when_phase_2_is_accepted(
    contract, phase_2, town, staff, client_supervisor
):
    assert states(contract) == {"first": "due", "final": "not_due"}
    assert states(contract, datetime.date(2025, 12, 31)) == {"first": "not_due", "final": "not_due"}
    # when
    accept(phase_2, town, staff, client_supervisor, premium_stations=2)
    # then
    assert states(contract) == {"first": "due", "final": "due"}
    final = contract.payments.get(key="final")
    acceptance.record_payment(final, datetime.date(2026, 11, 1), staff, voucher=upload("银行回单.txt"))
    row = next(r for r in acceptance.payment_rows(contract) if r.milestone.key == "final")
    assert row.state == "paid" and row.milestone.paid_on == datetime.date(2026, 11, 1)
    assert [v.original_name for v in row.vouchers] == ["银行回单.txt"]


@pytest.mark.django_db
def test_paying_a_not_due_milestone_is_refused(contract, staff):
    final = contract.payments.get(key="final")
    with pytest.raises(ValidationError, match="尚未到期"):
        acceptance.record_payment(final, datetime.date(2026, 11, 1), staff)
    final.refresh_from_db()
    assert final.paid_on is None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_only_the_operator_records_a_payment(request, contract, persona):
    first = contract.payments.get(key="first")
    with pytest.raises(PermissionDenied):
        acceptance.record_payment(first, datetime.date(2026, 11, 1), request.getfixturevalue(persona))


@pytest.mark.django_db
def test_the_shipped_contracts_payments_are_on_the_dashboard(county, login, staff):
    contract = load_contract(SHIPPED.read_text(encoding="utf-8"), start=datetime.date(2025, 9, 1))
    rows = acceptance.payment_rows(contract, datetime.date(2025, 10, 1))
    assert [row.milestone.amount for row in rows] == [3136500, 2091000, 1045500, 697000]
    assert [row.state for row in rows] == ["due", "not_due", "not_due", "not_due"]
    page = login(staff).get(f"/contracts/{contract.key}/").content.decode()
    for amount in ("3136500.00", "2091000.00", "1045500.00", "697000.00"):
        assert amount in page
    assert "登记付款" in page  # the signing payment is due: 李强 may record it


# --- manual figures ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_manual_figure_shows_on_progress(contract, phase_1, staff):
    articles = contract.targets.get(key="B-articles")

    def phase_1_articles():
        item = next(i for i in compute_progress(contract, DURING_PHASE_2) if i.target.key == "B-articles")
        return item.phases[0]

    assert (phase_1_articles().actual, phase_1_articles().status) == (None, "not_measurable")
    acceptance.enter_manual_figure(articles, phase_1, Decimal(7), "初报", upload(), staff)
    acceptance.enter_manual_figure(articles, phase_1, Decimal(11), "补录两篇后", upload(), staff)
    assert (phase_1_articles().actual, phase_1_articles().status) == (11, "met")


@pytest.mark.django_db
def test_a_manual_figure_needs_evidence_and_an_operator(contract, phase_1, staff, client_supervisor):
    articles = contract.targets.get(key="B-articles")
    with pytest.raises(ValidationError, match="佐证"):
        acceptance.enter_manual_figure(articles, phase_1, Decimal(7), "", None, staff)
    with pytest.raises(PermissionDenied):
        acceptance.enter_manual_figure(articles, phase_1, Decimal(7), "", upload(), client_supervisor)
    premium = contract.targets.get(key="A-premium")
    with pytest.raises(ValidationError, match="不是人工填报"):
        acceptance.enter_manual_figure(premium, phase_1, Decimal(7), "", upload(), staff)


# --- pages ------------------------------------------------------------------------------------------


def contract_routes():
    _prefix, resolver = get_resolver().namespace_dict["contracts"]
    return {pattern.name: tuple(pattern.pattern.converters) for pattern in resolver.url_patterns}


NEW_ROUTES = sorted(set(contract_routes()) - {"list", "dashboard"})


def url_for(name, contract):
    values = {
        "key": contract.key,
        "number": 1,
        "obligation": "B-plan",
        "payment": "first",
        "target": "B-articles",
    }
    return reverse(f"contracts:{name}", kwargs={p: values[p] for p in contract_routes()[name]})


@pytest.mark.django_db
@pytest.mark.parametrize("name", NEW_ROUTES)
def test_a_station_manager_gets_403_on_every_new_route(login, manager, contract, name):
    client = login(manager)
    url = url_for(name, contract)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "paid_on": "2026-11-01"}).status_code == 403
    assert not PhaseAcceptance.objects.exists()


# Building the dossier is a read (the auditor may take the dossier away): see the jobs tests.
READS = ("phase", "phase-dossier", "phase-dossier-build", "target")


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in NEW_ROUTES if n not in READS])
def test_the_auditor_reads_the_phase_page_and_changes_nothing(login, auditor, contract, name):
    client = login(auditor)
    page = client.get(url_for("phase", contract))
    assert page.status_code == 200 and "实施方案" in page.content.decode()
    assert client.post(url_for(name, contract), {"reason": "x"}).status_code == 403
    assert not PhaseAcceptance.objects.exists()


@pytest.mark.django_db
def test_the_phase_page_walks_through_evidence_request_and_sign_off(
    login, contract, phase_1, town, staff, client_supervisor
):
    premium_station(town, "P-1")
    # 李强 enters the articles and uploads the plan on the page
    client = login(staff)
    client.post(
        url_for("manual-figure", contract),
        {"target": "B-articles", "value": "10", "note": "十篇", "file": upload("文章清单.txt")},
    )
    client.post(url_for("obligation-evidence", contract), {"file": upload(), "description": "盖章版"})
    page = client.get(url_for("phase", contract)).content.decode()
    assert "待甲方确认" in page and "实施方案.txt" in page
    # 赵监 confirms the plan; then 李强 requests, and 赵监 signs the phase off
    client = login(client_supervisor)
    assert "确认此项" in client.get(url_for("phase", contract)).content.decode()
    client.post(url_for("obligation-sign-off", contract))
    client = login(staff)
    client.post(url_for("phase-request", contract))
    assert acceptance.acceptance_of(phase_1).state == "requested"
    client = login(client_supervisor)
    client.post(url_for("phase-sign-off", contract))
    page = client.get(url_for("phase", contract)).content.decode()
    assert "已验收" in page and "已冻结" in page


@pytest.mark.django_db
def test_a_refused_request_shows_what_is_missing_on_the_phase_page(login, contract, staff):
    response = login(staff).post(url_for("phase-request", contract), follow=True)
    page = response.content.decode()
    assert "尚有 3 项验收条件未满足" in page and "B.2 实施方案（缺少佐证材料）" in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["auditor", "client_supervisor", "staff"])
def test_the_phase_dossier_downloads_as_a_zip_for_readers(request, login, contract, persona):
    import io
    import zipfile

    response = login(request.getfixturevalue(persona)).get(url_for("phase-dossier", contract))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert {"index.xlsx", "index.pdf", "manifest.csv"} <= set(names)
