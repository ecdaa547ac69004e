"""Old reports read in (旧报告导入) and the yearly figures taken from them (历史数据).

A historical figure is not a ledger event: it is kept apart, never summed into the ledger's totals
and never counted toward a target. It is the figure of an earlier year that the dashboard shows
beside the current one (同比).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.fields import optional_link, user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet


class UploadQuerySet(ScopedQuerySet):
    # Reading a report in creates projects: those who may import projects of a unit may do it.
    permission_type = ObjectType.PROJECT


class ReportUpload(models.Model):
    """旧报告: one uploaded report file, its text as read and what the reader extracted, until the
    user confirms (then its figures and projects exist as records) or leaves it."""

    class Status(models.TextChoices):
        READ = "read", _("Read, to review")
        CONFIRMED = "confirmed", _("Confirmed")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    file_name = models.CharField(_("file name"), max_length=200)
    text = models.TextField(_("text as read"))
    reading = models.JSONField(_("extraction"), default=dict)
    year = models.IntegerField(_("year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.READ)
    uploaded_by = user_link()
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("old report")
        verbose_name_plural = _("old reports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("ingest:review", args=[self.pk])


class FigureQuerySet(ScopedQuerySet):
    permission_type = ObjectType.PROJECT


class HistoricalFigure(models.Model):
    """历史数据: a unit's yearly figure of one indicator, as an old report states it. Shown beside
    the current year; never a ledger event, never counted toward a target."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.IntegerField(_("year"))
    indicator = optional_link("ledger.Indicator", _("indicator"), related_name="+")
    label = models.CharField(_("indicator words"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    measure = models.CharField(_("unit of measure"), max_length=20)
    qualifier = models.CharField(_("approximation"), max_length=10, blank=True)
    kind = models.CharField(_("kind"), max_length=20, default="actual")
    upload = models.ForeignKey(ReportUpload, on_delete=models.CASCADE, related_name="figures")
    line = models.IntegerField(_("line"), null=True, blank=True)
    source = models.CharField(_("source text"), max_length=200, blank=True)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("historical figure")
        verbose_name_plural = _("historical figures")
        ordering = ["unit", "year", "pk"]
        indexes = [models.Index(fields=["unit", "year"], name="ingest_hist_unit_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.label} {self.value} {self.measure}"
