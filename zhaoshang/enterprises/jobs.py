"""The enterprises' daily job: before a quarter ends, remind the steward officials of the landed
enterprises not visited in it (每季度定期到外來企業了解生產經營情況)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import day_of, job
from zhaoshang.notifications.services import notify


def remind_unvisited(today: dt.date) -> int:
    """Notify the stewards of each enterprise not yet visited this quarter, once per quarter, from
    ``settings.VISIT_REMIND_DAYS`` days before its end; returns the notifications sent."""
    year, quarter = services.current_quarter(today)
    _first, last = services.quarter_bounds(year, quarter)
    if (last - today).days > settings.VISIT_REMIND_DAYS:
        return 0
    sent = 0
    due = (
        services.unvisited(Enterprise.objects.all(), today)
        .prefetch_related("stewards")
        .select_related("unit")
    )
    for enterprise in due.order_by("pk").iterator(500):
        notes = notify(
            enterprise.stewards.all(),
            title=_("Visit %(enterprise)s before %(day)s")
            % {"enterprise": enterprise.name, "day": last.isoformat()},
            body=_("%(enterprise)s has not been visited this quarter (%(year)s Q%(quarter)s).")
            % {"enterprise": enterprise.name, "year": year, "quarter": quarter},
            link=reverse("enterprises:detail", args=[enterprise.pk]),
            key=f"enterprise-visit-{enterprise.pk}-{year}q{quarter}",
        )
        sent += len(notes)
    return sent


@job(
    "enterprises.visit_reminders", label=gettext_lazy("Remind stewards of quarterly visits"), daily_at="08:20"
)
def visit_reminders(run: Job, today: str | None = None) -> str:
    sent = remind_unvisited(day_of(today))
    return _("%(sent)s reminders of visits due this quarter") % {"sent": sent}
