"""The formula engine of the assessment (考核辦法): pure functions from a figure to points.

Nothing here reads the database. An item's formula gets what the scoring service read from the
ledger and the targets (``Input``) and its parameters as the scheme stores them (JSON, amounts as
text), and returns the points with everything needed to explain them (``Points``). Every amount is
a Decimal; points are kept to two places, rounded half up, as the published tables show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from zhaoshang.assessment.choices import Formula

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENTS = Decimal("0.01")


class ParamError(ValueError):
    """A formula's parameters are missing or not numbers; the scheme editor shows the message."""


def points(value: Decimal) -> Decimal:
    return value.quantize(CENTS, ROUND_HALF_UP)


def dec(params: Mapping[str, Any], key: str, default: Decimal | None = None) -> Decimal:
    """A number from the stored parameters (kept as text so that it stays exact)."""
    raw = params.get(key)
    if raw in (None, ""):
        if default is None:
            raise ParamError(f"{key} is required")
        return default
    try:
        value = Decimal(str(raw))
    except InvalidOperation as error:
        raise ParamError(f"{key} is not a number: {raw!r}") from error
    if not value.is_finite():
        raise ParamError(f"{key} is not a number: {raw!r}")
    return value


def pairs(params: Mapping[str, Any], key: str) -> list[tuple[Decimal, Decimal]]:
    """A list of [threshold, value] pairs, highest threshold first."""
    rows = params.get(key) or []
    try:
        out = [(Decimal(str(a)), Decimal(str(b))) for a, b in rows]
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ParamError(f"{key} must be a list of [threshold, value] pairs") from error
    return sorted(out, key=lambda pair: pair[0], reverse=True)


@dataclass(frozen=True)
class Input:
    """What one unit brings to one item: the figure of the period, the annual target, the
    completion (percent, None without a target), its rank in the group on the figure, and the
    manual value the bureau entered (points for a manual item, else a count)."""

    figure: Decimal | None = None
    target: Decimal | None = None
    completion: Decimal | None = None
    rank: int | None = None
    manual: Decimal | None = None


@dataclass(frozen=True)
class Points:
    """The points of one item and why: the raw result before its cap or floor, and which applied."""

    points: Decimal
    raw: Decimal
    capped: bool = False
    floored: bool = False
    note: dict[str, str] = field(default_factory=dict)


def _cap(raw: Decimal, cap: Decimal, **note: str) -> Points:
    raw = points(raw)
    if raw > cap:
        return Points(points(cap), raw, capped=True, note=note)
    return Points(raw, raw, note=note)


def ratio(params: Mapping[str, Any], given: Input) -> Points:
    """完成率 × 權重, capped (at the weight unless stated); below the floor (a completion
    percentage), nothing."""
    weight = dec(params, "weight")
    cap = dec(params, "cap", weight)
    floor = dec(params, "floor", ZERO)
    if given.completion is None:
        return Points(ZERO, ZERO)
    if given.completion < floor:
        return Points(ZERO, points(given.completion * weight / HUNDRED), floored=True)
    return _cap(given.completion * weight / HUNDRED, cap)


def tiers(params: Mapping[str, Any], given: Input) -> Points:
    """Bands of completion: the points of the highest band reached (≥100 % → 100, ≥80 % → 75 …)."""
    bands = pairs(params, "bands")
    if not bands:
        raise ParamError("bands are required")
    if given.completion is not None:
        for least, value in bands:
            if given.completion >= least:
                return Points(points(value), points(value), note={"band": str(least)})
    return Points(ZERO, ZERO)


def per_item(params: Mapping[str, Any], given: Input) -> Points:
    """Points for each whole ``per`` of the figure above ``over`` (每個億元以上項目 +3), capped."""
    each = dec(params, "each")
    cap = dec(params, "cap")
    over = dec(params, "over", ZERO)
    per = dec(params, "per", Decimal(1))
    if per <= 0:
        raise ParamError("per must be positive")
    count = max((given.figure or ZERO) - over, ZERO) / per
    count = count.to_integral_value(ROUND_DOWN)
    return _cap(count * each, cap, count=str(count))


def bonus_over(params: Mapping[str, Any], given: Input) -> Points:
    """A bonus per percentage point of completion over 100 %, scaled by the size of the target (the
    factor of the largest ``scales`` threshold the target reaches: 0.6 / 0.3 / 0.2 / 0.1), capped."""
    per_point = dec(params, "per_point")
    cap = dec(params, "cap")
    scales = pairs(params, "scales")
    if given.completion is None or given.target is None or given.completion <= HUNDRED:
        return Points(ZERO, ZERO)
    factor = next((f for least, f in scales if given.target >= least), ZERO) if scales else Decimal(1)
    over = given.completion - HUNDRED
    return _cap(over * per_point * factor, cap, over=str(over), factor=str(factor))


def deduction(params: Mapping[str, Any], given: Input) -> Points:
    """Minus ``each`` per occurrence (每缺報一次月報 −1), never more than ``floor`` in all (−12)."""
    each = dec(params, "each")
    floor = dec(params, "floor")
    raw = -points((given.figure or ZERO) * each)
    if raw < -floor:
        return Points(-points(floor), raw, floored=True)
    return Points(raw, raw)


def by_rank(params: Mapping[str, Any], given: Input) -> Points:
    """Points by rank on the figure in the group: the listed points (1st 60, 2nd 57 …), then
    ``step`` less for each further place, never below ``least``."""
    listed = [Decimal(str(v)) for v in params.get("points") or []]
    if not listed:
        raise ParamError("points are required")
    step = dec(params, "step", ZERO)
    least = dec(params, "least", ZERO)
    if given.rank is None:
        return Points(ZERO, ZERO)
    if given.rank <= len(listed):
        value = listed[given.rank - 1]
    else:
        value = listed[-1] - step * (given.rank - len(listed))
    if value < least:
        return Points(points(least), points(value), floored=True)
    return Points(points(value), points(value))


def manual(params: Mapping[str, Any], given: Input) -> Points:
    """Points the bureau gave with a written reason, held within the item's range."""
    top = dec(params, "max")
    bottom = dec(params, "min", ZERO)
    value = given.manual or ZERO
    if value > top:
        return Points(points(top), points(value), capped=True)
    if value < bottom:
        return Points(points(bottom), points(value), floored=True)
    return Points(points(value), points(value))


FORMULAS = {
    Formula.RATIO: ratio,
    Formula.TIERS: tiers,
    Formula.PER_ITEM: per_item,
    Formula.BONUS_OVER: bonus_over,
    Formula.DEDUCTION: deduction,
    Formula.RANK: by_rank,
    Formula.MANUAL: manual,
}


def apply(formula: str, params: Mapping[str, Any], given: Input) -> Points:
    return FORMULAS[Formula(formula)](params, given)


def check(formula: str, params: Mapping[str, Any]) -> None:
    """Raise ``ParamError`` when the parameters cannot be used (the editor calls this on save)."""
    apply(formula, params, Input(figure=Decimal(1), target=Decimal(1), completion=HUNDRED, rank=1))


def ranks_on(values: Mapping[Any, Decimal | None]) -> dict[Any, int]:
    """Competition ranks on a figure, highest first (1, 2, 2, 4); a missing figure ranks last."""
    order = sorted(values.values(), key=lambda v: (v is None, -(v or ZERO)))
    return {key: order.index(value) + 1 for key, value in values.items()}


# --- totals, ties and grades ----------------------------------------------------------------------


def rank_totals(rows: Sequence[tuple[Any, Decimal, Decimal | None]]) -> dict[Any, int]:
    """The tie rule: rank by total, highest first; equal totals are ordered by the tie-break figure
    (the main indicator's completion), higher first; equal on both, they share the place."""

    def key(row: tuple[Any, Decimal, Decimal | None]) -> tuple[Decimal, Decimal]:
        tie = row[2] if row[2] is not None else Decimal("-Infinity")
        return (-row[1], -tie)

    ordered = sorted(rows, key=key)
    keys = [key(r) for r in ordered]
    return {row[0]: keys.index(key(row)) + 1 for row in ordered}


def grade_of(total: Decimal, grades: Sequence[tuple[str, Decimal]]) -> int | None:
    """The index of the grade a total reaches (grades listed best first, each with its least total)."""
    for index, (_name, least) in enumerate(grades):
        if total >= least:
            return index
    return None


def jump(grade: int | None, steps: int, grades: Sequence[tuple[str, Decimal]]) -> int | None:
    """直接晉檔: ``steps`` grades up, never above the best; a unit without a grade enters the last."""
    if not grades or steps <= 0:
        return grade
    start = len(grades) if grade is None else grade
    return max(start - steps, 0)
