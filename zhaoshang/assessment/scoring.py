"""Scores from the ledger's roll-ups, the targets and the manual points: never typed in.

``definition(group)`` turns a group of a scheme into plain data, ``read_inputs`` reads what its
units bring (figures from the kept monthly totals in one grouped query, targets, manual entries),
and ``score`` is a pure function of the two: the same definition and inputs always give the same
scores, which is what a published ranking's snapshot keeps and what a recomputation checks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from zhaoshang.assessment import formulas, lapses, persons
from zhaoshang.assessment.choices import COUNTED, PERSONAL, Formula, Period, Source, Subjects
from zhaoshang.assessment.formulas import Input, Points
from zhaoshang.assessment.models import Group, ManualEntry, PersonTarget
from zhaoshang.ledger.completion import percent, period_months
from zhaoshang.ledger.counting import FOUR_PLACES
from zhaoshang.ledger.models import Event, sum_of_kinds
from zhaoshang.ledger.services import children_figures
from zhaoshang.targets.models import Target
from zhaoshang.units.models import Unit

ZERO = Decimal(0)


def months_of(period: str, month: int) -> list[int]:
    """The months a period ending in ``month`` covers (the year: January to ``month``)."""
    return period_months({Period.YEAR: "ytd"}.get(Period(period), period), month)


def last_period(period: str, year: int, month: int) -> tuple[int, int] | None:
    """The (year, last month) of the period before, within the scheme's year; None for the first."""
    step = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[Period(period)]
    return (year, month - step) if month - step >= 1 else None


# --- the definition: a group as plain data --------------------------------------------------------


@dataclass(frozen=True)
class ItemDef:
    code: str
    name: str
    max_points: Decimal
    source: str
    indicator: int | None  # indicator id
    kind: str  # the ledger kind the indicator counts ("" for manual)
    formula: str
    params: Mapping[str, Any]
    method: str = ""
    # Every kind the indicator sums (``Indicator.kinds``: 市外资金 = 市外省内 + 国内省外). Snapshots
    # published before it was kept have none: their item read ``kind`` alone, and still does.
    kinds: tuple[str, ...] = ()

    @property
    def summed(self) -> tuple[str, ...]:
        """The kinds whose figures make the item's figure."""
        return tuple(self.kinds) or ((self.kind,) if self.kind else ())


@dataclass(frozen=True)
class JumpDef:
    name: str
    kind: str
    threshold: Decimal
    steps: int
    kinds: tuple[str, ...] = ()  # as ``ItemDef.kinds``

    @property
    def summed(self) -> tuple[str, ...]:
        return tuple(self.kinds) or (self.kind,)


@dataclass(frozen=True)
class Definition:
    group: int
    items: tuple[ItemDef, ...]
    tie_item: str = ""
    grades: tuple[tuple[str, Decimal], ...] = ()
    jumps: tuple[JumpDef, ...] = ()
    subjects: str = Subjects.UNITS  # a group of persons ranks users on their personal counts

    @property
    def kinds(self) -> set[str]:
        return {k for i in self.items for k in i.summed} | {k for j in self.jumps for k in j.summed}

    @property
    def counted(self) -> bool:
        """An item reads a count of lapses from the dispatch records (``lapses``)."""
        return any(i.source in COUNTED for i in self.items)

    @property
    def personal(self) -> tuple[str, ...]:
        """The personal counts its items read (``persons``)."""
        return tuple(dict.fromkeys(i.source for i in self.items if i.source in PERSONAL))


def definition(group: Group) -> Definition:
    items = tuple(
        ItemDef(
            code=i.code,
            name=i.name,
            max_points=i.max_points,
            source=i.source,
            indicator=i.indicator_id,
            kind=i.indicator.kind if i.indicator else "",
            formula=i.formula,
            params=i.params,
            method=i.method,
            kinds=tuple(i.indicator.kinds) if i.indicator else (),
        )
        for i in group.items.select_related("indicator").order_by("sort_order", "pk")
    )
    jumps = tuple(
        JumpDef(j.name, j.indicator.kind, j.threshold, j.steps, tuple(j.indicator.kinds))
        for j in group.jumps.select_related("indicator")
    )
    grades = tuple((str(name), Decimal(str(least))) for name, least in group.grades or [])
    return Definition(group.pk, items, group.tie_item, grades, jumps, group.subjects)


def members(group: Group) -> list[Unit]:
    """The units a group ranks: the county's active units of the group's kinds, in the tree's order."""
    return list(
        Unit.objects.filter(parent=group.scheme.county, kind__in=group.unit_kinds, is_active=True).order_by(
            "sort_order", "path"
        )
    )


# --- the inputs -----------------------------------------------------------------------------------

Figures = dict[int, dict[str, Decimal]]  # unit id → ledger kind → verified sum of the period


@dataclass
class Inputs:
    units: list[int]
    figures: Figures
    targets: dict[int, dict[int, Decimal]]  # unit id → indicator id → annual target
    manual: dict[tuple[str, int], tuple[Decimal, str]] = field(default_factory=dict)  # (item, unit)
    claims: dict[tuple[str, int], tuple[Decimal, str]] = field(default_factory=dict)  # 自評, shown only
    counts: Figures = field(default_factory=dict)  # unit id → counted source → count (``lapses``)
    # (source, unit id) → the records behind a count, read when publishing (the drill-down)
    records: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    # A group of persons: ``units`` holds user ids; (item code, user id) → the person's target
    # (``PersonTarget``), and user id → the unit they count at.
    item_targets: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    homes: dict[int, int] = field(default_factory=dict)


def figures_from_totals(
    county: Unit, units: list[Unit], year: int, months: list[int], kinds: Iterable[str]
) -> Figures:
    """The verified figures of each unit, read from the ledger's kept totals (one grouped query)."""
    found = children_figures(county, units, year, months, list(kinds))
    return {u: {kind: pair[0] for kind, pair in by_kind.items()} for u, by_kind in found.items()}


def figures_from_records(units: list[Unit], year: int, months: list[int], kinds: Iterable[str]) -> Figures:
    """The same figures recomputed from the raw ledger events of each unit's subtree: the check
    that scores from the roll-ups are right (tests, ``make bench``)."""
    out: Figures = {u.pk: {} for u in units}
    for unit in units:
        rows = (
            Event.objects.filter(
                unit__path__startswith=unit.path,
                year=year,
                month__in=months,
                kind__in=list(kinds),
                verified=True,
            )
            .values("kind")
            .annotate(total=Sum("amount"))
        )
        for row in rows:
            out[unit.pk][row["kind"]] = Decimal(row["total"] or 0).quantize(FOUR_PLACES)
    return out


def read_inputs(
    group: Group,
    defn: Definition,
    year: int,
    period: str,
    month: int,
    *,
    from_records: bool = False,
    as_of: dt.date | None = None,
    with_records: bool = False,
) -> Inputs:
    """Everything a group's scores are computed from, in a fixed number of queries whatever the
    number of units (``from_records``: the raw recomputation instead, unit by unit). Counts of
    lapses are of the dispatch days before ``as_of`` (today); ``with_records`` also lists the
    records behind them (publishing keeps them for the drill-down). A group of persons reads its
    persons' counts instead (``persons``)."""
    as_of = as_of or timezone.localdate()
    if defn.subjects == Subjects.PERSONS:
        return person_inputs(
            group,
            defn,
            year,
            period,
            month,
            from_records=from_records,
            as_of=as_of,
            with_records=with_records,
        )
    units = members(group)
    months = months_of(period, month)
    county = group.scheme.county
    if from_records:
        figures = figures_from_records(units, year, months, defn.kinds)
    else:
        figures = figures_from_totals(county, units, year, months, defn.kinds)
    counts: Figures = {}
    records: dict[tuple[str, int], list[int]] = {}
    if defn.counted:
        if from_records:
            counts = lapses.counts_from_records(units, year, months, as_of)
        else:
            sources = tuple({i.source for i in defn.items if i.source in COUNTED})
            counts = lapses.counts(county, units, year, months, as_of, sources)
        if with_records:
            records = lapses.records(county, units, year, months, as_of)
    indicators = {i.indicator for i in defn.items if i.indicator}
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for unit_id, indicator_id, value in Target.objects.filter(
        unit__in=units, year=year, indicator_id__in=indicators
    ).values_list("unit_id", "indicator_id", "value"):
        targets[unit_id][indicator_id] = value
    manual: dict[tuple[str, int], tuple[Decimal, str]] = {}  # the review counts, a self-evaluation not
    claims: dict[tuple[str, int], tuple[Decimal, str]] = {}
    for code, unit_id, given, reason, claimed, note in ManualEntry.objects.filter(
        Q(value__isnull=False) | Q(claimed__isnull=False),
        item__group=group,
        unit__in=units,
        period=period,
        month=month,
    ).values_list("item__code", "unit_id", "value", "reason", "claimed", "claim_note"):
        if given is not None:
            manual[(code, unit_id)] = (Decimal(given), reason)
        if claimed is not None:
            claims[(code, unit_id)] = (Decimal(claimed), note)
    return Inputs([u.pk for u in units], figures, dict(targets), manual, claims, counts, records)


def person_inputs(
    group: Group,
    defn: Definition,
    year: int,
    period: str,
    month: int,
    *,
    from_records: bool,
    as_of: dt.date,
    with_records: bool,
) -> Inputs:
    """What a group of persons is scored from: each person's counts and targets."""
    people = persons.members(group)
    months = months_of(period, month)
    county = group.scheme.county
    if from_records:
        counts = persons.counts_from_records(county, people, year, months, as_of)
    else:
        counts = persons.counts(county, people, year, months, as_of, defn.personal)
    records = persons.records(county, people, year, months, as_of) if with_records else {}
    ids = [p.user for p in people]
    item_targets = {
        (code, person): Decimal(value)
        for code, person, value in PersonTarget.objects.filter(item__group=group, person__in=ids).values_list(
            "item__code", "person_id", "value"
        )
    }
    homes = {p.user: p.home for p in people}
    return Inputs(ids, {}, {}, counts=counts, records=records, item_targets=item_targets, homes=homes)


# --- the pure scoring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One item's points for one unit, with what they came from."""

    item: ItemDef
    given: Input
    result: Points
    reason: str = ""
    claimed: Decimal | None = None  # 自評
    claim_note: str = ""
    records: tuple[int, ...] = ()  # the records behind a counted figure (dispatch entries)

    @property
    def lost(self) -> Decimal:
        """Points short of the item's full value (what the unit's page explains)."""
        return (
            max(self.item.max_points - self.result.points, ZERO)
            if self.item.formula != Formula.DEDUCTION
            else -self.result.points
        )


@dataclass
class UnitScore:
    unit: int
    lines: list[Line]
    total: Decimal
    tie: Decimal | None
    rank: int = 0
    grade: str = ""
    jumped: list[str] = field(default_factory=list)


def _given(item: ItemDef, unit: int, inputs: Inputs) -> tuple[Input, str]:
    reason = ""
    manual: Decimal | None = None
    if (item.code, unit) in inputs.manual:
        manual, reason = inputs.manual[(item.code, unit)]
    if item.source == Source.MANUAL:
        return Input(figure=manual, manual=manual), reason
    if item.source in COUNTED:
        return Input(figure=inputs.counts.get(unit, {}).get(item.source, ZERO)), reason
    if item.source in PERSONAL:
        count = inputs.counts.get(unit, {}).get(item.source, ZERO)
        goal = inputs.item_targets.get((item.code, unit))
        return Input(figure=count, target=goal, completion=percent(count, goal)), reason
    figure = sum_of_kinds(item.summed, inputs.figures.get(unit, {}))
    target = inputs.targets.get(unit, {}).get(item.indicator) if item.indicator else None
    done = percent(figure, target)
    return Input(figure=figure, target=target, completion=done, manual=manual), reason


def _ranked_figure(item: ItemDef, given: Input) -> Decimal | None:
    return given.completion if item.source == Source.COMPLETION else given.figure


def score(defn: Definition, inputs: Inputs) -> list[UnitScore]:
    """Every unit's points, total, rank (the tie rule of ``formulas.rank_totals``) and grade (with
    the grade jumps on top), in rank order."""
    given = {(i.code, u): _given(i, u, inputs) for i in defn.items for u in inputs.units}
    ranks: dict[tuple[str, int], int] = {}
    for item in defn.items:
        if item.formula == Formula.RANK:
            on = formulas.ranks_on({u: _ranked_figure(item, given[(item.code, u)][0]) for u in inputs.units})
            ranks.update({(item.code, u): r for u, r in on.items()})
    scores = []
    for unit in inputs.units:
        lines = []
        for item in defn.items:
            value, reason = given[(item.code, unit)]
            if (item.code, unit) in ranks:
                value = Input(
                    value.figure, value.target, value.completion, ranks[(item.code, unit)], value.manual
                )
            claimed, note = inputs.claims.get((item.code, unit), (None, ""))
            result = formulas.apply(item.formula, item.params, value)
            behind = tuple(inputs.records.get((item.source, unit), ()))
            lines.append(Line(item, value, result, reason, claimed, note, behind))
        total = formulas.points(sum((line.result.points for line in lines), ZERO))
        tie_line = next((line for line in lines if line.item.code == defn.tie_item), None)
        tie = _ranked_figure(tie_line.item, tie_line.given) if tie_line else None
        scores.append(UnitScore(unit, lines, total, tie))
    places = formulas.rank_totals([(s.unit, s.total, s.tie) for s in scores])
    for s in scores:
        s.rank = places[s.unit]
        _grade(s, defn, inputs)
    return sorted(scores, key=lambda s: (s.rank, inputs.units.index(s.unit)))


def _grade(s: UnitScore, defn: Definition, inputs: Inputs) -> None:
    if not defn.grades:
        return
    grade = formulas.grade_of(s.total, defn.grades)
    for jump in defn.jumps:
        if sum_of_kinds(jump.summed, inputs.figures.get(s.unit, {})) >= jump.threshold:
            grade = formulas.jump(grade, jump.steps, defn.grades)
            s.jumped.append(jump.name)
    s.grade = defn.grades[grade][0] if grade is not None else ""


def draft(
    group: Group,
    year: int,
    period: str,
    month: int,
    *,
    from_records: bool = False,
    as_of: dt.date | None = None,
) -> list[UnitScore]:
    """The current scores of a group for a period, computed now (the draft the bureau reviews)."""
    defn = definition(group)
    return score(defn, read_inputs(group, defn, year, period, month, from_records=from_records, as_of=as_of))
