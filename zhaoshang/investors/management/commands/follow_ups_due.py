"""manage.py follow_ups_due: the investors whose next follow-up date has come, by owning unit."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhaoshang.investors.models import Investor
from zhaoshang.investors.services import follow_ups_due


class Command(BaseCommand):
    help = (
        "List the investors whose next follow-up date is today or earlier, grouped by owning unit, "
        "and print a summary. Run it daily (e.g. from cron at 08:00); it changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to check as YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        due = follow_ups_due(Investor.objects.select_related("unit"), today).order_by(
            "unit__path", "next_follow_up_on", "name"
        )
        units = 0
        count = 0
        for unit, investors in groupby(due.iterator(2000), key=lambda i: i.unit):
            investors = list(investors)
            units += 1
            count += len(investors)
            # The reminder to the owning unit goes here (notifications.notify, once that app is merged).
            for investor in investors:
                self.stdout.write(f"{unit.name}\t{investor.next_follow_up_on}\t{investor.name}")
        self.stdout.write(f"{count} follow-ups due on or before {today} for {units} units")
