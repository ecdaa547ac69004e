"""Notifying users: the one function every app calls (``notify``), and marking notifications read."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhaoshang.notifications.models import Notification

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

log = logging.getLogger(__name__)


def notify(users: Iterable[Any], *, title: str, body: str, link: str = "", key: str) -> list[Notification]:
    """Notify each user once per ``key``: an in-app notification and an e-mail (through Django's mail
    API, ``EMAIL_BACKEND``) to those with an address. Returns the notifications created now; users
    notified under this key before are skipped, so callers may repeat a run safely.

    Inactive users and duplicates in ``users`` are skipped. The e-mail goes out after the transaction
    commits, so a rolled-back change sends nothing; a failing mail server is logged, never raised."""
    recipients = {u.pk: u for u in users if u is not None and getattr(u, "is_active", False)}
    if not recipients:
        return []
    known = set(
        Notification.objects.filter(recipient_id__in=recipients, key=key).values_list(
            "recipient_id", flat=True
        )
    )
    created = []
    for pk, user in sorted(recipients.items()):
        if pk in known:
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=user, key=key[:120], title=title[:200], body=body, link=link[:300]
                )
        except IntegrityError:  # notified meanwhile by a concurrent run
            continue
        created.append(note)
    mailable = [n for n in created if recipients[n.recipient_id].email]
    if mailable:
        transaction.on_commit(lambda: _send([(n.pk, recipients[n.recipient_id].email) for n in mailable]))
    return created


def _send(targets: list[tuple[int, str]]) -> None:
    for pk, address in targets:
        note = Notification.objects.get(pk=pk)
        text = note.body + (f"\n\n{settings.SITE_URL.rstrip('/')}{note.link}" if note.link else "")
        try:
            send_mail(note.title, text, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # a mail server down must not undo or stop the work
            log.exception("could not e-mail notification %s", pk)
            continue
        Notification.objects.filter(pk=pk).update(emailed=True)


def mark_read(user: User, pks: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones without ``pks``); returns how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    return rows.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
