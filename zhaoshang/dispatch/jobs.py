"""Dispatch's daily jobs: open the rounds whose day has come, then remind of reports due."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.dispatch.reminders import send_reminders
from zhaoshang.dispatch.services import open_rounds
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import day_of, job


@job("dispatch.open_rounds", label=gettext_lazy("Open the dispatch rounds"), daily_at="00:10")
def open_due_rounds(run: Job, today: str | None = None) -> str:
    opened = open_rounds(day_of(today))
    return _("%(rounds)s rounds opened, listing %(entries)s projects") % {
        "rounds": opened.rounds,
        "entries": opened.entries,
    }


@job("dispatch.reminders", label=gettext_lazy("Remind of progress reports"), daily_at="08:00")
def remind_reports(run: Job, today: str | None = None) -> str:
    sent = send_reminders(day_of(today), settings.DISPATCH_REMINDER_DAYS)
    return _("%(due)s reminders of reports due, %(overdue)s of overdue reports") % {
        "due": sent.due,
        "overdue": sent.overdue,
    }
