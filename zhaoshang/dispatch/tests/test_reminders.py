"""send_dispatch_reminders: before the dispatch day and when overdue, once each, to the operators
of the owning unit and the project's stewards, in the application and by e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.permissions import Role
from zhaoshang.dispatch import services
from zhaoshang.dispatch.tests.conftest import worded
from zhaoshang.jobs.testing import run_queued
from zhaoshang.notifications.models import Notification
from zhaoshang.projects.models import Steward


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DISPATCH_REMINDER_DAYS = 2


@pytest.fixture
def people(cast, opened):
    cast.operator_a.email = "town_a@example.gov.cn"
    cast.operator_a.save()
    steward = User.objects.create_user(
        username="baomu", password="x", display_name="项目保姆", email="bm@example.gov.cn"
    )
    Membership.objects.create(user=steward, unit=cast.town_a, role=Role.STEWARD)
    Steward.objects.create(project=opened["a"], name="项目保姆", user=steward)
    return steward


def run(day: str) -> None:
    call_command("send_dispatch_reminders", today=day, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_reminders_go_before_the_dispatch_day_once_each(cast, opened, people):
    run("2026-03-09")  # three days before: too early
    assert not Notification.objects.exists()
    run("2026-03-10")
    run("2026-03-11")
    assert mail.outbox == []  # the worker sends them, not the command
    run_queued()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"town_a", "town_b", "baomu"}
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["bm@example.gov.cn", "town_a@example.gov.cn"]


def test_a_submitted_report_is_not_reminded_of_and_an_overdue_one_is_once(cast, opened, people):
    report = worded(services.create_report(opened["round"], opened["a"], by=cast.operator_a), cast.operator_a)
    services.submit_report(report, by=cast.operator_a, today=dt.date(2026, 3, 10))
    run("2026-03-11")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"town_b"}
    run("2026-03-13")
    run("2026-03-14")
    overdue = Notification.objects.filter(key__startswith="dispatch:overdue:")
    assert list(overdue.values_list("recipient__username", flat=True)) == ["town_b"]
    assert cast.leader.notifications.count() == 0 and cast.stranger.notifications.count() == 0
