"""manage.py run_schedule: the scheduler, which queues the daily jobs at their times."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from zhaoshang.jobs import services


class Command(BaseCommand):
    help = (
        "Queue each daily job (dispatch rounds, reminders, follow-ups, deadlines, pruning) once a day "
        "at its time, and keep the worker's sign of life fresh. Runs until stopped; run one beside "
        "`manage.py db_worker` (several are safe: a day's run is queued once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between turns (default 30)")
        parser.add_argument("--once", action="store_true", help="one turn, then exit (for cron)")
        parser.add_argument(
            "--all-due-today",
            action="store_true",
            help="on the first turn, queue every daily job of today whatever its time (make run's demo)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        first = True
        while self.running:
            if not first:  # a connection dropped while asleep is replaced (the first turn is fresh)
                close_old_connections()
            for job in services.tick(all_due_today=first and options["all_due_today"]):
                self.stdout.write(f"queued {job.kind} (job {job.pk})")
            first = False
            if options["once"]:
                break
            slept = 0.0
            while self.running and slept < options["interval"]:
                time.sleep(min(1.0, options["interval"]))
                slept += 1.0
