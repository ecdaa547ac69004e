"""manage.py send_dispatch_reminders: remind of progress reports due soon or overdue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from zhaoshang.dispatch.management.commands.open_dispatch_rounds import parse_day
from zhaoshang.dispatch.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Notify the operators of the owning unit and the project's stewards (in the application and "
        "by e-mail) of every progress report not submitted DISPATCH_REMINDER_DAYS days before its "
        "dispatch day, and once more when it is overdue. Safe to run any number of times: each "
        "reminder goes to each person once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="act as if today were this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_day(options.get("today"))
        sent = send_reminders(today, settings.DISPATCH_REMINDER_DAYS)
        self.stdout.write(f"{today}: {sent.due} reminders of reports due, {sent.overdue} of overdue reports")
