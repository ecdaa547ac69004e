"""The dashboard (首页驾驶舱) of leaders and the bureau: the figures of one unit's subtree in one year.

Every function takes the user and reads through ``visible_to(user)``, so nothing from outside the
user's subtree reaches a card, a chart or a list. Figures come from the kept monthly totals
(``subtree_figures``), never from scanning projects; only the funnel and the stalled list read
projects (their stage and the columns that summarise their stage history, projects/stages.py),
through the project queryset scoped to the user and the chosen unit's subtree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.permissions import Action
from zhaoshang.ledger import construction, fx
from zhaoshang.ledger.choices import Kind, Measure
from zhaoshang.ledger.completion import (
    PERIODS,
    Row,
    completion,
    percent,
    period_months,
    progress_against_time,
)
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import children_figures, monthly_figures
from zhaoshang.projects import stages
from zhaoshang.projects.choices import ACTIVE_STAGES, PIPELINE, STAGE_ORDER, Stage
from zhaoshang.projects.models import Project, StageChange
from zhaoshang.targets.models import Target
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

DEFAULT_INDICATOR = "funds_domestic"
STALLED_ROWS = 10
# The median stay per stage is taken over the stage histories of at most this many projects (the
# most recently recorded ones), so the page costs the same in a county of ten thousand projects.
DURATION_SAMPLE = 2000


def chosen_unit(user: User, unit_id: str | None) -> Unit | None:
    """The unit the dashboard shows: the one asked for, if the user may see it (404 otherwise), else
    the user's top visible unit (None for a user who sees no unit)."""
    units = Unit.objects.visible_to(user).filter(is_active=True)
    if unit_id:
        try:
            return units.get(pk=int(unit_id))
        except (ValueError, Unit.DoesNotExist) as missing:
            raise Http404 from missing
    return units.order_by("depth", "path").first()


def chosen_year(value: str | None, today: dt.date) -> int:
    """The year asked for, or the current one when it is missing or not a plausible year."""
    try:
        year = int(value or "")
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def chosen_indicator(code: str | None, unit: Unit | None = None) -> Indicator | None:
    """The active indicator of the children chart: the one asked for, else domestic funds; among the
    shared ones and those of ``unit``'s county (``Indicator.objects.for_unit``)."""
    active = (Indicator.objects.for_unit(unit) if unit is not None else Indicator.objects).filter(
        is_active=True
    )
    return (
        active.filter(code=code or DEFAULT_INDICATOR).first()
        or active.filter(code=DEFAULT_INDICATOR).first()
        or active.first()
    )


def last_month(year: int, today: dt.date) -> int:
    """The last month of the year to date: this month in the current year, December in a past one."""
    if year < today.year:
        return 12
    return today.month if year == today.year else 1


def time_progress(year: int, today: dt.date) -> Decimal:
    """Progress against time (序时进度) of the year to date, in percent to one decimal."""
    return progress_against_time(year, last_month(year, today), today)


PERIOD_LABELS = {"ytd": _("year to date"), "quarter": _("quarter"), "month": _("month")}


def chosen_period(params: QueryDict, year: int, today: dt.date) -> tuple[str, int]:
    """The period of the key indicators (year to date by default) and the month that places it."""
    period = params.get("period") or "ytd"
    period = period if period in PERIODS else "ytd"
    try:
        month = int(params.get("month", ""))
    except ValueError:
        month = 0
    return period, month if 1 <= month <= last_month(year, today) else last_month(year, today)


def key_indicators(
    user: User, unit: Unit, year: int, today: dt.date, period: str = "ytd", month: int | None = None
) -> list[Row]:
    """Every active indicator of the unit's subtree in the period, against the unit's annual target."""
    return completion(
        unit, year, period, month or last_month(year, today), today, targets=Target.objects.visible_to(user)
    )


def fractional(values: list[Decimal]) -> bool:
    """Whether a count shows a fraction: a project credited to several units counts in each by its
    share (ledger.counting), so a township may count 2.7 signed projects. The page says why."""
    return any(value % 1 for value in values)


def shared_counts(rows: list[Row]) -> set[str]:
    """The codes of the count indicators whose figures show a fraction (marked on the page)."""
    return {
        r.indicator.code
        for r in rows
        if r.indicator.measure == Measure.COUNT and fractional([r.actual, r.reported])
    }


@dataclass(frozen=True)
class ChildBar:
    """One direct child unit in the children chart."""

    unit: Unit
    actual: Decimal
    reported: Decimal
    target: Decimal | None
    completion: Decimal | None


def children_bars(user: User, unit: Unit, year: int, today: dt.date, indicator: Indicator) -> list[ChildBar]:
    """The year-to-date completion of ``indicator`` in each direct child the user may see."""
    children = list(
        Unit.objects.visible_to(user).filter(parent=unit, is_active=True).order_by("sort_order", "path")
    )
    targets = dict(
        Target.objects.visible_to(user)
        .filter(unit__in=children, year=year, indicator=indicator)
        .values_list("unit_id", "value")
    )
    months = period_months("ytd", last_month(year, today))
    figures = children_figures(unit, children, year, months, indicator.kinds)  # two grouped queries at most
    bars = []
    for child in children:
        actual, reported = indicator.figure(figures[child.pk])
        target = targets.get(child.pk)
        bars.append(ChildBar(child, actual, reported, target, percent(actual, target)))
    return bars


def monthly_funds(unit: Unit, year: int) -> list[tuple[int, Decimal, Decimal]]:
    """Domestic funds arrived (万元) per month of the year: (month, verified, reported)."""
    figures = monthly_figures(unit, year, [Kind.FUNDS_DOMESTIC])  # one grouped query
    zero = (Decimal(0), Decimal(0))
    return [(month, *figures.get(month, {}).get(Kind.FUNDS_DOMESTIC, zero)) for month in range(1, 13)]


def subtree_projects(user: User, unit: Unit) -> QuerySet:
    """The projects the user may see that belong to the unit's subtree (recorded or credited there)."""
    return Project.objects.visible_in(user, unit, Action.VIEW)


@dataclass(frozen=True)
class FunnelStep:
    """One stage of the funnel."""

    stage: str
    label: str
    count: int  # projects at this stage now
    reached: int | None  # projects that ever reached this stage or a later one (None for dropped)
    conversion: Decimal | None  # percent of those that went on to reach the next stage
    median_days: Decimal | None  # median stay in this stage, over completed stays


def funnel(projects: QuerySet) -> list[FunnelStep]:
    """The stage funnel of a set of projects, in pipeline order (dropped last, without conversion).

    A project *reached* a stage when its stage history (StageChange) moved it into that stage or any
    later stage of the pipeline (``Project.reached_stage``, kept by projects/stages.py): a project
    recorded directly as signed, or one that skipped the intent agreement, still passed the earlier
    stages. The conversion of a stage is the share of the projects
    that reached it which also reached the next one, so it reads "of 10 projects in talks, 4 were
    signed"; a project dropped later keeps the stages it had reached. The median stay in a stage is
    the number of days between the change into it and the next change of the same project.
    """
    counts: dict[str, int] = {}
    reached = dict.fromkeys(PIPELINE, 0)
    # One grouped scan: the projects by their stage now and the furthest stage they ever reached.
    grouped = projects.order_by().values_list("stage", "reached_stage").annotate(n=Count("pk"))
    for stage, furthest, n in grouped.values_list("stage", "reached_stage", "n"):
        counts[stage] = counts.get(stage, 0) + n
        for passed in stages.passed(furthest):
            reached[passed] += n
    medians = stage_medians(projects)
    steps = []
    for stage in STAGE_ORDER:
        index = PIPELINE.index(stage) if stage in PIPELINE else None
        later = PIPELINE[index + 1] if index is not None and index + 1 < len(PIPELINE) else None
        steps.append(
            FunnelStep(
                stage,
                str(Stage(stage).label),
                counts.get(stage, 0),
                reached.get(stage),
                percent(Decimal(reached[later]), Decimal(reached[stage])) if later else None,
                medians.get(stage),
            )
        )
    return steps


def stage_medians(projects: QuerySet) -> dict[str, Decimal]:
    """The median number of days spent in each stage, over the stays that ended (two consecutive
    stage changes of one project), in a bounded sample of the most recently recorded projects."""
    sample = projects.order_by("-pk").values("pk")[:DURATION_SAMPLE]
    changes = (
        StageChange.objects.filter(project__in=sample)
        .order_by("project_id", "changed_on", "pk")
        .values_list("project_id", "to_stage", "changed_on")
    )
    stays: dict[str, list[int]] = {}
    previous: tuple[int, str, dt.date] | None = None
    for project_id, stage, on in changes:
        if previous is not None and previous[0] == project_id:
            stays.setdefault(previous[1], []).append((on - previous[2]).days)
        previous = (project_id, stage, on)
    return {stage: median(days) for stage, days in stays.items()}


def median(values: list[int]) -> Decimal:
    """The median as an exact Decimal (the mean of the two middle values for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1] + ordered[middle]) / 2).quantize(Decimal("0.1"))


def stalled(projects: QuerySet, limit: int = STALLED_ROWS) -> list[Project]:
    """Active projects (signed, started, completed) whose last stage change is oldest."""
    return list(
        projects.filter(stage__in=ACTIVE_STAGES)
        .select_related("unit")
        .order_by("stage_changed_on", "pk")[:limit]
    )


LABELS = {
    "completion": _("Completion (%)"),
    "timeProgress": _("Progress against time"),
    "verified": _("Verified"),
    "reported": _("Reported, not verified"),
    "reached": _("Projects that reached the stage"),
}


def chart_data(
    bars: list[tuple[ChildBar, str]],
    months: list[tuple[int, Decimal, Decimal]],
    steps: list[FunnelStep],
    progress: Decimal,
) -> dict[str, Any]:
    """What dashboard.js draws, as JSON (Decimals become strings; the script turns them into numbers)."""
    return {
        "children": [
            {"id": bar.unit.pk, "name": str(bar.unit), "completion": bar.completion, "url": url}
            for bar, url in bars
        ],
        "months": [{"month": m, "verified": v, "reported": r} for m, v, r in months],
        "funnel": [{"label": s.label, "reached": s.reached} for s in steps if s.stage in PIPELINE],
        "timeProgress": progress,
        "labels": {key: str(label) for key, label in LABELS.items()},
    }


def dashboard(user: User, params: QueryDict, today: dt.date) -> dict[str, Any]:
    """Everything the dashboard page shows, for the unit, year and indicator in ``params``."""
    unit = chosen_unit(user, params.get("unit"))
    if unit is None:
        return {"unit": None, "stages": [], "total": 0}
    year = chosen_year(params.get("year"), today)
    period, month = chosen_period(params, year, today)
    indicator = chosen_indicator(params.get("indicator"), unit)

    def drill(pk: int) -> str:
        query = QueryDict(mutable=True)
        query.update({"unit": str(pk), "year": str(year), "indicator": indicator.code if indicator else ""})
        return f"?{query.urlencode()}"

    projects = subtree_projects(user, unit)
    steps = funnel(projects)
    bars = [
        (bar, drill(bar.unit.pk))
        for bar in (children_bars(user, unit, year, today, indicator) if indicator else [])
    ]
    months = monthly_funds(unit, year)
    progress = time_progress(year, today)
    rows = key_indicators(user, unit, year, today, period, month)
    started = next((r for r in rows if r.indicator.kind == Kind.STARTED), None)
    return {
        # 新建/续建 beside the started card (ledger/construction.py): new is the card's own figure
        "construction": construction.split(unit, year, started.actual) if started else None,
        "yoy": year_on_year(user, unit, year, rows),
        "unit": unit,
        "year": year,
        "years": range(today.year, today.year - 6, -1),
        "indicator": indicator,
        "indicators": Indicator.objects.for_unit(unit).filter(is_active=True),
        "ancestors": Unit.objects.visible_to(user).ancestors_of(unit).exclude(pk=unit.pk),
        "rows": rows,
        # Domestic and foreign funds in one CNY figure, the rate named, or said missing (ledger/fx.py)
        "funds_cny": fx.funds_in_cny(unit, year, period_months(period, month)),
        "shared_counts": shared_counts(rows),
        "shared_bars": indicator is not None
        and indicator.measure == Measure.COUNT
        and fractional([v for b, _url in bars for v in (b.actual, b.reported)]),
        "period": period,
        "month": month,
        "periods": PERIOD_LABELS.items(),
        "month_choices": range(1, last_month(year, today) + 1),
        "time_progress": progress,
        # 序时进度 of the period shown, once: every card's completion is judged against it
        "reference_progress": rows[0].time_progress if rows else progress,
        "bars": bars,
        "months": months,
        "funnel": steps,
        "stalled": stalled(projects),
        # Counts by stage, as the former start page gave them.
        "stages": [(s.stage, s.label, s.count) for s in steps],
        "total": sum(s.count for s in steps),
        "data": chart_data(bars, months, steps, progress),
        "dispatch_stalled": dispatch_stalled(user, unit, today),
        # Every figure opens the records behind it (ledger/drilldown.py): the cards in their period,
        # the children's figures in the year to date.
        "records_url": reverse("ledger:drilldown"),
        "records_period": f"year={year}&period={period}&month={month}",
        "records_ytd": f"year={year}&period=ytd&month={last_month(year, today)}",
    }


def year_on_year(user: User, unit: Unit, year: int, rows: list[Row]) -> dict[str, dict[str, Any]]:
    """同比: the unit's figure of the year before, where only an old report read in gives it
    (ingest's historical figures, never counted), and the change of this year's figure against it."""
    from zhaoshang.ingest.services import last_year

    before = last_year(user, unit, year)
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        last = before.get(row.indicator.code)
        if last is None:
            continue
        change = percent(row.actual - last, last) if last else None
        out[row.indicator.code] = {"last": last, "change": change}
    return out


def dispatch_stalled(user: User, unit: Unit, today: dt.date) -> list[tuple[Project, int]] | None:
    """Projects without progress in their county's last K dispatch rounds (dispatch/overview.py)."""
    from zhaoshang.dispatch.overview import stalled_projects

    return stalled_projects(user, unit, today, limit=STALLED_ROWS)
