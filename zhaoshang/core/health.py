"""The health URL (/healthz) for monitoring: a list of named checks, each answering ok or not.

Core registers its own checks (the database, the age of the last backup); an app adds its own in
its AppConfig.ready, e.g. the job queue's "jobs running"::

    from zhaoshang.core import health
    health.register("jobs", check_jobs)   # check_jobs() -> health.Result

core imports no app: apps register into this list. A check must be quick and must not reveal data:
its ``detail`` is shown to anyone who can reach the URL, so it says what is wrong in general words,
never a record, a path, a host name or an error message from the database.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    ok: bool
    detail: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # figures for monitoring, e.g. an age in hours


Check = Callable[[], Result]
_CHECKS: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    """Add a check under ``name`` (registering the same name again replaces it)."""
    _CHECKS[name] = check


def unregister(name: str) -> None:
    _CHECKS.pop(name, None)


def registered() -> list[str]:
    return list(_CHECKS)


def run_checks() -> dict[str, Result]:
    """Run every check; one that raises counts as failed (the exception is logged, not shown)."""
    results = {}
    for name, check in _CHECKS.items():
        try:
            results[name] = check()
        except Exception:
            logger.exception("health check %s raised", name)
            results[name] = Result(False, "the check itself failed; see the log")
    return results


def check_database() -> Result:
    """The default database answers a query."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: the database is unreachable")
        return Result(False, "the database is unreachable")
    return Result(True)


def check_backup() -> Result:
    """The last successful backup is younger than BACKUP_MAX_AGE_HOURS (not checked when 0)."""
    from zhaoshang.core.backups import last_success

    limit = settings.BACKUP_MAX_AGE_HOURS
    when = last_success()
    age = None if when is None else round((dt.datetime.now(dt.UTC) - when).total_seconds() / 3600, 1)
    values = {"age_hours": age, "max_age_hours": limit or None}
    if not limit:
        return Result(True, "not checked (BACKUP_MAX_AGE_HOURS=0)", values)
    if age is None:
        return Result(False, "no successful backup recorded", values)
    if age > limit:
        return Result(False, "the last successful backup is too old", values)
    return Result(True, "", values)


def register_core_checks() -> None:
    register("database", check_database)
    register("backup", check_backup)


@method_decorator(never_cache, name="dispatch")
class HealthView(View):
    """200 with every check ok, 503 otherwise; no log-in, nothing but the checks' own words."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> JsonResponse:
        results = run_checks()
        ok = all(result.ok for result in results.values())
        body = {
            "status": "ok" if ok else "failing",
            "checks": {name: {"ok": r.ok, "detail": r.detail, **r.values} for name, r in results.items()},
        }
        return JsonResponse(body, status=200 if ok else 503)
