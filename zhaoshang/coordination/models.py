"""Requests for coordination (需协调事项): problems from dispatch, complaints (投诉) and inquiries
(咨询) of landed enterprises, problems raised by staff; each with its timeline of activities."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.coordination.choices import WITH_LIGHT, ActivityKind, RequestKind, RequestStatus
from zhaoshang.coordination.sources import Source
from zhaoshang.coordination.sources import describe as describe_source
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.deadlines import Light, light
from zhaoshang.core.fields import optional_link, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet, path_q


class RequestQuerySet(ScopedQuerySet):
    permission_type = ObjectType.REQUEST
    scope_path_field = "unit__path"

    def scope_q(self, roots: list[str], action: str) -> Q:
        """The requesting unit's subtree and the owner unit's subtree both see a request (as a
        credited unit sees a project); which side may do what is decided by the services."""
        return path_q("unit__path", roots) | path_q("owner_unit__path", roots)


def _file_path(instance: Activity, filename: str) -> str:
    # A random folder: the name a user gave never decides where the file lands.
    return f"coordination/{uuid.uuid4().hex}/{filename[-100:]}"


class CoordinationRequest(models.Model):
    """需协调事项: a problem, complaint or inquiry that an owner unit must answer by a deadline.

    Named so that it is never confused with an HTTP request (Django's ``request``); it was
    ``Request`` until migration 0003, which kept its table and its audit object type."""

    # Audit entries written before the rename say "coordination.request"; new ones say the same
    # (audit.display.audit_label), so that a request's history stays one and the chain is untouched.
    audit_label = "coordination.request"

    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("requesting unit"), on_delete=models.PROTECT, related_name="requests"
    )
    raised_by = user_link(verbose_name=_("raised by"))
    raised_by_name = models.CharField(_("raised by"), max_length=150, blank=True)
    project = optional_link("projects.Project", _("project"), related_name="requests")
    source = models.CharField(
        _("raised from"),
        max_length=100,
        blank=True,
        help_text="where it was raised, e.g. dispatch-report:123",
    )
    owner_unit = optional_link("units.Unit", _("owner unit"), related_name="owned_requests")
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate, validators=[plausible_date])
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, validators=[plausible_date])
    deadline = models.DateField(_("deadline"), null=True, blank=True, validators=[plausible_date])
    answered_on = models.DateField(_("answered on"), null=True, blank=True, validators=[plausible_date])
    closed_on = models.DateField(_("closed on"), null=True, blank=True, validators=[plausible_date])
    reject_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("evaluation"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        # The table of the model's first name: the rename is a change of names in Python only.
        db_table = "coordination_request"
        verbose_name = _("request for coordination")
        verbose_name_plural = _("requests for coordination")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["owner_unit", "status"]),
            models.Index(fields=["source"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="request_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:detail", args=[self.pk])

    @property
    def source_display(self) -> Source | None:
        """Where the request was raised from, in words and as a link (``sources.py``)."""
        return describe_source(self.source)

    def light(self, today: dt.date | None = None) -> Light | None:
        """The deadline light once accepted: done or done late by the day of the answer."""
        if self.status not in WITH_LIGHT or self.deadline is None:
            return None
        return light(
            self.deadline,
            done_on=self.answered_on,
            today=today,
            warn_days=settings.DEADLINE_WARN_WORKING_DAYS,
        )


class Activity(models.Model):
    """办理记录: one line of a request's timeline (a transition or a comment), with an optional file."""

    request = models.ForeignKey(CoordinationRequest, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=_file_path, blank=True)
    by = user_link()
    by_name = models.CharField(_("by"), max_length=150, blank=True)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    @property
    def file_name(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]
