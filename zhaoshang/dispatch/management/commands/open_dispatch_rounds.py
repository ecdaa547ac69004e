"""manage.py open_dispatch_rounds: open the dispatch rounds whose opening day has come."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhaoshang.dispatch.services import open_rounds


def parse_day(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be YYYY-MM-DD, got {value!r}") from error


class Command(BaseCommand):
    help = (
        "For every county, open each dispatch round whose opening day has come and whose dispatch "
        "day has not passed, listing the projects that owe a progress report (frozen from then on). "
        "Safe to run any number of times (e.g. daily from cron): nothing is created twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="act as if today were this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_day(options.get("today"))
        opened = open_rounds(today)
        self.stdout.write(f"{today}: opened {opened.rounds} rounds listing {opened.entries} projects")
