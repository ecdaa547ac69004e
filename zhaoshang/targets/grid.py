"""The decomposition grid (任务分解表) of a unit and a year, as pages, exports and documents read it.

Rows are the unit itself, then its direct children (townships, departments, resident offices,
parks); columns are the indicators. Beside the unit's own targets stands the sum of its children's:
decomposition often gives the children more than the unit's own target, and less is worth a look.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import user_can
from zhaoshang.ledger.models import Indicator
from zhaoshang.targets.models import Target
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

# Children are listed as county staff list them: townships first, then departments, offices, parks.
KIND_ORDER: dict[str, int] = {
    UnitKind.TOWNSHIP: 0,
    UnitKind.VILLAGE: 1,
    UnitKind.COUNTY: 2,
    UnitKind.CITY: 3,
    UnitKind.PROVINCE: 4,
    UnitKind.DEPARTMENT: 5,
    UnitKind.RESIDENT_OFFICE: 6,
    UnitKind.PARK: 7,
}


@dataclass
class GridRow:
    unit: Unit
    targets: dict[int, Target]  # by indicator id
    is_self: bool = False
    editable: bool = False

    def value(self, indicator: Indicator) -> Decimal | None:
        target = self.targets.get(indicator.pk)
        return target.value if target is not None else None


@dataclass
class Grid:
    unit: Unit
    year: int
    indicators: list[Indicator]
    rows: list[GridRow] = field(default_factory=list)

    @property
    def own(self) -> GridRow:
        return self.rows[0]

    @property
    def children(self) -> list[GridRow]:
        return self.rows[1:]

    def children_sum(self, indicator: Indicator) -> Decimal | None:
        """The children's targets added up; None when no child has one."""
        values = [v for row in self.children if (v := row.value(indicator)) is not None]
        return sum(values, Decimal(0)) if values else None

    def short_of(self, indicator: Indicator) -> bool:
        """True when the children together were given less than the unit's own target."""
        own = self.own.value(indicator)
        return own is not None and (self.children_sum(indicator) or Decimal(0)) < own

    @property
    def editable(self) -> bool:
        return any(row.editable for row in self.rows)

    def stamp(self, rows: list[GridRow] | None = None) -> str:
        """A digest of the targets of the grid (or of some rows): a form carries the one it was drawn
        from, so a save based on values that changed meanwhile is refused instead of overwriting them."""
        cells = sorted(
            (row.unit.pk, ind_id, str(t.value.normalize()), t.note)
            for row in (self.rows if rows is None else rows)
            for ind_id, t in row.targets.items()
        )
        return hashlib.sha256(repr(cells).encode()).hexdigest()[:32]


def target_units(user: User, action: str = Action.VIEW) -> Any:
    """Units whose targets ``user`` may see (or act on with ``action``)."""
    return Unit.objects.where(user, action, on=ObjectType.TARGET)


def grid_indicators(unit_ids: list[int], year: int, unit: Unit | None = None) -> list[Indicator]:
    """The active indicators, and inactive ones that still hold a target of these units that year;
    the shared ones and those of ``unit``'s county (``Indicator.objects.for_unit``)."""
    used = Target.objects.filter(unit_id__in=unit_ids, year=year).values("indicator_id")
    indicators = Indicator.objects.for_unit(unit) if unit is not None else Indicator.objects.all()
    return list(indicators.filter(Q(is_active=True) | Q(pk__in=used)).order_by("sort_order", "code"))


def children_of(user: User, unit: Unit, year: int) -> list[Unit]:
    """The unit's direct children that ``user`` may see: active ones, and inactive ones that hold
    targets that year (so that nothing set is hidden)."""
    with_targets = Target.objects.filter(year=year, unit__parent=unit).values("unit_id")
    children = target_units(user).filter(Q(is_active=True) | Q(pk__in=with_targets), parent=unit)
    return sorted(children, key=lambda u: (KIND_ORDER.get(u.kind, 9), u.sort_order, u.path))


def build_grid(user: User | None, unit: Unit, year: int) -> Grid:
    """The grid of ``unit`` as ``user`` may see it; ``user`` None is the system (commands)."""
    if user is None:
        children = sorted(
            Unit.objects.filter(parent=unit, is_active=True),
            key=lambda u: (KIND_ORDER.get(u.kind, 9), u.sort_order, u.path),
        )
    else:
        children = children_of(user, unit, year)
    units = [unit, *children]
    ids = [u.pk for u in units]
    targets = Target.objects.filter(unit_id__in=ids, year=year).select_related("indicator").order_by()
    if user is not None:
        targets = targets.visible_to(user)
    by_unit: dict[int, dict[int, Target]] = {pk: {} for pk in ids}
    for target in targets:
        by_unit[target.unit_id][target.indicator_id] = target
    grid = Grid(unit=unit, year=year, indicators=grid_indicators(ids, year, unit))
    for position, member in enumerate(units):
        editable = user is not None and user_can(user, Action.CONFIGURE, member, on=ObjectType.TARGET)
        grid.rows.append(GridRow(member, by_unit[member.pk], is_self=position == 0, editable=editable))
    return grid


def issuer_of(unit: Unit) -> Unit | None:
    """The government above ``unit`` that sets its targets and signs its agreement (甲方)."""
    governments = {UnitKind.NATION, UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP}
    ancestors = Unit.objects.ancestors_of(unit).exclude(pk=unit.pk).order_by("-depth")
    return next((a for a in ancestors if a.kind in governments), None)
