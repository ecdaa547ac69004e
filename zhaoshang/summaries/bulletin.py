"""The monthly statistics bulletin (招商引资工作情况通报) of a unit: each indicator's year-to-date
actual against the annual target and 序时进度, the month's own figure and the change on last year;
the subordinate units ranked by completion; the projects newly signed, started and in production.

Figures come from the same reads as the summary (``facts.figures_of``) and, for the table by unit,
from ``ledger.services.children_figures`` as the dashboard's children chart reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from zhaoshang.assessment.consequences import RedBlack, bulletin_red_black
from zhaoshang.core.permissions import Action
from zhaoshang.ledger.completion import percent, progress_against_time
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import children_figures
from zhaoshang.projects.models import Project
from zhaoshang.summaries.facts import Figure, ProjectLine, _in_period, figures_of, lines, region_of
from zhaoshang.summaries.periods import Period
from zhaoshang.targets.models import Target
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

KEY_INDICATOR = "funds_domestic"  # the table by unit ranks on it, as the dashboard's chart does


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator: year to date (``ytd``) and the month alone (``month``)."""

    ytd: Figure
    month: Decimal
    time_progress: Decimal

    @property
    def gap(self) -> Decimal | None:
        """Percentage points ahead (+) of or behind (−) progress against time."""
        return None if self.ytd.completion is None else self.ytd.completion - self.time_progress


@dataclass(frozen=True)
class UnitRow:
    rank: int
    unit: Unit
    actual: Decimal
    target: Decimal | None
    completion: Decimal | None
    time_progress: Decimal

    @property
    def gap(self) -> Decimal | None:
        return None if self.completion is None else self.completion - self.time_progress


@dataclass
class Bulletin:
    unit: Unit
    year: int
    month: int
    region_zh: str
    time_progress: Decimal
    rows: list[IndicatorRow]
    indicator: Indicator | None
    table: list[UnitRow]
    new_projects: list[tuple[str, list[ProjectLine], int]]  # heading, lines, count
    # 紅黑榜 of the unit's rankings published for the month (the assessment's, frozen with them)
    red_black: list[RedBlack] = field(default_factory=list)

    @property
    def period(self) -> Period:
        return Period(self.year, 1, self.month)


def unit_table(
    user: User | None, unit: Unit, year: int, month: int, indicator: Indicator, progress: Decimal
) -> list[UnitRow]:
    """The direct children the user may see, ranked by year-to-date completion of ``indicator``
    (those without a target last, then by actual)."""
    children = list(
        Unit.objects.visible_to(user).filter(parent=unit, is_active=True).order_by("sort_order", "path")
    )
    targets = dict(
        Target.objects.visible_to(user)
        .filter(unit__in=children, year=year, indicator=indicator)
        .values_list("unit_id", "value")
    )
    figures = children_figures(unit, children, year, range(1, month + 1), indicator.kinds)
    rows = []
    for child in children:
        actual = indicator.figure(figures[child.pk])[0]
        target = targets.get(child.pk)
        rows.append((child, actual, target, percent(actual, target)))
    rows.sort(key=lambda r: (r[3] is None, -(r[3] or 0), -r[1], r[0].sort_order, r[0].path))
    return [UnitRow(i, c, a, t, done, progress) for i, (c, a, t, done) in enumerate(rows, start=1)]


def bulletin_of(user: User | None, unit: Unit, year: int, month: int, today: dt.date) -> Bulletin:
    ytd = figures_of(user, unit, Period(year, 1, month))
    alone = {f.code: f.actual for f in figures_of(user, unit, Period(year, month, month))}
    progress = progress_against_time(year, month, today)
    indicator = (
        Indicator.objects.filter(is_active=True, code=KEY_INDICATOR).first()
        or Indicator.objects.filter(is_active=True).first()
    )
    projects = Project.objects.visible_in(user, unit, Action.VIEW)
    month_period = Period(year, month, month)
    new = []
    for heading, field_name in (
        ("新签约项目", "signed_on"),
        ("新开工项目", "started_on"),
        ("新投产项目", "operating_on"),
    ):
        chosen = projects.filter(_in_period(field_name, month_period)).order_by(field_name, "pk")
        new.append((heading, lines(chosen), chosen.count()))
    return Bulletin(
        unit=unit,
        year=year,
        month=month,
        region_zh=region_of(unit),
        time_progress=progress,
        rows=[IndicatorRow(f, alone.get(f.code, Decimal(0)), progress) for f in ytd],
        indicator=indicator,
        table=unit_table(user, unit, year, month, indicator, progress) if indicator else [],
        new_projects=new,
        red_black=bulletin_red_black(user, unit, year, month),
    )
