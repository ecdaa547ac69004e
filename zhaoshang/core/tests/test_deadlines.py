"""Working days follow the official calendar; lights follow the deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.core import deadlines
from zhaoshang.core.deadlines import (
    Light,
    add_working_days,
    is_working_day,
    light,
    working_days_between,
)

D = dt.date


def test_a_swapped_saturday_is_a_working_day():
    # 2026-10-10 is a Saturday worked in exchange for the National Day week.
    assert D(2026, 10, 10).weekday() == 5
    assert is_working_day(D(2026, 10, 10))


def test_national_day_is_not_a_working_day_though_it_is_a_weekday():
    assert D(2026, 10, 1).weekday() == 3
    assert not is_working_day(D(2026, 10, 1))


def test_a_year_without_a_published_calendar_falls_back_to_monday_to_friday():
    assert is_working_day(D(2030, 1, 7))  # a Monday
    assert not is_working_day(D(2030, 1, 5))  # a Saturday


def test_one_working_day_after_a_friday_is_the_monday():
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)


def test_working_days_skip_the_national_day_week_and_count_the_swapped_saturday():
    # 30 September (Wednesday) + 1 working day: 1-7 October are holidays, Thursday 8th is worked.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # Friday 9th is worked, and so is Saturday 10th (swapped).
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_zero_working_days_from_a_holiday_is_the_next_working_day():
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 23), -1)


def test_working_days_between_counts_the_end_not_the_start():
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 18), Light.GREEN),  # Wednesday: two working days before Friday's deadline
        (D(2026, 11, 19), Light.YELLOW),  # one working day before
        (D(2026, 11, 20), Light.YELLOW),  # the deadline day itself
        (D(2026, 11, 21), Light.RED),  # the day after
    ],
)
def test_an_open_item_is_green_then_yellow_then_red(today, expected):
    assert light(D(2026, 11, 20), today=today) == expected


def test_a_weekend_before_the_deadline_does_not_count_toward_the_warning():
    # Deadline Monday 23rd; on Friday 20th only one working day remains.
    assert light(D(2026, 11, 23), today=D(2026, 11, 20)) == Light.YELLOW
    assert light(D(2026, 11, 23), today=D(2026, 11, 19)) == Light.GREEN


def test_a_done_item_is_judged_by_the_day_it_was_done():
    assert light(D(2026, 11, 20), done_on=D(2026, 11, 20), today=D(2026, 12, 30)) == Light.DONE
    assert light(D(2026, 11, 20), done_on=D(2026, 11, 21), today=D(2026, 11, 21)) == Light.DONE_LATE


def _walked(start: dt.date, end: dt.date) -> int:
    """The definition, one day at a time: what the counted version must agree with."""
    if end < start:
        return -_walked(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


@given(
    start=st.dates(min_value=D(2001, 1, 1), max_value=D(2031, 12, 31)),
    span=st.integers(min_value=-900, max_value=900),
)
@settings(max_examples=300, deadline=None)
def test_counted_working_days_agree_with_walking_the_calendar(start: dt.date, span: int) -> None:
    # The range covers years before, inside and after the package's calendar (2004 to its last year).
    end = start + dt.timedelta(days=span)
    assert working_days_between(start, end) == _walked(start, end)


def test_the_light_of_a_deadline_in_9999_does_not_walk_the_days(monkeypatch: pytest.MonkeyPatch) -> None:
    # The probe's deadline of 9999-12-31 walked 2.9 million days per render (98.5 s of CPU) and hung
    # every page showing the item; the count is now arithmetic and never asks day by day.
    asked: list[dt.date] = []
    monkeypatch.setattr(deadlines, "is_working_day", lambda day: asked.append(day) or True)
    assert light(D(9999, 12, 31), today=D(2026, 12, 7)) == Light.GREEN
    assert working_days_between(D(2026, 12, 7), D(9999, 12, 31)) > 2_000_000
    assert asked == []
