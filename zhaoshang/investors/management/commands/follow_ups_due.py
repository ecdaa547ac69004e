"""manage.py follow_ups_due: the investors whose next follow-up date has come, by owning unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhaoshang.investors.services import follow_ups_by_unit, remind_follow_ups


class Command(BaseCommand):
    help = (
        "List the investors whose next follow-up date is today or earlier, grouped by owning unit, "
        "print them, and remind the operators of each owning unit once per investor and day (in-app "
        "notification and e-mail). Run it daily (e.g. from cron at 08:00)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to check as YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        units = count = 0
        for unit, investors in follow_ups_by_unit(today):
            units += 1
            count += len(investors)
            for investor in investors:
                self.stdout.write(f"{unit.name}\t{investor.next_follow_up_on}\t{investor.name}")
        sent = remind_follow_ups(today)
        self.stdout.write(
            f"{count} follow-ups due on or before {today} for {units} units; {sent} reminders sent"
        )
