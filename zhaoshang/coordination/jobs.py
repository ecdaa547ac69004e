"""Coordination's daily job: remind the owner units of the requests whose deadline is near or past."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.coordination.choices import RequestStatus
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import day_of, job
from zhaoshang.notifications.reminders import remind_of_deadlines


@job("coordination.deadlines", label=gettext_lazy("Remind of request deadlines"), daily_at="08:10")
def request_deadlines(run: Job, today: str | None = None) -> str:
    day = day_of(today)
    accepted = CoordinationRequest.objects.filter(
        status=RequestStatus.ACCEPTED, deadline__isnull=False, owner_unit__isnull=False
    ).order_by("deadline", "pk")
    sent = remind_of_deadlines(accepted, today=day, what=_("The request for coordination"), key="request")
    return _("%(due)s reminders of deadlines near, %(overdue)s of deadlines past") % {
        "due": sent.due,
        "overdue": sent.overdue,
    }
