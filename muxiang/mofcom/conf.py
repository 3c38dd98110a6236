"""The ministry adapter's settings, from environment variables (or ``settings.MUXIANG_MOFCOM``, a
dict with the same keys in lower case, which tests and deployments may set):

- ``MUXIANG_MOFCOM_TRANSPORT``: ``file`` (default: a file per delivery for manual upload) or ``http``;
- ``MUXIANG_MOFCOM_URL``: the platform's endpoint for the HTTP push;
- ``MUXIANG_MOFCOM_TOKEN``: the bearer token the platform issued (never in the repository);
- ``MUXIANG_MOFCOM_EXPORT_DIR``: where file exports are written (default ``VAR_DIR/mofcom``);
- ``MUXIANG_MOFCOM_FORMAT``: ``xlsx`` (default) or ``csv``;
- ``MUXIANG_MOFCOM_FIELDS``: a JSON file renaming the platform's fields (see ``fields.py``);
- ``MUXIANG_MOFCOM_TIMEOUT``: seconds per HTTP request (default 20);
- ``MUXIANG_MOFCOM_TRIES``: attempts per run before a delivery waits for the next run (default 3);
- ``MUXIANG_MOFCOM_BACKOFF``: seconds before the second attempt of a run, doubled each time
  (default 2);
- ``MUXIANG_MOFCOM_RETRY_AFTER``: seconds before a failed delivery is due again, doubled with each
  failed run, at most ``MUXIANG_MOFCOM_RETRY_CAP`` (defaults 300 and 21600: six hours).
"""

import os
from pathlib import Path

from django.conf import settings

DEFAULTS = {
    "transport": "file",
    "url": "",
    "token": "",
    "export_dir": "",
    "format": "xlsx",
    "fields": "",
    "timeout": "20",
    "tries": "3",
    "backoff": "2",
    "retry_after": "300",
    "retry_cap": "21600",
}


def setting(name: str) -> str:
    configured = getattr(settings, "MUXIANG_MOFCOM", None) or {}
    if name in configured:
        return str(configured[name])
    return os.environ.get(f"MUXIANG_MOFCOM_{name.upper()}", DEFAULTS[name])


def number(name: str) -> float:
    try:
        return max(float(setting(name)), 0.0)
    except ValueError:
        return float(DEFAULTS[name])


def export_dir() -> Path:
    return Path(setting("export_dir") or Path(settings.VAR_DIR) / "mofcom")
