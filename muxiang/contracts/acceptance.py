"""Phase acceptance (验收), the freeze of accepted phases, payments and hand-entered figures.

A phase's checklist is generated from the contract: every target with a figure for the phase (met
only when progress says "met") and every obligation due at the phase (met by evidence attached to
its ``ObligationFulfilment`` and the client supervisor's sign-off). The operator requests acceptance
once every item is met; the client supervisor signs it off or returns it with reasons.

An accepted phase is frozen: records dated inside it must not change. Ledgers whose records carry
a date (daily reports, events, deliveries … from later issues) call ``assert_not_frozen(day)`` in
their write services; station edits are not bound to a date and are therefore not frozen. Only the
operator admin unlocks a frozen phase, with a reason, and locks it again when the correction is
done; both land in the audit trail.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.contracts.choices import AcceptanceState, ChecklistState, PaymentState, ProgressStatus
from muxiang.contracts.engine import compute_progress
from muxiang.contracts.models import (
    ManualFigure,
    Obligation,
    ObligationFulfilment,
    PaymentMilestone,
    Phase,
    PhaseAcceptance,
    Target,
)
from muxiang.core import permissions
from muxiang.core.services import acting_as, attach_evidence, evidence_by_record, missing_evidence_kinds


def _is_operator(user) -> bool:
    return permissions.role_of(user) in permissions.OPERATOR_ROLES


# --------------------------------------------------------------------------------------------------
# The checklist


@dataclass
class ChecklistItem:
    """One condition of a phase's acceptance: a target's figure or an obligation's sign-off."""

    kind: str  # "target" or "obligation"
    key: str
    section: str
    title: str
    state: str  # ChecklistState
    detail: str = ""
    target: Target | None = None
    progress: object = None  # engine.PhaseProgress of the target in this phase
    obligation: Obligation | None = None
    fulfilment: ObligationFulfilment | None = None
    evidence: list = field(default_factory=list)
    figures: list = field(default_factory=list)  # the manual figures entered, newest first

    @property
    def met(self) -> bool:
        return self.state == ChecklistState.MET

    def describe(self) -> str:
        return f"{self.section} {self.title}（{self.detail}）"


def phase_checklist(phase: Phase, today: datetime.date | None = None) -> list[ChecklistItem]:
    """The acceptance conditions of ``phase`` and the state of each, targets first."""
    today = today or timezone.localdate()
    items = []
    for progress in compute_progress(phase.contract, today):
        figure = next((p for p in progress.phases if p.phase == phase.number), None)
        # A target "with a figure for this phase": the annex's column, or the level the main text
        # sets for every phase (100% town coverage), which progress already applies.
        if figure is None or figure.target is None:
            continue
        target = progress.target
        if figure.status == ProgressStatus.MET:
            state, detail = ChecklistState.MET, _("已达标")
        elif figure.status == ProgressStatus.NOT_MEASURABLE:
            state, detail = ChecklistState.NOT_MEASURABLE, _("暂无法计量")
        elif figure.status == ProgressStatus.NOT_STARTED:
            state, detail = ChecklistState.NOT_MET, _("阶段未开始")
        else:
            state = ChecklistState.NOT_MET
            detail = _("目标 %(goal)s，实际 %(actual)s") % {
                "goal": _fmt(figure.target),
                "actual": _fmt(figure.actual),
            }
        items.append(
            ChecklistItem("target", target.key, target.section, target.title, state, detail, target, figure)
        )
    obligations = [o for o in phase.contract.obligations.all() if phase.number in (o.phases or [])]
    fulfilments = {
        f.obligation_id: f
        for f in phase.fulfilments.filter(obligation__in=obligations).select_related("signed_off_by")
    }
    evidence = evidence_by_record(ObligationFulfilment, [f.pk for f in fulfilments.values()])
    for obligation in obligations:
        fulfilment = fulfilments.get(obligation.pk)
        files = evidence.get(fulfilment.pk, []) if fulfilment else []
        missing = missing_evidence_kinds(files, obligation.evidence)
        if not files:
            state, detail = ChecklistState.NOT_MET, _("缺少佐证材料")
        elif missing:
            state, detail = ChecklistState.NOT_MET, _("缺少佐证材料：%(k)s") % {"k": "、".join(missing)}
        elif fulfilment.signed_off_at is None:
            state, detail = ChecklistState.NOT_MET, _("待甲方确认")
        else:
            state, detail = ChecklistState.MET, _("甲方已确认")
        items.append(
            ChecklistItem(
                "obligation",
                obligation.key,
                obligation.section,
                obligation.title,
                state,
                detail,
                obligation=obligation,
                fulfilment=fulfilment,
                evidence=files,
            )
        )
    _attach_manual_figures(phase, items)
    for source in CHECKLIST_SOURCES:
        items.extend(source(phase))
    return items


# Other apps add conditions to every phase's checklist (the programme funds: an expense without its
# invoice blocks acceptance) without the contracts app knowing them: each source is a function
# phase -> [ChecklistItem], registered from the app's metrics.py.
CHECKLIST_SOURCES: list = []


def add_checklist_source(function):
    CHECKLIST_SOURCES.append(function)
    return function


def _attach_manual_figures(phase: Phase, items: list[ChecklistItem]) -> None:
    manual = {
        item.target.pk: item for item in items if item.target is not None and item.target.metric == "manual"
    }
    if not manual:
        return
    figures = ManualFigure.objects.filter(phase=phase, target__in=manual).select_related("entered_by")
    evidence = evidence_by_record(ManualFigure, [f.pk for f in figures])
    for figure in figures.order_by("-id"):
        figure.files = evidence.get(figure.pk, [])
        manual[figure.target_id].figures.append(figure)


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


# --------------------------------------------------------------------------------------------------
# The acceptance workflow


def acceptance_of(phase: Phase) -> PhaseAcceptance:
    """The phase's acceptance record; an unsaved "open" one when nobody has requested it yet."""
    # Queried, not read through ``phase.acceptance``: Django caches a missing reverse one-to-one,
    # and a phase object held across a request/sign-off would keep saying "open".
    return PhaseAcceptance.objects.filter(phase=phase).first() or PhaseAcceptance(phase=phase)


def _locked_acceptance(phase: Phase, by) -> PhaseAcceptance:
    # Two people acting on the same phase at once: the row lock makes the second see the first's
    # decision instead of overwriting it.
    with acting_as(by):
        acceptance, _created = PhaseAcceptance.objects.get_or_create(phase=phase)
    return PhaseAcceptance.objects.select_for_update().get(pk=acceptance.pk)


@transaction.atomic
def request_acceptance(phase: Phase, by, today: datetime.date | None = None) -> PhaseAcceptance:
    if not _is_operator(by):
        raise PermissionDenied(_("只有运营方可以申请验收"))
    acceptance = _locked_acceptance(phase, by)
    if acceptance.state not in (AcceptanceState.OPEN, AcceptanceState.RETURNED):
        raise ValidationError(
            _("该阶段当前状态为「%(s)s」，不能申请验收") % {"s": acceptance.get_state_display()}
        )
    missing = [item for item in phase_checklist(phase, today) if not item.met]
    if missing:
        raise ValidationError(
            [_("尚有 %(n)d 项验收条件未满足：") % {"n": len(missing)}] + [item.describe() for item in missing]
        )
    with acting_as(by):
        acceptance.state = AcceptanceState.REQUESTED
        acceptance.requested_by, acceptance.requested_at = by, timezone.now()
        acceptance.save()
    return acceptance


@transaction.atomic
def sign_off_phase(phase: Phase, by) -> PhaseAcceptance:
    if not permissions.can_sign_off(by):
        raise PermissionDenied(_("只有甲方监管人员可以确认验收"))
    acceptance = _locked_acceptance(phase, by)
    if acceptance.state != AcceptanceState.REQUESTED:
        raise ValidationError(_("运营方尚未申请该阶段验收"))
    with acting_as(by):
        acceptance.state = AcceptanceState.ACCEPTED
        acceptance.decided_by, acceptance.decided_at = by, timezone.now()
        acceptance.save()
    return acceptance


@transaction.atomic
def return_phase(phase: Phase, reasons: str, by) -> PhaseAcceptance:
    if not permissions.can_sign_off(by):
        raise PermissionDenied(_("只有甲方监管人员可以退回验收申请"))
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError(_("退回验收申请须写明理由"))
    acceptance = _locked_acceptance(phase, by)
    if acceptance.state != AcceptanceState.REQUESTED:
        raise ValidationError(_("运营方尚未申请该阶段验收"))
    with acting_as(by):
        acceptance.state = AcceptanceState.RETURNED
        acceptance.decided_by, acceptance.decided_at = by, timezone.now()
        acceptance.reasons = reasons
        acceptance.save()
    return acceptance


# --------------------------------------------------------------------------------------------------
# Freeze


def frozen_phase_for(day: datetime.date, contract=None) -> Phase | None:
    """The accepted, not unlocked phase whose dates hold ``day`` (of ``contract``, or of any
    contract: records are not tied to one contract, and one installation may hold several)."""
    phases = frozen_phases().filter(start__lte=day, end__gte=day)
    if contract is not None:
        phases = phases.filter(contract=contract)
    return phases.order_by("contract", "number").first()


def frozen_phases():
    """Every accepted phase that is not unlocked, with its contract."""
    return Phase.objects.filter(
        acceptance__state=AcceptanceState.ACCEPTED, acceptance__unlocked_at__isnull=True
    ).select_related("contract")


def is_frozen(day: datetime.date, contract=None) -> bool:
    return frozen_phase_for(day, contract) is not None


def assert_not_frozen(day: datetime.date, contract=None) -> None:
    """Call from every write service of a dated record, before changing it."""
    phase = frozen_phase_for(day, contract)
    if phase is not None:
        raise ValidationError(
            _("%(day)s 属于已验收的%(contract)s%(phase)s，记录已冻结；如需更正请由运营方管理员解锁")
            % {"day": day.isoformat(), "contract": phase.contract.name, "phase": phase}
        )


def _assert_phase_open(phase: Phase) -> None:
    if acceptance_of(phase).is_frozen:
        raise ValidationError(
            _("%(phase)s已验收，记录已冻结；如需更正请由运营方管理员解锁") % {"phase": phase}
        )


@transaction.atomic
def unlock_phase(phase: Phase, reason: str, by) -> PhaseAcceptance:
    if not permissions.can_unlock(by):
        raise PermissionDenied(_("只有运营方管理员可以解锁已验收的阶段"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("解锁须写明理由"))
    acceptance = _locked_acceptance(phase, by)
    if not acceptance.is_frozen:
        raise ValidationError(_("该阶段未处于冻结状态"))
    with acting_as(by):
        acceptance.unlocked_by, acceptance.unlocked_at = by, timezone.now()
        acceptance.unlock_reason = reason
        acceptance.save()
    return acceptance


@transaction.atomic
def relock_phase(phase: Phase, by) -> PhaseAcceptance:
    if not permissions.can_unlock(by):
        raise PermissionDenied(_("只有运营方管理员可以重新锁定阶段"))
    acceptance = _locked_acceptance(phase, by)
    if acceptance.state != AcceptanceState.ACCEPTED or acceptance.unlocked_at is None:
        raise ValidationError(_("该阶段未解锁"))
    with acting_as(by):
        # The reason and who unlocked stay in the audit trail.
        acceptance.unlocked_by, acceptance.unlocked_at, acceptance.unlock_reason = None, None, ""
        acceptance.save()
    return acceptance


# --------------------------------------------------------------------------------------------------
# Obligations


def _obligation_due(obligation: Obligation, phase: Phase) -> None:
    if obligation.contract_id != phase.contract_id or phase.number not in (obligation.phases or []):
        raise ValidationError(_("%(o)s 不在%(phase)s的验收清单中") % {"o": obligation, "phase": phase})


@transaction.atomic
def attach_obligation_evidence(
    obligation: Obligation, phase: Phase, upload, by, description: str = "", kind: str = ""
):
    if not _is_operator(by):
        raise PermissionDenied(_("只有运营方可以上传履约佐证材料"))
    _obligation_due(obligation, phase)
    _assert_phase_open(phase)
    with acting_as(by):
        fulfilment, _created = ObligationFulfilment.objects.get_or_create(obligation=obligation, phase=phase)
    return attach_evidence(fulfilment, upload, by, description, kind)


@transaction.atomic
def sign_off_obligation(obligation: Obligation, phase: Phase, by) -> ObligationFulfilment:
    if not permissions.can_sign_off(by):
        raise PermissionDenied(_("只有甲方监管人员可以确认履约事项"))
    _obligation_due(obligation, phase)
    _assert_phase_open(phase)
    fulfilment = (
        ObligationFulfilment.objects.select_for_update().filter(obligation=obligation, phase=phase).first()
    )
    if fulfilment is None or not evidence_by_record(ObligationFulfilment, [fulfilment.pk]):
        raise ValidationError(_("%(o)s 尚无佐证材料，不能确认") % {"o": obligation})
    with acting_as(by):
        fulfilment.signed_off_by, fulfilment.signed_off_at = by, timezone.now()
        fulfilment.save()
    return fulfilment


# --------------------------------------------------------------------------------------------------
# Manual figures


@transaction.atomic
def enter_manual_figure(
    target: Target, phase: Phase, value: Decimal, note: str, evidence, by
) -> ManualFigure:
    """A new figure for a ``manual`` target in ``phase``; ``evidence`` (an uploaded file) is required.
    Earlier entries stay: progress shows the latest, the history shows them all."""
    if not _is_operator(by):
        raise PermissionDenied(_("只有运营方可以填报数值"))
    if target.metric != "manual" or target.contract_id != phase.contract_id:
        raise ValidationError(_("%(t)s 不是人工填报的指标") % {"t": target})
    if evidence is None:
        raise ValidationError(_("人工填报的数值须附佐证材料"))
    if value is None or Decimal(value) < 0:
        raise ValidationError(_("数值不能为负数"))
    _assert_phase_open(phase)
    with acting_as(by):
        figure = ManualFigure.objects.create(
            target=target, phase=phase, value=value, note=(note or "").strip(), entered_by=by
        )
    attach_evidence(figure, evidence, by, note or "")
    return figure


# --------------------------------------------------------------------------------------------------
# Payments


@dataclass
class PaymentRow:
    milestone: PaymentMilestone
    state: str
    vouchers: list = field(default_factory=list)

    def get_state_display(self) -> str:
        return PaymentState(self.state).label


def payment_rows(contract, today: datetime.date | None = None) -> list[PaymentRow]:
    """Every payment milestone of ``contract`` with its state on ``today`` and its vouchers."""
    today = today or timezone.localdate()
    phases = list(contract.phases.all())
    first_start = phases[0].start if phases else None
    accepted = set(
        PhaseAcceptance.objects.filter(phase__contract=contract, state=AcceptanceState.ACCEPTED).values_list(
            "phase__number", flat=True
        )
    )
    milestones = list(contract.payments.select_related("paid_by"))
    vouchers = evidence_by_record(PaymentMilestone, [m.pk for m in milestones])
    return [
        PaymentRow(m, m.state_on(today, accepted, first_start), vouchers.get(m.pk, [])) for m in milestones
    ]


@transaction.atomic
def record_payment(milestone: PaymentMilestone, paid_on: datetime.date, by, voucher=None) -> PaymentMilestone:
    """Record that the client paid ``milestone`` on ``paid_on``; ``voucher`` (the bank slip) is kept
    as evidence. Only a due milestone can be paid."""
    if not _is_operator(by):
        raise PermissionDenied(_("只有运营方可以登记付款"))
    milestone = PaymentMilestone.objects.select_for_update().select_related("contract").get(pk=milestone.pk)
    today = timezone.localdate()
    if paid_on is None or paid_on > today:
        raise ValidationError(_("付款日期不能晚于今天"))
    row = next(r for r in payment_rows(milestone.contract, today) if r.milestone.pk == milestone.pk)
    if row.state == PaymentState.PAID:
        raise ValidationError(_("「%(m)s」已登记付款") % {"m": milestone})
    if row.state != PaymentState.DUE:
        raise ValidationError(_("「%(m)s」尚未到期（须先完成对应阶段验收），不能登记付款") % {"m": milestone})
    with acting_as(by):
        milestone.paid_on, milestone.paid_by = paid_on, by
        milestone.save()
    if voucher is not None:
        attach_evidence(milestone, voucher, by, _("付款凭证"))
    return milestone
