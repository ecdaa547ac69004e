"""The read replica's rules (core/replica.py) without a replica: which reads may go there, when a
user is kept on the primary, and how the replica's health is measured and cached. The real
replica is exercised by test_replica.py (PostgreSQL only)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from zhaoshang.core import replica
from zhaoshang.core.replica import REPLICA, ReplicaRouter

router = ReplicaRouter()


class Lag:
    """A stand-in for the lag query: returns the given values in turn, or raises them."""

    def __init__(self, *values: Any) -> None:
        self.values = list(values)
        self.calls = 0

    def __call__(self) -> float | None:
        self.calls += 1
        value = self.values.pop(0) if len(self.values) > 1 else self.values[0]
        if isinstance(value, Exception):
            raise value
        return value


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Any:
    """As if DATABASE_REPLICA_URL were set (the router's decisions only; no second database)."""
    settings.REPLICA_MAX_LAG_SECONDS = 5
    settings.REPLICA_CHECK_SECONDS = 5
    settings.REPLICA_RETRY_SECONDS = 30
    settings.REPLICA_STICKY_SECONDS = 10
    monkeypatch.setattr(replica, "configured", lambda: True)
    replica.reset_health()
    clock = {"now": 1000.0}
    monkeypatch.setattr(replica, "_now", lambda: clock["now"])
    yield clock
    replica.reset_health()


def _use(lag: Lag, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "measure_lag", lag)


def test_without_a_replica_every_read_is_the_primarys():
    assert not replica.configured()
    with replica.replica_reads():
        assert router.db_for_read(object) == "default"
    assert replica.read_from_replica(lambda: router.db_for_read(object)) == "default"


def test_only_reads_that_ask_go_to_the_replica(configured, monkeypatch):
    _use(Lag(0.0), monkeypatch)
    assert router.db_for_read(object) == "default"
    with replica.replica_reads():
        assert router.db_for_read(object) == REPLICA
        assert router.db_for_write(object) == "default"
        with replica.primary_only():
            assert router.db_for_read(object) == "default"
    assert router.allow_migrate(REPLICA, "projects") is False
    assert router.allow_migrate("default", "projects") is True


@pytest.mark.django_db
def test_a_read_inside_a_transaction_of_the_primary_stays_there(configured, monkeypatch):
    _use(Lag(0.0), monkeypatch)
    with replica.replica_reads(), transaction.atomic():
        assert router.db_for_read(object) == "default"


def test_the_lag_is_measured_once_per_interval(configured, monkeypatch):
    lag = Lag(0.5, 9.0, 0.0)
    _use(lag, monkeypatch)
    with replica.replica_reads():
        assert router.db_for_read(object) == REPLICA
        configured["now"] += 4
        assert router.db_for_read(object) == REPLICA
        assert lag.calls == 1  # cached, not a query per read
        configured["now"] += 2
        assert router.db_for_read(object) == "default"  # 9 s behind: beyond the bound of 5
        configured["now"] += 5
        assert router.db_for_read(object) == REPLICA  # caught up again
    assert lag.calls == 3


def test_a_server_no_longer_in_recovery_is_not_read(configured, monkeypatch):
    _use(Lag(None), monkeypatch)
    with replica.replica_reads():
        assert router.db_for_read(object) == "default"


def test_a_replica_that_cannot_be_reached_is_left_alone_for_a_while(configured, monkeypatch):
    lag = Lag(OperationalError("connection refused"), 0.0)
    _use(lag, monkeypatch)
    with replica.replica_reads():
        assert router.db_for_read(object) == "default"
        configured["now"] += 29
        assert router.db_for_read(object) == "default"
        assert lag.calls == 1  # not retried on every request while it is down
        configured["now"] += 2
        assert router.db_for_read(object) == REPLICA
    assert lag.calls == 2


def test_a_read_that_meets_a_failing_replica_runs_again_on_the_primary(configured, monkeypatch):
    _use(Lag(0.0), monkeypatch)
    chosen: list[str] = []

    def read() -> str:
        alias = router.db_for_read(object)
        chosen.append(alias)
        if alias == REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return "figures"

    assert replica.read_from_replica(read) == "figures"
    assert chosen == [REPLICA, "default"]
    with replica.replica_reads():
        assert router.db_for_read(object) == "default"  # marked down for REPLICA_RETRY_SECONDS


def test_a_failure_of_the_primary_is_not_hidden(configured, monkeypatch):
    _use(Lag(0.0), monkeypatch)

    def read() -> str:
        with replica.primary_only():
            router.db_for_read(object)
            raise OperationalError("the primary is down")

    with pytest.raises(OperationalError):
        replica.read_from_replica(read)


def _through_middleware(request: Any) -> tuple[HttpResponse, list[str]]:
    seen: list[str] = []

    def view(request: Any) -> HttpResponse:
        with replica.replica_reads():
            seen.append(router.db_for_read(object))
        return HttpResponse("ok")

    return replica.ReplicaStickyMiddleware(view)(request), seen


def test_a_user_who_wrote_reads_the_primary_for_a_while(configured, monkeypatch):
    _use(Lag(0.0), monkeypatch)
    factory = RequestFactory()
    response, seen = _through_middleware(factory.post("/projects/1/edit/"))
    assert seen == ["default"]  # the writing request itself
    cookie = response.cookies[replica.STICKY_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]

    after = factory.get("/")
    after.COOKIES[replica.STICKY_COOKIE] = cookie.value
    assert _through_middleware(after)[1] == ["default"]
    assert replica.STICKY_COOKIE not in _through_middleware(after)[0].cookies  # a read does not extend it

    someone_else = factory.get("/")
    assert _through_middleware(someone_else)[1] == [REPLICA]
    forged = factory.get("/")
    forged.COOKIES[replica.STICKY_COOKIE] = "1"
    assert _through_middleware(forged)[1] == [REPLICA]


def test_the_stickiness_ends(configured, monkeypatch, settings):
    _use(Lag(0.0), monkeypatch)
    settings.REPLICA_STICKY_SECONDS = 0
    factory = RequestFactory()
    response, _ = _through_middleware(factory.post("/"))
    after = factory.get("/")
    after.COOKIES[replica.STICKY_COOKIE] = response.cookies[replica.STICKY_COOKIE].value
    monkeypatch.setattr("django.core.signing.time.time", lambda: 2e9)  # well after it was signed
    assert _through_middleware(after)[1] == [REPLICA]
