"""The mixed-role load run of issue 25 (scripts/load.sh; docs/performance.md, "Mixed-role load").

Sets up the demo county in a fresh PostgreSQL database, serves it with gunicorn (DEBUG off), runs
scripts/locustfile.py headless for LOAD_SECONDS and prints requests per second, p50/p95 per page and
errors. Exits 1 if any request failed.

With LOAD_REPLICA=1 the database is a private primary with a streaming replica
(core/tests/pgcluster.py) and the run is made twice under the same load plus a write burst:
first without the replica, then with DATABASE_REPLICA_URL, so the dashboard lines compare.
"""

from __future__ import annotations

import csv
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "12"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PORT = int(os.environ.get("LOAD_PORT", "8765"))
URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhaoshang_load")
REPLICA = os.environ.get("LOAD_REPLICA", "0") == "1"
OUT = ROOT / "var" / "load"
ROLES = ["Operator", "Bureau", "Leader"]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def fresh_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]
        connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]


def static_ready(env: dict[str, str]) -> None:
    """collectstatic takes about a minute (compression): only when the sources changed."""
    manifest = Path(env["ZHAOSHANG_VAR_DIR"]) / "static" / "staticfiles.json"
    sources = ROOT / "zhaoshang" / "static"
    newest = max(p.stat().st_mtime for p in sources.rglob("*") if p.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        print("== collectstatic", flush=True)
        manage(env, "collectstatic", "--no-input", "-v0")


def serve(env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603 - gunicorn of this venv
        [str(BIN / "gunicorn"), "zhaoshang.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", str(WORKERS),
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    end = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=5):
                return process
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > end:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.5)


def run_locust(label: str, classes: list[str]) -> list[dict[str, Any]]:
    OUT.mkdir(parents=True, exist_ok=True)
    prefix = OUT / label
    print(f"== locust {label}: {USERS} users ({', '.join(classes)}), {SECONDS} s; log in {OUT}", flush=True)
    log = (OUT / f"{label}.log").open("w")
    subprocess.run(  # noqa: S603 - locust of this venv
        [str(BIN / "locust"), "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless",
         "-u", str(USERS), "-r", "4", "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{PORT}",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10", *classes],
        cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    with (OUT / f"{label}_stats.csv").open() as stats:
        return list(csv.DictReader(stats))


def print_table(label: str, rows: list[dict[str, Any]]) -> int:
    print(f"\n{label}\n{'page':<34} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        print(
            f"{name:<34} {row['Request Count']:>8} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['Failure Count']:>6}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    return failures


def replica_transactions(replica: Any) -> int:
    """Transactions run on the replica's database so far (its own statistics)."""
    rows = replica.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'zs'")
    return int(rows[0][0])


def main() -> int:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(50)),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "60",
        "ZHAOSHANG_VAR_DIR": os.environ.get("ZHAOSHANG_VAR_DIR", str(ROOT / "var")),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    clusters: list[Any] = []
    try:
        if REPLICA:
            from zhaoshang.core.tests.pgcluster import Cluster

            primary = Cluster.create("primary")
            clusters.append(primary)
            primary.execute("CREATE DATABASE zs")
            env["DATABASE_URL"] = primary.url("zs")
        else:
            fresh_database(URL)
            env["DATABASE_URL"] = URL
        print(f"== demo data in {env['DATABASE_URL']}", flush=True)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo")
        static_ready(env)
        failures = 0
        if not REPLICA:
            server = serve(env)
            try:
                failures += print_table("mixed roles", run_locust("mixed", ROLES))
            finally:
                server.terminate()
                server.wait()
            return 1 if failures else 0
        replica = primary.replica("replica")
        clusters.append(replica)
        passes = [("primary-only", {}), ("with-replica", {"DATABASE_REPLICA_URL": replica.url("zs")})]
        for label, extra in passes:
            server = serve({**env, **extra})
            served = replica_transactions(replica)
            try:
                failures += print_table(f"{label}, with a write burst", run_locust(label, [*ROLES, "Burst"]))
            finally:
                server.terminate()
                server.wait()
            served = replica_transactions(replica) - served
            print(f"transactions the replica served during {label}: {served}", flush=True)
            if extra and served == 0:
                print("the replica served nothing: the router did not use it", flush=True)
                failures += 1
        return 1 if failures else 0
    finally:
        if clusters:
            from zhaoshang.core.tests.pgcluster import destroy_all

            destroy_all(*reversed(clusters))


if __name__ == "__main__":
    sys.exit(main())
