"""Counts of a unit's lapses in dispatch, read from the records for a deduction item (每缺報一次
月報 −1): a progress report **missing** (a project listed for the unit in a round whose dispatch
day passed in the period, with no report filed for it) and one filed **late** (filed, marked late
by dispatch: after the dispatch day, unless the project joined the round late).

A round counts once its dispatch day is over (before ``as_of``): a round still open has nothing
missing yet. The unit is the one the round's list names (``Entry.unit``, frozen when the round
opened), counted for the member of the group whose subtree holds it. Which report states count as
filed is dispatch's knowledge (``FILED``), and so is what is late (``Report.is_late``).

A rectification item (整改事項) is **overdue** when its deadline fell in the period (before
``as_of``) and its owner unit did not report it rectified by then (no day rectified, or a later
one: the red and the late lights of the inspections' page), counted for the member holding the
owner unit.

Funds **returned** (弄虛作假-like: a funds line the bureau sent back as wrong or unsupported) are
the funds lines of the member's subtree's projects that stand returned (``FundsStatus.RETURNED``,
not deleted) and arrived in the period (before ``as_of``): a return keeps no date of its own, so
the line's own date places it in a period, and a line reported again after its return (reported,
then verified) no longer counts.

``counts`` reads every member's counts in one grouped query per kind of record (dispatch entries,
rectification items) and path length of the members (one length for the townships of a county);
``records`` lists the records behind them (for a published ranking's drill-down);
``counts_from_records`` recomputes them unit by unit from the raw rows (the check).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from zhaoshang.assessment.choices import COUNTED, Source
from zhaoshang.core.tree import subtree_q
from zhaoshang.dispatch.choices import FILED
from zhaoshang.dispatch.models import Entry, Report
from zhaoshang.inspections.models import RectificationItem
from zhaoshang.ledger.choices import FundsStatus
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.units.models import Unit

Counts = dict[int, dict[str, Decimal]]  # unit id → source (missed, late) → count


def window(year: int, months: list[int], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The dispatch days that count: in the period's months and before ``as_of``."""
    first = dt.date(year, months[0], 1)
    last = dt.date(year, months[-1], calendar.monthrange(year, months[-1])[1])
    return first, min(last, as_of - dt.timedelta(days=1))


def _entries(county: Unit, year: int, months: list[int], as_of: dt.date) -> QuerySet:
    first, last = window(year, months, as_of)
    filed = Report.objects.filter(round=OuterRef("round"), project=OuterRef("project"), status__in=FILED)
    return (
        Entry.objects.filter(subtree_q(county.path), round__county=county)
        .filter(round__due_on__gte=first, round__due_on__lte=last)
        .annotate(filed=Exists(filed), late=Exists(filed.filter(is_late=True)))
    )


def _overdue(county: Unit, year: int, months: list[int], as_of: dt.date) -> QuerySet:
    first, last = window(year, months, as_of)
    return RectificationItem.objects.filter(
        subtree_q(county.path, "owner_unit__path"), deadline__gte=first, deadline__lte=last
    ).filter(Q(rectified_on__isnull=True) | Q(rectified_on__gt=F("deadline")))


def _returned(county: Unit, year: int, months: list[int], as_of: dt.date) -> QuerySet:
    first, last = window(year, months, as_of)
    return FundsArrival.objects.filter(
        subtree_q(county.path, "project__unit__path"),
        status=FundsStatus.RETURNED,
        is_deleted=False,
        arrived_on__gte=first,
        arrived_on__lte=last,
    )


def _member_of(units: list[Unit]) -> Any:
    members = {u.path: u.pk for u in units}
    lengths = sorted({len(p) for p in members})

    def member(path: str) -> int | None:
        return next((members[path[:n]] for n in lengths if path[:n] in members), None)

    return member


def lapse_of(filed: bool, late: bool) -> str | None:
    """The lapse an entry of a closed round counts for: missing, late, or none."""
    if not filed:
        return Source.MISSED
    return Source.LATE if late else None


def counts(
    county: Unit,
    units: list[Unit],
    year: int,
    months: list[int],
    as_of: dt.date,
    sources: tuple[str, ...] = COUNTED,
) -> Counts:
    out: Counts = {u.pk: {} for u in units}
    entries = _entries(county, year, months, as_of)
    for length in sorted({len(u.path) for u in units}):
        members = {u.path: u.pk for u in units if len(u.path) == length}
        if {Source.MISSED, Source.LATE} & set(sources):
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
        if Source.OVERDUE in sources:
            rows = (
                _overdue(county, year, months, as_of)
                .annotate(prefix=Substr("owner_unit__path", 1, length))
                .values("prefix")
                .annotate(n=Count("pk"))
                .order_by()
            )
            for row in rows:
                if row["prefix"] in members:
                    out[members[row["prefix"]]][Source.OVERDUE] = Decimal(row["n"])
        if Source.RETURNED in sources:
            rows = (
                _returned(county, year, months, as_of)
                .annotate(prefix=Substr("project__unit__path", 1, length))
                .values("prefix")
                .annotate(n=Count("pk"))
                .order_by()
            )
            for row in rows:
                if row["prefix"] in members:
                    out[members[row["prefix"]]][Source.RETURNED] = Decimal(row["n"])
    return out


def records(
    county: Unit, units: list[Unit], year: int, months: list[int], as_of: dt.date
) -> dict[tuple[str, int], list[int]]:
    """The records behind ``counts``: (source, unit id) → dispatch entry ids (missing, late) in the
    order of the rounds, rectification item ids (overdue) in the order of their deadlines, funds
    ids (returned) in the order of their dates."""
    member = _member_of(units)
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    rows = (
        _entries(county, year, months, as_of)
        .exclude(filed=True, late=False)
        .order_by("round__due_on", "pk")
        .values_list("pk", "unit__path", "filed", "late")
    )
    for pk, path, filed, late in rows:
        unit = member(path)
        lapse = lapse_of(filed, late)
        if unit is not None and lapse:
            out[(lapse, unit)].append(pk)
    overdue = _overdue(county, year, months, as_of).order_by("deadline", "pk")
    for pk, path in overdue.values_list("pk", "owner_unit__path"):
        if (unit := member(path)) is not None:
            out[(Source.OVERDUE, unit)].append(pk)
    returned = _returned(county, year, months, as_of).order_by("arrived_on", "pk")
    for pk, path in returned.values_list("pk", "project__unit__path"):
        if (unit := member(path)) is not None:
            out[(Source.RETURNED, unit)].append(pk)
    return dict(out)


def counts_from_records(units: list[Unit], year: int, months: list[int], as_of: dt.date) -> Counts:
    """The same counts from the raw rows, unit by unit and entry by entry (tests, ``make bench``)."""
    first, last = window(year, months, as_of)
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
        for item in RectificationItem.objects.filter(
            subtree_q(unit.path, "owner_unit__path"), deadline__range=(first, last)
        ):
            if item.rectified_on is None or item.rectified_on > item.deadline:
                out[unit.pk][Source.OVERDUE] = out[unit.pk].get(Source.OVERDUE, Decimal(0)) + 1
        for funds in FundsArrival.objects.filter(
            subtree_q(unit.path, "project__unit__path"), arrived_on__range=(first, last)
        ):
            if funds.status == FundsStatus.RETURNED and not funds.is_deleted:
                out[unit.pk][Source.RETURNED] = out[unit.pk].get(Source.RETURNED, Decimal(0)) + 1
    return out
