"""Quarterly inspections (督查) and their rectification items (整改事项)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.dates import plausible_date
from zhaoshang.core.deadlines import Light, light
from zhaoshang.core.fields import optional_link, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet, path_q
from zhaoshang.inspections.choices import QUARTERS, ItemStatus

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


class InspectionQuerySet(ScopedQuerySet):
    permission_type = ObjectType.INSPECTION
    scope_path_field = "unit__path"

    def scope_q(self, roots: list[str], action: str) -> Q:
        """The inspected unit's subtree, and the owner units of its rectification items."""
        owning = RectificationItem.objects.filter(inspection=OuterRef("pk")).filter(
            path_q("owner_unit__path", roots)
        )
        return path_q("unit__path", roots) | Q(Exists(owning))


class RectificationItemQuerySet(ScopedQuerySet):
    permission_type = ObjectType.INSPECTION
    scope_path_field = "owner_unit__path"

    def scope_q(self, roots: list[str], action: str) -> Q:
        return path_q("owner_unit__path", roots) | path_q("inspection__unit__path", roots)


def with_visible_items(inspections: QuerySet, user: User) -> QuerySet:
    """Inspections with ``items`` holding only the rectification items ``user`` may see: the owner
    of one item sees the inspection, but not the items of other units."""
    items = RectificationItem.objects.visible_to(user).select_related("owner_unit").order_by("pk")
    return inspections.prefetch_related(Prefetch("items", queryset=items))


class Inspection(models.Model):
    """督查: one quarter's inspection of a unit (or one of its projects), with its findings."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="inspections"
    )
    project = optional_link("projects.Project", _("project"), related_name="inspections")
    inspected_on = models.DateField(_("inspected on"), validators=[plausible_date])
    inspectors = models.CharField(_("inspectors"), max_length=300)
    findings = models.TextField(_("findings"))
    created_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.year} {self.get_quarter_display()} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])


def _evidence_path(instance: RectificationItem, filename: str) -> str:
    return f"inspections/{uuid.uuid4().hex}/{filename[-100:]}"


class RectificationItem(models.Model):
    """整改事项: a finding the owner unit must put right by a deadline; verified by the inspector."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    description = models.TextField(_("rectification item"))
    owner_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    deadline = models.DateField(_("deadline"), validators=[plausible_date])
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    evidence = models.TextField(_("rectification done"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=_evidence_path, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True, validators=[plausible_date])
    verified_on = models.DateField(_("verified on"), null=True, blank=True, validators=[plausible_date])
    verified_by_name = models.CharField(_("verified by"), max_length=150, blank=True)
    return_note = models.CharField(_("reason for returning"), max_length=500, blank=True)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.inspection_id])

    def light(self, today: dt.date | None = None) -> Light:
        """Done (or done late) by the day the owner unit reported it rectified."""
        return light(
            self.deadline,
            done_on=self.rectified_on,
            today=today,
            warn_days=settings.DEADLINE_WARN_WORKING_DAYS,
        )

    @property
    def file_name(self) -> str:
        return (self.evidence_file.name or "").rsplit("/", 1)[-1]
