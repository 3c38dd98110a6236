"""Scheduled by the background worker (``muxiang run_huey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from muxiang.reports.services import draft_monthly_reports


# Huey's crontab is in UTC: 01:00 UTC on the 1st is 09:00 on the 1st in Asia/Shanghai, so the
# county's 1st and the worker's agree on which month has just ended.
@db_periodic_task(crontab(minute="0", hour="1", day="1"))
def draft_last_months_reports() -> None:
    """On the first of each month: last month's work report drafted for every active contract."""
    draft_monthly_reports()
