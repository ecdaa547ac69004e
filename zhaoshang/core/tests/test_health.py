"""/healthz: 200 with every check ok, 503 when one fails (the database, the backup's age, or a check an
app registered), without log-in and without showing anything but the checks' own words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from zhaoshang.core import backups, health


@pytest.fixture
def backup_dir(settings: Any, tmp_path: Path) -> Path:
    settings.BACKUP_DIR = tmp_path
    settings.BACKUP_MAX_AGE_HOURS = 26
    return tmp_path


@pytest.fixture
def extra_check() -> Iterator[dict[str, health.Result]]:
    """A check an app would register in its AppConfig.ready; its answer is set by the test."""
    answer = {"result": health.Result(True)}
    health.register("example", lambda: answer["result"])
    yield answer
    health.unregister("example")


def get(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_all_well_is_200_without_log_in(db: None, client: Client, backup_dir: Path, extra_check: Any):
    backups.record_success(
        backup_dir, backup_dir / "zhaoshang-x", dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    )
    status, body = get(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "backup", "jobs", "example"}
    assert body["checks"]["backup"]["age_hours"] == 3.0
    assert body["checks"]["backup"]["max_age_hours"] == 26


def test_an_old_backup_is_503(db: None, client: Client, backup_dir: Path):
    backups.record_success(
        backup_dir, backup_dir / "zhaoshang-x", dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)
    )
    status, body = get(client)
    assert status == 503
    assert body["status"] == "failing"
    assert body["checks"]["backup"] == {
        "ok": False,
        "detail": "the last successful backup is too old",
        "age_hours": 30.0,
        "max_age_hours": 26,
    }
    assert body["checks"]["database"]["ok"] is True


def test_no_backup_at_all_is_503_unless_not_checked(
    db: None, client: Client, backup_dir: Path, settings: Any
):
    status, body = get(client)
    assert (status, body["checks"]["backup"]["detail"]) == (503, "no successful backup recorded")
    settings.BACKUP_MAX_AGE_HOURS = 0
    status, body = get(client)
    assert status == 200
    assert body["checks"]["backup"]["ok"] is True


def test_a_failing_or_raising_app_check_is_503(db: None, client: Client, backup_dir: Path, extra_check: Any):
    backups.record_success(backup_dir, backup_dir / "zhaoshang-x", dt.datetime.now(dt.UTC))
    extra_check["result"] = health.Result(False, "no worker has run for 10 minutes")
    status, body = get(client)
    assert status == 503
    assert body["checks"]["example"] == {"ok": False, "detail": "no worker has run for 10 minutes"}

    def broken() -> health.Result:
        raise RuntimeError("secret path /var/lib/zhaoshang")

    health.register("example", broken)
    status, body = get(client)
    assert status == 503
    assert "secret" not in str(body)
    assert body["checks"]["example"]["ok"] is False


def test_an_unreachable_database_is_503_and_tells_nothing_more(
    db: None, client: Client, backup_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    backups.record_success(backup_dir, backup_dir / "zhaoshang-x", dt.datetime.now(dt.UTC))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise connections["default"].Database.OperationalError("password authentication failed for zs")

    with monkeypatch.context() as patched:
        patched.setattr(connections["default"], "cursor", refuse)
        status, body = get(client)
    assert status == 503
    assert body["checks"]["database"] == {"ok": False, "detail": "the database is unreachable"}
    assert "password" not in str(body)


def test_only_reading_methods(db: None, client: Client):
    assert client.post(reverse("healthz")).status_code == 405
