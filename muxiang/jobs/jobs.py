"""The platform's own housekeeping jobs."""

from muxiang.core.services import verify_evidence_files
from muxiang.jobs.registry import JobOutput, job_kind

# The nightly check lists at most this many problems on its page; the count covers them all.
LISTED_PROBLEMS = 200


def _nobody(user, params) -> bool:
    return False  # scheduled by the platform only (jobs.tasks), never started from a page


@job_kind("evidence.verify", may_start=_nobody)
def verify_evidence_job(job, progress) -> JobOutput:
    """Re-hash every stored evidence file against the SHA-256 recorded at upload."""
    checked, problems = 0, []
    for check in verify_evidence_files():
        checked += 1
        if checked % 100 == 0:
            progress(checked)
        if check.status != "ok":
            evidence = check.evidence
            problems.append({"status": check.status, "evidence": evidence.pk, "file": evidence.original_name})
    progress(checked, checked)
    return JobOutput(
        summary={"checked": checked, "problems": len(problems), "listed": problems[:LISTED_PROBLEMS]}
    )
