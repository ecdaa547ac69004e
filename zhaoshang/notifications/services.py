"""Notifying users: the one function every app calls (``notify``), its delivery by e-mail and to a
unit's WeCom group from the job queue, and marking notifications read."""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import user_can
from zhaoshang.jobs import services as jobs
from zhaoshang.notifications.models import GroupMessage, Notification, UnitRobot
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

log = logging.getLogger(__name__)

DELIVER = "notifications.deliver"

_batch = threading.local()


def notify(
    users: Iterable[Any], *, title: str, body: str, link: str = "", key: str, unit: Any = None
) -> list[Notification]:
    """Notify each user once per ``key``: an in-app notification, and an e-mail to those with an
    address. With ``unit``, the message also goes once per key to the unit's WeCom group when it has
    a robot. Returns the notifications created now; users notified under this key before are
    skipped, so callers may repeat a run safely.

    Inactive users and duplicates in ``users`` are skipped. The e-mails and the group message are
    sent by the job queue, never inside the caller's request: the delivery job is written in the
    caller's transaction, so a rolled-back change sends nothing, and a slow or failing mail server
    holds no page."""
    recipients = {u.pk: u for u in users if u is not None and getattr(u, "is_active", False)}
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
    mails = [n.pk for n in created if recipients[n.recipient_id].email]
    posts = [m.pk for m in [_group_message(unit, key, title, body, link)] if m is not None]
    _deliver_later(mails, posts, unit)
    return created


def _group_message(unit: Any, key: str, title: str, body: str, link: str) -> GroupMessage | None:
    unit_id = getattr(unit, "pk", unit)
    if unit_id is None or not UnitRobot.objects.filter(unit_id=unit_id, is_active=True).exists():
        return None
    text = "\n".join(part for part in (title, body, _absolute(link)) if part)
    try:
        with transaction.atomic():
            return GroupMessage.objects.create(unit_id=unit_id, key=key[:120], text=text)
    except IntegrityError:  # posted under this key before
        return None


def _absolute(link: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{link}" if link else ""


@contextmanager
def batched_delivery() -> Iterator[None]:
    """Within the block, every ``notify`` adds its e-mails and group messages to one delivery job
    of the whole deployment, queued at the end (a daily run of reminders makes one job, not one per
    reminder)."""
    if getattr(_batch, "pending", None) is not None:  # nested: the outer block delivers
        yield
        return
    _batch.pending = ([], [])
    try:
        yield
        mails, posts = _batch.pending
    finally:
        _batch.pending = None
    _queue(mails, posts, None)


def _deliver_later(mails: list[int], posts: list[int], unit: Any) -> None:
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending[0].extend(mails)
        pending[1].extend(posts)
    else:
        _queue(mails, posts, unit)


def _queue(mails: list[int], posts: list[int], unit: Any) -> None:
    """One delivery job: the unit's own when the notice is about one unit, else the deployment's."""
    if mails or posts:
        unit_id = getattr(unit, "pk", unit)
        jobs.enqueue(
            DELIVER,
            unit=unit_id and Unit.objects.get(pk=unit_id),
            params={"notifications": mails, "messages": posts},
        )


def deliver(notifications: list[int], messages: list[int]) -> tuple[int, int, list[str]]:
    """Send the e-mails of these notifications and post these group messages, those not sent yet
    (a retried job sends only what failed). Returns (mailed, posted, failures)."""
    failures: list[str] = []
    mailed = posted = 0
    pending = Notification.objects.filter(pk__in=notifications, emailed=False).select_related("recipient")
    if pending:
        connection = get_connection()
        try:
            for note in pending:
                message = EmailMessage(
                    note.title,
                    note.body + (f"\n\n{_absolute(note.link)}" if note.link else ""),
                    settings.DEFAULT_FROM_EMAIL,
                    [note.recipient.email],
                    connection=connection,
                )
                try:
                    message.send()
                except Exception as error:  # one bad address or a server down: the others still go
                    log.warning("could not e-mail notification %s: %s", note.pk, error)
                    failures.append(
                        _("e-mail to %(address)s: %(error)s")
                        % {"address": note.recipient.email, "error": error}
                    )
                    continue
                Notification.objects.filter(pk=note.pk).update(emailed=True)
                mailed += 1
        finally:
            connection.close()
    for post in GroupMessage.objects.filter(pk__in=messages, sent_at__isnull=True):
        robot = UnitRobot.objects.filter(unit_id=post.unit_id, is_active=True).first()
        if robot is None:
            continue
        try:
            post_to_wecom(robot.webhook_url, post.text)
        except Exception as error:
            log.warning("could not post group message %s: %s", post.pk, error)
            failures.append(_("WeCom group of %(unit)s: %(error)s") % {"unit": robot.unit, "error": error})
            continue
        GroupMessage.objects.filter(pk=post.pk).update(sent_at=timezone.now())
        posted += 1
    return mailed, posted, failures


class WeComError(Exception):
    pass


def webhook_host_allowed(url: str) -> bool:
    """Only the WeCom hosts of ``WECOM_WEBHOOK_HOSTS`` are posted to (a robot's address is typed in
    by an administrator; it must not make the server call anywhere on its network)."""
    parts = urlsplit(url)
    return parts.scheme in {"https", "http"} and (parts.hostname or "") in settings.WECOM_WEBHOOK_HOSTS


def post_to_wecom(url: str, text: str) -> None:
    """Post a text message to a WeCom group robot; raise WeComError unless WeCom answers errcode 0."""
    if not webhook_host_allowed(url):
        raise WeComError(_("The robot's address is not on a WeCom host."))
    payload = json.dumps({"msgtype": "text", "text": {"content": text[:2000]}}, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 (the scheme and host are checked above)
        url, data=payload, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=settings.WECOM_TIMEOUT) as response:  # noqa: S310
        answer = json.loads(response.read(65536) or b"{}")
    if answer.get("errcode") != 0:
        raise WeComError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def mark_read(user: User, pks: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones without ``pks``); returns how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    return rows.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# ------------------------------------------------------------------------ WeCom group robots

_SECRET = ("webhook_url",)


def may_configure_robot(user: User, unit: Unit) -> bool:
    return user_can(user, Action.CONFIGURE, unit, on=ObjectType.UNIT)


@transaction.atomic
def set_robot(unit: Unit, *, by: User, webhook_url: str, is_active: bool) -> UnitRobot | None:
    """Set, change or (with an empty address) remove the WeCom group robot of ``unit``. The audit
    log records the change but not the address, which is the group's key."""
    if not may_configure_robot(by, unit):
        raise PermissionDenied
    webhook_url = webhook_url.strip()
    robot = UnitRobot.objects.filter(unit=unit).first()
    before = audit.snapshot(robot, exclude=_SECRET) if robot else None
    if not webhook_url:
        if robot is not None:
            audit.record(audit.Entry.Action.DELETE, robot, by=by, unit=unit, before=before)
            robot.delete()
        return None
    if not webhook_host_allowed(webhook_url):
        raise ValidationError(
            {
                "webhook_url": _("The address must be a WeCom group robot's webhook (on %(hosts)s).")
                % {"hosts": ", ".join(settings.WECOM_WEBHOOK_HOSTS)}
            }
        )
    old_url = robot.webhook_url if robot else ""
    robot = robot or UnitRobot(unit=unit)
    robot.webhook_url, robot.is_active = webhook_url, is_active
    robot.save()
    action = audit.Entry.Action.UPDATE if before else audit.Entry.Action.CREATE
    changed = before is None or robot.webhook_url != old_url
    audit.record(
        action,
        robot,
        by=by,
        unit=unit,
        before=before,
        after=audit.snapshot(robot, exclude=_SECRET),
        note="webhook address set" if changed else "",
    )
    return robot


def send_test_message(unit: Unit, *, by: User) -> None:
    """Queue a test message to the unit's group (its outcome shows on the jobs page)."""
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    message = GroupMessage.objects.create(
        unit=unit,
        key=f"robot-test:{stamp}",
        text=_("Test message from Zhaoshang: the group of %(unit)s receives its reminders here.")
        % {"unit": unit},
    )
    jobs.enqueue(DELIVER, unit=unit, by=by, params={"notifications": [], "messages": [message.pk]})
