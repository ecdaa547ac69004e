"""Kinds, states and the transition table of requests for coordination (需协调事项)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    DISPATCH_PROBLEM = "dispatch_problem", _("Problem from dispatch")
    COMPLAINT = "complaint", _("Complaint")
    INQUIRY = "inquiry", _("Inquiry")
    STAFF_PROBLEM = "staff_problem", _("Problem raised by staff")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class ActivityKind(models.TextChoices):
    """One line of a request's timeline: a transition or a comment."""

    RAISED = "raised", _("raised")
    ACCEPTED = "accepted", _("accepted and assigned")
    REJECTED = "rejected", _("rejected")
    PROGRESS = "progress", _("progress reply")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed with a rating")
    REOPENED = "reopened", _("reopened")
    COMMENT = "comment", _("comment")


# status -> the statuses a request may move to (each move is one service function).
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.SUBMITTED: frozenset({RequestStatus.ACCEPTED, RequestStatus.REJECTED}),
    RequestStatus.ACCEPTED: frozenset({RequestStatus.ANSWERED}),
    RequestStatus.ANSWERED: frozenset({RequestStatus.CLOSED, RequestStatus.ACCEPTED}),
    RequestStatus.CLOSED: frozenset(),
    RequestStatus.REJECTED: frozenset(),
}
# Requests the owner unit still works on, and those that have a deadline light.
OPEN = frozenset({RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.ANSWERED})
WITH_LIGHT = frozenset({RequestStatus.ACCEPTED, RequestStatus.ANSWERED, RequestStatus.CLOSED})
