"""Promotion activities (招商活动): one table for every kind, so that there is one list, one API and
one timeline; each kind uses the fields KIND_FIELDS names."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.choices import ActivityKind, Channel, Step
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.fields import AMOUNT, optional_link, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet


class ActivityQuerySet(ScopedQuerySet):
    permission_type = ObjectType.ACTIVITY
    scope_path_field = "unit__path"


class Activity(models.Model):
    """招商活动: an outbound trip (外出招商), inbound visit (来访考察), inquiry (咨询), trade fair or
    event (洽谈会/博览会) or resident office (驻外办事处), credited to one unit."""

    kind = models.CharField(_("activity type"), max_length=10, choices=ActivityKind.choices)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"), validators=[plausible_date])
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=[plausible_date])
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Destinations, venue, or the office's city.")
    )
    team = models.CharField(
        _("team members"), max_length=300, blank=True, help_text=_("Trip members, or the office's staff.")
    )
    hosts = models.CharField(_("hosts"), max_length=300, blank=True)
    people = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    content = models.TextField(_("content"), blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    intents = models.PositiveIntegerField(_("intent agreements"), null=True, blank=True)
    amount = models.DecimalField(_("amount (10,000 CNY)"), null=True, blank=True, **AMOUNT)
    materials = models.CharField(_("materials handed out"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    office = optional_link(
        "self",
        _("resident office"),
        related_name="office_activities",
        on_delete=models.SET_NULL,
        limit_choices_to={"kind": ActivityKind.OFFICE},
        help_text=_("The resident office this activity belongs to, if any."),
    )
    investors = models.ManyToManyField(
        "investors.Investor", verbose_name=_("investors"), blank=True, related_name="activities"
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projects"), blank=True, related_name="activities"
    )
    created_by = user_link()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("promotion activity")
        verbose_name_plural = _("promotion activities")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "starts_on"]),
            # The list's order, read backwards: a page of 50 without sorting every activity in scope.
            models.Index(fields=["starts_on", "id"], name="activity_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def days_away(self) -> int | None:
        """出差天数: both days counted."""
        if self.kind != ActivityKind.TRIP:
            return None
        return ((self.ends_on or self.starts_on) - self.starts_on).days + 1

    @property
    def received_on(self) -> dt.date:
        """The day an inquiry's clock starts: the day it was received, or else its date."""
        from django.utils import timezone

        return timezone.localdate(self.received_at) if self.received_at else self.starts_on


class InquiryStep(models.Model):
    """咨询办理环节: one step of an inquiry's response clock, done by whom and when."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    done_on = models.DateField(_("done on"), validators=[plausible_date])
    done_by = user_link()
    done_by_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inquiry step")
        verbose_name_plural = _("inquiry steps")
        constraints = [models.UniqueConstraint(fields=["activity", "step"], name="inquiry_step_once")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.step} {self.done_on}"
