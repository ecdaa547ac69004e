"""The investors' daily job: remind the owning units of the follow-ups that are due."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.investors.services import remind_follow_ups
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import day_of, job


@job("investors.follow_ups", label=gettext_lazy("Remind of follow-ups"), daily_at="08:05")
def follow_ups(run: Job, today: str | None = None) -> str:
    return _("%(sent)s reminders sent") % {"sent": remind_follow_ups(day_of(today))}
