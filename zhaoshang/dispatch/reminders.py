"""Reminders of dispatch (催报): before a dispatch day, and once a report is overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.accounts.services import operators_of
from zhaoshang.dispatch.choices import FILED
from zhaoshang.dispatch.models import Entry, Report
from zhaoshang.notifications.services import batched_delivery, notify
from zhaoshang.projects.models import Steward

# An overdue report is reminded of once; rounds older than this are history, not reminded of.
OVERDUE_WINDOW_DAYS = 45


@dataclass
class Sent:
    due: int = 0
    overdue: int = 0


def unfiled_entries(today: dt.date, days_before: int) -> Any:
    """Entries without a submitted or verified report, in rounds due within ``days_before`` days
    or overdue (at most OVERDUE_WINDOW_DAYS)."""
    filed = Report.objects.filter(round=OuterRef("round"), project=OuterRef("project"), status__in=FILED)
    return (
        Entry.objects.filter(
            round__due_on__gte=today - dt.timedelta(days=OVERDUE_WINDOW_DAYS),
            round__due_on__lte=today + dt.timedelta(days=days_before),
            round__opens_on__lte=today,
        )
        .exclude(Exists(filed))
        .select_related("round", "project")
        .order_by("round__due_on", "pk")
    )


def recipients(entries: list[Entry]) -> dict[int, list[Any]]:
    """Per entry: the operators of the owning unit and the project's stewards with an account."""
    operators = operators_of({e.unit_id for e in entries})
    stewards: dict[int, list[Any]] = defaultdict(list)
    for s in Steward.objects.filter(
        project_id__in={e.project_id for e in entries}, user__isnull=False, user__is_active=True
    ).select_related("user"):
        stewards[s.project_id].append(s.user)
    return {e.pk: [*operators.get(e.unit_id, []), *stewards[e.project_id]] for e in entries}


def send_reminders(today: dt.date, days_before: int) -> Sent:
    """Notify once per project and round before the dispatch day, and once when it is overdue.
    Safe to run any number of times: ``notify`` is idempotent by key. The e-mails and group
    messages of one run go out as one delivery job."""
    with batched_delivery():
        return _send_reminders(today, days_before)


def _send_reminders(today: dt.date, days_before: int) -> Sent:
    sent = Sent()
    entries = list(unfiled_entries(today, days_before))
    people = recipients(entries)
    link = reverse("dispatch:my_reports")
    for entry in entries:
        due = f"{entry.round.due_on:%Y-%m-%d}"
        if entry.round.due_on >= today:
            created = notify(
                people[entry.pk],
                title=_("Progress report due %(day)s: %(project)s")
                % {"day": due, "project": entry.project.name},
                body=_(
                    "The progress report of %(project)s for the dispatch day %(day)s is not submitted yet."
                )
                % {"project": entry.project.name, "day": due},
                link=link,
                key=f"dispatch:due:{entry.round_id}:{entry.project_id}",
                unit=entry.unit_id,
            )
            sent.due += len(created)
        else:
            created = notify(
                people[entry.pk],
                title=_("Progress report overdue: %(project)s") % {"project": entry.project.name},
                body=_("The progress report of %(project)s was due on %(day)s and is missing.")
                % {"project": entry.project.name, "day": due},
                link=link,
                key=f"dispatch:overdue:{entry.round_id}:{entry.project_id}",
                unit=entry.unit_id,
            )
            sent.overdue += len(created)
    return sent
