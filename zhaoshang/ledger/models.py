"""Indicators, the append-only ledger of countable events, its per-unit monthly totals, and funds arrived."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.fields import optional_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet
from zhaoshang.ledger.choices import RULE, FundsSource, FundsStatus, Kind, Measure, is_manual, validate_kind
from zhaoshang.projects.choices import Construction, Currency


class _DecimalOptions(TypedDict):
    max_digits: int
    decimal_places: int


FIGURE: _DecimalOptions = {"max_digits": 18, "decimal_places": 4}


def sum_of_kinds(kinds: Iterable[str], by_kind: Mapping[str, Decimal]) -> Decimal:
    """An indicator's figure from one figure per kind: the sum of its kinds (``Indicator.kinds``).
    ``Indicator.figure`` reads its verified and reported figures through it, and the assessment,
    which keeps only the verified figures by kind in its frozen snapshots, reads items through it."""
    return sum((by_kind.get(k, Decimal(0)) for k in kinds), Decimal(0))


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def for_unit(self, unit: Any) -> IndicatorQuerySet:
        """The indicators a unit's figures are read by: the shared set (no county) and those of the
        county the unit lies in (``Indicator.county``). Above the counties, the shared set only, so
        that roll-ups of a city or province stay comparable."""
        from zhaoshang.units.models import Unit

        county = Unit.objects.county_of(unit) if unit is not None else None
        if county is None:
            return self.filter(county__isnull=True)
        return self.filter(models.Q(county__isnull=True) | models.Q(county=county))

    def visible_to(self, user: Any) -> IndicatorQuerySet:
        """The indicators a user may read of: the shared set, and the own indicators of every county
        whose figures the user sees (a county in one of the user's subtrees, or the county one of
        them lies in, as a township's). Another county's indicators are not named to anyone else."""
        from zhaoshang.core import tree
        from zhaoshang.core.permissions import Action, ObjectType
        from zhaoshang.core.scoping import path_q, scope_roots

        roots = scope_roots(user, Action.VIEW, on=ObjectType.UNIT)
        above = [path for root in roots for path in tree.ancestor_paths(root)]
        return self.filter(
            models.Q(county__isnull=True) | path_q("county__path", roots) | models.Q(county__path__in=above)
        )


class Indicator(models.Model):
    """指標: a figure units are set targets on and judged by; it sums the ledger events of one kind."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    # A built-in kind (choices.Kind) or a manual one ("m_" and a slug, ledger.manual): no choices on
    # the column, the validator says which values are allowed and ``kind_label`` names them.
    kind = models.CharField(_("counts"), max_length=20, validators=[validate_kind])
    also = models.JSONField(
        _("also counts"),
        default=list,
        blank=True,
        help_text=_("Further kinds this indicator sums beside its own (市外资金 = 市外省内 + 国内省外)."),
    )
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    evidence = models.JSONField(
        _("evidence a verification needs"),
        default=list,
        blank=True,
        help_text=_("Funds counted by this indicator are verified only with these documents."),
    )
    # 统计口径 of a county (issue 19): an indicator a county's bureau defined from a rule
    # (``CountingRule``) belongs to that county; the shared set, which every level reads, has none.
    county = optional_link(
        "units.Unit",
        _("county"),
        related_name="+",
        help_text=_("The county that defined it; empty for the indicators every level shares."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    @property
    def is_manual(self) -> bool:
        """A figure from no project, entered per unit and month (ledger.manual)."""
        return is_manual(self.kind)

    def kind_label(self) -> str:
        """What the indicator counts, in words: the built-in kind's label, or for a manual indicator
        "entered by units" (its name says the rest)."""
        if self.kind in Kind.values:
            return str(Kind(self.kind).label)
        if self.kind.startswith(RULE):
            return str(_("the county's counting rule"))
        return str(_("figures entered by units"))

    @property
    def kinds(self) -> list[str]:
        """The kinds of event this indicator sums: its own, then the others it names."""
        return [self.kind, *(k for k in self.also if k != self.kind)]

    def figure(self, by_kind: Mapping[str, tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
        """The indicator's (verified, reported) figure from figures by kind (``services.subtree_figures``
        and its siblings): the sum of its kinds. The one place an indicator's figure is read."""
        verified = {k: pair[0] for k, pair in by_kind.items()}
        reported = {k: pair[1] for k, pair in by_kind.items()}
        return sum_of_kinds(self.kinds, verified), sum_of_kinds(self.kinds, reported)


class CountingRule(models.Model):
    """统计口径: what a county's indicator counts (``ledger.rules``). The events of its base kinds
    (a stage, an amount, funds of an origin level) of the projects that pass every filter are
    recorded again under the indicator's own kind ("c_" and its id) by the counting rules
    (``counting.rule_figures``); an empty filter lets every project pass."""

    indicator = models.OneToOneField(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="rule"
    )
    kinds = models.JSONField(_("counts the figures of"), default=list)
    industry_sections = models.JSONField(_("industries (GB/T 4754)"), default=list, blank=True)
    min_investment = models.DecimalField(
        _("total investment at least (10,000 CNY)"), null=True, blank=True, max_digits=15, decimal_places=4
    )
    usd_rate = models.DecimalField(
        _("CNY per USD for foreign projects"),
        null=True,
        blank=True,
        max_digits=8,
        decimal_places=4,
        help_text=_(
            "The latest yearly rate when the rule was saved; without one, no foreign project passes."
        ),
    )
    construction = models.CharField(
        _("new or continuing"), max_length=10, choices=Construction.choices, blank=True
    )
    introducer_types = models.JSONField(_("introduced through"), default=list, blank=True)
    key_only = models.BooleanField(_("key projects only (marked)"), default=False)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("counting rule")
        verbose_name_plural = _("counting rules")

    def __str__(self) -> str:
        return f"{self.indicator}: {', '.join(self.kinds)}"


class Event(models.Model):
    """台賬流水: one countable event credited to one unit in one month. Never changed or deleted:
    a correction is a further event with the difference (negative where it takes away)."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    verified = models.BooleanField(help_text="only verified figures count toward targets")
    amount = models.DecimalField(**FIGURE)
    source = models.CharField(
        max_length=40, help_text="the raw record this follows, e.g. funds:12 or project:7"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger event")
        indexes = [models.Index(fields=["source"]), models.Index(fields=["unit", "year", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.year}-{self.month:02d} {self.amount}"


class Total(models.Model):
    """月度匯總: the sum of a unit's subtree's events of one kind in one month, kept up to date in the
    transaction of every event. Rows exist for the credited unit and its ancestors up to its county;
    ``is_top`` marks the rows no ancestor row includes (a county, or a unit without a county above),
    so that a city, province or the nation sums only those. Month ``YEAR`` (0) holds the sum of the
    year's months, kept in the same transaction: a year, or a year less a few months, then reads one
    row per unit and kind instead of twelve (``ledger.services.period_sums``)."""

    YEAR = 0
    MONTHS = tuple(range(1, 13))

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=96)
    is_top = models.BooleanField(default=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    verified = models.DecimalField(default=Decimal(0), **FIGURE)
    reported = models.DecimalField(default=Decimal(0), help_text="reported, not yet verified", **FIGURE)

    class Meta:
        verbose_name = _("monthly total")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year", "month"], name="total_unique_cell"),
        ]
        indexes = [
            models.Index(fields=["unit", "year", "kind"]),
            # Above the county, a roll-up sums the county rows of a subtree: covering them lets
            # PostgreSQL answer from the index alone (docs/performance.md).
            models.Index(
                fields=["is_top", "year", "month", "unit_path"],
                include=["kind", "verified", "reported"],
                name="total_top_month_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.year}-{self.month:02d}"  # month 00: the year


class Reviewed(models.Model):
    """A figure a unit reports and the bureau verifies or returns (funds arrived, manual figures):
    the fields of that review, whose rule is ``ledger.review``. A deleted record stays, marked."""

    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FundsStatus.choices, default=FundsStatus.REPORTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=200, blank=True)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        abstract = True


class FundsQuerySet(ScopedQuerySet):
    permission_type = ObjectType.PROJECT
    scope_path_field = "project__unit__path"


def evidence_path(instance: FundsArrival, filename: str) -> str:
    return f"funds/{instance.project_id}/{filename}"


class FundsArrival(Reviewed):
    """到位資金: money that arrived for a project, by source; counts once the bureau verified it."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="funds"
    )
    arrived_on = models.DateField(_("arrived on"))
    source = models.CharField(_("source"), max_length=10, choices=FundsSource.choices)
    origin = models.CharField(
        _("origin"),
        max_length=6,
        blank=True,
        db_default="",
        help_text=_("Where the money comes from: a place (GB/T 2260) or a country or region abroad."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=15, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)

    objects = FundsQuerySet.as_manager()

    class Meta:
        verbose_name = _("funds arrived")
        verbose_name_plural = _("funds arrived")
        ordering = ["-arrived_on", "-id"]
        # The verification queue: funds of one status, oldest first (ledger.views.FundsQueueView).
        indexes = [models.Index(fields=["status", "arrived_on", "id"], name="funds_queue")]

    def __str__(self) -> str:
        return f"{self.project} {self.arrived_on} {self.amount} {self.currency}"

    @property
    def origin_name(self) -> str:
        """The origin in words (浙江省温州市鹿城区, 香港), empty when not given."""
        from zhaoshang.units.places import name_of

        return name_of(self.origin) if self.origin else ""


class ExchangeRate(models.Model):
    """年度匯率: CNY per USD for a year, where a CNY equivalent of foreign money is needed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    cny_per_usd = models.DecimalField(_("CNY per USD"), max_digits=8, decimal_places=4)

    class Meta:
        verbose_name = _("exchange rate")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.cny_per_usd}"


class ManualEntryQuerySet(ScopedQuerySet):
    """Entered by a unit for itself: scoped, and entered and verified, with the permissions on the
    unit's projects, like funds arrived (an operator enters, the bureau verifies)."""

    permission_type = ObjectType.PROJECT
    scope_path_field = "unit__path"


def manual_evidence_path(instance: ManualEntry, filename: str) -> str:
    return f"manual/{instance.unit_id}/{filename}"


class ManualEntry(Reviewed):
    """手工填報: a unit's figure of a manual indicator for one month (勞務輸出27人 in May), with its
    evidence; reported, then verified or returned by the bureau like funds arrived. It reaches the
    ledger as events of the indicator's kind (``counting.manual_figures``)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="manual_entries"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount = models.DecimalField(
        _("figure"), max_digits=15, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    evidence = models.FileField(_("evidence"), upload_to=manual_evidence_path, blank=True)

    objects = ManualEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("manual figure")
        verbose_name_plural = _("manual figures")
        ordering = ["-year", "-month", "-id"]
        indexes = [models.Index(fields=["status", "year", "month"], name="manual_queue")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_id} {self.year}-{self.month:02d} {self.amount}"
