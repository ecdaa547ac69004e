"""Scratch databases for tests that need a second, empty database of the kind under test (restore,
upgrade, deploy), and manage.py in a fresh process pointed at one."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[3]


def server() -> dict[str, str]:
    """How the test database's server is reached: host, port, user, password."""
    config = connection.settings_dict
    return {
        "host": config["HOST"] or "127.0.0.1",
        "port": str(config["PORT"] or 5432),
        "user": config["USER"],
        "password": config["PASSWORD"] or "",
    }


def database_url(name: str, user: str | None = None, password: str | None = None) -> str:
    where = server()
    user = user or where["user"]
    password = where["password"] if password is None else password
    credentials = user + (f":{password}" if password else "")
    return f"postgres://{credentials}@{where['host']}:{where['port']}/{name}"


def admin_connection() -> psycopg.Connection:
    """A connection to the server's maintenance database, outside any transaction."""
    where = server()
    return psycopg.connect(
        dbname="postgres",
        user=where["user"],
        password=where["password"] or None,
        host=where["host"],
        port=where["port"],
        autocommit=True,
    )


@contextmanager
def empty_database(folder: Path) -> Iterator[str]:
    """The URL of a new, empty database of the kind under test (SQLite: a file in ``folder``;
    PostgreSQL: a database of its own), dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{folder / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"zs_scratch_{uuid.uuid4().hex[:10]}"
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, database: str, media: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``python *args`` (e.g. manage.py migrate) in the project, on ``database`` with ``media``."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database, "MEDIA_ROOT": str(media)}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
