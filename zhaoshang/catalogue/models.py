"""The project catalogue (項目庫): packaged projects offered to investors (招商項目), their
versions, the departments' opinions asked during review, their photos and files, the inquiries the
public site receives, and the county's published profile.

An offer is not an investment: it counts nowhere in the ledger. When an investor takes one up it
becomes a project of the ledger (projects' services), linked here (``Offer.project``)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.catalogue.choices import Cooperation, FileKind, OfferStatus
from zhaoshang.core.fields import AMOUNT, land_mu_field, optional_link, quantity_field, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet
from zhaoshang.projects.choices import Currency, IndustrySection

# An offer's description as its unit writes it and the public site shows it: entered on the form
# (``services.OFFER_FIELDS``) and public (``PUBLIC_FIELDS``) alike, in this order.
DESCRIPTION_FIELDS: tuple[str, ...] = (
    "content",
    "content_en",
    "land_mu",
    "floor_area",
    "currency",
    "total_investment",
    "sought_amount",
    "cooperation",
    "advantages",
    "advantages_en",
    "market",
    "market_en",
    "expected_sales",
    "expected_profit_tax",
    "jobs",
    "payback_years",
    "prep",
    "contact_name",
)

# The fields of an offer the public site may show: the second choke point beside ``visible_to``.
# ``OfferQuerySet.published`` reads these and nothing else, so an internal field (notes, opinions,
# a phone number not marked public, the review trail) is never even loaded for a visitor.
PUBLIC_FIELDS: tuple[str, ...] = (
    "pk",
    "name",
    "name_en",
    "industry",
    "chain",
    "chain_en",
    "place",
    "place_en",
    "unit_id",
    "park_id",
    "county_id",
    *DESCRIPTION_FIELDS,
    "contact_email",
    "year",
    "published_at",
)


class OfferQuerySet(ScopedQuerySet):
    permission_type = ObjectType.OFFER
    scope_path_field = "unit__path"

    def published(self) -> models.QuerySet:
        """The one query of the public site: published offers, as dicts of their public fields (with
        the names of their unit and park, and the contact phone only where it is marked public)."""
        return (
            self.filter(status=OfferStatus.PUBLISHED)
            .annotate(
                unit_name=F("unit__name"),
                park_name=F("park__name"),
                county_name=F("county__name"),
                public_phone=Case(When(phone_public=True, then=F("contact_phone")), default=Value("")),
            )
            .values(*PUBLIC_FIELDS, "unit_name", "park_name", "county_name", "public_phone")
        )


class Offer(models.Model):
    """招商項目 (a packaged project on offer): drafted by a unit, reviewed by the bureau, published
    on the public site or withdrawn, and taken up by an investor."""

    name = models.CharField(_("project name"), max_length=200)
    name_en = models.CharField(_("project name (English)"), max_length=300, blank=True)
    industry = models.CharField(_("industry"), max_length=1, choices=IndustrySection.choices)
    chain = models.CharField(_("industry chain"), max_length=100, blank=True)
    chain_en = models.CharField(_("industry chain (English)"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="offers",
        help_text=_("The unit that packages the project and answers investors."),
    )
    park = optional_link(
        "units.Unit", _("park"), related_name="park_offers", limit_choices_to={"kind": "park"}
    )
    county = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, editable=False, related_name="county_offers"
    )
    place = models.CharField(_("project location"), max_length=200, blank=True)
    place_en = models.CharField(_("project location (English)"), max_length=300, blank=True)
    content = models.TextField(_("construction content and scale"))
    content_en = models.TextField(_("construction content and scale (English)"), blank=True)
    land_mu = land_mu_field()
    floor_area = quantity_field(_("floor area (m²)"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    total_investment = models.DecimalField(_("total investment"), **AMOUNT)
    sought_amount = models.DecimalField(_("investment sought"), null=True, blank=True, **AMOUNT)
    cooperation = models.CharField(_("form of cooperation"), max_length=12, choices=Cooperation.choices)
    advantages = models.TextField(_("advantages and conditions"), blank=True)
    advantages_en = models.TextField(_("advantages and conditions (English)"), blank=True)
    market = models.TextField(_("market analysis and expected returns"), blank=True)
    market_en = models.TextField(_("market analysis and expected returns (English)"), blank=True)
    expected_sales = models.DecimalField(_("expected annual sales"), null=True, blank=True, **AMOUNT)
    expected_profit_tax = models.DecimalField(_("expected profit and tax"), null=True, blank=True, **AMOUNT)
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    payback_years = models.DecimalField(
        _("payback period (years)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    prep = models.JSONField(_("preparatory work done"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    phone_public = models.BooleanField(
        _("phone shown publicly"), default=False, help_text=_("Only an office number meant for investors.")
    )
    contact_email = models.EmailField(_("public e-mail"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    notes = models.TextField(_("internal notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    project = optional_link(
        "projects.Project", _("project in the ledger"), related_name="offer", one_to_one=True, editable=False
    )
    fairs = models.ManyToManyField(
        "activities.Activity",
        verbose_name=_("promoted at"),
        blank=True,
        related_name="offers",
        limit_choices_to={"kind": "fair"},
    )
    created_by = user_link()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("packaged project")
        verbose_name_plural = _("packaged projects")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["status", "industry"], name="offer_status_industry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(sought_amount__isnull=True) | Q(sought_amount__lte=F("total_investment")),
                name="offer_sought_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:detail", args=[self.pk])

    def public_url(self, lang: str = "zh-hans") -> str:
        return reverse("open:offer", kwargs={"lang": lang, "pk": self.pk})


class OfferVersion(models.Model):
    """項目版本: the offer's content as it was saved, one row per version."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField()
    made_by = user_link()
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer version")
        verbose_name_plural = _("offer versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["offer", "number"], name="offer_version_once")]

    def __str__(self) -> str:
        return f"{self.offer_id} v{self.number}"


class Opinion(models.Model):
    """審核意見: the opinion of a department (發改委, 自然資源局 …) asked during the bureau's review."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="opinions")
    department = models.ForeignKey(
        "units.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    asked_by = user_link()
    asked_at = models.DateTimeField(auto_now_add=True)
    agrees = models.BooleanField(_("agrees"), null=True)
    text = models.TextField(_("opinion"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("department opinion")
        verbose_name_plural = _("department opinions")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.department_id}"


class OfferFile(models.Model):
    """An offer's photo (shown on the public site and in the brochure once published) or document
    (internal: feasibility study, land certificate …)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=8, choices=FileKind.choices)
    file = models.FileField(_("file"), upload_to="offers/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = user_link()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer file")
        verbose_name_plural = _("offer files")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name or ""


class Inquiry(models.Model):
    """在線諮詢: a visitor's inquiry from the public site, recorded as an inquiry activity of the
    offer's unit (the response clock runs on that activity)."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    activity = models.OneToOneField("activities.Activity", on_delete=models.CASCADE, related_name="inquiry")
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=100)
    message = models.TextField(_("message"), max_length=2000)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("online inquiry")
        verbose_name_plural = _("online inquiries")

    def __str__(self) -> str:
        return self.reference


class CountyProfile(models.Model):
    """縣情介紹: the county's profile on the public site, written by its bureau."""

    county = models.OneToOneField("units.Unit", on_delete=models.CASCADE, related_name="profile")
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    advantages = models.TextField(_("advantages"), blank=True)
    advantages_en = models.TextField(_("advantages (English)"), blank=True)
    policies = models.TextField(_("investment policies"), blank=True)
    policies_en = models.TextField(_("investment policies (English)"), blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("county profile")
        verbose_name_plural = _("county profiles")

    def __str__(self) -> str:
        return str(self.county)


class Generation(models.Model):
    """The public site's generation: one row, moved on in the transaction of every change of what
    the site shows, read by every public page (catalogue/cache.py). In the database, not the cache,
    so that every server process (gunicorn workers with a cache each) sees a change at once."""

    number = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return str(self.number)
