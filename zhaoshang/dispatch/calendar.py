"""Date rules of the dispatch calendar: dispatch days of a month, when rounds open, the period a
round covers. Pure functions of dates, so they are tested around month ends and leap years alone."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Iterable


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def dispatch_dates(year: int, month: int, days: Iterable[int]) -> list[dt.date]:
    """The dispatch days of one month; a day beyond the month's length falls on its last day (the
    30th in February is the 28th or 29th), and two days falling together count once."""
    last = cal.monthrange(year, month)[1]
    return sorted({dt.date(year, month, min(int(day), last)) for day in days})


def dates_around(today: dt.date, days: Iterable[int], before: int = 2, after: int = 2) -> list[dt.date]:
    """Dispatch days from ``before`` months before ``today``'s month to ``after`` months after it."""
    days = list(days)
    found: list[dt.date] = []
    for delta in range(-before, after + 1):
        found += dispatch_dates(*add_months(today.year, today.month, delta), days)
    return found


def open_rounds(today: dt.date, days: Iterable[int], open_days_before: int) -> list[tuple[dt.date, dt.date]]:
    """(dispatch day, opening day) of every round open on ``today``: opened and not past its cut-off.
    A round whose dispatch day has passed is not opened any more (no back-filling of missed rounds)."""
    result = []
    for due in dates_around(today, days, before=0, after=1):
        opens = due - dt.timedelta(days=open_days_before)
        if opens <= today <= due:
            result.append((due, opens))
    return result


def previous_dispatch_day(due: dt.date, days: Iterable[int]) -> dt.date:
    """The dispatch day before ``due`` by the calendar (its round's period starts the day after)."""
    earlier = [d for d in dates_around(due, days, before=2, after=0) if d < due]
    return max(earlier)
