"""Assessment schemes (考核辦法), their groups and items, manual points, and published rankings."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment.choices import Formula, Period, Source, Subjects
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet

POINTS: dict[str, Any] = {"max_digits": 9, "decimal_places": 2}


class SchemeQuerySet(ScopedQuerySet):
    # A scheme is part of the county's target setting: configured by whoever sets its targets.
    permission_type = ObjectType.TARGET
    scope_path_field = "county__path"


class Scheme(models.Model):
    """考核辦法: how one county scores and ranks its units in one year; a new version for each change
    once a ranking was published on it, so a published ranking always names the rules it used."""

    county = models.ForeignKey(
        "units.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=120)
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "county__path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "version"], name="scheme_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year} v{self.version})"


class Group(models.Model):
    """考核組別: units ranked against each other (townships; departments; parks), with their items."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=60)
    # A group of persons ranks the people holding a role at the county's units of ``unit_kinds``
    # (at the county and any unit below it when none is named), on their personal counts.
    subjects = models.CharField(
        _("ranks"), max_length=8, choices=Subjects.choices, default=Subjects.UNITS, db_default=Subjects.UNITS
    )
    unit_kinds = models.JSONField(_("kinds of unit"), default=list)
    sort_order = models.IntegerField(_("sort order"), default=0)
    tie_item = models.CharField(
        _("tie-break item"),
        max_length=40,
        blank=True,
        help_text=_("code of the item whose figure breaks ties"),
    )
    grades = models.JSONField(
        _("grades"), default=list, blank=True, help_text=_("[name, least total], best first")
    )
    bottom_n = models.PositiveSmallIntegerField(_("criticised at the bottom"), default=3)
    least_units = models.PositiveSmallIntegerField(_("least units for a criticism"), default=6)
    top_n = models.PositiveSmallIntegerField(_("commended at the top"), default=3)

    class Meta:
        verbose_name = _("assessment group")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """考核項目: one line of the scoring table, its figure and its formula (評分辦法)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("content"), max_length=120)
    max_points = models.DecimalField(_("points"), **POINTS)
    source = models.CharField(_("figure"), max_length=12, choices=Source.choices)
    indicator = models.ForeignKey(
        "ledger.Indicator", verbose_name=_("indicator"), null=True, blank=True, on_delete=models.PROTECT
    )
    formula = models.CharField(_("formula"), max_length=12, choices=Formula.choices)
    params = models.JSONField(_("parameters"), default=dict)
    method = models.CharField(_("scoring method"), max_length=300, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("assessment item")
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="item_unique_code")]

    def __str__(self) -> str:
        return self.name


class PersonTarget(models.Model):
    """個人任務: one person's target on an item of a group of persons (their completion's base)."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("personal target")
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="person_target_unique")]

    def __str__(self) -> str:
        return f"{self.item} {self.person_id}: {self.value}"


class GradeJump(models.Model):
    """直接晉檔: a unit whose figure on an indicator reaches the threshold goes up ``steps`` grades,
    whatever its total (one project of 10億 or more)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="jumps")
    name = models.CharField(_("name"), max_length=120)
    indicator = models.ForeignKey("ledger.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT)
    threshold = models.DecimalField(_("threshold"), max_digits=18, decimal_places=4)
    steps = models.PositiveSmallIntegerField(_("grades up"), default=1)

    class Meta:
        verbose_name = _("grade jump")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ManualQuerySet(ScopedQuerySet):
    permission_type = ObjectType.TARGET
    scope_path_field = "unit__path"


def evidence_path(instance: ManualEntry, filename: str) -> str:
    return f"assessment/{instance.unit_id}/{filename}"


class ManualEntry(models.Model):
    """領導打分 / 日常工作: points (or, for an item counted by occurrence, the count) the bureau
    enters for a unit in a period (綜評), always with a written reason, beside the unit's own
    self-evaluation (自評) with its evidence; audited."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    month = models.PositiveSmallIntegerField(_("last month of the period"))
    # 綜評: the bureau's value, the one that counts; None until the bureau reviewed.
    value = models.DecimalField(_("review"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    # 自評: what the unit claims, with its evidence; shown beside the review, never counted.
    claimed = models.DecimalField(
        _("self-evaluation"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    claim_note = models.TextField(_("self-evaluation note"), blank=True)
    claim_evidence = models.FileField(_("self-evaluation evidence"), upload_to=evidence_path, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    objects = ManualQuerySet.as_manager()

    class Meta:
        verbose_name = _("manual points")
        constraints = [
            models.UniqueConstraint(fields=["item", "unit", "period", "month"], name="manual_unique_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.unit_id}: {self.value}"


class RankingQuerySet(ScopedQuerySet):
    permission_type = ObjectType.TARGET
    scope_path_field = "scheme__county__path"


class Frozen(RuntimeError):
    """A published ranking is never changed; a correction publishes a new version."""


class Ranking(models.Model):
    """考核排名: one group's scores for one period, as published (a draft is computed, never
    stored). Frozen with a snapshot of every input and result (``snapshot``, its hash in ``digest``
    and in the audit trail); a correction is a new version naming the one it replaces and what
    changed."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rankings")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="rankings")
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    month = models.PositiveSmallIntegerField(_("last month of the period"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    snapshot = models.JSONField(default=dict)
    digest = models.CharField(max_length=64)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    reason = models.TextField(_("reason for the correction"), blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RankingQuerySet.as_manager()

    class Meta:
        verbose_name = _("published ranking")
        ordering = ["-year", "-month", "group__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "period", "month", "version"], name="ranking_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.year}-{self.period}-{self.month:02d} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise Frozen("a published ranking is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise Frozen("a published ranking is never deleted")


class ScoreQuerySet(ScopedQuerySet):
    permission_type = ObjectType.TARGET
    scope_path_field = "unit__path"

    def update(self, **kwargs: Any) -> NoReturn:
        raise Frozen("published scores are never changed")

    def delete(self) -> NoReturn:
        raise Frozen("published scores are never deleted")


class Score(models.Model):
    """考核得分: one unit's line in a published ranking, each item's points explained in ``points``.
    In a ranking of persons, the line of ``person``, and ``unit`` is the unit they work at (what
    scopes who sees the line)."""

    ranking = models.ForeignKey(Ranking, on_delete=models.PROTECT, related_name="scores")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    total = models.DecimalField(_("total"), **POINTS)
    rank = models.PositiveSmallIntegerField(_("rank"))
    grade = models.CharField(_("grade"), max_length=30, blank=True)
    points = models.JSONField(default=list)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        ordering = ["rank", "unit__path"]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.total}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise Frozen("published scores are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise Frozen("published scores are never deleted")
