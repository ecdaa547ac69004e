"""Faults on this machine (issue 25): processes killed at random points while they write to the
embedded database. Each kill is a SIGKILL, the harshest stop short of a power cut: nothing the
process had said was committed may be lost, an import is all or nothing, and the file stays sound.

The workers write to a SQLite file of the test's own (``fault_worker.py``), so these tests run once,
in the SQLite suite; bounded by ``FAULT_KILLS`` (50 by default).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="faults of the embedded database, on SQLite files of their own: run once, in the SQLite suite",
)

KILLS = int(os.environ.get("FAULT_KILLS", "50"))
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated SQLite file with a township and its operator, and the environment to reach it."""
    folder = tmp_path_factory.mktemp("faults")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'faults.sqlite3'}",
        "ZHAOSHANG_VAR_DIR": str(folder),
        "DEBUG": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    _worker(env, "setup").wait(timeout=60)
    return env


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and worker module
        [sys.executable, "-m", "zhaoshang.core.tests.fault_worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _path(env: dict[str, str]) -> str:
    return env["DATABASE_URL"].removeprefix("sqlite:///")


def _kill_after_first_line(process: subprocess.Popen[str], rng: random.Random, most: float) -> list[str]:
    """Kill the worker at a random moment after it has started writing; return all it printed."""
    assert process.stdout is not None
    lines = [process.stdout.readline()]
    time.sleep(rng.uniform(0, most))
    process.send_signal(signal.SIGKILL)
    lines += process.stdout.read().splitlines()
    process.wait(timeout=30)
    return [line.strip() for line in lines if line.strip()]


def _integrity(path: str) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def test_writers_killed_in_a_loop_lose_no_committed_row(database):
    rng = random.Random(25)
    committed: set[int] = set()
    for _ in range(KILLS):
        printed = _kill_after_first_line(_worker(database, "write"), rng, most=0.25)
        committed |= {int(line) for line in printed}
    path = _path(database)
    assert _integrity(path) == "ok"
    with sqlite3.connect(path) as connection:
        stored = {row[0] for row in connection.execute("SELECT id FROM projects_project")}
    assert committed and committed <= stored
    # The audit chain of every write, hash by hash, survived the kills too.
    check = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"], cwd=ROOT, env=database, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_an_import_killed_at_random_points_leaves_all_or_nothing(database):
    rng = random.Random(7)
    rows = 300
    outcomes = []
    for _ in range(max(5, KILLS // 5)):
        process = _worker(database, "import", str(rows))
        printed = _kill_after_first_line(process, rng, most=2.0)
        pid = printed[0].split()[1]
        with sqlite3.connect(_path(database)) as connection:
            (written,) = connection.execute(
                "SELECT count(*) FROM projects_project WHERE name LIKE ?", (f"导入{pid}-%",)
            ).fetchone()
        done = any(line.startswith("done") for line in printed)
        # All or nothing; and an import that said "done" is all there (one killed between its commit
        # and its word may be all there without having said so).
        assert written in (0, rows) and (written == rows or not done), (written, printed)
        outcomes.append(written)
    assert _integrity(_path(database)) == "ok"
    assert 0 in outcomes  # some kills landed before the commit (the test really interrupted imports)
