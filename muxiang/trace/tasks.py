"""The worker's side of the trace system: writing the queued scans to the database (``scans``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from muxiang.trace import scans


@db_task()
def flush_scans_task() -> None:
    """Scheduled by the scan page a few seconds after a scan (or at once when the queue is long)."""
    scans.flush_scans()


@db_periodic_task(crontab(minute="*"))
def flush_scans_every_minute() -> None:
    """The backstop: scans queued while the task queue was unreachable are written within a minute."""
    scans.flush_scans()
