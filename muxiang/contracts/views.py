from functools import wraps
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from muxiang.contracts import acceptance
from muxiang.contracts.engine import compute_progress
from muxiang.contracts.forms import ManualFigureForm, PaymentForm, ReasonForm
from muxiang.contracts.models import Contract, Phase, PhaseAcceptance
from muxiang.contracts.services import lint_contract
from muxiang.core import permissions
from muxiang.core.views import EvidenceForm, history_for


def _require_reader(user):
    # Contract progress is for the operator, the client and the auditor, not for station managers.
    if not permissions.can_read_audit(user):
        raise PermissionDenied


def reader_required(view):
    """Station managers are refused (403) before the method is checked or anything looked up."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _require_reader(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _is_operator(user) -> bool:
    return permissions.role_of(user) in permissions.OPERATOR_ROLES


@login_required
def contract_list(request):
    _require_reader(request.user)
    contracts = Contract.objects.prefetch_related("phases")
    return render(request, "contracts/contract_list.html", {"contracts": contracts})


def current_phase(contract, today):
    return next((p for p in contract.phases.all() if p.start <= today <= p.end), None)


@login_required
def contract_dashboard(request, key):
    """Every target of every phase against what the records prove, grouped by section."""
    _require_reader(request.user)
    contract = Contract.objects.filter(key=key).prefetch_related("phases", "payments").first()
    if contract is None:
        raise Http404
    # Every page's header names this contract from now on in the session.
    request.session["contract"] = contract.key
    today = timezone.localdate()
    progress = compute_progress(contract, today)
    findings = {}
    for finding in lint_contract(contract):
        findings.setdefault(finding.target, []).append(finding.message)
    sections = [
        (section, [(item, findings.get(item.target.key, [])) for item in items])
        for section, items in groupby(progress, key=lambda item: item.target.section.split(".")[0])
    ]
    phase = current_phase(contract, today)
    statuses = {}
    if phase is not None:
        for item in progress:
            status = item.phases[phase.number - 1].status
            statuses[status] = statuses.get(status, 0) + 1
    phases = list(contract.phases.all())
    acceptances = {a.phase_id: a for a in PhaseAcceptance.objects.filter(phase__contract=contract)}
    return render(
        request,
        "contracts/dashboard.html",
        {
            "contract": contract,
            "sections": sections,
            "phases": phases,
            "acceptances": [(p, acceptances.get(p.pk) or PhaseAcceptance(phase=p)) for p in phases],
            "current": phase,
            "statuses": statuses,
            "today": today,
            "obligations": contract.obligations.all(),
            "payments": acceptance.payment_rows(contract, today),
            "can_pay": _is_operator(request.user),
            "payment_form": PaymentForm(initial={"paid_on": today}),
        },
    )


# --------------------------------------------------------------------------------------------------
# Phase acceptance. Every route checks the reader first, so that a station manager is refused
# (403) before anything is looked up, whatever key or number the address names.


def _phase(request, key, number) -> Phase:
    _require_reader(request.user)
    try:
        number = int(number)
    except ValueError as exc:
        raise Http404 from exc
    phase = Phase.objects.filter(contract__key=key, number=number).select_related("contract").first()
    if phase is None:
        raise Http404
    return phase


def _phase_url(phase) -> str:
    return reverse("contracts:phase", args=[phase.contract.key, phase.number])


def _act(request, phase, action, success: str):
    """Run a service; its refusal becomes a message on the phase page, a permission refusal a 403."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(_phase_url(phase))


@login_required
def phase_detail(request, key, number):
    """The acceptance checklist of one phase, its evidence, sign-offs and the acceptance itself."""
    phase = _phase(request, key, number)
    user = request.user
    items = acceptance.phase_checklist(phase)
    record = acceptance.acceptance_of(phase)
    manual_targets = [i.target for i in items if i.target is not None and i.target.metric == "manual"]
    return render(
        request,
        "contracts/phase.html",
        {
            "contract": phase.contract,
            "phase": phase,
            "items": items,
            "acceptance": record,
            "all_met": all(i.met for i in items),
            "history": history_for(record, user) if record.pk else [],
            "is_operator": _is_operator(user),
            "can_sign_off": permissions.can_sign_off(user),
            "can_unlock": permissions.can_unlock(user),
            "evidence_form": EvidenceForm(),
            "reason_form": ReasonForm(),
            "figure_form": ManualFigureForm(targets=manual_targets) if manual_targets else None,
        },
    )


@login_required
@reader_required
@require_POST
def phase_request(request, key, number):
    phase = _phase(request, key, number)
    return _act(request, phase, lambda: acceptance.request_acceptance(phase, request.user), _("已申请验收"))


@login_required
@reader_required
@require_POST
def phase_sign_off(request, key, number):
    phase = _phase(request, key, number)
    return _act(request, phase, lambda: acceptance.sign_off_phase(phase, request.user), _("已确认验收"))


@login_required
@reader_required
@require_POST
def phase_return(request, key, number):
    phase = _phase(request, key, number)
    reason = request.POST.get("reason", "")
    return _act(
        request, phase, lambda: acceptance.return_phase(phase, reason, request.user), _("已退回验收申请")
    )


@login_required
@reader_required
@require_POST
def phase_unlock(request, key, number):
    phase = _phase(request, key, number)
    reason = request.POST.get("reason", "")
    return _act(request, phase, lambda: acceptance.unlock_phase(phase, reason, request.user), _("已解锁"))


@login_required
@reader_required
@require_POST
def phase_relock(request, key, number):
    phase = _phase(request, key, number)
    return _act(request, phase, lambda: acceptance.relock_phase(phase, request.user), _("已重新锁定"))


def _obligation(phase, key):
    obligation = phase.contract.obligations.filter(key=key).first()
    if obligation is None:
        raise Http404
    return obligation


@login_required
@reader_required
@require_POST
def obligation_evidence(request, key, number, obligation):
    phase = _phase(request, key, number)
    item = _obligation(phase, obligation)
    if not _is_operator(request.user):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
        return redirect(_phase_url(phase))
    return _act(
        request,
        phase,
        lambda: acceptance.attach_obligation_evidence(
            item,
            phase,
            form.cleaned_data["file"],
            request.user,
            form.cleaned_data["description"],
            form.cleaned_data["kind"],
        ),
        _("佐证材料已上传"),
    )


@login_required
@reader_required
@require_POST
def obligation_sign_off(request, key, number, obligation):
    phase = _phase(request, key, number)
    item = _obligation(phase, obligation)
    return _act(
        request, phase, lambda: acceptance.sign_off_obligation(item, phase, request.user), _("已确认")
    )


@login_required
@reader_required
@require_POST
def manual_figure(request, key, number):
    phase = _phase(request, key, number)
    if not _is_operator(request.user):
        raise PermissionDenied
    targets = list(phase.contract.targets.filter(metric="manual"))
    form = ManualFigureForm(request.POST, request.FILES, targets=targets)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_phase_url(phase))
    target = next(t for t in targets if t.key == form.cleaned_data["target"])
    data = form.cleaned_data
    return _act(
        request,
        phase,
        lambda: acceptance.enter_manual_figure(
            target, phase, data["value"], data["note"], data["file"], request.user
        ),
        _("已填报"),
    )


@login_required
@reader_required
@require_POST
def payment_record(request, key, payment):
    _require_reader(request.user)
    if not _is_operator(request.user):
        raise PermissionDenied
    contract = Contract.objects.filter(key=key).first()
    milestone = contract.payments.filter(key=payment).first() if contract else None
    if milestone is None:
        raise Http404
    url = reverse("contracts:dashboard", args=[contract.key]) + "#payments"
    form = PaymentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请填写付款日期并上传付款凭证"))
        return redirect(url)
    try:
        acceptance.record_payment(
            milestone, form.cleaned_data["paid_on"], request.user, voucher=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已登记付款：%(m)s") % {"m": milestone})
    return redirect(url)


RECORDS_SHOWN = 200


@login_required
def target_detail(request, key, target):
    """One target: its figure per phase and the records behind it, each with its evidence count;
    records without the evidence the target requires are listed as missing evidence."""
    from muxiang.contracts.engine import TargetProgress, Window, records_behind
    from muxiang.core.services import evidence_by_record, missing_evidence_kinds

    _require_reader(request.user)
    contract = Contract.objects.filter(key=key).first()
    chosen = contract.targets.filter(key=target).first() if contract else None
    if chosen is None:
        raise Http404
    today = timezone.localdate()
    progress: TargetProgress = next(p for p in compute_progress(contract, today) if p.target.pk == chosen.pk)
    rows = []
    for figure in progress.phases:
        listing = None
        if figure.start is not None and today >= figure.start:
            records = records_behind(chosen, Window(figure.start, figure.end, min(today, figure.end)))
            if records is not None:
                shown = list(records[:RECORDS_SHOWN])
                files = evidence_by_record(records.model, [r.pk for r in shown])
                listing = [
                    (
                        record,
                        len(files.get(record.pk, [])),
                        missing_evidence_kinds(files.get(record.pk, []), chosen.evidence)
                        if chosen.evidence
                        else [],
                    )
                    for record in shown
                ]
        rows.append((figure, listing))
    return render(
        request,
        "contracts/target_detail.html",
        {
            "contract": contract,
            "target": chosen,
            "progress": progress,
            "rows": rows,
            "needs_evidence": bool(chosen.evidence),
            "limit": RECORDS_SHOWN,
        },
    )


@login_required
@reader_required
@require_POST
def phase_dossier_build(request, key, number):
    """Queue the phase's acceptance dossier in the background and show its progress."""
    from muxiang.contracts import jobs
    from muxiang.jobs.services import start_job

    phase = _phase(request, key, number)
    job = start_job(
        jobs.DOSSIER_JOB,
        jobs.dossier_params(phase.contract, phase.number),
        request.user,
        jobs.dossier_title(phase.contract, phase.number),
    )
    return redirect(job)
