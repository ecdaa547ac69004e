"""Private PostgreSQL 15 clusters for the tests that stop, restart or replicate a server (issue 25).

Never the machine's own cluster: each cluster is made by ``initdb`` in a temporary folder, listens on
127.0.0.1 at a free port, and is stopped and removed by the fixture that made it. The server refuses
to run as root, so when the tests run as root every command runs as the ``postgres`` user.

    primary = Cluster.create("primary")              # wal_level=replica, replication allowed
    replica = primary.replica("replica")             # pg_basebackup -R, started, streaming
    primary.url("zs")                                # postgres://postgres@127.0.0.1:PORT/zs
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
OS_USER = "postgres"


def unavailable() -> str | None:
    """Why private clusters cannot be made here, or None when they can."""
    if not (BIN / "initdb").exists() or not (BIN / "pg_basebackup").exists():
        return f"PostgreSQL server binaries not found in {BIN} (set PG_BIN)"
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        return f"no {OS_USER} user to run a private PostgreSQL cluster as"
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != OS_USER:
        return f"private clusters need root (to run as {OS_USER}) or the {OS_USER} user"
    if shutil.which("runuser") is None and os.geteuid() == 0:
        return "runuser is missing"
    return None


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", OS_USER, "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str], timeout: float = 120) -> None:
    subprocess.run(  # noqa: S603 - the server's own binaries with our arguments
        _as_postgres(args), check=True, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One PostgreSQL server in a folder of its own."""

    def __init__(self, root: Path, name: str, port: int) -> None:
        self.root = root
        self.data = root / name
        self.port = port
        self.log = root / f"{name}.log"

    @classmethod
    def create(cls, name: str, root: Path | None = None) -> Cluster:
        """initdb a primary that allows streaming replication from 127.0.0.1, and start it."""
        if root is None:
            root = Path(tempfile.mkdtemp(prefix="zs-pg-"))
            if os.geteuid() == 0:
                shutil.chown(root, OS_USER, OS_USER)
        cluster = cls(root, name, free_port())
        _run([str(BIN / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8", "--no-sync"])  # fmt: skip
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nmax_connections = 60\n"
                "shared_buffers = 32MB\nfsync = on\n"
            )
        with (cluster.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        cluster.start()
        return cluster

    def replica(self, name: str) -> Cluster:
        """A streaming replica of this cluster (pg_basebackup -R), started and caught up."""
        replica = Cluster(self.root, name, free_port())
        _run([str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
              "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"])  # fmt: skip
        with (replica.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {replica.port}\n")
        replica.start()
        return replica

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def execute(self, sql: str, database: str = "postgres") -> list[tuple]:
        with self.connect(database) as connection:
            cursor = connection.execute(sql)  # type: ignore[call-overload]
            return cursor.fetchall() if cursor.description else []

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        _run([str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", *args], timeout=timeout)

    def start(self) -> None:
        self.pg_ctl("start")
        self.wait_ready()

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        self.pg_ctl("restart", "-m", mode)

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def wait_ready(self, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while True:
            try:
                self.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.2)

    def destroy(self) -> None:
        """Stop the server if it runs (immediately: its data is thrown away) and remove its folder."""
        if self.running():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop("immediate")
        shutil.rmtree(self.data, ignore_errors=True)


def destroy_all(*clusters: Cluster) -> None:
    for cluster in clusters:
        cluster.destroy()
    roots = {cluster.root for cluster in clusters}
    for root in roots:
        shutil.rmtree(root, ignore_errors=True)
