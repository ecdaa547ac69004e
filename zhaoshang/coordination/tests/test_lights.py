"""Lights of requests from core.deadlines.light, the overdue list and the counts per owner unit."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhaoshang.coordination import services
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.deadlines import Light, add_working_days

MONDAY = dt.date(2025, 6, 9)  # an ordinary working week


def accepted(cast, title, *, on, deadline, owner=None):
    request = services.raise_request(
        kind="staff_problem", title=title, description="x", unit=cast.town_a, by=None, raised_on=on
    )
    return services.accept_request(
        request, by=None, owner_unit=owner or cast.department, on=on, deadline=deadline
    )


def test_an_open_request_is_green_then_yellow_then_red(cast, settings):
    settings.DEADLINE_WARN_WORKING_DAYS = 1
    request = accepted(cast, "a", on=MONDAY, deadline=dt.date(2025, 6, 13))  # Friday
    assert request.light(today=MONDAY) == Light.GREEN
    assert request.light(today=dt.date(2025, 6, 12)) == Light.YELLOW  # one working day before
    assert request.light(today=dt.date(2025, 6, 13)) == Light.YELLOW  # the deadline day itself
    assert request.light(today=dt.date(2025, 6, 14)) == Light.RED


def test_an_answered_request_is_done_or_done_late_by_the_day_of_the_answer(cast):
    on_time = accepted(cast, "on time", on=MONDAY, deadline=dt.date(2025, 6, 13))
    CoordinationRequest.objects.filter(pk=on_time.pk).update(
        status="answered", answered_on=dt.date(2025, 6, 13)
    )
    late = accepted(cast, "late", on=MONDAY, deadline=dt.date(2025, 6, 13))
    CoordinationRequest.objects.filter(pk=late.pk).update(status="closed", answered_on=dt.date(2025, 6, 16))
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.light(today=dt.date(2025, 7, 1)) == Light.DONE
    assert late.light(today=dt.date(2025, 7, 1)) == Light.DONE_LATE


def test_a_submitted_or_rejected_request_has_no_light(cast, raised):
    assert raised.light() is None
    assert services.reject_request(raised, by=cast.admin, reason="x").light() is None


def test_the_default_deadline_counts_working_days_from_acceptance(cast, raised, settings):
    settings.REQUEST_DEADLINE_WORKING_DAYS = {**settings.REQUEST_DEADLINE_WORKING_DAYS, "staff_problem": 3}
    friday = dt.date(2025, 6, 13)
    CoordinationRequest.objects.filter(pk=raised.pk).update(raised_on=friday)
    request = services.accept_request(raised, by=cast.admin, owner_unit=cast.department, on=friday)
    assert request.deadline == add_working_days(friday, 3) == dt.date(2025, 6, 18)


def test_the_overdue_list_holds_only_red_requests_oldest_first(cast):
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=60)
    older = accepted(cast, "older", on=long_ago, deadline=long_ago + dt.timedelta(days=5))
    newer = accepted(cast, "newer", on=long_ago, deadline=long_ago + dt.timedelta(days=20))
    accepted(cast, "not due", on=today, deadline=add_working_days(today, 10))
    answered_late = accepted(cast, "answered", on=long_ago, deadline=long_ago + dt.timedelta(days=1))
    CoordinationRequest.objects.filter(pk=answered_late.pk).update(status="answered", answered_on=today)
    assert list(services.overdue(CoordinationRequest.objects.all())) == [older, newer]
    assert all(r.light() == Light.RED for r in services.overdue(CoordinationRequest.objects.all()))


def test_the_counts_by_light_per_owner_unit(cast):
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=60)
    accepted(cast, "red", on=long_ago, deadline=long_ago + dt.timedelta(days=5))
    accepted(cast, "green", on=today, deadline=add_working_days(today, 10))
    late = accepted(cast, "late", on=long_ago, deadline=long_ago + dt.timedelta(days=1), owner=cast.town_b)
    CoordinationRequest.objects.filter(pk=late.pk).update(status="closed", answered_on=today, rating=3)
    counts = dict(services.light_counts(CoordinationRequest.objects.all(), today))
    assert counts[cast.department] == {"green": 1, "yellow": 0, "red": 1, "done": 0, "done_late": 0}
    assert counts[cast.town_b] == {"green": 0, "yellow": 0, "red": 0, "done": 0, "done_late": 1}
