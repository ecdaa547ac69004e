"""An investor's history on one timeline: activities, projects and their stage changes, changes of
the investor and its contacts, merges. Only what the user may see is shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.audit.models import Entry
from zhaoshang.investors.models import Investor

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


@dataclass(frozen=True)
class Item:
    on: dt.date
    kind: str  # a CSS-safe key: activity kind, "stage", or the audit action
    label: str
    title: str
    url: str = ""
    detail: str = ""
    at: dt.datetime | None = None  # when it was recorded: orders the items of one day


def timeline(investor: Investor, user: User) -> list[Item]:
    from zhaoshang.activities.models import Activity
    from zhaoshang.projects.models import Project, StageChange

    items: list[Item] = []
    for activity in Activity.objects.visible_to(user).filter(investors=investor).select_related("unit"):
        detail = " · ".join(x for x in (activity.unit.name, activity.place, activity.outcome) if x)
        items.append(
            Item(
                activity.starts_on,
                activity.kind,
                str(activity.get_kind_display()),
                activity.title,
                activity.get_absolute_url(),
                detail,
                activity.created_at,
            )
        )
    projects = Project.objects.visible_to(user).filter(investors=investor)
    for change in StageChange.objects.filter(project__in=projects).select_related("project"):
        project = change.project
        moved = (
            f"{change.get_from_stage_display()} → {change.get_to_stage_display()}"
            if change.from_stage
            else str(change.get_to_stage_display())
        )
        items.append(
            Item(
                change.changed_on,
                "stage",
                _("Project"),
                f"{project.name}: {moved}",
                project.get_absolute_url(),
                change.note,
                change.recorded_at,
            )
        )
    for entry, changes in audit.history(investor):
        if entry.action == Entry.Action.CREATE:
            detail = ""
        elif entry.action == Entry.Action.MERGE:
            detail = entry.note
        else:
            detail = "、".join(c.field for c in changes)
        items.append(
            Item(
                timezone.localdate(entry.at),
                entry.action,
                str(entry.get_action_display()),
                _("Investor record"),
                "",
                f"{detail} ({entry.user_name})" if detail else entry.user_name,
                entry.at,
            )
        )
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (i.on, i.at or epoch), reverse=True)
