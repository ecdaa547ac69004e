"""Reading dispatch: a round's overview per unit, the projects that stalled, and the figures of the
dispatch table (this period, year to date, since start). All of it through ``visible_to``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet, Sum

from zhaoshang.core.permissions import Action
from zhaoshang.core.tree import subtree_q
from zhaoshang.dispatch.choices import FILED, ReportStatus
from zhaoshang.dispatch.models import Entry, Report, Round
from zhaoshang.dispatch.reminders import OVERDUE_WINDOW_DAYS
from zhaoshang.ledger.choices import FundsSource, FundsStatus
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.projects.choices import Currency
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


@dataclass
class Tally:
    """Reports of one unit in one round."""

    unit: Any
    due: int = 0
    submitted: int = 0  # submitted or verified
    verified: int = 0
    late: int = 0
    returned: int = 0
    missing: int = 0  # not filed by the cut-off (shown once the dispatch day has passed)
    pending: int = 0  # not filed yet, before the cut-off


def to_report(user: User, today: dt.date) -> QuerySet:
    """The entries the user files reports for and has not filed: listed in a round whose dispatch day
    is still ahead or passed no longer ago than ``OVERDUE_WINDOW_DAYS`` (the to-report list and the
    start page both read it)."""
    filed = Report.objects.filter(round=OuterRef("round"), project=OuterRef("project"), status__in=FILED)
    return (
        Entry.objects.visible_to(user, Action.EDIT)
        .exclude(Exists(filed))
        .filter(round__due_on__gte=today - dt.timedelta(days=OVERDUE_WINDOW_DAYS))
    )


def entries_of(user: User, round_: Round, unit: Unit | None = None) -> QuerySet:
    rows = Entry.objects.visible_to(user).filter(round=round_)
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path))
    return rows


def tallies(user: User, round_: Round, today: dt.date) -> list[Tally]:
    """Per owning unit of the user's subtree: due, submitted, verified, late, returned, missing."""
    status = {
        project_id: (state, late)
        for project_id, state, late in Report.objects.filter(round=round_).values_list(
            "project_id", "status", "is_late"
        )
    }
    by_unit: dict[int, Tally] = {}
    closed = today > round_.due_on
    for entry in entries_of(user, round_).select_related("unit").order_by("unit__path"):
        tally = by_unit.setdefault(entry.unit_id, Tally(entry.unit))
        tally.due += 1
        state, late = status.get(entry.project_id, (None, False))
        if state in FILED:
            tally.submitted += 1
            tally.verified += state == ReportStatus.VERIFIED
            tally.late += bool(late)
        else:
            tally.returned += state == ReportStatus.RETURNED
            if closed:
                tally.missing += 1
            else:
                tally.pending += 1
    return list(by_unit.values())


def total_of(rows: list[Tally], label: Any) -> Tally:
    total = Tally(label)
    for row in rows:
        for name in ("due", "submitted", "verified", "late", "returned", "missing", "pending"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


# --- stalled projects ---------------------------------------------------------------------------


def stalled_projects(
    user: User, unit: Unit, today: dt.date, limit: int = 20
) -> list[tuple[Project, int]] | None:
    """Projects that owed a report in each of the last K closed rounds of their county (K from the
    calendar when the round opened) and filed no report showing progress in any of them: (project,
    K). Only projects of ``unit``'s subtree the user may see.

    Dispatch is a county's routine, so the list is a county's (or a unit's inside it). Above the
    counties the answer is None: walking every county's rounds would cost queries per county
    (thousands at a national root) for a list a province does not work from."""
    county = Unit.objects.county_of(unit)
    if county is None:
        return None
    latest = Round.objects.filter(county=county, due_on__lt=today).order_by("-due_on")
    first = latest.first()
    if first is None:
        return []
    k = first.stalled_after
    rounds = list(latest.values_list("pk", flat=True)[:k])
    if len(rounds) < k:
        return []
    moved = Report.objects.filter(
        round=OuterRef("round"), project=OuterRef("project"), status__in=FILED, has_progress=True
    )
    rows = (
        Entry.objects.visible_to(user)
        .filter(subtree_q(unit.path), round__in=rounds)
        .annotate(moved=Exists(moved))
        .values_list("project_id", "moved")
    )
    count: dict[int, int] = defaultdict(int)
    for project_id, has_moved in rows:
        count[project_id] += 0 if has_moved else 1
    stalled_ids = [pk for pk, n in count.items() if n == k]
    projects = Project.objects.filter(pk__in=stalled_ids).select_related("unit").order_by("unit__path", "pk")
    return [(project, k) for project in projects[:limit]]


# --- the dispatch table (調度表) -----------------------------------------------------------------


@dataclass
class TableRow:
    """One project in the dispatch table. Only verified figures count; what was reported and is not
    yet verified is carried beside them (``*_pending``), never added to them (DESIGN.md section 4)."""

    project: Project
    stage: str
    report: Report | None
    investment: tuple[Decimal, Decimal, Decimal]  # verified: this period, year to date, since start
    funds: tuple[Decimal, Decimal, Decimal]  # verified domestic, 10,000 CNY
    foreign: Decimal  # verified this period, 10,000 USD
    investment_pending: Decimal = Decimal(0)  # submitted, not yet verified, up to the cut-off
    funds_pending: Decimal = Decimal(0)  # domestic, reported, not yet verified, up to the cut-off
    foreign_pending: Decimal = Decimal(0)  # foreign (10,000 USD), reported, not yet verified

    def total_investment_in(self, currency: str) -> Decimal:
        """The project's total investment if it is stated in ``currency``, else nothing: 万元 and
        万美元 are totalled apart, never added together."""
        if self.project.currency != currency:
            return Decimal(0)
        return self.project.total_investment or Decimal(0)


@dataclass
class Group:
    stage: str
    label: str
    rows: list[TableRow] = field(default_factory=list)

    def subtotal(self, attr: str, index: int) -> Decimal:
        return sum((getattr(r, attr)[index] for r in self.rows), Decimal(0))

    @property
    def total_investment(self) -> Decimal:
        """Total investment of the group's projects in 10,000 CNY (projects in USD apart)."""
        return sum((r.total_investment_in(Currency.CNY) for r in self.rows), Decimal(0))

    @property
    def total_investment_usd(self) -> Decimal:
        """Total investment of the group's projects stated in 10,000 USD."""
        return sum((r.total_investment_in(Currency.USD) for r in self.rows), Decimal(0))


def _sums(rows: Any, key: str, value: str) -> dict[int, Decimal]:
    return {r[key]: r["s"] or Decimal(0) for r in rows.values(key).annotate(s=Sum(value))}


def table_groups(user: User, round_: Round, unit: Unit | None = None) -> list[Group]:
    """The rows of the dispatch table grouped by stage (as listed when the round opened), with the
    investment completed (from verified reports) and funds arrived (verified) this period, in the year
    to date and since the start; beside them, what was reported up to the cut-off and is not yet
    verified."""
    from zhaoshang.projects.choices import Stage

    entries = list(
        entries_of(user, round_, unit)
        .select_related("project", "project__unit")
        .order_by("project__unit__path", "project_id")
    )
    ids = [e.project_id for e in entries]
    reports = {r.project_id: r for r in Report.objects.filter(round=round_, project_id__in=ids)}
    filed = Report.objects.filter(project_id__in=ids, round__due_on__lte=round_.due_on)
    verified = filed.filter(status=ReportStatus.VERIFIED)
    year_start = dt.date(round_.due_on.year, 1, 1)
    inv_period = _sums(verified.filter(round=round_), "project_id", "investment")
    inv_year = _sums(verified.filter(round__due_on__gte=year_start), "project_id", "investment")
    inv_all = _sums(verified, "project_id", "investment")
    inv_pending = _sums(filed.filter(status=ReportStatus.SUBMITTED), "project_id", "investment")
    money = FundsArrival.objects.filter(project_id__in=ids, is_deleted=False, arrived_on__lte=round_.due_on)
    counted = money.filter(status=FundsStatus.VERIFIED)
    pending = money.filter(status=FundsStatus.REPORTED)
    domestic = counted.filter(source=FundsSource.DOMESTIC)
    in_period = {"arrived_on__gte": round_.period_start}
    f_period = _sums(domestic.filter(**in_period), "project_id", "amount")
    f_year = _sums(domestic.filter(arrived_on__gte=year_start), "project_id", "amount")
    f_all = _sums(domestic, "project_id", "amount")
    f_pending = _sums(pending.filter(source=FundsSource.DOMESTIC), "project_id", "amount")
    foreign = _sums(counted.filter(source=FundsSource.FOREIGN, **in_period), "project_id", "amount")
    foreign_pending = _sums(pending.filter(source=FundsSource.FOREIGN), "project_id", "amount")
    zero = Decimal(0)
    groups: dict[str, Group] = {}
    for entry in entries:
        pk = entry.project_id
        group = groups.setdefault(entry.stage, Group(entry.stage, str(Stage(entry.stage).label)))
        group.rows.append(
            TableRow(
                entry.project,
                entry.stage,
                reports.get(pk),
                (inv_period.get(pk, zero), inv_year.get(pk, zero), inv_all.get(pk, zero)),
                (f_period.get(pk, zero), f_year.get(pk, zero), f_all.get(pk, zero)),
                foreign.get(pk, zero),
                inv_pending.get(pk, zero),
                f_pending.get(pk, zero),
                foreign_pending.get(pk, zero),
            )
        )
    order = [Stage.OPERATING, Stage.COMPLETED, Stage.STARTED, Stage.SIGNED, Stage.INTENT, Stage.NEGOTIATING]
    return [groups[s] for s in order if s in groups]


def review_queue(user: User) -> QuerySet:
    """Submitted reports the user may review, oldest dispatch day first."""
    return (
        Report.objects.visible_to(user, Action.VERIFY)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related("round", "project", "project__unit", "submitted_by")
        .prefetch_related("funds_lines")
        .order_by("due_on", "submitted_at", "pk")
    )
