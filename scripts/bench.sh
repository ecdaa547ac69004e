#!/usr/bin/env bash
# make bench: generate (once) a national data set of BENCH_PROJECTS projects in PostgreSQL and print
# the benchmark table of issue 7. Reuses the database when it already holds the generated tree.
#   BENCH_PROJECTS (20000)  BENCH_SEED (1)  BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/zhaoshang_bench_<N>)
#   BENCH_SECONDS (60, load test)  BENCH_REPS (30)  BENCH_IMPORT_ROWS (10000)  BENCH_EXPORT_ROWS (100000)
#   BENCH_BURST_THREADS (50 connections for 100 concurrent writes)  BENCH_BURST_PROCESSES (3: the
#   writer processes, as deploy/systemd runs gunicorn --workers 3)  BENCH_FRESH=1 drops and regenerates
#   BENCH_LOAD_SECONDS (0): above 0, then a mixed-role load run of that length (scripts/load.sh)
#   BENCH_CATALOGUE_SECONDS (20): each of the public site's four load runs (catalogue/bench.py)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PROJECTS=${BENCH_PROJECTS:-20000}
URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/zhaoshang_bench_${PROJECTS}}
NAME=${URL##*/}
SERVER=${URL%/*}

# GNU time reports the generator's peak memory (Debian package "time").
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if [ "${BENCH_FRESH:-0}" = 1 ]; then
  psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$NAME\""
fi
psql "$SERVER/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$NAME'" | grep -q 1 \
  || psql "$SERVER/postgres" -qc "CREATE DATABASE \"$NAME\""

export DATABASE_URL=$URL DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 LOG_LEVEL=WARNING
export SECRET_KEY=${SECRET_KEY:-bench-only-not-a-secret-$(hostname)-0123456789abcdefghijklmnop}
$BIN/python manage.py migrate --no-input -v 0
$BIN/python manage.py collectstatic --no-input -v 0
if [ "$(psql "$URL" -tAc "SELECT count(*) FROM units_unit WHERE code = 'CN'")" = 0 ]; then
  echo "== generating $PROJECTS projects into $NAME"
  /usr/bin/time -f "generation: %e s, peak %M KB" \
    $BIN/python manage.py generate_scale --projects "$PROJECTS" --seed "${BENCH_SEED:-1}"
else
  echo "== reusing $NAME ($(psql "$URL" -tAc "SELECT count(*) FROM projects_project") projects)"
fi
psql "$URL" -tAc "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database()))"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GB RAM, $(psql "$URL" -tAc 'SHOW server_version')"
$BIN/python manage.py bench_scale
# One county's yearly work summary and monthly bulletin (.docx, and the summary's PDF).
$BIN/python manage.py bench_summaries --pdf --batch "${BENCH_BATCH_COUNTIES:-40}"
# The assessment: one county's townships scored from the roll-ups beside a raw recomputation.
$BIN/python manage.py bench_assessment --counties "${BENCH_ASSESSMENT_COUNTIES:-1}"
# The public site (issue 22): anonymous list and detail pages, cached and uncached, 500 offers.
$BIN/python manage.py bench_catalogue
# A short mixed-role load run (scripts/load.sh, its own demo database) when BENCH_LOAD_SECONDS is set.
if [ "${BENCH_LOAD_SECONDS:-0}" -gt 0 ]; then
  LOAD_SECONDS=$BENCH_LOAD_SECONDS scripts/load.sh
fi
