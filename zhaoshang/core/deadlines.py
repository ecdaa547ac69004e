"""Working days and deadline lights: the one place where "due in N working days" and
"green / yellow / red" are decided, for coordination requests, inquiries and rectification items.

Working days follow the official holiday calendar of the State Council (法定节假日), with its
swapped workdays (调休), from the ``chinese-calendar`` package. For a year that package does not
know yet, Monday to Friday are working days: deadlines stay defined, and a newer release of the
package corrects them once the year's calendar is published.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

import chinese_calendar
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Light(models.TextChoices):
    """The state of a deadline as people mark it on the wall chart."""

    GREEN = "green", _("on schedule")
    YELLOW = "yellow", _("due soon")
    RED = "red", _("overdue")
    DONE = "done", _("done on time")
    DONE_LATE = "done_late", _("done late")


def is_working_day(day: dt.date) -> bool:
    """True on an official working day (a swapped Saturday or Sunday included)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package has no calendar for yet
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted).

    ``add_working_days(friday, 1)`` is the next Monday, or later if that is a holiday; with
    ``days == 0`` the answer is ``start`` if it is a working day, or else the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


# The calendar's departures from Monday to Friday, sorted for counting by bisection: weekdays that
# are holidays, and weekend days that are worked (调休). Outside the years the package knows both are
# empty, which is the Monday-to-Friday rule of ``is_working_day``.
_WEEKDAYS_OFF = sorted(
    d for d in chinese_calendar.holidays if d.weekday() < 5 and d not in chinese_calendar.workdays
)
_WEEKENDS_ON = sorted(d for d in chinese_calendar.workdays if d.weekday() >= 5)


def _weekdays_through(day: dt.date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday, ordinal 1) up to and including ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _in_range(days: list[dt.date], start: dt.date, end: dt.date) -> int:
    return bisect_right(days, end) - bisect_right(days, start)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

    Counted, not walked: the weekdays of the range by arithmetic, less the holidays on weekdays,
    plus the worked weekend days. A deadline years away costs the same as one next week (walking
    day by day, a deadline of 9999-12-31 took over a minute per page that showed its light).
    """
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    return weekdays - _in_range(_WEEKDAYS_OFF, start, end) + _in_range(_WEEKENDS_ON, start, end)


def light(
    deadline: dt.date,
    *,
    done_on: dt.date | None = None,
    today: dt.date | None = None,
    warn_days: int = 1,
) -> Light:
    """The light of a deadline.

    Done items are DONE or DONE_LATE by the day they were done. Open items are RED after the
    deadline, YELLOW from ``warn_days`` working days before it up to the deadline day itself, and
    GREEN before that.
    """
    if done_on is not None:
        return Light.DONE if done_on <= deadline else Light.DONE_LATE
    today = today or timezone.localdate()
    if today > deadline:
        return Light.RED
    if working_days_between(today, deadline) <= warn_days:
        return Light.YELLOW
    return Light.GREEN
