"""The queue's part of the health URL: the scheduler turns, the worker answers, nothing waits long."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from zhaoshang.core.health import Result
from zhaoshang.jobs.services import last_beat, waiting_since


def _minutes(since: dt.datetime | None, now: dt.datetime) -> float | None:
    return None if since is None else round((now - since).total_seconds() / 60, 1)


def check_jobs() -> Result:
    """Within JOBS_MAX_SILENCE_MINUTES the scheduler has turned, the worker has answered its ping, and
    no job has waited for the worker (not checked when 0, as with DEBUG on)."""
    limit = settings.JOBS_MAX_SILENCE_MINUTES
    now = timezone.now()
    values = {
        "scheduler_minutes": _minutes(last_beat("scheduler"), now),
        "worker_minutes": _minutes(last_beat("worker"), now),
        "oldest_waiting_minutes": _minutes(waiting_since(), now),
        "max_minutes": limit or None,
    }
    if not limit:
        return Result(True, "not checked (JOBS_MAX_SILENCE_MINUTES=0)", values)
    if values["scheduler_minutes"] is None or values["scheduler_minutes"] > limit:
        return Result(False, "the scheduler is not running", values)
    if values["worker_minutes"] is None or values["worker_minutes"] > limit:
        return Result(False, "the job worker is not running", values)
    if values["oldest_waiting_minutes"] is not None and values["oldest_waiting_minutes"] > limit:
        return Result(False, "jobs are waiting too long for the worker", values)
    return Result(True, "", values)
