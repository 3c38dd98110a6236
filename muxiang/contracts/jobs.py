"""The contract's background work: the acceptance dossier of a phase, which holds every photo of the
phase and may take minutes, so the phase page queues it and shows its progress."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.contracts.dossier import build_dossier
from muxiang.contracts.models import Contract
from muxiang.core import permissions
from muxiang.jobs.registry import JobOutput, job_kind

DOSSIER_JOB = "contracts.dossier"


def may_build_dossier(user, params) -> bool:
    """The operator, the client's supervisor and the auditor; not station managers (it holds every
    station's figures)."""
    return permissions.can_read_audit(user)


def dossier_params(contract: Contract, phase_number: int) -> dict:
    if not contract.phases.filter(number=phase_number).exists():
        raise ValidationError(_("合同 %(key)s 没有第 %(n)s 阶段") % {"key": contract.key, "n": phase_number})
    return {"contract": contract.key, "phase": phase_number}


def dossier_title(contract: Contract, phase_number: int) -> str:
    return _("%(contract)s 第 %(n)s 阶段验收资料包") % {"contract": contract.name, "n": phase_number}


@job_kind(DOSSIER_JOB, may_start=may_build_dossier)
def build_dossier_job(job, progress) -> JobOutput:
    contract = Contract.objects.get(key=job.params["contract"])
    number = int(job.params["phase"])
    with tempfile.NamedTemporaryFile(suffix=".zip", delete=False) as spool:
        path = Path(spool.name)
    try:
        summary = build_dossier(contract, number, path, progress=progress)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return JobOutput(
        path=path,
        name=f"{contract.key}-phase-{number}-dossier-{timezone.localdate():%Y%m%d}.zip",
        summary={
            "指标": summary.targets,
            "履约事项": summary.obligations,
            "佐证文件": summary.evidence_files,
            "缺失文件": len(summary.missing),
            "被修改文件": len(summary.changed),
        },
    )
