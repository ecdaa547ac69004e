"""Reminders of the deadlines a unit owns: a request to answer, an item to rectify. Once when the
deadline is near (yellow), once when it has passed (red); nothing when it is far off or done."""

from __future__ import annotations

import datetime as dt

import pytest

from zhaoshang.coordination import services as coordination
from zhaoshang.inspections import services as inspections
from zhaoshang.jobs import services as jobs
from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.jobs.testing import run_queued
from zhaoshang.notifications.models import Notification

# 2026-03-16 is a Monday; with one working day of warning, Friday the 13th warns of it.
DEADLINE = dt.date(2026, 3, 16)


def run(kind: str, day: dt.date) -> Job:
    job = jobs.enqueue(kind, params={"today": day.isoformat()})
    run_queued()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


def keys(user) -> list[str]:
    return sorted(user.notifications.values_list("key", flat=True))


@pytest.fixture(autouse=True)
def one_day_warning(settings):
    settings.DEADLINE_WARN_WORKING_DAYS = 1


def accepted_request(cast, title: str):
    """A request of town B, accepted on 2026-03-09 for town A to answer by DEADLINE."""
    request = coordination.raise_request(
        kind="staff_problem",
        title=title,
        description="x",
        unit=cast.town_b,
        by=None,
        raised_on=dt.date(2026, 3, 9),
    )
    return coordination.accept_request(
        request, by=None, owner_unit=cast.town_a, deadline=DEADLINE, on=dt.date(2026, 3, 9)
    )


def test_an_accepted_request_is_reminded_of_near_its_deadline_and_once_overdue(cast):
    request = accepted_request(cast, "用地报批卡在县自然资源局")
    run("coordination.deadlines", dt.date(2026, 3, 10))  # far off: green
    assert not Notification.objects.exists()
    job = run("coordination.deadlines", dt.date(2026, 3, 13))
    assert keys(cast.operator_a) == [f"request:due:{request.pk}"] and "1" in job.message
    run("coordination.deadlines", dt.date(2026, 3, 17))
    run("coordination.deadlines", dt.date(2026, 3, 18))
    assert keys(cast.operator_a) == [f"request:due:{request.pk}", f"request:overdue:{request.pk}"]
    note = cast.operator_a.notifications.get(key=f"request:overdue:{request.pk}")
    assert "2026-03-16" in note.title and "用地报批" in note.title and note.link == request.get_absolute_url()
    assert not cast.operator_b.notifications.exists()  # the requesting unit is not the one reminded


def test_a_rectification_item_is_reminded_of_until_it_is_reported_done(cast):
    inspection = inspections.create_inspection(
        by=None,
        unit=cast.town_a,
        year=2026,
        quarter=1,
        inspected_on=dt.date(2026, 3, 2),
        inspectors="督查组",
        findings="台账不全",
        items=[
            inspections.ItemData("补齐项目台账", cast.town_a, DEADLINE),
            inspections.ItemData("更新客商名录", cast.town_b, DEADLINE),
        ],
    )
    done = inspection.items.get(owner_unit=cast.town_b)
    inspections.report_rectification(done, by=None, evidence="已更新")
    run("inspections.deadlines", dt.date(2026, 3, 13))
    item = inspection.items.get(owner_unit=cast.town_a)
    assert keys(cast.operator_a) == [f"rectification:due:{item.pk}"]
    assert not cast.operator_b.notifications.exists()
    run("inspections.deadlines", dt.date(2026, 3, 17))
    assert f"rectification:overdue:{item.pk}" in keys(cast.operator_a)


def test_a_deadline_long_past_is_history_not_a_reminder(cast):
    accepted_request(cast, "旧诉求")
    run("coordination.deadlines", DEADLINE + dt.timedelta(days=60))
    assert not Notification.objects.exists()
