"""Industrial parks (園區): the profile of a park unit, its infrastructure, standard factories and
the idle land and buildings (存量資產) on offer. A park is a unit of the tree (kind "park"); its
profile hangs on that unit, so there is one identity of a park."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import geo
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.fields import AMOUNT, optional_link, quantity_field, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet
from zhaoshang.parks.choices import AssetKind, AssetStatus, InfrastructureKind


class ParkQuerySet(ScopedQuerySet):
    # Park records are kept by the park committee and the bureau, who keep its projects (decision 41).
    permission_type = ObjectType.PROJECT
    scope_path_field = "unit__path"


class ParkProfile(models.Model):
    """園區概況: planned and developed area, land reserve and the land price policy of a park."""

    unit = models.OneToOneField("units.Unit", on_delete=models.PROTECT, related_name="park_profile")
    planned_mu = quantity_field(_("planned area (mu)"))
    developed_mu = quantity_field(_("developed area (mu)"))
    reserve_mu = quantity_field(_("land reserve (mu)"))
    land_price_per_mu = models.DecimalField(
        _("land price (10k yuan per mu)"), null=True, blank=True, **AMOUNT
    )
    land_price_policy = models.TextField(_("land price policy"), blank=True)
    # The park on the map (GCJ-02, both or neither: core/geo.py).
    longitude = geo.longitude_field()
    latitude = geo.latitude_field()

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("park profile")
        verbose_name_plural = _("park profiles")
        constraints = [geo.both_or_neither("park_profile")]

    def __str__(self) -> str:
        return str(self.unit)

    def get_absolute_url(self) -> str:
        return reverse("parks:detail", args=[self.unit_id])


class InfrastructureItem(models.Model):
    """基礎設施: one piece of a park's infrastructure (3500 m of road, 90 culverts …) and what it cost."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="park_infrastructure")
    kind = models.CharField(_("kind"), max_length=10, choices=InfrastructureKind.choices)
    quantity = quantity_field(_("quantity"), optional=False)
    amount = models.DecimalField(_("investment (10k yuan)"), **AMOUNT)
    built_on = models.DateField(_("built on"), validators=[plausible_date])
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = user_link()

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("infrastructure item")
        verbose_name_plural = _("infrastructure items")
        ordering = ["-built_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("parks:detail", args=[self.unit_id])


class StandardFactory(models.Model):
    """標準廠房: a building of a park with its floor area and, when let, its tenant enterprise."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="park_factories")
    name = models.CharField(_("building"), max_length=100)
    floor_area = quantity_field(_("floor area (m²)"), optional=False)
    tenant = optional_link(
        "enterprises.Enterprise", _("tenant enterprise"), related_name="factories", on_delete=models.SET_NULL
    )
    built_on = models.DateField(_("built on"), null=True, blank=True, validators=[plausible_date])
    project = optional_link(
        "projects.Project",
        _("reserved for project"),
        related_name="reserved_factories",
        on_delete=models.SET_NULL,
    )

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard factory")
        verbose_name_plural = _("standard factories")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parks:detail", args=[self.unit_id])

    @property
    def occupant(self) -> Any:
        """The tenant, or the enterprise of the project it was reserved for once that project has
        landed: occupancy follows the project without anyone writing it again."""
        if self.tenant is not None:
            return self.tenant
        project = self.project
        return getattr(project, "enterprise", None) if project is not None else None


class IdleAsset(models.Model):
    """存量資產: idle land or an idle building on offer, in a park or a township, with its owner,
    condition and asking terms (利用我鎮存量廠房已經順利投產)."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="idle_assets"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssetKind.choices)
    name = models.CharField(_("name or location"), max_length=200)
    area = quantity_field(_("area"), optional=False)
    owner = models.CharField(_("owner"), max_length=200)
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    asking_terms = models.CharField(_("asking terms"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.AVAILABLE
    )
    project = optional_link(
        "projects.Project", _("taken by project"), related_name="idle_assets_taken", on_delete=models.SET_NULL
    )
    created_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("idle asset")
        verbose_name_plural = _("idle assets")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parks:idle_edit", args=[self.pk])
