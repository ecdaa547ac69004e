"""The region tree: nation → province → city → county → township → village, plus departments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import tree
from zhaoshang.core.fields import optional_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import Person, ScopedQuerySet, path_q, scope_roots
from zhaoshang.units.choices import UnitKind


class UnitQuerySet(ScopedQuerySet):
    permission_type = ObjectType.UNIT
    scope_path_field = "path"

    def where(self, user: Person, action: str, *, on: str) -> UnitQuerySet:
        """Units in whose subtrees ``user`` may perform ``action`` on records of type ``on`` — for
        instance the units a project may be recorded at: ``where(user, "create", on="project")``."""
        roots = scope_roots(user, action, on=on)
        return self.filter(path_q("path", roots)) if roots else self.none()

    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and all its descendants: one range scan on the path index."""
        return self.filter(tree.subtree_q(unit.path, "path"))

    def ancestors_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__in=tree.ancestor_paths(unit.path))

    def county_of(self, unit: Unit) -> Unit | None:
        """The county a unit lies in (the unit itself for a county): the government whose bureau
        runs its targets, dispatch and requests. None above the counties."""
        return self.counties_above(unit).first()

    def counties_above(self, unit: Unit) -> UnitQuerySet:
        """``county_of`` as a query (the nearest county first), for a subquery of another statement."""
        return self.ancestors_of(unit).filter(kind=UnitKind.COUNTY).order_by("-depth")


class Unit(models.Model):
    """單位: a node of the region tree, or a department, resident office or park of a government."""

    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("The national administrative division code where one exists, otherwise a local code."),
    )
    place_code = models.CharField(
        _("GB/T 2260 code"),
        max_length=6,
        blank=True,
        db_default="",  # bulk writers (scale.generate, COPY) leave it out
        help_text=_(
            "For a county whose code is not its GB/T 2260 code: the code of the place it is, which "
            "decides where funds come from (same city, same province, another province)."
        ),
    )
    parent = optional_link("self", _("parent unit"), related_name="children")
    path = models.CharField(max_length=tree.PATH_LENGTH, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        # The top levels of a subtree (the unit filter of national lists offers those): the highest
        # depth in a path range, then the units down to a depth, without reading the whole tree.
        indexes = [models.Index(fields=["depth", "path"], name="unit_depth_path")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("units:detail", args=[self.pk])

    @property
    def subtree_range(self) -> tuple[str, str]:
        return tree.subtree_range(self.path)

    @property
    def gbt_code(self) -> str:
        """The GB/T 2260 county code of this county (its place code, else its code), or empty."""
        from zhaoshang.units import places

        return places.county_code(self.place_code, self.code)

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or one of its descendants."""
        return tree.is_within(self.path, other.path)


def top_paths() -> models.QuerySet:
    """Paths of the top-level units, for core.scoping's ``covers_the_tree`` (handed to it in
    apps.py, since core imports no app)."""
    return Unit.objects.filter(parent=None).values_list("path", flat=True)
