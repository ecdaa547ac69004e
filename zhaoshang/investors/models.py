"""Investors (客商). Minimal here; the investor module grows it (contacts, activities, merge)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet
from zhaoshang.investors.choices import DOMESTIC_COUNTRY, InvestorKind


class InvestorQuerySet(ScopedQuerySet):
    permission_type = ObjectType.INVESTOR
    scope_path_field = "unit__path"


class Investor(models.Model):
    """客商: an enterprise or person investing in the jurisdiction, with its origin."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=InvestorKind.choices, default=InvestorKind.ENTERPRISE
    )
    origin_country = models.CharField(
        _("country or region of origin"), max_length=50, default=DOMESTIC_COUNTRY, blank=True
    )
    origin_province = models.CharField(_("province of origin"), max_length=50, blank=True)
    origin_city = models.CharField(_("city of origin"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="investors",
        help_text=_("The unit that owns the relationship with this investor."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvestorQuerySet.as_manager()

    class Meta:
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_domestic(self) -> bool:
        return self.origin_country in ("", DOMESTIC_COUNTRY)

    @property
    def origin(self) -> str:
        """Origin as people write it: 浙江温州, or the country / region for foreign investors."""
        if self.is_domestic:
            return f"{self.origin_province}{self.origin_city}"
        return self.origin_country
