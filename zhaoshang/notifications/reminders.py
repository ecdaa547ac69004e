"""Reminders of deadlines that a unit owns (a request to answer, an item to rectify): once when the
deadline is near, once when it has passed. The apps that own deadlines hand their open records over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from zhaoshang.accounts.services import operators_of
from zhaoshang.core.deadlines import Light
from zhaoshang.notifications.services import batched_delivery, notify

# A deadline passed longer ago than this is history: it is shown in red, not reminded of.
OVERDUE_WINDOW_DAYS = 45


@dataclass
class Reminded:
    due: int = 0
    overdue: int = 0


def remind_of_deadlines(records: Iterable[Any], *, today: dt.date, what: str, key: str) -> Reminded:
    """Remind the operators of each record's owner unit (and its WeCom group) of the records whose
    light is yellow (due soon) or red (overdue, within OVERDUE_WINDOW_DAYS). A record has
    ``owner_unit``, ``deadline``, ``light(today)`` and ``get_absolute_url()``; ``what`` names its
    kind in the message, ``key`` in the reminder's key. Safe to run any number of times."""
    rows = [
        (record, state)
        for record in records
        if (state := record.light(today)) in (Light.YELLOW, Light.RED)
        and record.deadline >= today - dt.timedelta(days=OVERDUE_WINDOW_DAYS)
    ]
    people = operators_of({record.owner_unit_id for record, _state in rows})
    reminded = Reminded()
    with batched_delivery():
        for record, state in rows:
            words = {"what": what, "subject": str(record)[:80], "day": f"{record.deadline:%Y-%m-%d}"}
            overdue = state == Light.RED
            created = notify(
                people.get(record.owner_unit_id, []),
                title=(_("Overdue since %(day)s: %(subject)s") if overdue else _("Due %(day)s: %(subject)s"))
                % words,
                body=(
                    _("%(what)s “%(subject)s” was due on %(day)s and is not done.")
                    if overdue
                    else _("%(what)s “%(subject)s” is due on %(day)s.")
                )
                % words,
                link=record.get_absolute_url(),
                key=f"{key}:{'overdue' if overdue else 'due'}:{record.pk}",
                unit=record.owner_unit_id,
            )
            if overdue:
                reminded.overdue += len(created)
            else:
                reminded.due += len(created)
    return reminded
