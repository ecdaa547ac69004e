"""Investors (客商) and their contacts (联系人)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.dates import plausible_date
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet
from zhaoshang.investors.choices import DOMESTIC_COUNTRY, InvestorKind, InvestorSize
from zhaoshang.investors.creditcode import validate_credit_code
from zhaoshang.investors.names import name_key
from zhaoshang.units import places


class InvestorQuerySet(ScopedQuerySet):
    permission_type = ObjectType.INVESTOR
    scope_path_field = "unit__path"


class Investor(models.Model):
    """客商: an enterprise or person investing in the jurisdiction, with its origin."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="the name normalised for duplicate checks"
    )
    kind = models.CharField(
        _("investor type"), max_length=20, choices=InvestorKind.choices, default=InvestorKind.ENTERPRISE
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters, where the investor has one."),
    )
    origin_country = models.CharField(
        _("country or region of origin"), max_length=50, default=DOMESTIC_COUNTRY, blank=True
    )
    origin_province = models.CharField(_("province of origin"), max_length=50, blank=True)
    origin_city = models.CharField(_("city of origin"), max_length=50, blank=True)
    origin_code = models.CharField(
        _("origin"),
        max_length=6,
        blank=True,
        db_default="",
        db_index=True,
        help_text=_("A place of GB/T 2260 (province, city or county) or a country or region abroad."),
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=InvestorSize.choices, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (10,000 CNY)"), max_digits=15, decimal_places=4, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Separated by 、 or commas."))
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up_on = models.DateField(
        _("next follow-up"), null=True, blank=True, validators=[plausible_date]
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="investors",
        help_text=_("The unit that owns the relationship with this investor."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvestorQuerySet.as_manager()

    class Meta:
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["next_follow_up_on"]),
            models.Index(fields=["credit_code"]),
        ]
        # Unique within the owning unit only: another unit (another county, a sibling township) may
        # court the same firm, and must neither be blocked nor learn of it. The bureau merges.
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "credit_code"],
                condition=~Q(credit_code=""),
                name="investor_unique_credit_code_per_unit",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column, kept with the name it derives from (not a signal: the same row's save).
        self.name_key = name_key(self.name)
        # The origin's code follows its words (forms set the words from a chosen code, imports and
        # the API write words): read again whenever the words are not those of the code.
        words = (self.origin_country, self.origin_province, self.origin_city)
        if places.words_of(self.origin_code) != words:
            self.origin_code = places.parse(self.origin_province, self.origin_city, self.origin_country)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = fields = {*fields, "name_key"}
        if fields is not None and {"origin_country", "origin_province", "origin_city"} & set(fields):
            kwargs["update_fields"] = {*fields, "origin_code"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("investors:detail", args=[self.pk])

    @property
    def is_domestic(self) -> bool:
        return self.origin_country in ("", DOMESTIC_COUNTRY)

    @property
    def origin(self) -> str:
        """Origin as people write it: 浙江温州, or the country / region for foreign investors."""
        if self.is_domestic:
            return f"{self.origin_province}{self.origin_city}"
        return self.origin_country

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace(",", "、").replace("，", "、").split("、") if t.strip()]


class ContactQuerySet(ScopedQuerySet):
    permission_type = ObjectType.INVESTOR
    scope_path_field = "investor__unit__path"


class Contact(models.Model):
    """联系人: a person at an investor, and the unit that owns the relationship with them."""

    investor = models.ForeignKey(
        Investor, verbose_name=_("investor"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit owning the relationship"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["pk"]
        indexes = [models.Index(fields=["phone"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name
