"""The Django side of test_replica and test_pg_restart: a process whose DATABASE_URL is a private
primary (pgcluster.py) and, for the replica scenario, whose DATABASE_REPLICA_URL is its streaming
replica. It drives the site in-process with Django's test client and prints what it saw as one JSON
object; the test judges it.

    python -m zhaoshang.core.tests.pg_worker setup               # units, a leader, an operator
    python -m zhaoshang.core.tests.pg_worker session USERNAME    # a logged-in session's cookie
    python -m zhaoshang.core.tests.pg_worker scenario TOWN       # ZS_PRIMARY / ZS_REPLICA: "folder:name:port"

The scenario has three parts: dashboards and exports read while an operator bursts writes; the
replica's replay paused, so a user's own write must come from the primary while another user still
reads the stale replica, until its lag passes the bound; the replica stopped during reads and writes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

PASSWORD = "Zs-test-pass-2026"
ROOT = Path(__file__).resolve().parents[3]


def run(env: dict[str, str], *args: str, timeout: float) -> dict[str, Any]:
    """Run this worker in a process of its own with ``env``; return the JSON it printed last."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and worker module
        [sys.executable, "-m", "zhaoshang.core.tests.pg_worker", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _cluster(variable: str) -> Any:
    from zhaoshang.core.tests.pgcluster import Cluster

    root, name, port = os.environ[variable].split(":")
    return Cluster(Path(root), name, int(port))


def setup() -> dict[str, Any]:
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role
    from zhaoshang.projects import services
    from zhaoshang.units.choices import UnitKind
    from zhaoshang.units.models import Unit
    from zhaoshang.units.services import create_unit

    existing = Unit.objects.filter(code="970101001").first()
    if existing is not None:  # the private primary is shared by the tests of one session
        return {"town": existing.pk}
    province = create_unit(by=None, parent=None, kind=UnitKind.PROVINCE, name="副本省", code="970000")
    city = create_unit(by=None, parent=province, kind=UnitKind.CITY, name="副本市", code="970100")
    county = create_unit(by=None, parent=city, kind=UnitKind.COUNTY, name="副本县", code="970101")
    town = create_unit(by=None, parent=county, kind=UnitKind.TOWNSHIP, name="副本镇", code="970101001")
    people = {"leader": (county, Role.LEADER), "operator": (town, Role.OPERATOR)}
    for username, (unit, role) in people.items():
        user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
        Membership.objects.create(user=user, unit=unit, role=role)
    operator = User.objects.get(username="operator")
    for n in range(20):
        services.create_project(by=operator, data={"name": f"初始{n}", "unit": town, "total_investment": 10})
    return {"town": town.pk}


class Site:
    """Requests as one user, each noting whether a query of it went to the replica."""

    def __init__(self, username: str) -> None:
        from django.test import Client

        from zhaoshang.accounts.models import User

        self.client = Client(raise_request_exception=False)
        self.client.force_login(User.objects.get(username=username))

    def get(self, url: str) -> tuple[int, bool, bytes]:
        from django.db import connections, reset_queries

        from zhaoshang.core.replica import REPLICA

        reset_queries()
        try:
            response = self.client.get(url)
        except Exception:  # a failure the handler did not turn into a response: an error all the same
            return -1, False, b""
        # The router's own lag check runs on the replica too; it is not a read of the page.
        reads = [q for q in connections[REPLICA].queries if "pg_is_in_recovery" not in q["sql"]]
        return response.status_code, bool(reads), response.content

    def create_project(self, name: str, town: int) -> int:
        response = self.client.post(
            "/api/projects",
            {"name": name, "unit_id": town, "total_investment": "5"},
            content_type="application/json",
        )
        return response.status_code


def _names_in(content: bytes) -> set[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return {str(value) for row in book.active.iter_rows(values_only=True) for value in row if value}


class Writer(threading.Thread):
    """An operator recording projects through the API until told to stop."""

    def __init__(self, town: int, prefix: str) -> None:
        super().__init__(daemon=True)
        self.town, self.prefix = town, prefix
        self.stop = threading.Event()
        self.created: list[str] = []
        self.errors = 0

    def run(self) -> None:
        from django.db import connections

        site = Site("operator")
        n = 0
        while not self.stop.is_set():
            name = f"{self.prefix}{n}"
            if site.create_project(name, self.town) == 201:
                self.created.append(name)
            else:
                self.errors += 1
            n += 1
        connections.close_all()


def _caught_up(primary: Any, replica: Any, timeout: float = 20) -> None:
    """Wait until the replica has replayed everything the primary had written when asked."""
    target = primary.execute("SELECT pg_current_wal_lsn()::text")[0][0]
    end = time.monotonic() + timeout
    while replica.execute(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0][0] is not True:
        if time.monotonic() > end:
            raise TimeoutError("the replica did not catch up")
        time.sleep(0.1)


def _reads(site: Site, urls: list[str], seconds: float, counts: dict[str, int]) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for url in urls:
            status, on_replica, _ = site.get(url)
            counts["reads"] += 1
            counts["errors"] += status != 200
            counts["from_replica"] += on_replica and status == 200


def scenario(town: int) -> dict[str, Any]:
    from zhaoshang.core import replica as router
    from zhaoshang.projects.models import Project

    primary, replica = _cluster("ZS_PRIMARY"), _cluster("ZS_REPLICA")
    pages = ["/", "/projects/export.xlsx"]
    leader, operator = Site("leader"), Site("operator")
    result: dict[str, Any] = {"seconds": {}}
    started = time.monotonic()

    # 1. Dashboards and exports while the operator bursts writes on the primary.
    writer = Writer(town, "突发")
    writer.start()
    burst = {"reads": 0, "errors": 0, "from_replica": 0}
    _reads(leader, pages, 6, burst)
    writer.stop.set()
    writer.join(30)
    burst.update(writes=len(writer.created), write_errors=writer.errors)
    result["burst"] = burst
    result["seconds"]["burst"] = round(time.monotonic() - started, 1)

    # 2. Replay paused: the operator's own write is read from the primary; the leader still reads the
    # replica (stale) until its lag passes REPLICA_MAX_LAG_SECONDS, then the primary.
    primary.execute("CREATE TABLE IF NOT EXISTS tick (at timestamptz); INSERT INTO tick VALUES (now())")
    _caught_up(primary, replica)
    replica.execute("SELECT pg_wal_replay_pause()")
    paused_at = time.monotonic()
    name = f"粘读{os.getpid()}"
    sticky: dict[str, Any] = {"created": operator.create_project(name, town)}
    status, on_replica, content = operator.get("/projects/export.xlsx")
    sticky.update(own_status=status, own_on_replica=on_replica, own_seen=name in _names_in(content))
    status, on_replica, content = leader.get("/projects/export.xlsx")
    sticky.update(other_status=status, other_on_replica=on_replica, other_seen=name in _names_in(content))
    sticky["other_seen_after"] = None
    while time.monotonic() - paused_at < 30:
        time.sleep(0.5)
        status, on_replica, content = leader.get("/projects/export.xlsx")
        if status == 200 and name in _names_in(content):
            sticky.update(
                other_seen_after=round(time.monotonic() - paused_at, 1), other_then_on_replica=on_replica
            )
            break
    sticky["lag_measured"] = router._health.lag
    replica.execute("SELECT pg_wal_replay_resume()")
    _caught_up(primary, replica)
    back = False
    end = time.monotonic() + 20
    while not back and time.monotonic() < end:
        time.sleep(0.5)
        status, back, _ = leader.get("/")
    sticky["back_on_replica"] = back
    result["sticky"] = sticky
    result["seconds"]["sticky"] = round(time.monotonic() - started, 1)

    # 3. The replica stops (as in a crash) while the leader reads and the operator writes.
    writer = Writer(town, "停机")
    writer.start()
    before = {"reads": 0, "errors": 0, "from_replica": 0}
    _reads(leader, pages, 2, before)
    replica.stop("immediate")
    after = {"reads": 0, "errors": 0, "from_replica": 0}
    _reads(leader, pages, 4, after)
    writer.stop.set()
    writer.join(30)
    names = set(Project.objects.filter(name__startswith="停机").values_list("name", flat=True))
    result["stop"] = {
        "before": before,
        "after": after,
        "writes": len(writer.created),
        "write_errors": writer.errors,
        "writes_lost": len(set(writer.created) - names),
        "marked_down": router._health.down_until > time.monotonic(),
    }
    result["seconds"]["stop"] = round(time.monotonic() - started, 1)
    return result


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    import django

    django.setup()
    if argv[0] == "setup":
        print(json.dumps(setup()), flush=True)
    elif argv[0] == "session":
        from django.conf import settings
        from django.test import Client

        from zhaoshang.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(username=argv[1]))
        print(json.dumps({"cookie": client.cookies[settings.SESSION_COOKIE_NAME].value}), flush=True)
    elif argv[0] == "scenario":
        print(json.dumps(scenario(int(argv[1]))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
