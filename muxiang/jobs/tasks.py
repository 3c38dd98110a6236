"""The worker's side: Huey runs these (``muxiang run_huey``); each only calls a service."""

from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from muxiang.jobs import services


@db_task(retries=services.MAX_ATTEMPTS - 1, retry_delay=30)
def run_job_task(job_id: int) -> None:
    services.run_job(job_id)


# The worker reads crontabs in UTC (settings.HUEY "utc"): 18:20 UTC is 02:20 in the county.
@db_periodic_task(crontab(minute="20", hour="18"))
def nightly_evidence_check() -> None:
    """Re-hash every evidence file at night: a file changed or lost since upload shows on the jobs
    page the next morning, not at acceptance."""
    services.start_system_job("evidence.verify", _("夜间佐证材料核验"))
