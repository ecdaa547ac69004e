"""Dispatch (調度): the calendar of a county, its rounds, the projects each round lists, and the
progress reports (進展報告) filed for them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import tree
from zhaoshang.core.fields import AMOUNT, quantity_field, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet, path_q
from zhaoshang.dispatch.choices import (
    DEFAULT_DAYS,
    DEFAULT_OPEN_DAYS_BEFORE,
    DEFAULT_STAGES,
    DEFAULT_STALLED_AFTER,
    ReportStatus,
)
from zhaoshang.ledger.choices import FundsSource
from zhaoshang.projects.choices import Stage


class CountyScopedQuerySet(ScopedQuerySet):
    """Records of a whole county (its calendar, its rounds): seen by everyone with a role in the
    county, above it, or anywhere inside it."""

    permission_type = ObjectType.DISPATCH
    scope_path_field = "county__path"

    def scope_q(self, roots: list[str], action: str) -> Q:
        inside = {p for root in roots for p in tree.ancestor_paths(root)}
        return path_q(self.scope_path_field, roots) | Q(**{f"{self.scope_path_field}__in": sorted(inside)})


def _default_days() -> list[int]:
    return list(DEFAULT_DAYS)


def _default_stages() -> list[str]:
    return list(DEFAULT_STAGES)


class Calendar(models.Model):
    """調度日曆: when a county dispatches, when rounds open, who must report, when a project stalls.

    A county without a row uses the defaults (``services.calendar_for``). A change applies to rounds
    not yet opened; a round keeps the dates and the list it was opened with."""

    county = models.OneToOneField(
        "units.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="dispatch_calendar"
    )
    days = models.JSONField(_("dispatch days of the month"), default=_default_days)
    open_days_before = models.PositiveSmallIntegerField(
        _("days before a dispatch day that the round opens"),
        default=DEFAULT_OPEN_DAYS_BEFORE,
        validators=[MaxValueValidator(27)],
    )
    stages = models.JSONField(_("stages that must report"), default=_default_stages)
    report_operating = models.BooleanField(_("operating projects report once after they began"), default=True)
    stalled_after = models.PositiveSmallIntegerField(
        _("rounds without progress before a project counts as stalled"),
        default=DEFAULT_STALLED_AFTER,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )

    objects = CountyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch calendar")
        verbose_name_plural = _("dispatch calendars")

    def __str__(self) -> str:
        return f"{self.county} {self.days}"


class Round(models.Model):
    """調度輪次: one dispatch day of a county; reports are due (cut off) on it."""

    county = models.ForeignKey(
        "units.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="dispatch_rounds"
    )
    due_on = models.DateField(_("dispatch day (cut-off)"))
    opens_on = models.DateField(_("opens on"))
    period_start = models.DateField(_("period from"), help_text="the day after the previous dispatch day")
    stalled_after = models.PositiveSmallIntegerField(default=DEFAULT_STALLED_AFTER)
    opened_at = models.DateTimeField(auto_now_add=True)

    objects = CountyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch round")
        verbose_name_plural = _("dispatch rounds")
        ordering = ["-due_on", "county_id"]
        constraints = [models.UniqueConstraint(fields=["county", "due_on"], name="round_once_per_day")]

    def __str__(self) -> str:
        return f"{self.county} {self.due_on:%Y-%m-%d}"


class EntryQuerySet(ScopedQuerySet):
    permission_type = ObjectType.DISPATCH
    scope_path_field = "unit__path"


class Entry(models.Model):
    """調度名單: a project that owes a report in a round, frozen when the round opened (with the
    owning unit and stage it had then). A project that reached a reporting stage after the round
    opened joins it from its page while the round is open (``services.join_round``): its entry is
    marked ``late_joined`` and its report is not counted late."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="dispatch_entries")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    late_joined = models.BooleanField(_("joined after the round opened"), default=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("project owing a report")
        constraints = [models.UniqueConstraint(fields=["round", "project"], name="entry_once_per_round")]
        indexes = [models.Index(fields=["project", "round"])]

    def __str__(self) -> str:
        return f"{self.round} {self.project_id}"


class ReportQuerySet(ScopedQuerySet):
    permission_type = ObjectType.DISPATCH
    scope_path_field = "project__unit__path"


class Report(models.Model):
    """進展報告: a project's progress in one round. Draft → submitted → verified, or returned (with a
    reason) and submitted again. One per project and round."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    # The round's dispatch day, copied when the report is started (a round's day never changes):
    # the review queue is read in its order from one index instead of sorting every submitted
    # report of the scope through a join to the rounds.
    due_on = models.DateField(_("dispatch day (cut-off)"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    investment = models.DecimalField(
        _("investment completed this period (10,000 CNY)"), default=Decimal(0), **AMOUNT
    )
    factory_area = quantity_field(_("standard factory area built (m²)"), max_digits=15)
    progress_percent = models.PositiveSmallIntegerField(
        _("physical progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_text = models.TextField(_("physical progress (形象进度)"), blank=True)
    problems = models.TextField(_("problems needing help (one per line)"), blank=True)
    has_progress = models.BooleanField(default=False, help_text="set on submission: something moved")
    is_late = models.BooleanField(_("late"), default=False)
    created_by = user_link()
    submitted_by = user_link()
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_by = user_link()
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-round__due_on", "project_id"]
        constraints = [models.UniqueConstraint(fields=["round", "project"], name="report_once_per_round")]
        indexes = [
            models.Index(fields=["status", "round"]),
            # The review queue (dispatch.overview.review_queue): one status, oldest dispatch day first.
            models.Index(fields=["status", "due_on", "submitted_at", "id"], name="report_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.round.due_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dispatch:report", kwargs={"pk": self.pk})

    @property
    def problem_lines(self) -> list[str]:
        return [line.strip() for line in self.problems.splitlines() if line.strip()]


def upload_path(instance: FundsLine | ReportFile, filename: str) -> str:
    return f"dispatch/{instance.report.project_id}/{instance.report_id}/{filename}"


class FundsLine(models.Model):
    """本期到位資金: one arrival of money stated in a report, with its evidence. On submission it is
    recorded as funds arrived (``ledger.funds.record_funds``); verification of the report verifies it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="funds_lines")
    source = models.CharField(_("source"), max_length=10, choices=FundsSource.choices)
    amount = models.DecimalField(
        _("amount (10,000 CNY; foreign: 10,000 USD)"),
        max_digits=15,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    arrived_on = models.DateField(_("arrived on"))
    evidence = models.FileField(_("evidence"), upload_to=upload_path)
    funds = models.OneToOneField(
        "ledger.FundsArrival", null=True, blank=True, on_delete=models.PROTECT, related_name="report_line"
    )

    class Meta:
        verbose_name = _("funds arrived this period")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"


class ReportFile(models.Model):
    """進展照片 / 附件: a photo or file of a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=upload_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo or file")
        ordering = ["pk"]

    def __str__(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]
