from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from muxiang.contracts.engine import compute_progress
from muxiang.contracts.models import Contract
from muxiang.contracts.services import lint_contract
from muxiang.core import permissions


def _require_reader(user):
    # Contract progress is for the operator, the client and the auditor, not for station managers.
    if not permissions.can_read_audit(user):
        raise PermissionDenied


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
    return render(
        request,
        "contracts/dashboard.html",
        {
            "contract": contract,
            "sections": sections,
            "phases": list(contract.phases.all()),
            "current": phase,
            "statuses": statuses,
            "today": today,
            "obligations": contract.obligations.all(),
            "payments": contract.payments.all(),
        },
    )
