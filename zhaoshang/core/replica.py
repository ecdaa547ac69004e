"""Reads of dashboards, reports and exports from a streaming read replica (issue 25).

With ``DATABASE_REPLICA_URL`` set, settings.py adds the database alias ``replica``, the router and
the middleware below; without it none of this is installed and every query goes to ``default``.

Only reads that ask for the replica go there: a view opts in with ``ReplicaReadsMixin`` (or a function
with ``read_from_replica``), and everything else, writes and the reads around them included, stays on
the primary (docs/decisions.md, section 37). A read goes to the primary instead when

- the user wrote within ``REPLICA_STICKY_SECONDS`` (a signed cookie set by ``ReplicaStickyMiddleware``
  on every POST, PUT, PATCH and DELETE), or the request itself writes, or it is inside a transaction
  of the primary, so that a user always sees their own writes;
- the replica is lagging more than ``REPLICA_MAX_LAG_SECONDS`` behind the primary or is no replica
  (promoted), measured at most every ``REPLICA_CHECK_SECONDS`` per process;
- the replica could not be reached: it is then left alone for ``REPLICA_RETRY_SECONDS``, and the
  read that met the failure runs again on the primary (the code given to ``read_from_replica`` only
  reads, so running it twice is safe).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

logger = logging.getLogger(__name__)

REPLICA = "replica"
STICKY_COOKIE = "zs_wrote"
_STICKY_SALT = "zhaoshang.core.replica.sticky"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Whether the code running asked for the replica; whether this request must stay on the primary
# (it writes, or its user wrote a moment ago); whether a read of this attempt went to the replica.
_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_wanted", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_pinned", default=False)
_used: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("replica_used", default=None)

P = ParamSpec("P")
T = TypeVar("T")

# The replica's delay: none when it has replayed all the WAL it received, otherwise the age of the
# last transaction it replayed. NULL when the server is not in recovery (not, or no longer, a replica).
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN NULL
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0.0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0.0)
END
"""


def _now() -> float:
    return time.monotonic()


def configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass
class _Health:
    """What this process last learnt of the replica (one per process: gunicorn workers each check)."""

    checked_at: float = float("-inf")
    usable: bool = False
    down_until: float = float("-inf")
    lag: float | None = None


_health = _Health()
_lock = threading.Lock()


def reset_health() -> None:
    """Forget what was learnt (tests; a deployment never needs it)."""
    global _health
    _health = _Health()


def mark_down(reason: BaseException | str) -> None:
    """The replica failed: read from the primary for REPLICA_RETRY_SECONDS."""
    now = _now()
    _health.usable = False
    _health.checked_at = now
    _health.down_until = now + settings.REPLICA_RETRY_SECONDS
    logger.warning("read replica unavailable, reading from the primary: %s", reason)
    if REPLICA in settings.DATABASES:
        with contextlib.suppress(DatabaseError):  # a broken connection may fail to close: dropped anyway
            connections[REPLICA].close()


def measure_lag() -> float | None:
    """The replica's delay in seconds, None if it is not a replica. Raises DatabaseError when down."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else float(row[0])


def replica_usable() -> bool:
    """Whether reads may go to the replica now; measured at most every REPLICA_CHECK_SECONDS."""
    if not configured():
        return False
    now = _now()
    if now < _health.down_until:
        return False
    if now - _health.checked_at < settings.REPLICA_CHECK_SECONDS:
        return _health.usable
    with _lock:
        if _now() - _health.checked_at < settings.REPLICA_CHECK_SECONDS:
            return _health.usable
        try:
            lag = measure_lag()
        except DatabaseError as error:
            mark_down(error)
            return False
        _health.lag = lag
        _health.checked_at = _now()
        _health.usable = lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
        if not _health.usable:
            logger.warning(
                "read replica %s, reading from the primary",
                "is not in recovery" if lag is None else f"lags {lag:.1f} s",
            )
        return _health.usable


def _use_replica() -> bool:
    if not _wanted.get() or _pinned.get():
        return False
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False  # a read inside a transaction of the primary belongs to that transaction
    return replica_usable()


class ReplicaRouter:
    """Reads that asked for the replica go there when it may serve them; everything else to default."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if _use_replica():
            used = _used.get()
            if used is not None:
                used.append(True)
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: the same objects either way

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica receives the schema by replication


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (no retry: see read_from_replica)."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


@contextmanager
def primary_only() -> Iterator[None]:
    """Every read in this block goes to the primary (as after the user's own write)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def read_from_replica(run: Callable[[], T]) -> T:
    """``run()`` with its reads on the replica; if the replica fails during it, again on the primary.

    ``run`` must only read: it may run twice."""
    if not configured():
        return run()
    used: list[bool] = []
    used_token = _used.set(used)
    try:
        with replica_reads():
            return run()
    except (OperationalError, InterfaceError) as error:
        if not used:
            raise  # the primary failed: nothing to fall back to
        mark_down(error)
    finally:
        _used.reset(used_token)
    with primary_only():
        return run()


def reads_from_replica(function: Callable[P, T]) -> Callable[P, T]:
    """Decorator form of read_from_replica, for a function that only reads."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return read_from_replica(lambda: function(*args, **kwargs))

    return wrapper


class ReplicaReadsMixin:
    """A view whose GET only reads (a dashboard, report or export): its queries, the template's
    included, may go to the replica. Other methods are left alone."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        parent = super().dispatch  # type: ignore[misc]
        if request.method not in ("GET", "HEAD"):
            return parent(request, *args, **kwargs)

        def run() -> HttpResponseBase:
            response: HttpResponseBase = parent(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if render is not None and not getattr(response, "is_rendered", True):
                render()  # the template reads too: render inside the block
            return response

        return read_from_replica(run)


def _wrote_recently(request: HttpRequest) -> bool:
    value = request.get_signed_cookie(
        STICKY_COOKIE, default=None, salt=_STICKY_SALT, max_age=settings.REPLICA_STICKY_SECONDS
    )
    return value is not None


class ReplicaStickyMiddleware:
    """Keeps a user's reads on the primary for REPLICA_STICKY_SECONDS after they write, so the page
    after a save shows the save even when the replica has not replayed it yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method in _WRITES
        token = _pinned.set(writes or _wrote_recently(request))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_signed_cookie(
                STICKY_COOKIE,
                "1",
                salt=_STICKY_SALT,
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
