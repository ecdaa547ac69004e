"""Load on a real server for `make bench`: ``serve`` runs ``gunicorn -w 2`` for the length of a
block, ``hammer`` sends requests to it from concurrent clients. The list API's line
(``scale.bench.load_test``) and the public site's (``catalogue.bench``) both measure this way; the
clients run on the same machine and take CPU from the server, so the figures are a floor."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

# The server's settings beside the caller's: no debug, plain HTTP on 127.0.0.1, kept connections.
SERVER_ENV = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
}


def _connection(port: int, timeout: float = 30) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)


@contextmanager
def serve(port: int, ready_path: str, **env: str) -> Iterator[None]:
    """``gunicorn -w 2`` on ``port`` until the block ends, once it answers ``ready_path``. It shares
    this process's secret key (a session cookie made here is valid there); ``env`` adds settings."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603 - our own program and arguments
        [str(gunicorn), "zhaoshang.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env={**os.environ, **SERVER_ENV, "SECRET_KEY": settings.SECRET_KEY, **env},
        cwd=settings.PROJECT_DIR,
    )
    try:
        for _ in range(100):
            try:
                _connection(port, timeout=1).request("GET", ready_path)
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(10)


def hammer(
    port: int, paths: list[str], seconds: float, threads: int, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """GET ``paths`` in turn (each client starting at its own) from ``threads`` clients for
    ``seconds``: answers 200 a second, their p95 in ms, the other answers and failures, and the
    seconds it took. A client whose connection failed opens a new one."""
    times: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        conn = _connection(port)
        mine: list[float] = []
        ok = errors = 0
        i = offset
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                    mine.append((time.perf_counter() - start) * 1000)
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn = _connection(port)
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors
            times.extend(mine)

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    ordered = sorted(times) or [0.0]
    return {
        "rps": counts["ok"] / elapsed,
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "errors": counts["errors"],
        "seconds": elapsed,
    }
