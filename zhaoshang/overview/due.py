"""What is due (待办) for the signed-in user, shown first on the start page: the progress reports
to file by round with the days left, the reports the bureau returned with its reason, the requests
for coordination assigned to the user's own unit and awaiting its answer, and the rectification
items of the unit still open, nearest deadline first.

Each part is one or two queries whatever the number of records (the start page is pinned in
core/tests/test_list_queries.py). Requests and rectification items count as the user's when they
are owned by a unit where the user holds a role that answers them (the unit's own people, not its
superiors, as ``core.scoping.acts_for`` has it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F

from zhaoshang.coordination.choices import RequestStatus
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.permissions import Action, ObjectType, role_allows
from zhaoshang.core.scoping import grants_of
from zhaoshang.dispatch.choices import ReportStatus
from zhaoshang.dispatch.models import Report
from zhaoshang.dispatch.overview import to_report
from zhaoshang.inspections.choices import ItemStatus
from zhaoshang.inspections.models import RectificationItem

ROWS = 5  # rows of each list; the count says how many there are in all


@dataclass(frozen=True)
class ReportsDue:
    """The reports of one dispatch day still to file."""

    due_on: dt.date
    count: int
    days_left: int  # negative once the day has passed

    @property
    def days_overdue(self) -> int:
        return -self.days_left


@dataclass
class Due:
    reports: list[ReportsDue] = field(default_factory=list)
    returned: list[Any] = field(default_factory=list)
    returned_count: int = 0
    requests: list[Any] = field(default_factory=list)
    requests_count: int = 0
    items: list[Any] = field(default_factory=list)
    items_count: int = 0

    def __bool__(self) -> bool:
        return bool(self.reports or self.returned_count or self.requests_count or self.items_count)


def own_units(user: Any, on: str) -> list[int]:
    """The units where the user holds a role that may act (edit) on records of type ``on``."""
    return [g.unit_id for g in grants_of(user) if role_allows(g.role, Action.EDIT, on)]


def what_is_due(user: Any, today: dt.date) -> Due:
    due = Due()
    by_day = (
        to_report(user, today)
        .order_by()
        .values_list("round__due_on")
        .annotate(n=Count("pk"))
        .order_by("round__due_on")
    )
    rounds = [ReportsDue(day, n, (day - today).days) for day, n in by_day]
    # The rounds still open first (the nearest dispatch day first), then the overdue ones.
    due.reports = [r for r in rounds if r.days_left >= 0] + [r for r in reversed(rounds) if r.days_left < 0]

    returned = Report.objects.visible_to(user, Action.EDIT).filter(status=ReportStatus.RETURNED)
    due.returned_count = returned.count()
    if due.returned_count:
        due.returned = list(returned.select_related("project", "round").order_by("-decided_at", "-pk")[:ROWS])

    requests = CoordinationRequest.objects.visible_to(user).filter(
        owner_unit_id__in=own_units(user, ObjectType.REQUEST), status=RequestStatus.ACCEPTED
    )
    due.requests_count = requests.count()
    if due.requests_count:
        due.requests = list(
            requests.select_related("owner_unit").order_by(F("deadline").asc(nulls_last=True), "pk")[:ROWS]
        )

    items = RectificationItem.objects.visible_to(user).filter(
        owner_unit_id__in=own_units(user, ObjectType.INSPECTION), status=ItemStatus.OPEN
    )
    due.items_count = items.count()
    if due.items_count:
        due.items = list(items.select_related("inspection").order_by("deadline", "pk")[:ROWS])
    return due
