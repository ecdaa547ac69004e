"""新建/续建: the projects under construction in a year, split by nature (forms.md section 5.2,
"开工招商引资项目25个(新建14个、续建11个)").

A project started in the year is new (新建): those are the ledger's started projects of the year, the
figure of the ``started`` indicator. One started in an earlier year and still under construction in
the year (not completed, nor dropped, before it began) is continuing (续建). The nature is derived
from the dates by one rule (``counting.construction``, and ``counting.construction_q`` as a query),
never stored, so it cannot drift; like the ledger, a project counts in each credited unit by its share.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet, Sum

from zhaoshang.core import tree
from zhaoshang.ledger.counting import FOUR_PLACES, construction_q
from zhaoshang.projects.choices import Construction
from zhaoshang.projects.models import CreditShare, Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Split:
    """Projects under construction in a period: new (the started figure) and continuing."""

    new: Decimal
    continuing: Decimal

    @property
    def total(self) -> Decimal:
        return self.new + self.continuing


def _continuing_shares(unit: Unit, year: int) -> QuerySet:
    return CreditShare.objects.filter(
        tree.subtree_q(unit.path, "unit__path"), construction_q(year, Construction.CONTINUING, "project__")
    )


def continuing(unit: Unit, year: int) -> Decimal:
    """The continuing projects (续建) of ``year`` credited in the unit's subtree, by credit share."""
    total = _continuing_shares(unit, year).aggregate(s=Sum("share"))["s"]
    return (Decimal(total or 0) / HUNDRED).quantize(FOUR_PLACES)


def split(unit: Unit, year: int, started: Decimal) -> Split:
    """The split beside a started figure (the new projects, as the ledger counts them)."""
    return Split(started, continuing(unit, year))


def continuing_projects(
    unit: Unit, year: int, user: User | None = None, limit: int = 200
) -> list[tuple[Project, Decimal]]:
    """The continuing projects of ``year`` in the unit's subtree with their share there (1 for a
    project credited wholly inside it), at most ``limit``; only those the user may open."""
    rows = (
        _continuing_shares(unit, year)
        .order_by()
        .values("project_id")
        .annotate(share=Sum("share"))
        .order_by("project_id")[:limit]
    )
    shares = {r["project_id"]: (Decimal(r["share"]) / HUNDRED).quantize(FOUR_PLACES) for r in rows}
    projects = Project.objects.all() if user is None else Project.objects.visible_to(user)
    found = projects.filter(pk__in=list(shares)).only("pk", "code", "name", "started_on", "stage")
    return [(p, shares[p.pk]) for p in sorted(found, key=lambda p: p.pk)]
