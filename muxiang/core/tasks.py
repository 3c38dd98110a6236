"""What the worker schedules for the platform itself: the nightly backup, when switched on."""

from django.conf import settings
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from muxiang.core.jobs import BACKUP_JOB
from muxiang.jobs.services import start_system_job

# The worker reads crontabs in UTC (settings.HUEY "utc"): 19:00 UTC is 03:00 in the county, after
# the nightly evidence check (02:20) and before anyone starts work.
_AT_NIGHT = crontab(minute="0", hour="19")


def nightly_backup_due(moment) -> bool:
    """Whether the nightly backup is due at ``moment`` (UTC): at 03:00 in the county, and only on an
    installation that switched it on (MUXIANG_BACKUP_NIGHTLY=1)."""
    return bool(settings.MUXIANG_BACKUP_NIGHTLY) and _AT_NIGHT(moment)


@db_periodic_task(nightly_backup_due)
def nightly_backup() -> None:
    start_system_job(BACKUP_JOB, _("夜间备份"))
