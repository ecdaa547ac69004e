"""A private PostgreSQL primary with the schema migrated, shared by the replica and restart tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhaoshang.core.tests.pgcluster import Cluster, destroy_all, unavailable

ROOT = Path(__file__).resolve().parents[3]
DATABASE = "zs"


@pytest.fixture(scope="session")
def private_primary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, dict[str, str]]]:
    """A running private cluster with database ``zs`` migrated, and the environment to reach it."""
    reason = unavailable()
    if reason:
        # CI sets PRIVATE_PG_REQUIRED=1 in its PostgreSQL run: there a missing binary is a failure.
        if os.environ.get("PRIVATE_PG_REQUIRED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    primary = Cluster.create("primary")
    try:
        primary.execute(f"CREATE DATABASE {DATABASE}")
        env = {
            **os.environ,
            "DATABASE_URL": primary.url(DATABASE),
            "ZHAOSHANG_VAR_DIR": str(tmp_path_factory.mktemp("private-pg")),
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
        }
        env.pop("DATABASE_REPLICA_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        yield primary, env
    finally:
        destroy_all(primary)
