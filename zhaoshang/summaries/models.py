"""The sections of a work summary that a unit writes (工作总结的主要做法、存在问题、下步打算), kept as
versions: every save is a new row, the newest one is the draft the document prints."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.fields import user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet
from zhaoshang.summaries.choices import Section


class SectionTextQuerySet(ScopedQuerySet):
    # A summary is the unit's report to the level above, written by those who file its progress
    # reports: the dispatch rights decide who reads (view) and who writes (edit) it.
    permission_type = ObjectType.DISPATCH
    scope_path_field = "unit__path"


class SectionText(models.Model):
    """总结段落: one version of one written section of a unit's summary for a period (a year and its
    first and last month). Never changed: saving again adds the next version."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    first_month = models.PositiveSmallIntegerField(_("first month"))
    last_month = models.PositiveSmallIntegerField(_("last month"))
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    saved_by = user_link()
    saved_by_name = models.CharField(_("saved by"), max_length=150, blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    objects = SectionTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary section")
        verbose_name_plural = _("summary sections")
        ordering = ["unit", "year", "first_month", "last_month", "section", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "first_month", "last_month", "section", "version"],
                name="summary_section_version_unique",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.unit_id} {self.year} {self.first_month}-{self.last_month} {self.section} v{self.version}"
        )
