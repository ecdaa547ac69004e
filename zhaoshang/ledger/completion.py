"""Completion (完成率) and progress against time (序時進度): the figures units are judged on, always
computed from the kept totals and the targets, never typed in.

Targets are annual. A period (one month, a quarter, or the year to date) chooses which months' actual
figures are summed; completion is that actual over the annual target, and progress against time is
the share of the year gone by the end of the period (or by today, inside it). A unit is behind
schedule when its year-to-date completion is below that share: half the year gone, half the target
done.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps

from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import subtree_figures
from zhaoshang.units.models import Unit

PERIODS = ("month", "quarter", "ytd")
HUNDRED = Decimal(100)


def period_months(period: str, month: int) -> list[int]:
    """The months a period covers, for the period that contains ``month``."""
    if period == "month":
        return [month]
    if period == "quarter":
        first = (month - 1) // 3 * 3 + 1
        return [first, first + 1, first + 2]
    if period == "ytd":
        return list(range(1, month + 1))
    raise ValueError(f"unknown period {period!r}")


def time_share(year: int, months: list[int], today: dt.date) -> Decimal:
    """The share of ``year`` gone by the end of the period, or by ``today`` if the period is running."""
    end = dt.date(year, months[-1], calendar.monthrange(year, months[-1])[1])
    upto = min(end, today)
    start = dt.date(year, 1, 1)
    if upto < start:
        return Decimal(0)
    days = 366 if calendar.isleap(year) else 365
    return (Decimal((upto - start).days + 1) / days).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def progress_against_time(year: int, month: int, today: dt.date) -> Decimal:
    """序時進度: the percentage of the year gone by the end of ``month`` (or by today), to one decimal."""
    return to_tenth(time_share(year, period_months("ytd", month), today) * HUNDRED)


def to_tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """part / whole as a percentage to one decimal (112.7, 0.6); None without a positive target."""
    if not whole:
        return None
    return to_tenth(part * HUNDRED / whole)


@dataclass(frozen=True)
class Row:
    """One indicator of one unit in one period."""

    indicator: Indicator
    target: Decimal | None
    actual: Decimal  # verified
    reported: Decimal  # reported, not yet verified (shown beside, never counted)
    completion: Decimal | None  # percent of the annual target
    time_progress: Decimal  # percent of the year gone
    behind: bool

    @property
    def gap(self) -> Decimal | None:
        """Percentage points ahead (+) or behind (−) progress against time."""
        return None if self.completion is None else self.completion - self.time_progress


def completion(
    unit: Unit, year: int, period: str, month: int, today: dt.date, targets: Any = None
) -> list[Row]:
    """The completion of every active indicator for ``unit`` (its whole subtree) in a period.
    ``targets`` is the queryset to read targets from (already scoped by the caller)."""
    months = period_months(period, month)
    indicators = list(Indicator.objects.for_unit(unit).filter(is_active=True))  # its county's too
    figures = subtree_figures(unit, year, months, [k for i in indicators for k in i.kinds])
    if targets is None:
        targets = apps.get_model("targets", "Target").objects.all()
    by_indicator = dict(targets.filter(unit=unit, year=year).values_list("indicator_id", "value"))
    share = time_share(year, period_months("ytd", months[-1]), today) * HUNDRED  # unrounded for "behind"
    progress = to_tenth(share)
    rows = []
    for indicator in indicators:
        actual, reported = indicator.figure(figures)
        target = by_indicator.get(indicator.pk)
        done = percent(actual, target)
        rows.append(
            Row(
                indicator,
                target,
                actual,
                reported,
                done,
                progress,
                done is not None and done < share,
            )
        )
    return rows
