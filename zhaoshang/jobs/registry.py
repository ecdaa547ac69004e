"""The kinds of job: each app declares its own in its ``jobs.py`` with ``@job(...)``.

A kind is a function ``run(job, **params)`` that does the work, reports progress through
``job_progress`` (services.py) and returns a short outcome for the job page (or raises: the job
fails with the error, and may be retried). A kind with ``daily_at`` is also run by the scheduler
once a day at that local time (``JOBS_SCHEDULE`` overrides the time, docs/settings.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

Runner = Callable[..., Any]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    run: Runner
    daily_at: dt.time | None = None


_KINDS: dict[str, JobKind] = {}


def job(name: str, *, label: str | Promise, daily_at: str | None = None) -> Callable[[Runner], Runner]:
    """Register the decorated function as the kind of job ``name`` (``app.what``)."""

    def register(run: Runner) -> Runner:
        if name in _KINDS and _KINDS[name].run is not run:
            raise ValueError(f"job kind {name!r} is registered twice")
        at = dt.time.fromisoformat(daily_at) if daily_at else None
        _KINDS[name] = JobKind(name, label, run, at)
        return run

    return register


def kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r}") from None


def kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)


def label_of(name: str) -> str | Promise:
    found = _KINDS.get(name)
    return found.label if found else name


def day_of(today: str | None) -> dt.date:
    """The day a daily job runs for: the scheduler passes it as ISO text; run by hand, today."""
    return dt.date.fromisoformat(today) if today else timezone.localdate()
