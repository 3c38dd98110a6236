"""Scheduled by the background worker (``muxiang run_huey``)."""

from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from muxiang.jobs.services import start_system_job
from muxiang.mofcom.jobs import DELIVER_JOB


@db_periodic_task(crontab(minute="30", hour="1"))
def daily_ministry_push() -> None:
    """Every night at 01:30 (UTC; 09:30 in the county): yesterday's station data to the ministry
    platform, with whatever failed before."""
    start_system_job(DELIVER_JOB, _("每日向商务部平台报送"))
