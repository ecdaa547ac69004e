"""Counts of a unit's lapses in dispatch, read from the records for a deduction item (每缺報一次
月報 −1): a progress report **missing** (a project listed for the unit in a round whose dispatch
day passed in the period, with no report filed for it) and one filed **late** (filed, marked late
by dispatch: after the dispatch day, unless the project joined the round late).

A round counts once its dispatch day is over (before ``as_of``): a round still open has nothing
missing yet. The unit is the one the round's list names (``Entry.unit``, frozen when the round
opened), counted for the member of the group whose subtree holds it. Which report states count as
filed is dispatch's knowledge (``FILED``), and so is what is late (``Report.is_late``).

``counts`` reads every member's counts in one grouped query per path length of the members (one for
the townships of a county); ``records`` lists the entries behind them (for a published ranking's
drill-down); ``counts_from_records`` recomputes them unit by unit from the raw rows (the check).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Substr

from zhaoshang.assessment.choices import Source
from zhaoshang.core.tree import subtree_q
from zhaoshang.dispatch.choices import FILED
from zhaoshang.dispatch.models import Entry, Report
from zhaoshang.units.models import Unit

Counts = dict[int, dict[str, Decimal]]  # unit id → source (missed, late) → count


def _window(year: int, months: list[int], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The dispatch days that count: in the period's months and before ``as_of``."""
    first = dt.date(year, months[0], 1)
    last = dt.date(year, months[-1], calendar.monthrange(year, months[-1])[1])
    return first, min(last, as_of - dt.timedelta(days=1))


def _entries(county: Unit, year: int, months: list[int], as_of: dt.date) -> QuerySet:
    first, last = _window(year, months, as_of)
    filed = Report.objects.filter(round=OuterRef("round"), project=OuterRef("project"), status__in=FILED)
    return (
        Entry.objects.filter(subtree_q(county.path), round__county=county)
        .filter(round__due_on__gte=first, round__due_on__lte=last)
        .annotate(filed=Exists(filed), late=Exists(filed.filter(is_late=True)))
    )


def lapse_of(filed: bool, late: bool) -> str | None:
    """The lapse an entry of a closed round counts for: missing, late, or none."""
    if not filed:
        return Source.MISSED
    return Source.LATE if late else None


def counts(county: Unit, units: list[Unit], year: int, months: list[int], as_of: dt.date) -> Counts:
    out: Counts = {u.pk: {} for u in units}
    entries = _entries(county, year, months, as_of)
    for length in sorted({len(u.path) for u in units}):
        members = {u.path: u.pk for u in units if len(u.path) == length}
        rows = (
            entries.annotate(prefix=Substr("unit__path", 1, length))
            .values("prefix", "filed", "late")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            lapse = lapse_of(row["filed"], row["late"])
            if lapse and row["prefix"] in members:
                found = out[members[row["prefix"]]]
                found[lapse] = found.get(lapse, Decimal(0)) + row["n"]
    return out


def records(
    county: Unit, units: list[Unit], year: int, months: list[int], as_of: dt.date
) -> dict[tuple[str, int], list[int]]:
    """The entries behind ``counts``: (source, unit id) → entry ids, in the order of the rounds."""
    members = {u.path: u.pk for u in units}
    lengths = sorted({len(p) for p in members})
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    rows = (
        _entries(county, year, months, as_of)
        .exclude(filed=True, late=False)
        .order_by("round__due_on", "pk")
        .values_list("pk", "unit__path", "filed", "late")
    )
    for pk, path, filed, late in rows:
        unit = next((members[path[:n]] for n in lengths if path[:n] in members), None)
        lapse = lapse_of(filed, late)
        if unit is not None and lapse:
            out[(lapse, unit)].append(pk)
    return dict(out)


def counts_from_records(units: list[Unit], year: int, months: list[int], as_of: dt.date) -> Counts:
    """The same counts from the raw rows, unit by unit and entry by entry (tests, ``make bench``)."""
    first, last = _window(year, months, as_of)
    out: Counts = {u.pk: {} for u in units}
    for unit in units:
        for entry in Entry.objects.filter(
            subtree_q(unit.path), round__county=unit.parent_id, round__due_on__range=(first, last)
        ):
            report = Report.objects.filter(round=entry.round_id, project=entry.project_id).first()
            filed = report is not None and report.status in FILED
            lapse = lapse_of(filed, filed and report is not None and report.is_late)
            if lapse:
                out[unit.pk][lapse] = out[unit.pk].get(lapse, Decimal(0)) + 1
    return out
