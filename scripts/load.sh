#!/usr/bin/env bash
# The mixed-role load run of issue 25 (docs/performance.md, "Mixed-role load"): demo data in a fresh
# PostgreSQL database, gunicorn, locust headless; prints requests/s, p50/p95 per page and errors.
#   LOAD_SECONDS (60)  LOAD_USERS (12)  LOAD_WORKERS (2 gunicorn workers)  LOAD_PORT (8765)
#   LOAD_DATABASE_URL (postgres://postgres@127.0.0.1:5432/zhaoshang_load; dropped and made again)
#   LOAD_REPLICA=1: a private primary and streaming replica instead, run twice with a write burst,
#   without and with DATABASE_REPLICA_URL (needs root or the postgres user, as the replica test does)
# A benchmark, not a test: not part of `make test`. `make bench` runs a short one (BENCH_LOAD_SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# locust is an optional dependency (pyproject's "load" extra), installed here only.
[ -x $BIN/locust ] || $BIN/pip install --quiet -e ".[dev,load]"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
mkdir -p var
exec $BIN/python scripts/load.py
