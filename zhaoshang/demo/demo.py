"""The demo county (示例县): a fictional, deterministic data set loaded by ``manage.py load_demo``.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same units, accounts,
investors and projects (codes, names, stages, amounts, credits, stewards). The calendar enters in
two places only, so that the demo always looks current and never claims the future:

* the three years of projects are the current year and the two before it, and
* every date is capped at ``timezone.localdate()``.

Two loads with the same seed on the same day are therefore identical; loads in another year shift
the years, and loads on another day differ only in the dates that the cap pulled back to today.

All writes go through the services that pages and imports use (``create_unit``, ``create_project``,
``set_approval``), so the demo obeys every rule of the ledger and leaves a full audit trail. Each
project is recorded directly at its stage with the dates of the stages it passed, rather than
walked through ``change_stage`` step by step: that would triple the load time for a history that
the stored dates already tell.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from zhaoshang.accounts.models import Membership, User
from zhaoshang.activities.demo import build_activities
from zhaoshang.assessment import demo as assessment_demo
from zhaoshang.catalogue import demo as catalogue_demo
from zhaoshang.coordination import demo as coordination_demo
from zhaoshang.core.permissions import Role
from zhaoshang.demo import demo_data
from zhaoshang.inspections import demo as inspections_demo
from zhaoshang.investors.choices import DOMESTIC_COUNTRY, InvestorKind
from zhaoshang.investors.demo import enrich_investors
from zhaoshang.investors.models import Investor
from zhaoshang.ledger import demo as manual_demo
from zhaoshang.ledger.choices import FundsSource
from zhaoshang.ledger.funds import default_origin, record_funds
from zhaoshang.parks import demo as parks_demo
from zhaoshang.parks import map_demo
from zhaoshang.projects import services as project_services
from zhaoshang.projects.choices import SECTION_SECTOR, STAGE_DATE_FIELD, Currency, Stage
from zhaoshang.projects.codes import next_codes
from zhaoshang.projects.models import Project
from zhaoshang.projects.services import StewardData
from zhaoshang.units import places
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit
from zhaoshang.units.services import create_unit

DEFAULT_SEED = 990101
DEFAULT_PROJECTS = 360
MIN_PROJECTS = len(Stage)  # one project per stage at least
INVESTOR_COUNT = 150
DEMO_PASSWORD = "Zhaoshang-2026"  # noqa: S105 - the published password of the demo accounts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    unit_code: str
    password: str = DEMO_PASSWORD


ACCOUNTS = (
    DemoAccount("admin", "招商局管理员", Role.BUREAU_ADMIN, "990101"),
    DemoAccount("leader", "县领导", Role.LEADER, "990101"),
    DemoAccount("town_a", "城关镇填报员", Role.OPERATOR, "990101001"),
    DemoAccount("town_b", "河口乡填报员", Role.OPERATOR, "990101002"),
)


# --- units and accounts ------------------------------------------------------------------------


@dataclass
class County:
    county: Unit
    townships: list[Unit] = field(default_factory=list)
    villages: dict[str, list[Unit]] = field(default_factory=dict)  # by township code
    departments: list[Unit] = field(default_factory=list)
    offices: list[Unit] = field(default_factory=list)
    parks: list[Unit] = field(default_factory=list)


def build_county(rng: random.Random) -> County:
    """示例省 → 示例市 → 示例县 with its townships, villages, departments, offices and parks."""
    province = create_unit(by=None, parent=None, kind=UnitKind.PROVINCE, name="示例省", code="990000")
    city = create_unit(by=None, parent=province, kind=UnitKind.CITY, name="示例市", code="990100")
    county = create_unit(by=None, parent=city, kind=UnitKind.COUNTY, name="示例县", code="990101")
    place_county(county)
    demo = County(county=county)
    villages, communities = demo_data.words(demo_data.VILLAGES), demo_data.words(demo_data.COMMUNITIES)
    rng.shuffle(villages)
    rng.shuffle(communities)
    for i, name in enumerate(demo_data.TOWNSHIPS.split(), start=1):
        town = _child(county, UnitKind.TOWNSHIP, name, f"990101{i:03d}", i)
        pool = communities if name.endswith("街道") else villages
        suffix = "社区" if name.endswith("街道") else "村"
        demo.townships.append(town)
        demo.villages[town.code] = [
            _child(town, UnitKind.VILLAGE, pool.pop() + suffix, f"{town.code}{j:03d}", j)
            for j in range(1, rng.randint(2, 3) + 1)
        ]
    for i, name in enumerate(demo_data.DEPARTMENTS.split(), start=1):
        demo.departments.append(_child(county, UnitKind.DEPARTMENT, name, f"990101D{i:02d}", i, name[1:]))
    for i, (name, short) in enumerate(demo_data.RESIDENT_OFFICES, start=1):
        demo.offices.append(_child(county, UnitKind.RESIDENT_OFFICE, name, f"990101R{i:02d}", i, short))
    for i, (name, short) in enumerate(demo_data.PARKS, start=1):
        demo.parks.append(_child(county, UnitKind.PARK, name, f"990101P{i:02d}", i, short))
    return demo


def _child(parent: Unit, kind: str, name: str, code: str, order: int, short: str = "") -> Unit:
    return create_unit(
        by=None, parent=parent, kind=kind, name=name, code=code, sort_order=order, short_name=short
    )


def build_accounts() -> list[DemoAccount]:
    """The demo accounts, each with one role at its unit; the password passes the validators."""
    for account in ACCOUNTS:
        unit = Unit.objects.get(code=account.unit_code)
        validate_password(account.password, User(username=account.username))
        user = User.objects.create_user(
            username=account.username, password=account.password, display_name=account.display_name
        )
        Membership.objects.create(user=user, unit=unit, role=account.role)
    return list(ACCOUNTS)


class Names:
    """Chinese personal names, never the same twice in the county, and mobile numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        while True:
            name = self.rng.choice(demo_data.SURNAMES) + self.rng.choice(demo_data.GIVEN_NAMES)
            if name not in self.used:
                self.used.add(name)
                return name

    def phone(self) -> str:
        return self.rng.choice(demo_data.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


# --- investors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backer:
    """An investor and what the demo needs to invent its projects."""

    investor: Investor
    brand: str  # the prefix of its projects' names; empty for persons
    trades: tuple[str, ...]  # demo_data.TEMPLATES keys
    overseas: bool


def _owners(demo: County) -> tuple[list[Unit], list[float]]:
    """Units that own investor relationships, weighted so that about one project in seven is
    introduced by a department or resident office and shared with the township where it lands."""
    units = [*demo.townships, *demo.parks, *demo.departments, *demo.offices]
    weights = [float(demo_data.TOWNSHIP_WEIGHT.get(t.name, 1)) for t in demo.townships]
    weights += [4.0, 2.0]  # the development zone, then the agricultural park
    weights += [0.35] * len(demo.departments) + [0.5] * len(demo.offices)
    return units, weights


@dataclass(frozen=True)
class InvestorSpec:
    name: str
    kind: str
    country: str = DOMESTIC_COUNTRY
    province: str = ""
    city: str = ""
    brand: str = ""  # the prefix of its projects' names; empty for persons
    trades: str = ""  # demo_data.TEMPLATES keys, space-separated


def _investor_specs(rng: random.Random, names: Names) -> list[InvestorSpec]:
    """Overseas investors first, then persons, then enough domestic enterprises to make 150."""
    specs = [
        InvestorSpec(name, kind, country, brand=brand, trades=trades)
        for country, name, kind, brand, trades in demo_data.OVERSEAS
    ]
    for _ in range(demo_data.HONG_KONG_PERSONS):
        specs.append(InvestorSpec(names.person(), InvestorKind.PERSON, "中国香港", trades="hotel homestay"))
    weights = [origin[3] for origin in demo_data.ORIGINS]
    for _ in range(demo_data.DOMESTIC_PERSONS):
        province, city, _prefix, _w = rng.choices(demo_data.ORIGINS, weights)[0]
        person = names.person()
        specs.append(InvestorSpec(person, InvestorKind.PERSON, DOMESTIC_COUNTRY, province, city))
    brands = {spec.brand for spec in specs}
    while len(specs) < INVESTOR_COUNT:
        brand = rng.choice(demo_data.BRAND_HEADS) + rng.choice(demo_data.BRAND_TAILS)
        if brand in brands:
            continue
        brands.add(brand)
        province, city, prefix, _w = rng.choices(demo_data.ORIGINS, weights)[0]
        suffix = rng.choices(list(demo_data.TRADES), [w for w, _trades in demo_data.TRADES.values()])[0]
        name = f"{prefix}{brand}{suffix}"
        trades = demo_data.TRADES[suffix][1]
        specs.append(
            InvestorSpec(name, InvestorKind.ENTERPRISE, DOMESTIC_COUNTRY, province, city, brand, trades)
        )
    return specs


def build_investors(rng: random.Random, demo: County, names: Names) -> list[Backer]:
    """About 150 investors from Wenzhou to Hungary, each owned by the unit that follows it."""
    owners, weights = _owners(demo)
    backers = []
    for spec in _investor_specs(rng, names):
        investor = Investor.objects.create(
            name=spec.name,
            kind=spec.kind,
            origin_country=spec.country,
            origin_province=spec.province,
            origin_city=spec.city,
            unit=rng.choices(owners, weights)[0],
        )
        trades = tuple((spec.trades or demo_data.PERSON_TRADES).split())
        backers.append(Backer(investor, spec.brand, trades, spec.country != DOMESTIC_COUNTRY))
    return backers


# --- projects ----------------------------------------------------------------------------------


@dataclass
class Plan:
    """One project as it will be written: recorded at its stage with the dates the stage needs."""

    contact: dt.date  # first contact before the cap at today; orders the codes
    stage: str
    data: dict[str, Any]
    investor: Investor
    credits: list[tuple[Unit, Decimal]] | None
    stewards: list[StewardData]
    approvals: list[tuple[str, dt.date, str]] = field(default_factory=list)
    code: str = ""


class Planner:
    """Invents the projects of the demo county from one random stream, without touching the database."""

    def __init__(self, rng: random.Random, demo: County, names: Names, today: dt.date) -> None:
        self.rng, self.demo, self.names, self.today = rng, demo, names, today
        self.years = [today.year - 2, today.year - 1, today.year]
        self.landings = [*demo.townships, *demo.parks]
        self.landing_weights = [demo_data.TOWNSHIP_WEIGHT.get(t.name, 1) for t in demo.townships] + [3, 1]
        self.officials = {u.code: self._team(u) for u in [demo.county, *self.landings]}

    def plans(self, backers: list[Backer], count: int) -> list[Plan]:
        """``count`` projects in the proportions of STAGE_MIX; every investor gets one before any gets two."""
        stages = [stage for stage, n in demo_data.stage_quota(count).items() for _ in range(n)]
        self.rng.shuffle(stages)
        first_round = self.rng.sample(backers, len(backers))
        weights = [2 if b.investor.kind == InvestorKind.ENTERPRISE else 1 for b in backers]
        plans = []
        for i, stage in enumerate(stages):
            backer = first_round[i] if i < len(first_round) else self.rng.choices(backers, weights)[0]
            plans.append(self.plan(backer, stage))
        plans.sort(key=lambda p: p.contact)  # stable: ties keep their drawing order
        _number(plans)
        return plans

    def plan(self, backer: Backer, stage: str) -> Plan:
        rng = self.rng
        template = demo_data.TEMPLATES[rng.choice(backer.trades)]
        unit, credits = self._landing(backer)
        currency = Currency.USD if backer.overseas else Currency.CNY
        if backer.overseas:
            total = demo_data.draw_amount(rng, demo_data.USD_BANDS)
        else:
            total = demo_data.draw_amount(rng, demo_data.CNY_BANDS, template.low, template.high)
        year = rng.choices(self.years, demo_data.CONTACT_YEARS[stage])[0]
        contact = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        early = stage in (Stage.LEAD, Stage.NEGOTIATING) and rng.random() < 0.5
        economics = {} if early else demo_data.draw_economics(rng, template, total, currency)
        data = {
            "name": self._name(backer, template, unit),
            "description": demo_data.describe(template, economics),
            "industry_section": template.section,
            "sector": SECTION_SECTOR[template.section],
            "unit": unit,
            "park": self._park(unit, template),
            "location": self._location(unit),
            "currency": currency,
            "total_investment": total,
            "first_contact_on": min(contact, self.today),
            "remarks": f"由{credits[0][0].name}引进，落户{unit.name}" if credits else "",
            **economics,
        }
        cny = int(total) * (demo_data.USD_TO_CNY if backer.overseas else 1)
        plan = Plan(contact, stage, data, backer.investor, credits, self._stewards(unit, cny))
        self._walk(plan, demo_data.draw_path(rng, stage))
        return plan

    def _walk(self, plan: Plan, path: list[str]) -> None:
        """Date each stage passed since the first contact, capped at today, and what signing brings."""
        rng, raw, reached = self.rng, plan.contact, {}
        for stage in path:
            raw += dt.timedelta(days=rng.randint(*demo_data.GAP_DAYS[stage]))
            reached[stage] = min(raw, self.today)
            if stage in STAGE_DATE_FIELD:
                plan.data[STAGE_DATE_FIELD[stage]] = reached[stage]
        if Stage.DROPPED in reached:
            plan.data["drop_reason"] = rng.choice(demo_data.DROP_REASONS)
        if Stage.SIGNED not in reached:
            return
        signed, total = reached[Stage.SIGNED], plan.data["total_investment"]
        share = rng.choice(demo_data.CONTRACT_SHARES)
        plan.data["contracted_amount"] = min(total, demo_data.nice(int(total) * share // 100))
        plan.data["planned_start_on"] = min(signed + dt.timedelta(days=rng.randint(15, 90)), self.today)
        plan.approvals = demo_data.draw_approvals(rng, signed, reached.get(Stage.STARTED), self.today)

    def _landing(self, backer: Backer) -> tuple[Unit, list[tuple[Unit, Decimal]] | None]:
        """Where the project lands and, when a department or office introduced it, the shared credit."""
        owner = backer.investor.unit
        if owner.kind in (UnitKind.TOWNSHIP, UnitKind.PARK):
            return owner, None
        landing = self.rng.choices(self.landings, self.landing_weights)[0]
        share = self.rng.choice(demo_data.INTRODUCER_SHARES)
        return landing, [(owner, Decimal(share)), (landing, Decimal(100 - share))]

    def _name(self, backer: Backer, template: demo_data.Template, unit: Unit) -> str:
        prefix = backer.brand or unit.short_name or unit.name.removesuffix("街道")[:2]
        size = self.rng.choice(template.sizes) if template.sizes else ""
        return prefix + template.pattern.format(n=size)

    def _park(self, unit: Unit, template: demo_data.Template) -> Unit | None:
        if unit.kind == UnitKind.PARK:
            return unit
        industrial, farming = self.demo.parks
        if template.section in "BCDE" and self.rng.random() < 0.15:
            return industrial
        if template.section == "A" and self.rng.random() < 0.2:
            return farming
        return None

    def _location(self, unit: Unit) -> str:
        if unit.kind == UnitKind.PARK:
            return unit.name + self.rng.choice(demo_data.PARK_PLACES[unit.short_name])
        return unit.name + self.rng.choice(self.demo.villages[unit.code]).name

    def _team(self, unit: Unit) -> list[StewardData]:
        """The officials of a unit who steward its projects."""
        if unit.kind == UnitKind.COUNTY:
            positions = demo_data.POSITIONS["county"]
        elif unit.kind == UnitKind.PARK:
            positions = demo_data.POSITIONS["park"]
        else:
            positions = demo_data.POSITIONS["街道" if unit.name.endswith("街道") else unit.name[-1]]
        return [StewardData(self.names.person(), p, self.names.phone()) for p in positions]

    def _stewards(self, unit: Unit, cny: int) -> list[StewardData]:
        """One or two stewards; a county leader takes the lead on projects of 1亿元 and more."""
        local = self.officials[unit.code]
        if cny >= demo_data.BIG_PROJECT:
            return [self.rng.choice(self.officials[self.demo.county.code]), self.rng.choice(local)]
        return self.rng.sample(local, 2 if self.rng.random() < 0.4 else 1)


def _number(plans: list[Plan]) -> None:
    """Codes by year of first contact, in date order; a name met again becomes a further phase."""
    per_name: Counter[str] = Counter()
    for plan in plans:
        plan.code = next_codes(plan.contact.year)[0]  # the one format of every path (projects/codes.py)
        name = plan.data["name"]
        per_name[name] += 1
        if per_name[name] > 1:
            phase = per_name[name]
            plan.data["name"] = f"{name}（{'二三四五六七八九十'[phase - 2] if phase <= 10 else phase}期）"


def write_plan(plan: Plan) -> Project:
    """Record the project directly at its stage (the service accepts that once the stage's dates
    and amounts are present) and tick the approvals it has obtained."""
    project = project_services.create_project(
        by=None,
        data=plan.data,
        stage=plan.stage,
        code=plan.code,
        investors=[plan.investor],
        credits=plan.credits,
        stewards=plan.stewards,
        note=plan.data.get("drop_reason") or demo_data.STAGE_NOTES[plan.stage],
    )
    for kind, done_on, reference in plan.approvals:
        project_services.set_approval(project, kind, by=None, done=True, done_on=done_on, reference=reference)
    return project


# The place the demo county stands for in GB/T 2260 (霍山县, 六安市, 安徽省): its codes (99…) are
# made up, and the origin levels of its funds are told against this one (合肥 is 市外省内, 温州 国内省外).
DEMO_PLACE = "341525"


def place_county(county: Unit) -> None:
    county.place_code = DEMO_PLACE
    county.save(update_fields=["place_code"])


def write_funds(rng: random.Random, project: Project, today: dt.date) -> None:
    """Funds arrived for a project under construction or done: one to four instalments between the
    start and today, together a part of the total investment; most verified, the latest often not."""
    if project.started_on is None or project.stage == Stage.DROPPED:
        return
    source = FundsSource.FOREIGN if project.currency == "USD" else FundsSource.DOMESTIC
    origin = default_origin(project)  # the investor's, where it agrees with the source
    if (source == FundsSource.FOREIGN) != places.is_abroad(origin):
        origin = ""
    days = (today - project.started_on).days
    instalments = rng.randint(1, 4)
    share = Decimal(rng.choice((30, 45, 60, 75))) / 100
    for i in range(instalments):
        amount = (project.total_investment * share / instalments).quantize(Decimal("0.01"))
        arrived = project.started_on + dt.timedelta(days=rng.randint(0, max(days, 0)))
        verified = i < instalments - 1 or rng.random() < 0.6
        if amount > 0:
            record_funds(
                project,
                by=None,
                arrived_on=min(arrived, today),
                source=source,
                amount=amount,
                verified=verified,
                origin=origin,
            )


# Targets of the demo year: the county's own, and each township's, department's, office's and park's.
COUNTY_TARGETS = {
    "funds_domestic": 60000,
    "funds_foreign": 800,
    "contracted_cny": 150000,
    "projects_signed": 40,
    "projects_started": 30,
    "projects_operating": 15,
}


def write_targets(rng: random.Random, county: Unit, year: int) -> None:
    """The county's targets for the year, decomposed over its children with the usual over-allocation
    (the children's shares add up to more than the county's own target). Each target is set from what
    the demo recorded for the unit that year, so that completions look like a real county's (between
    about 40 % and 130 %, different for each unit); where a unit recorded nothing, it gets a share of
    the county's usual target."""
    from zhaoshang.ledger.models import Indicator
    from zhaoshang.ledger.services import subtree_figures
    from zhaoshang.targets.services import set_targets

    indicators = list(Indicator.objects.filter(code__in=COUNTY_TARGETS).order_by("code"))

    def targets(unit: Unit, usual: Decimal, low: float, high: float) -> dict[Indicator, Decimal]:
        """Each indicator's target: the unit's verified figure divided by a completion drawn in
        [low, high], or ``usual`` times the county's usual target where it recorded nothing."""
        recorded = subtree_figures(unit, year, kinds=[k for i in indicators for k in i.kinds])
        values = {}
        for i in indicators:
            actual = i.figure(recorded)[0]
            base = actual if actual > 0 else usual * COUNTY_TARGETS[i.code]
            done = Decimal(str(round(rng.uniform(low, high), 2)))
            values[i] = max(Decimal(1), (base / done).quantize(Decimal("1")))
        return values

    set_targets(None, county, year, targets(county, Decimal(1), 0.75, 1.05))
    children = list(county.children.order_by("sort_order", "pk"))
    for child in children:
        set_targets(None, child, year, targets(child, Decimal("1.15") / len(children), 0.4, 1.3))


# --- the load ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    units: dict[str, int]  # by kind
    users: int
    investors: int
    projects: dict[str, int]  # by stage, in pipeline order
    accounts: list[DemoAccount]


def is_empty() -> bool:
    """The demo only goes into a database without units: it never mixes with real data."""
    return not Unit.objects.exists()


def write_dispatch(rng: random.Random, county: Unit, today: dt.date) -> None:
    from zhaoshang.dispatch.demo import write_dispatch as dispatch_demo

    dispatch_demo(rng, county, today)


def load_demo(
    *, seed: int = DEFAULT_SEED, projects: int = DEFAULT_PROJECTS, today: dt.date | None = None
) -> Summary:
    """Build the demo county in one transaction. ``today`` (default: the local date) caps every date."""
    if projects < MIN_PROJECTS:
        raise ValueError(f"the demo needs at least {MIN_PROJECTS} projects, one per stage")
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    with transaction.atomic():
        demo = build_county(rng)
        accounts = build_accounts()
        names = Names(rng)
        backers = build_investors(rng, demo, names)
        for plan in Planner(rng, demo, names, today).plans(backers, projects):
            write_funds(rng, write_plan(plan), today)
        write_targets(rng, demo.county, today.year)
        coordination_demo.load(rng, demo.county, today)
        inspections_demo.load(rng, demo.county, today)
        write_dispatch(rng, demo.county, today)
        enrich_investors(rng, names, today)
        build_activities(rng, demo, names, today)
        catalogue_demo.load(rng, demo, today)
        parks_demo.load(rng, demo.county, today)
        assessment_demo.load(rng, demo.county, today)
        map_demo.place(demo.county)
        manual_demo.load(rng, demo.county, today)
    return summarize(accounts)


def summarize(accounts: list[DemoAccount]) -> Summary:
    """What the database now holds, for the command's closing report."""
    by_kind = dict(Unit.objects.values_list("kind").annotate(n=Count("id")).order_by())
    by_stage = dict(Project.objects.values_list("stage").annotate(n=Count("id")).order_by())
    return Summary(
        units={kind: by_kind[kind] for kind in UnitKind.values if kind in by_kind},
        users=User.objects.count(),
        investors=Investor.objects.count(),
        projects={stage: by_stage.get(stage, 0) for stage in Stage.values},
        accounts=accounts,
    )
