"""Notifications: once per key and recipient, e-mailed through Django's mail API, read by their
recipient only, counted in the nav badge."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from zhaoshang.jobs.testing import run_queued
from zhaoshang.notifications.models import Notification
from zhaoshang.notifications.services import notify


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_key_notifies_each_recipient_once_and_mails_those_with_an_address(cast):
    cast.operator_a.email = "a@example.gov.cn"
    cast.operator_a.save()
    first = notify(
        [cast.operator_a, cast.operator_b, cast.operator_a],
        title="催报",
        body="请填报",
        link="/dispatch/",
        key="k1",
    )
    again = notify([cast.operator_a, cast.operator_b], title="催报", body="请填报", key="k1")
    assert len(first) == 2 and again == []
    assert mail.outbox == []  # queued, not sent inside the caller
    run_queued()
    assert Notification.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["a@example.gov.cn"]]
    assert "/dispatch/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=cast.operator_a).emailed


def test_inactive_users_are_not_notified(cast):
    cast.operator_b.is_active = False
    cast.operator_b.save()
    assert notify([cast.operator_b], title="t", body="", key="k") == []


def test_only_the_recipient_reads_and_marks_a_notification(client, cast):
    (note,) = notify([cast.operator_a], title="河口乡不可见", body="", key="k")
    client.force_login(cast.operator_b)
    assert "河口乡不可见" not in client.get(reverse("notifications:list")).content.decode()
    assert client.post(reverse("notifications:read", kwargs={"pk": note.pk})).status_code == 404
    client.force_login(cast.operator_a)
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-badge">1<' in page
    client.post(reverse("notifications:read", kwargs={"pk": note.pk}))
    note.refresh_from_db()
    assert note.is_read
    assert 'data-testid="unread-badge"' not in client.get(reverse("core:home")).content.decode()
