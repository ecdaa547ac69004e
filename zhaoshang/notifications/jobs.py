"""Delivering notifications: e-mails and WeCom group messages go out from the queue."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import job
from zhaoshang.notifications.services import DELIVER, deliver


class DeliveryFailed(Exception):
    pass


@job(DELIVER, label=gettext_lazy("Send notifications"))
def send(run: Job, notifications: list[int], messages: list[int]) -> str:
    mailed, posted, failures = deliver(notifications, messages)
    if failures:
        # The job fails so that it shows and can be retried; what was sent is not sent again.
        raise DeliveryFailed(
            _("%(failed)s not sent (%(mailed)s e-mails and %(posted)s group messages sent): %(first)s")
            % {"failed": len(failures), "mailed": mailed, "posted": posted, "first": failures[0]}
        )
    return _("%(mailed)s e-mails and %(posted)s group messages sent") % {"mailed": mailed, "posted": posted}
