"""The read replica on PostgreSQL's own streaming replication (issue 25, core/replica.py).

A private primary (conftest.py) gets a streaming replica made by ``pg_basebackup -R``; a process of
the site (pg_worker.py) reads dashboards and exports through the router while an operator
bursts writes, pauses the replica's replay to see a user's own write come from the primary, and
stops the replica while reading: no read may fail. PostgreSQL only: the replica is PostgreSQL's.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from zhaoshang.core.tests import pg_worker
from zhaoshang.core.tests.pgcluster import destroy_all

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="streaming replication is PostgreSQL's: run in the PostgreSQL suite",
)

MAX_LAG = 8  # seconds; generous, so a slow CI machine reads the paused replica before the bound


def test_dashboards_read_the_replica_and_survive_it(private_primary):
    primary, env = private_primary
    replica = primary.replica("replica")
    try:
        env = {
            **env,
            "DATABASE_REPLICA_URL": replica.url("zs"),
            "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
            "REPLICA_CHECK_SECONDS": "1",
            "REPLICA_STICKY_SECONDS": "30",
            "REPLICA_RETRY_SECONDS": "60",
            "ZS_PRIMARY": f"{primary.root}:{primary.data.name}:{primary.port}",
            "ZS_REPLICA": f"{replica.root}:{replica.data.name}:{replica.port}",
        }
        town = pg_worker.run(env, "setup", timeout=60)["town"]
        seen = pg_worker.run(env, "scenario", str(town), timeout=110)
    finally:
        destroy_all(replica)

    print(json.dumps(seen, ensure_ascii=False))  # shown with -s, or by pytest on failure
    burst = seen["burst"]
    assert burst["errors"] == 0 and burst["write_errors"] == 0, burst
    assert burst["writes"] > 0 and burst["reads"] > 0, burst
    # Dashboards and exports were served by the replica while the primary took the writes.
    assert burst["from_replica"] >= burst["reads"] // 2, burst

    sticky = seen["sticky"]
    assert sticky["created"] == 201, sticky
    # The writer's next read came from the primary and shows the write ...
    assert sticky["own_status"] == 200 and sticky["own_seen"] and not sticky["own_on_replica"], sticky
    # ... while another user still read the paused replica, which had not replayed it;
    assert sticky["other_status"] == 200 and sticky["other_on_replica"] and not sticky["other_seen"], sticky
    # once the replica lagged beyond the bound, that user read the primary;
    assert sticky["other_seen_after"] is not None and sticky["other_then_on_replica"] is False, sticky
    assert sticky["other_seen_after"] >= MAX_LAG - 1, sticky
    # and back on the replica once it caught up.
    assert sticky["back_on_replica"], sticky

    stop = seen["stop"]
    assert stop["before"]["errors"] == 0 and stop["before"]["from_replica"] > 0, stop
    assert stop["after"]["errors"] == 0 and stop["after"]["reads"] > 0, stop
    assert stop["marked_down"], stop
    assert stop["write_errors"] == 0 and stop["writes_lost"] == 0 and stop["writes"] > 0, stop
