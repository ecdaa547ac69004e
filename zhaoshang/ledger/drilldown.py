"""Drill-down (穿透查詢): the records behind a figure.

Every figure the system shows (a dashboard card, a child's bar, a target row, an API completion) is
the sum of one indicator's ledger events credited to one unit's subtree in some months of one year.
``records_behind(indicator, unit, period)`` lists those events grouped by the raw record they follow
(a project's stage, a record of funds arrived, a progress report, a promotion activity, a manual
figure, a landed enterprise's quarterly return), with its
verified and reported amounts, and the totals of the whole list: the verified total is the figure
the list was opened from (the kept totals are built from the same events), the reported total the
"reported, not verified" beside it. The page (``ledger:drilldown``), the JSON API and later apps
(assessment, summaries) call it, so a figure and its records can never disagree.

It reads the events, never the totals: the list is the proof of the total, not a copy of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, DecimalField, ExpressionWrapper, FloatField, QuerySet, Sum, Value, When
from django.db.models.functions import Abs
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from zhaoshang.core import tree
from zhaoshang.ledger import counting
from zhaoshang.ledger.completion import period_months
from zhaoshang.ledger.counting import FOUR_PLACES
from zhaoshang.ledger.models import Event, FundsArrival, Indicator
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

ZERO = Decimal(0)
# A record whose events add up to less than this (its verified and reported sums both) took back
# what it had counted (returned, deleted, moved to another month): it is not listed.
NOTHING = 0.00005


@dataclass(frozen=True)
class Period:
    """The months of one year a figure sums: a month, a quarter or the year to date."""

    year: int
    months: tuple[int, ...]

    @classmethod
    def of(cls, year: int, period: str = "ytd", month: int = 12) -> Period:
        """The period (``completion.PERIODS``) that contains ``month`` of ``year``."""
        return cls(year, tuple(period_months(period, month)))


@dataclass(frozen=True)
class Line:
    """One raw record behind a figure and what it counts for there (its parts in the unit's subtree)."""

    source: (
        str  # the ledger's name of the record: "project:7", "funds:12", "report:3", "activity:5", "return:4"
    )
    record: str  # project, funds, report or activity
    record_id: int
    label: str  # what the record is, in words
    project: Project | None  # the project it belongs to, when the user may see it
    on: dt.date | None  # the record's date: funds arrived, activity began, stage reached
    verified: Decimal
    reported: Decimal
    url: str  # the record's page, empty when the user may not open it


@dataclass
class Drilldown:
    """The records behind one figure: one page of lines and the totals of all of them."""

    indicator: Indicator
    unit: Unit
    period: Period
    verified: Decimal  # the figure (only verified events count toward targets)
    reported: Decimal  # reported, not yet verified: shown beside, never counted
    count: int  # records on all pages
    lines: list[Line] = field(default_factory=list)
    apart: bool = False  # the records of projects not counted (不予認定), kept apart
    size: str = ""  # only projects over a threshold (projects.thresholds), or all

    @property
    def page_verified(self) -> Decimal:
        return sum((line.verified for line in self.lines), ZERO)

    @property
    def page_reported(self) -> Decimal:
        return sum((line.reported for line in self.lines), ZERO)


def events_behind(
    indicator: Indicator, unit: Unit, period: Period, apart: bool = False, size: str = ""
) -> QuerySet:
    """The ledger events a figure sums: the indicator's kind, credited in the unit's subtree, in the
    period's months. The same events the kept totals of the unit add up (``services.subtree_figures``).
    With ``apart``, the figures of projects not counted (不予認定) kept apart beside it instead. With
    ``size`` (``large``, ``industrial``, ``key``: ``projects.thresholds``), only the events of the
    projects over the county's threshold: 亿元以上 or 3000万元以上工业 signed projects, counted by the
    same events as the figure they are part of."""
    events = Event.objects.filter(
        tree.subtree_q(unit.path),
        kind__in=[counting.apart(k) if apart else k for k in indicator.kinds],
        year=period.year,
        month__in=list(period.months),
    )
    if size:
        from zhaoshang.projects.thresholds import size_q

        events = events.filter(size_q(size, "project__"))
    return events


def _verified_sum(verified: bool) -> Sum:
    return Sum(Case(When(verified=verified, then="amount"), default=Value(ZERO), output_field=DecimalField()))


def grouped(
    indicator: Indicator, unit: Unit, period: Period, apart: bool = False, size: str = ""
) -> QuerySet:
    """One row per record behind the figure (``source``, ``project_id``, ``v``, ``r``), in the order
    of the ledger's names, leaving out records whose events add up to nothing. The comparison is a
    floating-point one on purpose: SQLite sums decimals as floats, and a parameter bound as a Decimal
    would be compared as text there."""
    magnitude = ExpressionWrapper(
        Abs(_verified_sum(True)) + Abs(_verified_sum(False)), output_field=FloatField()
    )
    return (
        events_behind(indicator, unit, period, apart, size)
        .order_by()
        .values("source", "project_id")
        .annotate(v=_verified_sum(True), r=_verified_sum(False), magnitude=magnitude)
        .filter(magnitude__gt=NOTHING)
        .order_by("source")
    )


def _exact(value: Any) -> Decimal:
    """Every amount has four places, so their sums do too (SQLite's float sum quantized back)."""
    return Decimal(value or 0).quantize(FOUR_PLACES)


def records_behind(
    indicator: Indicator,
    unit: Unit,
    period: Period,
    *,
    user: User | None = None,
    offset: int = 0,
    limit: int | None = None,
    apart: bool = False,
    size: str = "",
) -> Drilldown:
    """The records behind ``indicator``'s figure for ``unit``'s subtree in ``period``: the totals of
    all of them and the lines from ``offset`` (``limit`` of them, all without one). The caller has
    checked the user may see the unit; with ``user``, a line names and links only the projects and
    activities the user may open (the figure itself is the unit's, and the user sees it anyway).
    With ``apart``, the records of projects not counted (不予認定), whose figures are kept apart; with
    ``size``, only those of projects over a threshold (``events_behind``)."""
    totals = events_behind(indicator, unit, period, apart, size).aggregate(
        v=_verified_sum(True), r=_verified_sum(False)
    )
    rows = grouped(indicator, unit, period, apart, size)
    count = rows.count()
    page = list(rows[offset : offset + limit] if limit is not None else rows[offset:])
    return Drilldown(
        indicator,
        unit,
        period,
        _exact(totals["v"]),
        _exact(totals["r"]),
        count,
        lines_of(page, indicator, user),
        apart,
        size,
    )


def count_of_size(indicator: Indicator, unit: Unit, period: Period, size: str) -> Decimal:
    """How many of the figure's projects are over a threshold (e.g. signed projects of 亿元以上), by
    credit share like the figure: the verified sum of their events."""
    return records_behind(indicator, unit, period, limit=0, size=size).verified


def all_lines(
    indicator: Indicator, unit: Unit, period: Period, user: User | None = None, apart: bool = False
) -> list[Line]:
    """Every line behind the figure, in pages of a thousand (tests, exports)."""
    lines: list[Line] = []
    while True:
        part = records_behind(
            indicator, unit, period, user=user, offset=len(lines), limit=1000, apart=apart
        ).lines
        lines += part
        if len(part) < 1000:
            return lines


# --- naming the records -------------------------------------------------------------------------


def _ids(rows: Iterable[dict[str, Any]], record: str) -> set[int]:
    return {int(r["source"].split(":", 1)[1]) for r in rows if r["source"].split(":", 1)[0] == record}


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # an app that is not installed
        return ""


def _url_query(name: str, **query: Any) -> str:
    from urllib.parse import urlencode

    try:
        return f"{reverse(name)}?{urlencode(query)}"
    except NoReverseMatch:
        return ""


STAGE_DATE: dict[str, str] = {str(kind): field for kind, field in counting.PROJECT_COUNTS}


def lines_of(rows: list[dict[str, Any]], indicator: Indicator, user: User | None) -> list[Line]:
    """The rows of one page as lines: each record named, dated and linked, in a few queries."""
    project_ids = {r["project_id"] for r in rows if r["project_id"]}
    projects = Project.objects.filter(pk__in=project_ids)
    if user is not None:
        projects = Project.objects.visible_to(user).filter(pk__in=project_ids)
    by_pk = {p.pk: p for p in projects.only("pk", "code", "name", "exclusion", *STAGE_DATE.values())}
    funds = {
        f.pk: f
        for f in FundsArrival.objects.filter(pk__in=_ids(rows, "funds")).only("pk", "arrived_on", "currency")
    }
    activities = _activities(_ids(rows, "activity"), user)
    manual = _manual(_ids(rows, "manual"), user)
    returns = _returns(_ids(rows, "return"), user)
    lines = []
    for row in rows:
        record, _sep, pk_text = row["source"].partition(":")
        pk = int(pk_text) if pk_text.isdigit() else 0
        project = by_pk.get(row["project_id"])
        if row["project_id"] is None and record not in ("activity", "manual", "return"):  # kind unknown here
            label, on, url = _("Other record (%(source)s)") % {"source": row["source"]}, None, ""
        elif record == "return":
            label, on, url = _describe_return(returns.get(pk))
        else:
            label, on, url = _describe(record, pk, project, indicator, funds, activities, manual)
        lines.append(
            Line(row["source"], record, pk, label, project, on, _exact(row["v"]), _exact(row["r"]), url)
        )
    return lines


def _activities(ids: set[int], user: User | None) -> dict[int, Any]:
    if not ids:
        return {}
    from zhaoshang.activities.models import Activity

    activities = Activity.objects.all() if user is None else Activity.objects.visible_to(user)
    return {a.pk: a for a in activities.filter(pk__in=ids).only("pk", "title", "starts_on")}


def _manual(ids: set[int], user: User | None) -> dict[int, Any]:
    """Manual figures (``ledger.manual``) by id, those the user may see."""
    if not ids:
        return {}
    from zhaoshang.ledger.models import ManualEntry

    entries = ManualEntry.objects.all() if user is None else ManualEntry.objects.visible_to(user)
    return {e.pk: e for e in entries.filter(pk__in=ids).select_related("unit")}


def _returns(ids: set[int], user: User | None) -> dict[int, Any]:
    """Quarterly returns of landed enterprises by id, those the user may see."""
    if not ids:
        return {}
    from zhaoshang.enterprises.models import QuarterlyReturn

    returns = QuarterlyReturn.objects.all() if user is None else QuarterlyReturn.objects.visible_to(user)
    return {r.pk: r for r in returns.filter(pk__in=ids).select_related("enterprise")}


def _describe_return(record: Any) -> tuple[str, dt.date | None, str]:
    """(label, date, url) of a quarterly return: the enterprise and quarter, the quarter's last day."""
    from zhaoshang.enterprises.services import quarter_bounds

    if record is None:
        return _("Quarterly return of an enterprise you cannot open"), None, ""
    label = _("Quarterly return of %(enterprise)s, %(year)s %(quarter)s") % {
        "enterprise": record.enterprise.name,
        "year": record.year,
        "quarter": record.get_quarter_display(),
    }
    return label, quarter_bounds(record.year, record.quarter)[1], record.get_absolute_url()


def _describe(
    record: str,
    pk: int,
    project: Project | None,
    indicator: Indicator,
    funds: dict[int, FundsArrival],
    activities: dict[int, Any],
    manual: dict[int, Any],
) -> tuple[str, dt.date | None, str]:
    """(label, date, url) of one record; a record the user may not open is named but not linked."""
    if record == "manual":
        entry = manual.get(pk)
        if entry is None:
            return _("Figure of a unit you cannot open"), None, ""
        label = _("Figure entered by %(unit)s") % {"unit": entry.unit.name}
        url = _url_query("ledger:manual_entries", indicator=indicator.pk, unit=entry.unit_id, year=entry.year)
        return label, dt.date(entry.year, entry.month, 1), url
    if record == "activity":
        activity = activities.get(pk)
        if activity is None:
            return _("Promotion activity of a unit you cannot open"), None, ""
        return activity.title, activity.starts_on, _url("activities:detail", pk)
    if project is None:
        return _("A project you cannot open"), None, ""
    if record == "funds":
        line = funds.get(pk)
        return _("Funds arrived"), line.arrived_on if line else None, project.get_absolute_url()
    if record == "report":
        return _("Progress report"), None, _url("dispatch:report", pk)
    stage_date = STAGE_DATE.get(indicator.kind, "signed_on")  # the contracted amount counts on signing
    return _("Project"), getattr(project, stage_date), project.get_absolute_url()
