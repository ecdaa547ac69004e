"""What a summary or bulletin states, read from the records as data before any sentence is written.

Every figure comes from the ledger's kept totals (``subtree_figures``, ``children_figures``) and the
targets, with the ledger's own completion rule (``percent``), so a document states what the dashboard
shows for the same unit and period. Each figure carries its indicator, unit and period (the JSON API
returns them as they are). Lists of projects and activities are read through ``visible_in``: a user
never sees in a document what the pages would not show.

New figures plug in as data: an indicator the ledger adds (an origin level, 新建/续建, a manual
indicator) arrives in ``figures`` like the others, and ``sentences`` states it when its kind is one it
knows (``sentences.FUNDS_LINES``, ``sentences.STARTED_PARTS``) or in the list of every indicator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity
from zhaoshang.coordination.choices import RequestStatus
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.permissions import Action
from zhaoshang.enterprises.choices import ReturnStatus
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn
from zhaoshang.ledger import construction
from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.completion import percent, time_share, to_tenth
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import subtree_figures
from zhaoshang.projects.choices import ACTIVE_STAGES, Stage
from zhaoshang.projects.models import Project
from zhaoshang.summaries.periods import Period
from zhaoshang.targets.models import Target
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

HUNDRED = Decimal(100)
LIST_LIMIT = 200  # projects per stage list: a county's year rarely has more; the count says all


@dataclass(frozen=True)
class Figure:
    """One indicator of one unit's subtree in one period: verified actual, the annual target and the
    completion, with the same period of the year before for the change on last year."""

    code: str
    name_zh: str
    kind: str
    measure: str
    unit_id: int
    year: int
    first_month: int
    last_month: int
    actual: Decimal
    reported: Decimal
    target: Decimal | None
    completion: Decimal | None
    last_year: Decimal

    @property
    def change(self) -> Decimal | None:
        """Percent change on the same period of last year (None without a figure last year)."""
        if not self.last_year:
            return None
        return to_tenth((self.actual - self.last_year) * HUNDRED / self.last_year)

    def as_data(self) -> dict[str, Any]:
        return {
            "indicator": self.code,
            "name": self.name_zh,
            "kind": self.kind,
            "measure": self.measure,
            "unit": self.unit_id,
            "year": self.year,
            "first_month": self.first_month,
            "last_month": self.last_month,
            "actual": self.actual,
            "reported": self.reported,
            "target": self.target,
            "completion": self.completion,
            "last_year": self.last_year,
            "change": self.change,
        }


@dataclass(frozen=True)
class ProjectLine:
    """A project as a summary lists it: investor, amount, where it landed."""

    pk: int
    name: str
    investor: str
    amount: Decimal
    currency: str
    place: str


@dataclass(frozen=True)
class StageList:
    key: str  # started, operating, signed, talks
    heading_zh: str
    projects: list[ProjectLine]
    count: int


@dataclass(frozen=True)
class ActivityLine:
    """A promotion activity in the period with what it brought: projects signed, intents, amount."""

    kind: str
    title: str
    place: str
    starts_on: dt.date
    people: int | None
    signed: list[str]
    intents: int | None
    amount: Decimal | None


@dataclass(frozen=True)
class EnterpriseFacts:
    """Landed enterprises as the reports state them (全县在册外来企业22家，其中15家重点外来企业实现产值
    3.31亿元，上交税金2483万元，安置就业1063人): the registered ones of the subtree, the key ones with a
    verified return in the period (the ones the ledger's figures add up), and their headcount at the
    period's end (jobs are a stock: the ledger's changes summed from January, decision 57). Output and
    tax are the period's ledger figures (``SummaryFacts.figure``), as the dashboard shows them."""

    registered: int
    key_reporting: int
    jobs: Decimal


@dataclass
class SummaryFacts:
    unit: Unit
    period: Period
    region_zh: str
    figures: list[Figure]
    stage_lists: list[StageList] = field(default_factory=list)
    activities: list[ActivityLine] = field(default_factory=list)
    stalled: list[ProjectLine] = field(default_factory=list)
    open_requests: list[str] = field(default_factory=list)
    next_targets: list[tuple[str, str, Decimal]] = field(default_factory=list)  # name, measure, value
    # 续建: projects started in an earlier year, still under construction (ledger/construction.py)
    continuing: Decimal | None = None
    enterprises: EnterpriseFacts | None = None

    def figure(self, kind: str) -> Figure | None:
        return next((f for f in self.figures if f.kind == kind), None)

    def stage_list(self, key: str) -> StageList | None:
        return next((s for s in self.stage_lists if s.key == key), None)


_REGION_WORD: dict[str, str] = {
    UnitKind.NATION: "全国",
    UnitKind.PROVINCE: "全省",
    UnitKind.CITY: "全市",
    UnitKind.COUNTY: "全县",
}


def region_of(unit: Unit) -> str:
    """How a sentence names the unit's whole area: 全县, 全镇, 全乡, 全街道; a department or park by
    its own name (县商务局共引进…)."""
    if unit.kind in _REGION_WORD:
        word = _REGION_WORD[unit.kind]
        return "全区" if unit.kind == UnitKind.COUNTY and unit.name.endswith("区") else word
    if unit.kind == UnitKind.TOWNSHIP:
        for ending in ("街道", "乡", "镇"):
            if unit.name.endswith(ending):
                return f"全{ending}"
        return "全镇"
    return unit.name


# --- figures ------------------------------------------------------------------------------------


def figures_of(user: User | None, unit: Unit, period: Period) -> list[Figure]:
    """Every active indicator of ``unit`` (the shared ones and its county's own:
    ``Indicator.objects.for_unit``) over its subtree in ``period``: three grouped reads (this year,
    last year, the targets), whatever the size of the county."""
    indicators = list(Indicator.objects.for_unit(unit).filter(is_active=True))
    kinds = [k for i in indicators for k in i.kinds]
    now = subtree_figures(unit, period.year, period.months, kinds)
    before = subtree_figures(unit, period.year - 1, period.months, kinds)
    targets = dict(
        Target.objects.visible_to(user)
        .filter(unit=unit, year=period.year)
        .values_list("indicator_id", "value")
    )
    out = []
    for indicator in indicators:
        actual, reported = indicator.figure(now)
        target = targets.get(indicator.pk)
        out.append(
            Figure(
                indicator.code,
                indicator.name_zh,
                indicator.kind,
                indicator.measure,
                unit.pk,
                period.year,
                period.first,
                period.last,
                actual,
                reported,
                target,
                percent(actual, target),
                indicator.figure(before)[0],
            )
        )
    return out


def time_progress(period: Period, today: dt.date) -> Decimal:
    """序时进度 at the end of the period (or today, inside it), in percent to one decimal."""
    return to_tenth(time_share(period.year, list(range(1, period.last + 1)), today) * HUNDRED)


# --- projects -----------------------------------------------------------------------------------


def _in_period(field_name: str, period: Period) -> Q:
    start = dt.date(period.year, period.first, 1)
    end = dt.date(period.year + 1, 1, 1) if period.last == 12 else dt.date(period.year, period.last + 1, 1)
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def lines(projects: Any, limit: int = LIST_LIMIT) -> list[ProjectLine]:
    """Projects as lines, their first investor named (one query for the projects, one for investors)."""
    rows = list(projects.select_related("unit").prefetch_related("investors")[:limit])
    out = []
    for project in rows:
        investors = sorted(project.investors.all(), key=lambda i: i.pk)
        out.append(
            ProjectLine(
                project.pk,
                project.name,
                investors[0].name if investors else project.name,
                project.total_investment,
                project.currency,
                project.location or project.unit.name,
            )
        )
    return out


def stage_lists(user: User | None, unit: Unit, period: Period) -> list[StageList]:
    """The projects of the subtree by stage, as the reports list them: started, in production and
    signed (not yet started) in the period, and those in talks now."""
    projects = Project.objects.visible_in(user, unit, Action.VIEW)
    groups = [
        (
            "started",
            "已开工建设项目",
            projects.filter(_in_period("started_on", period)).order_by("started_on", "pk"),
        ),
        (
            "operating",
            "建成投产项目",
            projects.filter(_in_period("operating_on", period)).order_by("operating_on", "pk"),
        ),
        (
            "signed",
            "签约项目",
            projects.filter(_in_period("signed_on", period), stage=Stage.SIGNED).order_by("signed_on", "pk"),
        ),
        (
            "talks",
            "在谈项目",
            projects.filter(stage__in=(Stage.NEGOTIATING, Stage.INTENT)).order_by("-total_investment", "pk"),
        ),
    ]
    return [StageList(key, heading, lines(rows), rows.count()) for key, heading, rows in groups]


def stalled_lines(user: User | None, unit: Unit, today: dt.date, limit: int = 10) -> list[ProjectLine]:
    """Signed or started projects whose stage has not moved for half a year, oldest first."""
    projects = Project.objects.visible_in(user, unit, Action.VIEW)
    stale = projects.filter(stage__in=ACTIVE_STAGES, stage_changed_on__lt=today - dt.timedelta(days=183))
    return lines(stale.order_by("stage_changed_on", "pk"), limit)


# --- activities and requests --------------------------------------------------------------------


def activity_lines(user: User | None, unit: Unit, period: Period) -> list[ActivityLine]:
    """Trips, visits and fairs of the period, with the projects linked to them that were signed."""
    activities = (
        Activity.objects.visible_in(user, unit, Action.VIEW)
        .filter(
            _in_period("starts_on", period),
            kind__in=(ActivityKind.TRIP, ActivityKind.VISIT, ActivityKind.FAIR),
        )
        .prefetch_related("projects")
        .order_by("starts_on", "pk")[:LIST_LIMIT]
    )
    out = []
    for activity in activities:
        signed = [p.name for p in activity.projects.all() if p.signed_on is not None]
        out.append(
            ActivityLine(
                activity.kind,
                activity.title,
                activity.place,
                activity.starts_on,
                activity.people,
                signed,
                activity.intents,
                activity.amount,
            )
        )
    return out


def open_requests(user: User | None, unit: Unit, limit: int = 10) -> list[str]:
    """Requests for coordination of the subtree still open (submitted, accepted, answered)."""
    requests = CoordinationRequest.objects.visible_in(user, unit, Action.VIEW).filter(
        status__in=(RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.ANSWERED)
    )
    return list(requests.order_by("raised_on", "pk").values_list("title", flat=True)[:limit])


def next_targets(user: User | None, unit: Unit, year: int) -> list[tuple[str, str, Decimal]]:
    rows = (
        Target.objects.visible_to(user)
        .filter(unit=unit, year=year)
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__code")
    )
    return [(t.indicator.name_zh, t.indicator.measure, t.value) for t in rows]


def enterprise_facts(user: User | None, unit: Unit, period: Period) -> EnterpriseFacts | None:
    """The landed enterprises of ``unit``'s subtree the user may see, for the period (None when none
    is registered): those in production by the period's end (or without a date), the key ones with a
    verified return of a quarter ending in the period, and the ledger's headcount at the period's end."""
    end = dt.date(period.year + 1, 1, 1) if period.last == 12 else dt.date(period.year, period.last + 1, 1)
    enterprises = Enterprise.objects.visible_in(user, unit, Action.VIEW)
    registered = enterprises.filter(Q(operating_on__isnull=True) | Q(operating_on__lt=end)).count()
    if not registered:
        return None
    quarters = [q for q in (1, 2, 3, 4) if period.first <= 3 * q <= period.last]
    key_reporting = (
        QuarterlyReturn.objects.filter(
            enterprise__in=enterprises.filter(key=True).values("pk"),
            year=period.year,
            quarter__in=quarters,
            status=ReturnStatus.VERIFIED,
        )
        .values("enterprise_id")
        .distinct()
        .count()
    )
    jobs = subtree_figures(unit, period.year, range(1, period.last + 1), [Kind.ENTERPRISE_JOBS])
    return EnterpriseFacts(registered, key_reporting, jobs.get(Kind.ENTERPRISE_JOBS, (Decimal(0),))[0])


def summary_facts(user: User | None, unit: Unit, period: Period, today: dt.date) -> SummaryFacts:
    """Everything 一、工作成效 states and what the written sections start from."""
    return SummaryFacts(
        unit=unit,
        period=period,
        region_zh=region_of(unit),
        figures=figures_of(user, unit, period),
        stage_lists=stage_lists(user, unit, period),
        activities=activity_lines(user, unit, period),
        stalled=stalled_lines(user, unit, today),
        open_requests=open_requests(user, unit),
        next_targets=next_targets(user, unit, period.year + 1),
        continuing=construction.continuing(unit, period.year),
        enterprises=enterprise_facts(user, unit, period),
    )
