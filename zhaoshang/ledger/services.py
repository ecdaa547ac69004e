"""The ledger: from raw records (projects, funds arrived, progress reports, activities) to
append-only events and monthly totals.

``sync(project)`` brings the ledger in line with a project: it computes the events the project's
current state implies by the counting rules (``ledger.counting``), compares them with the events
already in the ledger, and appends the differences (``append``), updating the totals of the
credited units and their ancestors up to the county in the same transaction. Every write to a
project, its funds or its progress reports calls it, so the totals are never stale and the ledger is
a full history of what counted when; ``sync_activity`` does the same for a promotion activity,
``sync_manual`` for a manual figure and ``sync_returns`` for a landed enterprise's quarterly returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connections, router, transaction
from django.db.models import QuerySet, Sum

from zhaoshang.core import tree
from zhaoshang.core.queries import for_update
from zhaoshang.ledger import counting
from zhaoshang.ledger.counting import FOUR_PLACES, Cell, Figures
from zhaoshang.ledger.models import CountingRule, Event, FundsArrival, Total
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit


def implied(project: Any) -> Figures:
    """The events a project's current state implies: the counting rules (``counting.project_figures``)
    over its credit shares, its funds arrived and its filed progress reports, as stored."""
    shares = [(c.unit_id, c.share) for c in project.credits.all()]
    funds = FundsArrival.objects.filter(project=project)
    county = Unit.objects.county_of(project.unit)  # the unit read with the locked project
    code = county.gbt_code if county is not None else ""
    reports = counting.filed_reports(project)
    return counting.project_figures(project, shares, funds, reports, code, county_rules(county))


def county_code_of(unit_id: int) -> str:
    """The GB/T 2260 code of the county a unit lies in (``Unit.gbt_code``), empty when it has none:
    the county against which the origin level of funds is told."""
    return county_code_at(Unit.objects.only("path").get(pk=unit_id))


def county_code_at(unit: Unit) -> str:
    """``county_code_of`` for a unit already read (its path is enough): one query."""
    county = Unit.objects.county_of(unit)
    return county.gbt_code if county is not None else ""


def county_rules(county: Unit | None) -> list[counting.Rule]:
    """The counting rules of a county's own indicators (``ledger.rules``), as the counting reads them;
    none above or outside a county. Every rule counts, in use or not, so that taking an indicator out
    of use and back never needs a re-count."""
    if county is None:
        return []
    return [
        rule_of(r) for r in CountingRule.objects.filter(indicator__county=county).select_related("indicator")
    ]


def rule_of(rule: CountingRule) -> counting.Rule:
    return counting.Rule(
        kind=rule.indicator.kind,
        kinds=frozenset(rule.kinds),
        industry_sections=frozenset(rule.industry_sections),
        min_investment=rule.min_investment,
        usd_rate=rule.usd_rate,
        construction=rule.construction,
        introducer_types=frozenset(rule.introducer_types),
        key_only=rule.key_only,
    )


def recorded(project: Any) -> Figures:
    """The sums of the events already in the ledger for a project, by source and cell."""
    return _sums(Event.objects.filter(project=project))


def _sums(events: QuerySet) -> Figures:
    """The sums of ``events`` by source and cell (zero sums left out, as ``implied`` leaves them)."""
    figures: Figures = {}
    rows = events.values("source", "kind", "unit_id", "year", "month", "verified").annotate(
        total=Sum("amount")
    )
    for row in rows:
        if row["total"]:
            cell = Cell(row["kind"], row["unit_id"], row["year"], row["month"], row["verified"])
            figures[(row["source"], cell)] = row["total"]
    return figures


def append(want: Figures, have: Figures, project: Any = None) -> int:
    """Append the differences between what raw records imply (``want``) and what the ledger holds
    (``have``) as events, and add them to the totals. Returns the number of events appended. The
    one writer of events for every kind of raw record: ``sync`` (a project, its funds and reports)
    and ``sync_activity`` call it, the caller holding the record's row lock."""
    deltas = [
        (source, cell, want.get((source, cell), Decimal(0)) - have.get((source, cell), Decimal(0)))
        for source, cell in sorted(set(want) | set(have), key=str)
    ]
    events = [
        Event(
            kind=cell.kind,
            unit_id=cell.unit_id,
            project=project,
            year=cell.year,
            month=cell.month,
            verified=cell.verified,
            amount=delta,
            source=source,
        )
        for source, cell, delta in deltas
        if delta
    ]
    Event.objects.bulk_create(events)
    add_to_totals((Cell(e.kind, e.unit_id, e.year, e.month, e.verified), e.amount) for e in events)
    return len(events)


# The projects whose sync waits for the end of a ``synced_once`` block (None outside one).
_waiting: ContextVar[set[int] | None] = ContextVar("ledger_sync_waiting", default=None)


@contextmanager
def synced_once() -> Iterator[None]:
    """Inside the block, ``sync`` only notes the project; each noted project is synced once when the
    block ends without an error, in the caller's transaction. A write made of several steps that each
    sync (a progress report submitted with its funds lines, then the report itself) brings the ledger
    in line once instead of once per step: the end state is the same, since a sync appends what the
    project's state at that moment implies less what the ledger holds. A nested block joins the outer."""
    if _waiting.get() is not None:
        yield
        return
    token = _waiting.set(set())
    try:
        yield
        waiting = _waiting.get() or set()
    finally:
        _waiting.reset(token)
    for pk in sorted(waiting):
        _sync(pk)


def sync(project: Any) -> int:
    """Bring the ledger in line with the project: append the differences and update the totals.
    Returns the number of events appended (0 inside a ``synced_once`` block, which syncs at its end).

    The project's row is locked first, so that two syncs of one project never compute the same
    difference twice, and a sync that waited sees what the other committed (its credits, its events).
    """
    waiting = _waiting.get()
    if waiting is not None:
        waiting.add(project.pk)
        return 0
    return _sync(project.pk)


# No savepoint of its own: nothing catches a failed sync, the whole write fails with it.
@transaction.atomic(savepoint=False)
def _sync(pk: int) -> int:
    project = for_update(Project.objects).select_related("unit").get(pk=pk)
    return append(implied(project), recorded(project), project)


@transaction.atomic
def sync_activity(activity: Any, *, removed: bool = False) -> int:
    """Bring the ledger in line with a promotion activity, like ``sync`` does for a project: append
    the differences and update the totals. ``removed=True`` (the activity is being deleted) takes
    back everything it counted. The caller holds the activity's row lock (the activity services
    lock it first), so two syncs of one activity never append the same difference twice."""
    want = {} if removed else counting.activity_figures(activity)
    return append(want, _sums(Event.objects.filter(source=f"activity:{activity.pk}")))


@transaction.atomic
def sync_manual(entry: Any) -> int:
    """Bring the ledger in line with a manual figure (``ledger.manual``), like ``sync_activity``: the
    caller holds the entry's row lock."""
    return append(counting.manual_figures(entry), _sums(Event.objects.filter(source=f"manual:{entry.pk}")))


@transaction.atomic
def sync_returns(enterprise: Any) -> int:
    """Bring the ledger in line with a landed enterprise's quarterly returns (``counting.
    return_figures``), like ``sync`` does for a project: its row is locked first, then every return's
    events are compared with what the returns imply as a whole (a return verified late changes the
    jobs change of the next one) and the differences appended. The enterprise services call it in
    the transaction of every verification, correction or change of the key flag."""
    enterprise = for_update(type(enterprise).objects).get(pk=enterprise.pk)
    returns = list(enterprise.returns.all())
    have = _sums(Event.objects.filter(source__in=[counting.return_source(r) for r in returns]))
    return append(counting.return_figures(enterprise, returns), have)


def record_mismatches(prefix: str, records: Iterable[Any], figures: Any, what: str) -> list[str]:
    """Records not tied to a project (``prefix`` "activity" or "manual") whose ledger events differ
    from what ``figures(record)`` implies, and events of records that no longer exist (for
    ``rebuild_rollups --check``)."""
    have: dict[str, Figures] = defaultdict(dict)
    for (source, cell), amount in _sums(Event.objects.filter(source__startswith=f"{prefix}:")).items():
        have[source][(source, cell)] = amount
    problems = []
    for record in records:
        source = f"{prefix}:{record.pk}"
        if figures(record) != have.pop(source, {}):
            problems.append(f"{source}: ledger events differ from the {what}")
    problems += [f"{source}: events of a deleted {what} were not taken back" for source in sorted(have)]
    return problems


def activity_mismatches() -> list[str]:
    """Activities whose ledger events differ from what they imply, and events of deleted activities
    that were not taken back (for ``rebuild_rollups --check``)."""
    from zhaoshang.activities.models import Activity

    activities = Activity.objects.only("pk", "kind", "unit_id", "starts_on", "people").iterator(2000)
    return record_mismatches("activity", activities, counting.activity_figures, "activity")


def manual_mismatches() -> list[str]:
    """Manual figures whose ledger events differ from what they imply (``rebuild_rollups --check``)."""
    from zhaoshang.ledger.models import ManualEntry

    entries = ManualEntry.objects.select_related("indicator").iterator(2000)
    return record_mismatches("manual", entries, counting.manual_figures, "manual figure")


def return_mismatches() -> list[str]:
    """Quarterly returns whose ledger events differ from what their enterprise's returns imply, and
    events of returns that no longer exist (for ``rebuild_rollups --check``)."""
    from zhaoshang.enterprises.models import Enterprise

    have: dict[str, Figures] = defaultdict(dict)
    for (source, cell), amount in _sums(Event.objects.filter(source__startswith="return:")).items():
        have[source][(source, cell)] = amount
    want: dict[str, Figures] = defaultdict(dict)
    sources: set[str] = set()
    for enterprise in Enterprise.objects.prefetch_related("returns").iterator(500):
        returns = list(enterprise.returns.all())
        sources.update(counting.return_source(r) for r in returns)
        for (source, cell), amount in counting.return_figures(enterprise, returns).items():
            want[source][(source, cell)] = amount
    problems = [
        f"{source}: ledger events differ from the quarterly return"
        for source in sorted(sources)
        if want.get(source, {}) != have.get(source, {})
    ]
    problems += [f"{source}: events of a missing quarterly return" for source in sorted(set(have) - sources)]
    return problems


# --- totals -------------------------------------------------------------------------------------


CHUNK = 500  # units per lookup of chains, rows per statement adding to the totals


class Chain(NamedTuple):
    """The units whose totals include a credited unit's events: itself up to its county."""

    units: list[tuple[int, str]]  # (unit id, path), the credited unit first
    top: int  # the unit id whose row no ancestor row includes


def chain_of(unit_id: int, cache: dict[int, Chain] | None = None) -> Chain:
    """The chain of one credited unit (see ``chains_of``)."""
    if cache is not None and unit_id in cache:
        return cache[unit_id]
    chain = chains_of([unit_id])[unit_id]
    if cache is not None:
        cache[unit_id] = chain
    return chain


def chains_of(unit_ids: Iterable[int]) -> dict[int, Chain]:
    """The chains of the credited units, in two queries per 500 units: their paths, then every
    ancestor named by those paths (a path is the chain of its ancestors' ids)."""
    ids = sorted(set(unit_ids))
    chains: dict[int, Chain] = {}
    for start in range(0, len(ids), CHUNK):
        paths = dict(Unit.objects.filter(pk__in=ids[start : start + CHUNK]).values_list("pk", "path"))
        wanted = {ancestor for path in paths.values() for ancestor in tree.ancestor_paths(path)}
        kinds = dict(Unit.objects.filter(path__in=wanted).values_list("path", "kind"))
        for unit_id, path in paths.items():
            units: list[tuple[int, str]] = []
            for ancestor in reversed(tree.ancestor_paths(path)):  # the unit itself first, then upwards
                units.append((tree.last_id(ancestor), ancestor))
                if kinds.get(ancestor) == UnitKind.COUNTY:
                    break
            else:
                units = [(unit_id, path)]  # no county above: the unit's own row is its top
            chains[unit_id] = Chain(units, units[-1][0])
    return chains


def total_months(month: int) -> tuple[int, int]:
    """The ``Total.month`` values an event of ``month`` adds to: its month and the year row."""
    return (month, Total.YEAR)


def add_to_totals(changes: Iterable[tuple[Cell, Decimal]]) -> None:
    """Add amounts to the monthly and year totals of each credited unit's chain (the rows
    ``totals_from_cells`` names), in one statement: an insert of every row, which adds to the row
    where it exists. The rows are in a fixed order (so two transactions never wait on each other in a
    cycle); rows of one county serialise, other counties do not wait."""
    changes = list(changes)
    rows = totals_from_cells(changes, chains_of({cell.unit_id for cell, _ in changes}))
    values = [
        (pk, path, top, kind, year, month, verified, reported)
        for (pk, kind, year, month), (verified, reported, path, top) in sorted(rows.items())
        if verified or reported
    ]
    if not values:
        return
    database = connections[router.db_for_write(Total)]
    table = database.ops.quote_name(Total._meta.db_table)
    # the table's own name and placeholders only: every value is a parameter
    add = (
        f"INSERT INTO {table} (unit_id, unit_path, is_top, kind, year, month, verified, reported) "  # noqa: S608
        "VALUES {rows} ON CONFLICT (unit_id, kind, year, month) DO UPDATE SET "
        f"verified = {table}.verified + excluded.verified, reported = {table}.reported + excluded.reported"
    )
    with database.cursor() as cursor:
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(add.format(rows=marks), [value for row in chunk for value in row])


# --- reading totals -----------------------------------------------------------------------------


def subtree_figures(
    unit: Unit, year: int, months: Iterable[int] = range(1, 13), kinds: Iterable[str] | None = None
) -> dict[str, tuple[Decimal, Decimal]]:
    """Verified and reported sums over the subtree of ``unit`` by kind, without touching projects:
    the unit's own rows up to county level; above it, the top rows (counties) of the subtree."""
    rows = Total.objects.filter(year=year)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if _below_county(unit):
        rows = rows.filter(unit=unit)
    else:
        rows = rows.filter(tree.subtree_q(unit.path, "unit_path"), is_top=True)
    return _pairs(period_sums(rows, months, "kind"), None).get(None, {})


def period_sums(rows: QuerySet, months: Iterable[int], *keys: str) -> list[dict[str, Any]]:
    """The verified (``v``) and reported (``r``) sums of ``rows`` over ``months``, grouped by
    ``keys``: from the month rows, or from the year rows less the months not asked for when that
    reads fewer rows (a whole year reads one row per unit and kind instead of twelve)."""
    months = sorted(set(months))
    rest = [m for m in Total.MONTHS if m not in months]
    if len(months) <= len(rest) + 1:
        return list(_grouped(rows.filter(month__in=months), keys))
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    parts = [(1, rows.filter(month=Total.YEAR))] + ([(-1, rows.filter(month__in=rest))] if rest else [])
    for sign, part in parts:
        for row in _grouped(part, keys):
            into = out.setdefault(tuple(row[k] for k in keys), {k: row[k] for k in keys} | {"v": 0, "r": 0})
            into["v"] += sign * (row["v"] or Decimal(0))
            into["r"] += sign * (row["r"] or Decimal(0))
    return list(out.values())


def _grouped(rows: QuerySet, keys: tuple[str, ...]) -> QuerySet:
    return rows.values(*keys).annotate(v=Sum("verified"), r=Sum("reported"))


def _below_county(unit: Unit) -> bool:
    """True when the unit's totals rows are its own (a county or a unit inside one)."""
    return Unit.objects.ancestors_of(unit).filter(kind=UnitKind.COUNTY).exists()


def _pairs(
    rows: Iterable[Mapping[str, Any]], key: str | None
) -> dict[Any, dict[str, tuple[Decimal, Decimal]]]:
    """Sums by ``row[key]`` (all under None when ``key`` is None), then by kind. Every amount has
    four places, so their sums do too: SQLite sums decimals as floating point, and the quantizing
    gives back the exact sum (PostgreSQL's is exact already)."""
    out: dict[Any, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for row in rows:
        verified = Decimal(row["v"] or 0).quantize(FOUR_PLACES)
        out[row[key] if key else None][row["kind"]] = (verified, Decimal(row["r"] or 0).quantize(FOUR_PLACES))
    return out


def children_figures(
    parent: Unit, units: list[Unit], year: int, months: Iterable[int], kinds: Iterable[str]
) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """``subtree_figures`` of children of ``parent`` at once, in two grouped queries instead of two
    per child. Inside a county each child has its own rows; above it, the top rows in a child's
    subtree are its figures (for a county child, its own rows), and since siblings share a path length
    those rows are grouped by that prefix of their path."""
    from django.db.models.functions import Substr

    months, kinds = list(months), list(kinds)
    rows = Total.objects.filter(year=year, kind__in=kinds)
    inside = units if units and _below_county(parent) else []
    above = [] if inside else units
    result: dict[int, dict[str, tuple[Decimal, Decimal]]] = {u.pk: {} for u in units}
    if inside:
        result.update(_pairs(period_sums(rows.filter(unit__in=inside), months, "unit_id", "kind"), "unit_id"))
    for length in sorted({len(u.path) for u in above}):
        group = {u.path: u.pk for u in above if len(u.path) == length}
        # The parent's subtree holds every child's range; rows of other units in it (the parent's
        # own, a child not asked for) group under prefixes that are not in ``group``.
        sums = period_sums(
            rows.filter(tree.subtree_q(parent.path, "unit_path"), is_top=True).annotate(
                prefix=Substr("unit_path", 1, length)
            ),
            months,
            "prefix",
            "kind",
        )
        for prefix, figures in _pairs(sums, "prefix").items():
            if prefix in group:
                result[group[prefix]] = figures
    return result


def monthly_figures(
    unit: Unit, year: int, kinds: Iterable[str]
) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """``subtree_figures`` of each month of the year, in one grouped query."""
    rows = Total.objects.filter(year=year, month__in=Total.MONTHS, kind__in=list(kinds))
    if _below_county(unit):
        rows = rows.filter(unit=unit)
    else:
        rows = rows.filter(tree.subtree_q(unit.path, "unit_path"), is_top=True)
    return _pairs(rows.values("month", "kind").annotate(v=Sum("verified"), r=Sum("reported")), "month")


# --- rebuilding and checking --------------------------------------------------------------------

TotalKey = tuple[int, str, int, int]  # unit id, kind, year, month


def totals_from_cells(
    cells: Iterable[tuple[Cell, Decimal]], chains: dict[int, Chain] | None = None
) -> dict[TotalKey, tuple[Decimal, Decimal, str, bool]]:
    """What the totals must hold for the given event sums: (verified, reported, path, is_top) per row.
    ``chains`` (from ``chains_of``) are the credited units' chains when known; others are looked up
    as they come."""
    out: dict[TotalKey, list[Any]] = {}
    cache: dict[int, Chain] = dict(chains or {})
    for cell, amount in cells:
        chain = chain_of(cell.unit_id, cache)
        for pk, path in chain.units:
            for month in total_months(cell.month):
                row = out.setdefault(
                    (pk, cell.kind, cell.year, month), [Decimal(0), Decimal(0), path, pk == chain.top]
                )
                row[0 if cell.verified else 1] += amount
    return {k: (v[0], v[1], v[2], v[3]) for k, v in out.items()}


def totals_from_ledger() -> dict[TotalKey, tuple[Decimal, Decimal, str, bool]]:
    """Recompute every total from the events (one GROUP BY over the ledger)."""
    rows = Event.objects.values("kind", "unit_id", "year", "month", "verified").annotate(total=Sum("amount"))
    # Every amount has four places, so their sums do too: SQLite sums decimals as floats, whose
    # result depends on the order of the events; quantized, it is the exact sum (as in ``_pairs``).
    return totals_from_cells(
        (
            Cell(r["kind"], r["unit_id"], r["year"], r["month"], r["verified"]),
            Decimal(r["total"] or 0).quantize(FOUR_PLACES),
        )
        for r in rows
    )


def mismatches(expected: dict[TotalKey, tuple[Decimal, Decimal, str, bool]]) -> list[str]:
    """Every row where the kept totals differ from ``expected`` (zero rows count as absent)."""
    kept = {
        (t.unit_id, t.kind, t.year, t.month): (t.verified, t.reported, t.unit_path, t.is_top)
        for t in Total.objects.all().iterator(5000)
    }
    zero = (Decimal(0), Decimal(0))
    problems = []
    for key in sorted(set(kept) | set(expected), key=str):
        have, want = kept.get(key), expected.get(key)
        if (have[:2] if have else zero) != (want[:2] if want else zero) or (
            have and want and have[2:] != want[2:]
        ):
            problems.append(f"unit {key[0]} {key[1]} {key[2]}-{key[3]:02d}: kept {have}, expected {want}")
    return problems


@transaction.atomic
def rebuild_totals() -> int:
    """Replace every total by its recomputation from the ledger (after a unit moved, or a repair).

    Event writes are held off meanwhile (on PostgreSQL a SHARE lock on the event table waits for
    writers in progress and blocks new ones; SQLite's writes are serial anyway), so no sync can add
    to a total between the read and the rewrite and be lost."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Event._meta.db_table} IN SHARE MODE")
    expected = totals_from_ledger()
    Total.objects.all().delete()
    Total.objects.bulk_create(
        [
            Total(
                unit_id=k[0],
                kind=k[1],
                year=k[2],
                month=k[3],
                verified=v[0],
                reported=v[1],
                unit_path=v[2],
                is_top=v[3],
            )
            for k, v in expected.items()
            if v[0] or v[1]
        ],
        batch_size=2000,
    )
    return len(expected)
