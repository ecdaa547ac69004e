"""Landed enterprises (外來企業) and their quarterly returns (季度報表)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import geo
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.fields import AMOUNT, land_mu_field, optional_link, quantity_field, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet
from zhaoshang.enterprises.choices import QUARTERS, ReturnStatus
from zhaoshang.investors.creditcode import validate_credit_code
from zhaoshang.projects.choices import IndustrySection, Sector


class EnterpriseQuerySet(ScopedQuerySet):
    # A landed enterprise is the continuation of a project: the same roles act on it (decision 41).
    permission_type = ObjectType.PROJECT
    scope_path_field = "unit__path"


class Enterprise(models.Model):
    """外來企業: an enterprise from outside the county in production here, landed from a project
    (``project``) or entered directly for one that came before the system."""

    name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="enterprises"
    )
    park = optional_link("units.Unit", _("park"), related_name="park_enterprises")
    investor = optional_link("investors.Investor", _("investor"), related_name="enterprises")
    project = optional_link("projects.Project", _("project"), related_name="enterprise", one_to_one=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, blank=True)
    industry_section = models.CharField(
        _("industry (GB/T 4754)"), max_length=1, choices=IndustrySection.choices, blank=True
    )
    land_mu = land_mu_field()
    key = models.BooleanField(_("key enterprise"), default=False)
    above_scale_on = models.DateField(
        _("above the statistical threshold since"), null=True, blank=True, validators=[plausible_date]
    )
    operating_on = models.DateField(
        _("in production since"), null=True, blank=True, validators=[plausible_date]
    )
    stewards = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("steward officials"),
        blank=True,
        related_name="stewarded_enterprises",
    )
    remarks = models.TextField(_("remarks"), blank=True)
    created_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Where it stands, on the map (GCJ-02, both or neither: core/geo.py).
    longitude = geo.longitude_field()
    latitude = geo.latitude_field()

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("landed enterprise")
        verbose_name_plural = _("landed enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="enterprise_credit_code_unique"
            ),
            geo.both_or_neither("enterprise"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    @property
    def above_scale(self) -> bool:
        """規上: above the statistical threshold (from the date it became so)."""
        return self.above_scale_on is not None


class ReturnQuerySet(ScopedQuerySet):
    permission_type = ObjectType.PROJECT
    scope_path_field = "enterprise__unit__path"


class QuarterlyReturn(models.Model):
    """季度報表: one quarter's output (產值), sales, tax paid (稅金), jobs (就業) and energy use of a
    landed enterprise, reported by its unit and verified by the bureau. Amounts in 萬元."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    output = models.DecimalField(_("output value"), **AMOUNT)
    sales = models.DecimalField(_("sales"), **AMOUNT)
    tax = models.DecimalField(_("tax paid"), **AMOUNT)
    jobs = models.PositiveIntegerField(_("jobs"))
    energy = quantity_field(_("energy use (tce)"), max_digits=14)
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REPORTED
    )
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    # Why the bureau last corrected or withdrew the verified figures (the figures before are in the audit).
    revision_reason = models.CharField(
        _("reason for the correction or withdrawal"), max_length=500, blank=True
    )
    reported_by = user_link()
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)
    verified_by = user_link()
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarterly return")
        verbose_name_plural = _("quarterly returns")
        ordering = ["-year", "-quarter", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "quarter"], name="one_return_a_quarter")
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.get_quarter_display()}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.enterprise_id])


class VisitQuerySet(ScopedQuerySet):
    permission_type = ObjectType.PROJECT
    scope_path_field = "enterprise__unit__path"


class Visit(models.Model):
    """走訪: a steward's visit to a landed enterprise (每季度定期到外來企業了解生產經營情況), with what was
    found and the problems the enterprise raised; a problem becomes a request for coordination."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"), validators=[plausible_date])
    visitors = models.CharField(_("visited by"), max_length=300)
    findings = models.TextField(_("production and operation found"))
    problems = models.TextField(_("problems raised"), blank=True)
    request = optional_link(
        "coordination.CoordinationRequest",
        _("request for coordination"),
        related_name="enterprise_visit",
        on_delete=models.SET_NULL,
        one_to_one=True,
    )
    recorded_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.enterprise_id])


class SchemeQuerySet(ScopedQuerySet):
    permission_type = ObjectType.PROJECT
    scope_path_field = "county__path"


PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
BENCHMARK = {"max_digits": 15, "decimal_places": 4, "null": True, "blank": True}


class EvaluationScheme(models.Model):
    """畝均效益評價辦法: a county's weights, benchmarks and class shares of one year (evaluation.py
    says how they are used; without a row the defaults apply)."""

    county = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="evaluation_schemes")
    year = models.PositiveSmallIntegerField(_("year"))
    weight_tax_mu = models.DecimalField(_("weight of tax per mu (%)"), default=45, **PERCENT)  # type: ignore[arg-type]
    weight_sales_mu = models.DecimalField(_("weight of sales per mu (%)"), default=35, **PERCENT)  # type: ignore[arg-type]
    weight_tax_energy = models.DecimalField(_("weight of tax per tce (%)"), default=20, **PERCENT)  # type: ignore[arg-type]
    benchmark_tax_mu = models.DecimalField(_("benchmark tax per mu"), **BENCHMARK)  # type: ignore[arg-type]
    benchmark_sales_mu = models.DecimalField(_("benchmark sales per mu"), **BENCHMARK)  # type: ignore[arg-type]
    benchmark_tax_energy = models.DecimalField(_("benchmark tax per tce"), **BENCHMARK)  # type: ignore[arg-type]
    share_a = models.DecimalField(_("share of class A (%)"), default=20, **PERCENT)  # type: ignore[arg-type]
    share_b = models.DecimalField(_("share of class B (%)"), default=50, **PERCENT)  # type: ignore[arg-type]
    share_d = models.DecimalField(_("share of class D (%)"), default=5, **PERCENT)  # type: ignore[arg-type]

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("output per mu evaluation scheme")
        verbose_name_plural = _("output per mu evaluation schemes")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="one_scheme_a_county_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"
