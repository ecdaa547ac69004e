"""The inquiry response clock: first response in 1 working day, assessment in 3, feedback in 7."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.activities import services
from zhaoshang.activities.models import Activity
from zhaoshang.core.deadlines import Light
from zhaoshang.core.errors import OutOfScope, ValidationError

# Friday 2025-09-26: the National Day holiday runs 10-01..10-08, with Sunday 09-28 and Saturday
# 10-11 worked instead.
FRIDAY = dt.datetime(2025, 9, 26, 10, 0, tzinfo=dt.UTC)


def inquiry(cast, received=FRIDAY, unit=None, by=None):
    return services.create_activity(
        by=by or cast.operator_a,
        data={
            "kind": "inquiry",
            "unit": unit or cast.town_a,
            "title": "客商咨询用地政策",
            "starts_on": timezone.localdate(received),
            "received_at": received,
            "channel": "phone",
            "content": "询问标准厂房租金",
        },
    )


def lights(activity, today):
    return {row["step"]: (row["deadline"], row["light"]) for row in services.clock(activity, today)}


def test_deadlines_follow_the_official_calendar_with_its_swapped_workdays(cast):
    rows = lights(inquiry(cast), dt.date(2025, 9, 26))
    assert rows["response"][0] == dt.date(2025, 9, 28)  # the Sunday worked before National Day
    assert rows["assessment"][0] == dt.date(2025, 9, 30)
    assert rows["feedback"][0] == dt.date(2025, 10, 13)  # 9-28, 29, 30, then 10-09, 10, 11 (Sat), 13
    assert rows["response"][1] == Light.YELLOW


def test_an_open_step_turns_red_after_its_deadline_and_a_done_one_shows_how_it_went(cast):
    activity = inquiry(cast)
    assert lights(activity, dt.date(2025, 9, 29))["response"][1] == Light.RED
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *a: dt.date(2025, 9, 29))
        services.record_step(activity, "response", by=cast.operator_a, on=dt.date(2025, 9, 29))
    rows = lights(activity, dt.date(2025, 9, 29))
    assert rows["response"][1] == Light.DONE_LATE
    assert rows["assessment"][1] == Light.YELLOW
    step = activity.steps.get()
    assert step.done_by == cast.operator_a and step.done_by_name == str(cast.operator_a)


def test_the_limits_come_from_the_settings(cast, settings):
    settings.INQUIRY_RESPONSE_DAYS = 2
    rows = lights(inquiry(cast), dt.date(2025, 9, 26))
    assert rows["response"][0] == dt.date(2025, 9, 29)


def test_steps_are_recorded_in_order_once_each_and_not_in_the_future(cast):
    activity = inquiry(cast, received=timezone.now() - dt.timedelta(days=20))
    with pytest.raises(ValidationError):
        services.record_step(activity, "assessment", by=cast.operator_a)  # before the first response
    services.record_step(activity, "response", by=cast.operator_a)
    with pytest.raises(ValidationError):
        services.record_step(activity, "response", by=cast.operator_a)
    with pytest.raises(ValidationError):
        services.record_step(
            activity, "assessment", by=cast.operator_a, on=timezone.localdate() + dt.timedelta(1)
        )
    with pytest.raises(OutOfScope):
        services.record_step(activity, "assessment", by=cast.operator_b)
    assert activity.steps.count() == 1


def test_the_bureau_sees_overdue_inquiries_and_the_neighbour_does_not(client, cast):
    late = inquiry(cast, received=timezone.now() - dt.timedelta(days=20))
    fresh = services.create_activity(
        by=cast.operator_a,
        data={
            "kind": "inquiry",
            "unit": cast.town_a,
            "title": "刚收到的咨询",
            "starts_on": timezone.localdate(),
        },
    )
    answered = inquiry(cast, received=timezone.now() - dt.timedelta(days=20))
    for step in ("response", "assessment", "feedback"):
        services.record_step(answered, step, by=cast.operator_a)
    Activity.objects.filter(pk=answered.pk).update(title="已办结咨询")
    client.force_login(cast.admin)
    text = client.get(reverse("activities:overdue")).content.decode()
    assert late.title in text and fresh.title not in text and "已办结咨询" not in text
    client.force_login(cast.operator_b)
    assert late.title not in client.get(reverse("activities:overdue")).content.decode()
    client.force_login(cast.stranger)
    assert late.title not in client.get(reverse("activities:overdue")).content.decode()


def test_the_step_page_records_a_step_and_refuses_the_neighbour(client, cast):
    activity = inquiry(cast, received=timezone.now() - dt.timedelta(days=3))
    url = reverse("activities:step", args=[activity.pk])
    client.force_login(cast.operator_b)
    assert client.post(url, {"step": "response", "done_on": timezone.localdate()}).status_code == 404
    client.force_login(cast.leader)
    assert client.post(url, {"step": "response", "done_on": timezone.localdate()}).status_code == 404
    client.force_login(cast.operator_a)
    client.post(url, {"step": "response", "done_on": timezone.localdate(), "note": "已电话回复"})
    assert activity.steps.get().note == "已电话回复"
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "已电话回复" in detail and 'data-testid="light-response"' in detail
