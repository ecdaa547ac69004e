#!/usr/bin/env bash
# make run: the web server with the job worker and the scheduler beside it, all stopped together.
# The scheduler's first turn queues every daily job of today (reminders, follow-ups, deadlines), so
# the demo shows its reminders without anyone running a command.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${VENV_PYTHON:-.venv/bin/python}"
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

"$PY" manage.py db_worker --interval 2 --no-startup-delay &
pids+=($!)
"$PY" manage.py run_schedule --all-due-today &
pids+=($!)

cat <<MSG

  Zhaoshang is starting at http://127.0.0.1:${PORT}
  Log in as admin, leader, town_a or town_b with the password Zhaoshang-2026 (the demo county).
  The job worker and the scheduler run beside the web server: the jobs page shows what they did.

MSG
"$PY" manage.py runserver "127.0.0.1:${PORT}"
