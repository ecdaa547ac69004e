"""Yearly targets (目标任务) per unit and indicator, as the level above decomposes them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.fields import user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet

MAX_DIGITS = 18
DECIMAL_PLACES = 4


class TargetQuerySet(ScopedQuerySet):
    permission_type = ObjectType.TARGET
    scope_path_field = "unit__path"


class Target(models.Model):
    """目标任务: what a unit must reach on one indicator in one year.

    Set explicitly per unit: a parent's target is not the sum of its children's (decomposition often
    gives the children more than the parent's own target), so pages show that sum beside it."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.ForeignKey(
        "ledger.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    value = models.DecimalField(
        _("target"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = user_link()
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "unit__path", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "indicator"], name="target_unique_cell"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.indicator}: {self.value}"
