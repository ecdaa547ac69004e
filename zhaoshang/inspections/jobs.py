"""Inspections' daily job: remind the owner units of rectification items due soon or overdue."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.inspections.choices import ItemStatus
from zhaoshang.inspections.models import RectificationItem
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import day_of, job
from zhaoshang.notifications.reminders import remind_of_deadlines


@job("inspections.deadlines", label=gettext_lazy("Remind of rectification deadlines"), daily_at="08:15")
def rectification_deadlines(run: Job, today: str | None = None) -> str:
    day = day_of(today)
    open_items = RectificationItem.objects.filter(status=ItemStatus.OPEN).order_by("deadline", "pk")
    sent = remind_of_deadlines(open_items, today=day, what=_("The rectification item"), key="rectification")
    return _("%(due)s reminders of deadlines near, %(overdue)s of deadlines past") % {
        "due": sent.due,
        "overdue": sent.overdue,
    }
