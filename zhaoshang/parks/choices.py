"""Kinds of park infrastructure and of idle assets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InfrastructureKind(models.TextChoices):
    ROAD = "road", _("Roads (m)")
    WATER = "water", _("Water pipes (m)")
    POWER = "power", _("Power lines (m)")
    CULVERT = "culvert", _("Culverts and sluices (places)")
    TELECOM = "telecom", _("Telecom lines (m)")
    GAS = "gas", _("Gas pipes (m)")
    SEWAGE = "sewage", _("Sewage pipes (m)")
    OTHER = "other", _("Other")


class AssetKind(models.TextChoices):
    LAND = "land", _("Idle land (mu)")
    BUILDING = "building", _("Idle building (m²)")


class AssetStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    TAKEN = "taken", _("Taken")
