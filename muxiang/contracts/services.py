"""Contract services: load a contract file into the database, and check its consistency."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from muxiang.contracts.catalogue import CATALOGUE
from muxiang.contracts.choices import PaymentTrigger, TargetMode
from muxiang.contracts.loader import ContractDraft, ContractInvalid, ContractProblem, parse_contract
from muxiang.contracts.models import Contract, Obligation, PaymentMilestone, Phase, PhaseTarget, Target
from muxiang.regions.models import Region


@transaction.atomic
def load_contract(text: str, start: datetime.date | None = None) -> Contract:
    """Check ``text`` (a contract file) and write it: a new contract, or the same key's contract
    updated in place, keeping the ids of its phases, targets and obligations stable."""
    draft = parse_contract(text, start)
    data = draft.data
    contract = Contract.objects.filter(key=data["key"]).first() or Contract(key=data["key"])
    contract.name = data["name"]
    contract.project_number = data.get("project_number", "")
    contract.county_name = data["county"]
    contract.county = _find_county(data)
    contract.client_name = data["client"]["name"]
    contract.operator_name = data["operator"]["name"]
    contract.total_amount = Decimal(str(data["total_amount"])).quantize(Decimal("0.01"))
    contract.signed_on = data.get("signed_on")
    contract.service_years = data.get("service_years")
    contract.maintenance_years = data.get("maintenance_years")
    contract.source = text
    contract.save()
    phases = _write_phases(contract, draft)
    _write_payments(contract, data)
    _write_targets(contract, data, phases)
    _write_obligations(contract, data)
    return contract


def _find_county(data) -> Region | None:
    counties = Region.objects.filter(level="county")
    code = data.get("county_code")
    if code:
        match = counties.filter(code=str(code)).first()
        if match:
            return match
    return counties.filter(name=data["county"]).first()


def _write_phases(contract: Contract, draft: ContractDraft) -> dict[int, Phase]:
    existing = {p.number: p for p in contract.phases.all()}
    result = {}
    for item in draft.phases:
        phase = existing.pop(item.number, None) or Phase(contract=contract, number=item.number)
        phase.title, phase.start, phase.end = item.title, item.start, item.end
        phase.save()
        result[item.number] = phase
    _refuse_losing_history(
        [p for p in existing.values() if p.acceptances_exist()],
        lambda p: _("第 %(n)d 阶段已有验收记录，合同文件不能删除该阶段") % {"n": p.number},
    )
    for phase in existing.values():
        phase.delete()
    return result


def _refuse_losing_history(records, message) -> None:
    """A reload may change a contract, but not erase what already happened under it."""
    if records:
        raise ContractInvalid([ContractProblem("", None, message(record)) for record in records])


def _write_payments(contract: Contract, data: dict) -> None:
    existing = {p.key: p for p in contract.payments.all()}
    for order, item in enumerate(data.get("payments") or []):
        payment = existing.pop(item["key"], None) or PaymentMilestone(contract=contract, key=item["key"])
        payment.title = item.get("title", item["key"])
        payment.share = Decimal(str(item["share"]))
        payment.amount = (contract.total_amount * payment.share / 100).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        if item["trigger"] == "signing":
            payment.trigger, payment.trigger_phase = PaymentTrigger.SIGNING, None
        else:
            payment.trigger, payment.trigger_phase = (
                PaymentTrigger.ACCEPTANCE,
                int(item["trigger"].split(":")[1]),
            )
        payment.order = order
        payment.save()
    _refuse_losing_history(
        [p for p in existing.values() if p.paid_on is not None],
        lambda p: _("付款节点「%(k)s」已登记付款，合同文件不能删除它") % {"k": p.key},
    )
    for payment in existing.values():
        payment.delete()


def _write_targets(contract: Contract, data: dict, phases: dict[int, Phase]) -> None:
    existing = {t.key: t for t in contract.targets.all()}
    for order, item in enumerate(data["targets"]):
        target = existing.pop(item["key"], None) or Target(contract=contract, key=item["key"])
        target.section = item["section"]
        target.title = item["title"].strip()
        target.unit = item["unit"]
        target.metric = item["metric"]
        target.params = item.get("params", {})
        target.total = Decimal(str(item["total"])) if item.get("total") is not None else None
        target.mode = item.get("mode", TargetMode.PER_PHASE)
        target.comparison = item.get("comparison", "at_least")
        target.evidence = item.get("evidence", [])
        target.source = item.get("source", "")[:300]
        target.note = item.get("note", "")
        target.order = order
        target.save()
        values = {int(k): Decimal(str(v)) for k, v in (item.get("phases") or {}).items()}
        target.phase_targets.exclude(phase__number__in=values).delete()
        for number, value in values.items():
            PhaseTarget.objects.update_or_create(
                target=target, phase=phases[number], defaults={"value": value}
            )
    for target in existing.values():
        target.delete()


def _write_obligations(contract: Contract, data: dict) -> None:
    existing = {o.key: o for o in contract.obligations.all()}
    for order, item in enumerate(data.get("obligations") or []):
        obligation = existing.pop(item["key"], None) or Obligation(contract=contract, key=item["key"])
        obligation.section = item["section"]
        obligation.title = item["title"].strip()
        obligation.phases = item.get("phases", [])
        obligation.evidence = item.get("evidence", [])
        obligation.order = order
        obligation.save()
    for obligation in existing.values():
        obligation.delete()


@dataclass
class LintFinding:
    target: str
    message: str

    def __str__(self):
        return f"{self.target}: {self.message}"


def lint_contract(contract: Contract) -> list[LintFinding]:
    """Where the annex's phase figures and the main text's total disagree, or a phase figure is
    missing. Progress is measured against the stricter of the two (``strict_phase_target``)."""
    findings = []
    numbers = list(contract.phases.values_list("number", flat=True))
    for target in contract.targets.prefetch_related("phase_targets__phase"):
        values = {pt.phase.number: pt.value for pt in target.phase_targets.all()}
        missing = [n for n in numbers if n not in values]
        distinct = getattr(CATALOGUE.get(target.metric), "kind", "") == "distinct"
        if target.mode == TargetMode.PER_PHASE and values and missing and target.total is not None:
            findings.append(
                LintFinding(target.key, _("第 %(p)s 阶段没有目标") % {"p": "、".join(map(str, missing))})
            )
        if target.mode == TargetMode.PER_PHASE and distinct:
            # The same enterprises may be served in every phase: phase figures don't add up.
            if values and target.total is not None and max(values.values()) > target.total:
                findings.append(
                    LintFinding(
                        target.key,
                        _("阶段目标 %(m)s 高于合同正文总目标 %(t)s")
                        % {"m": _fmt(max(values.values())), "t": _fmt(target.total)},
                    )
                )
        elif target.mode == TargetMode.PER_PHASE:
            if values and target.total is not None and sum(values.values()) != target.total:
                findings.append(
                    LintFinding(
                        target.key,
                        _("各阶段目标之和 %(s)s（%(parts)s）与合同正文总目标 %(t)s 不一致")
                        % {
                            "s": _fmt(sum(values.values())),
                            "parts": " + ".join(_fmt(values[n]) for n in sorted(values)),
                            "t": _fmt(target.total),
                        },
                    )
                )
        elif target.mode == TargetMode.CUMULATIVE:
            if values and target.total is not None and max(values.values()) != target.total:
                findings.append(
                    LintFinding(
                        target.key,
                        _("累计目标的最高阶段值 %(m)s 与合同正文总目标 %(t)s 不一致")
                        % {"m": _fmt(max(values.values())), "t": _fmt(target.total)},
                    )
                )
        elif target.total is not None:
            differing = {n: v for n, v in values.items() if v != target.total}
            if differing:
                findings.append(
                    LintFinding(
                        target.key,
                        _("阶段水平 %(v)s 与合同正文 %(t)s 不一致")
                        % {
                            "v": "、".join(f"{n}:{_fmt(v)}" for n, v in sorted(differing.items())),
                            "t": _fmt(target.total),
                        },
                    )
                )
    return findings


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"
