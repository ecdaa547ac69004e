"""`make run`'s promise, end to end: on a fresh database the site, the job worker and the scheduler
start together (scripts/run.sh), and the demo's reminders appear without anyone running a command.

It runs the real processes against a database of its own in a temporary folder, so it is bounded by
a deadline and runs on the SQLite path only (the one `make run` takes)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.PROJECT_DIR)
DEADLINE = 180  # seconds for the whole start, far above what it takes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return connection.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def in_session(sid: int) -> list[str]:
    """The processes still in the session that `make run` started."""
    pgrep = shutil.which("pgrep") or "/usr/bin/pgrep"
    return subprocess.run([pgrep, "-s", str(sid)], capture_output=True, text=True).stdout.split()  # noqa: S603


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="make run is the SQLite path",
)
def test_make_run_starts_the_site_the_worker_and_the_scheduler_and_the_reminders_appear(tmp_path):
    env = {**os.environ, "ZHAOSHANG_VAR_DIR": str(tmp_path), "DEBUG": "1", "PORT": str(free_port())}
    env.pop("DATABASE_URL", None)
    python = sys.executable
    for command in (["migrate", "--no-input", "-v0"], ["load_demo", "--if-empty"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    db = tmp_path / "zhaoshang.sqlite3"
    # The demo's own notices (inquiries from the public site) are there before the scheduler runs.
    before = count(db, "SELECT COUNT(*) FROM notifications_notification")
    log = (tmp_path / "run.log").open("w")
    run = subprocess.Popen(  # noqa: S603
        [str(ROOT / "scripts" / "run.sh")],
        cwd=ROOT,
        env={**env, "VENV_PYTHON": python},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    login = f"http://127.0.0.1:{env['PORT']}/accounts/login/"
    try:
        started = time.monotonic()
        page = reminders = daily = 0
        while time.monotonic() - started < DEADLINE and not (page and reminders and daily):
            time.sleep(1)
            assert run.poll() is None, (tmp_path / "run.log").read_text()
            try:
                with urllib.request.urlopen(login, timeout=5) as r:
                    page = r.status
            except OSError:
                pass
            reminders = count(db, "SELECT COUNT(*) FROM notifications_notification") - before
            daily = count(
                db, "SELECT COUNT(*) FROM jobs_job WHERE kind = 'dispatch.reminders' AND status = 'succeeded'"
            )
        assert page == 200, (tmp_path / "run.log").read_text()
        assert daily == 1 and reminders > 0
        assert count(db, "SELECT COUNT(*) FROM jobs_heartbeat WHERE name IN ('scheduler', 'worker')") == 2
    finally:
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C in the terminal of `make run`
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            raise
        log.close()
    for _ in range(20):  # the children stop within moments of the shell
        leftover = in_session(run.pid)
        if not leftover:
            break
        time.sleep(0.5)
    assert leftover == [], "make run left processes behind"
