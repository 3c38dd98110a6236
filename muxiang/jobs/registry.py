"""The kinds of background work, each declared by the app that owns it in its ``jobs.py``::

    @job_kind("contracts.dossier", may_start=can_build_dossier)
    def build_dossier_job(job, progress) -> JobOutput: ...

A kind's function is thin: it reads the job's parameters, calls the app's service with ``progress``
and returns the file it produced. ``may_start(user, params)`` says who may ask for it (and, through
``jobs.services.visible_jobs``, who may see it); it raises ``ValidationError`` for parameters that
name nothing (an unknown contract or phase).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class JobOutput:
    """What a job produced: a file on local disk (moved to storage by the runner), a summary shown
    on the job's page and, where "已完成" would say too little (an import refused for bad rows), the
    line that says how it ended."""

    path: Path | None = None
    name: str = ""
    summary: dict = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True)
class JobKind:
    key: str
    run: Callable
    may_start: Callable


KINDS: dict[str, JobKind] = {}


def job_kind(key: str, may_start: Callable):
    def register(function):
        if key in KINDS and KINDS[key].run is not function:
            raise ValueError(f"job kind {key!r} is declared twice")
        KINDS[key] = JobKind(key=key, run=function, may_start=may_start)
        return function

    return register
