"""What counts (統計口徑, DESIGN.md section 4): every rule that says what a raw record adds to the ledger.

Other apps tell the ledger what happened; the rules here decide what counts, for which unit, in
which month and whether as verified: a project's stage dates and contracted amount
(``stage_figures``), a record of funds arrived (``funds_figures``), a filed progress report
(``report_figures``), a promotion activity (``activity_figures``), a manual figure
(``manual_figures``), a landed enterprise's quarterly returns (``return_figures``). They are pure
functions of values already in memory, so the per-record path (``services.sync``,
``services.sync_activity``) and the bulk loaders (``scale.generate``, ``projects.bulk_import``)
apply the same rules to the same values.

The ledger does not import dispatch, which stands on it (a report's funds are recorded, verified
and returned through ``ledger.funds``). Progress reports belong to dispatch, which knows which of its
reports are filed and which verified: it registers a reader of a project's filed reports
(``read_reports_with``, from its ``AppConfig.ready``) that hands the ledger ``ReportFacts``, and the
ledger decides what they count for (docs/decisions.md section 30).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Q

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.enterprises.choices import ReturnStatus
from zhaoshang.ledger.choices import FundsSource, FundsStatus, Kind
from zhaoshang.projects.choices import Construction, Currency
from zhaoshang.units.places import Level, level

FOUR_PLACES = Decimal("0.0001")
ONE = Decimal(1)


class Cell(NamedTuple):
    """Where an event counts: its kind, credited unit, month and whether it is verified."""

    kind: str
    unit_id: int
    year: int
    month: int
    verified: bool


Figures = dict[tuple[str, Cell], Decimal]  # (source, cell) -> amount
Shares = list[tuple[int, Decimal]]  # (unit id, percentage share)


class ReportFacts(NamedTuple):
    """What a filed progress report states, as dispatch tells it: the report, its round's dispatch
    day, investment completed (万元), factory area built (平方米, or None) and whether the bureau
    verified it (else it is submitted). A report that is not filed is not told at all."""

    pk: int
    due_on: dt.date
    investment: Decimal
    factory_area: Decimal | None
    verified: bool


def split(amount: Decimal, shares: Shares) -> Shares:
    """Divide an amount among credited units by their percentage shares, to four places, so that the
    parts add up to the amount exactly (the largest share takes the rounding remainder)."""
    if not shares:
        return []
    ordered = sorted(shares, key=lambda s: (-s[1], s[0]))
    parts = [
        (unit, (amount * share / 100).quantize(FOUR_PLACES, ROUND_HALF_UP)) for unit, share in ordered[1:]
    ]
    return [(ordered[0][0], amount - sum((p for _u, p in parts), Decimal(0))), *parts]


def _add(
    figures: Figures, source: str, kind: str, on: dt.date, amount: Decimal, verified: bool, shares: Shares
) -> None:
    for unit_id, part in split(amount, shares):
        if part:
            key = (source, Cell(kind, unit_id, on.year, on.month, verified))
            figures[key] = figures.get(key, Decimal(0)) + part


# --- not counted (不予認定, forms.md section 4.2) ---------------------------------------------------

# The figures of a project that does not count go to kinds of their own ("x_" and the kind), kept,
# rolled up and checked like any other, so that a page can show them apart; no indicator sums them.
APART = "x_"


def apart(kind: str) -> str:
    """The kind under which the figures of ``kind`` of a project that does not count are kept."""
    return f"{APART}{kind}"


def counts(project: Any) -> bool:
    """Whether a project's figures count: not when the bureau marked it not counted (real estate,
    government money, from within the same city, a later phase, counted elsewhere, local investor)."""
    return not getattr(project, "exclusion", "")


def set_apart(figures: Figures) -> Figures:
    return {
        (source, cell._replace(kind=apart(cell.kind))): amount for (source, cell), amount in figures.items()
    }


# --- the rules, one raw record each ------------------------------------------------------------


# The project counts (one per new project, in the month of its date) and the date each is stamped on.
PROJECT_COUNTS = (
    (Kind.LEADS, "first_contact_on"),  # 线索: the lead came in (the first contact)
    (Kind.CONTACTED, "contacted_on"),  # 接洽: talks began
    (Kind.INTENTS, "intent_on"),  # 意向: the intent agreement
    (Kind.SIGNED, "signed_on"),
    (Kind.STARTED, "started_on"),
    (Kind.OPERATING, "operating_on"),
)


def new_project(project: Any) -> bool:
    """Whether a project counts as a project of its own: not a capital increase (三明: only the 增资额
    counts) nor a later phase of an earlier project (cnzsr 2499: phase II of a counted project), whose
    amounts count but which is never a new lead, talk, intent, signing, start or production."""
    return not getattr(project, "capital_increase", False) and getattr(project, "phase_of_id", None) is None


def stage_figures(figures: Figures, project: Any, shares: Shares) -> None:
    """A project's stages: the lead, talks, intent, signing, start and production count once each, in
    the month of the date, whatever happened later (decisions section 7), without waiting for
    verification; the contracted amount counts on signing, domestic in 万元 and foreign in 万美元. A
    capital increase or a later phase (``new_project``) counts only its contracted amount."""
    source = f"project:{project.pk}"
    if new_project(project):
        for kind, field in PROJECT_COUNTS:
            on = getattr(project, field, None)
            if on is not None:
                _add(figures, source, kind, on, ONE, True, shares)
    if project.signed_on is not None and project.contracted_amount:
        kind = Kind.CONTRACTED_USD if project.currency == Currency.USD else Kind.CONTRACTED_CNY
        _add(figures, source, kind, project.signed_on, project.contracted_amount, True, shares)


# The kind each level of domestic money is recorded under, beside funds_domestic (origin levels).
LEVEL_KINDS: dict[str, str] = {
    Level.INTERCOUNTY: Kind.FUNDS_INTERCOUNTY,
    Level.OUTCITY: Kind.FUNDS_OUTCITY,
    Level.OUTPROVINCE: Kind.FUNDS_OUTPROVINCE,
}


def level_kind(funds: Any, county: str) -> str | None:
    """The level kind of a record of domestic funds counted in ``county`` (its GB/T 2260 code):
    市内县际, 市外省内 or 国内省外 by its origin; None when the level cannot be told (no origin, an
    origin too coarse, a county outside the tree), and the line counts in funds_domestic only."""
    if funds.source != FundsSource.DOMESTIC:
        return None
    found = level(getattr(funds, "origin", "") or "", county)
    return LEVEL_KINDS.get(found) if found else None


def construction(project: Any, year: int) -> str | None:
    """建设性质 in ``year`` (forms.md section 5.2: 新建/续建), derived from the dates, never stored: a
    project started in ``year`` is new (新建); one started in an earlier year is continuing (续建) while
    it was still under construction in ``year`` (not completed, nor dropped, before the year began).
    None otherwise, and for a project that is not counted or not a new project of its own
    (``counts``, ``new_project``). ``construction_q`` is the same rule as a query; a test holds them
    together."""
    started = getattr(project, "started_on", None)
    if started is None or started.year > year or not new_project(project) or not counts(project):
        return None
    if started.year == year:
        return Construction.NEW
    begins = dt.date(year, 1, 1)
    for field in ("completed_on", "dropped_on"):
        ended = getattr(project, field, None)
        if ended is not None and ended < begins:
            return None
    return Construction.CONTINUING


def construction_q(year: int, nature: str, prefix: str = "") -> Q:
    """Projects of ``nature`` (new or continuing) in ``year`` by ``construction``, as a query;
    ``prefix`` names the project from another model (``"project__"``)."""
    begins = dt.date(year, 1, 1)
    q = Q(
        **{
            f"{prefix}exclusion": "",
            f"{prefix}capital_increase": False,
            f"{prefix}phase_of__isnull": True,
        }
    )
    if nature == Construction.NEW:
        return q & Q(**{f"{prefix}started_on__year": year})
    return (
        q
        & Q(**{f"{prefix}started_on__lt": begins})
        & (Q(**{f"{prefix}completed_on__isnull": True}) | Q(**{f"{prefix}completed_on__gte": begins}))
        & (Q(**{f"{prefix}dropped_on__isnull": True}) | Q(**{f"{prefix}dropped_on__gte": begins}))
    )


def funds_figures(figures: Figures, funds: Any, shares: Shares, county: str = "") -> None:
    """A record of funds arrived counts by source in the month it arrived (local money never),
    verified apart from reported; a returned or deleted record not at all. Domestic money also
    counts under its origin level relative to ``county``, the GB/T 2260 code of the project's county
    (``level_kind``): funds_domestic stays the sum of every level and of lines of unknown level."""
    if funds.is_deleted or funds.status == FundsStatus.RETURNED or funds.source == FundsSource.LOCAL:
        return
    kind = Kind.FUNDS_FOREIGN if funds.source == FundsSource.FOREIGN else Kind.FUNDS_DOMESTIC
    verified = funds.status == FundsStatus.VERIFIED
    _add(figures, f"funds:{funds.pk}", kind, funds.arrived_on, funds.amount, verified, shares)
    by_level = level_kind(funds, county)
    if by_level:
        _add(figures, f"funds:{funds.pk}", by_level, funds.arrived_on, funds.amount, verified, shares)


# --- a county's counting rules (统计口径, ledger.rules) -------------------------------------------

# The kinds a rule may count again: every kind a project's records imply (not the activities' nor the
# manual figures, which belong to no project and so pass no project filter).
RULE_BASE_KINDS: tuple[str, ...] = tuple(k for k in Kind.values if k not in (Kind.VISITORS, Kind.TRIPS))


class Rule(NamedTuple):
    """A county rule as the counting reads it (``ledger.models.CountingRule``, ``rules.facts``): the
    kind it records under, the base kinds it counts again and its project filters (empty: any)."""

    kind: str
    kinds: frozenset[str]
    industry_sections: frozenset[str] = frozenset()
    min_investment: Decimal | None = None
    usd_rate: Decimal | None = None
    construction: str = ""
    introducer_types: frozenset[str] = frozenset()
    key_only: bool = False


def passes(rule: Rule, project: Any, year: int) -> bool:
    """Whether a project passes a rule's filters for its figures of ``year``: its industry section,
    its total investment (万元; a foreign project's 万美元 at the rule's rate, none without one),
    new or continuing in that year (``construction``), who introduced it, and the key mark."""
    if rule.industry_sections and getattr(project, "industry_section", "") not in rule.industry_sections:
        return False
    if rule.introducer_types and getattr(project, "introducer_type", "") not in rule.introducer_types:
        return False
    if rule.key_only and not getattr(project, "is_key", False):
        return False
    if rule.construction and construction(project, year) != rule.construction:
        return False
    if rule.min_investment is not None:
        invested = getattr(project, "total_investment", None) or Decimal(0)
        if project.currency == Currency.USD:
            if not rule.usd_rate:
                return False
            return invested >= (rule.min_investment / rule.usd_rate).quantize(FOUR_PLACES)
        return invested >= rule.min_investment
    return True


def rule_figures(figures: Figures, project: Any, rules: Iterable[Rule]) -> Figures:
    """What a county's rules count for a project, from the figures its records imply (before any are
    set apart): each figure of a rule's base kinds again under the rule's kind, when the project
    passes the rule for the figure's year. The sync (``project_figures``) and the re-count after a
    rule changed (``rules.recount``, from the events already recorded) both call it."""
    out: Figures = {}
    for rule in rules:
        for (source, cell), amount in figures.items():
            if cell.kind in rule.kinds and passes(rule, project, cell.year):
                key = (source, cell._replace(kind=rule.kind))
                out[key] = out.get(key, Decimal(0)) + amount
    return out


def report_figures(figures: Figures, report: ReportFacts, shares: Shares) -> None:
    """A filed progress report counts its investment completed and factory area built in the month
    of its round's dispatch day: as reported once submitted, as verified once verified. (Its funds
    are records of funds arrived of their own.)"""
    source, on, verified = f"report:{report.pk}", report.due_on, report.verified
    if report.investment:
        _add(figures, source, Kind.INVESTMENT, on, Decimal(report.investment), verified, shares)
    if report.factory_area:
        _add(figures, source, Kind.FACTORY_AREA, on, Decimal(report.factory_area), verified, shares)


def activity_figures(activity: Any) -> Figures:
    """What a promotion activity counts for: an inbound visit its number of people (接待客商 人次), an
    outbound trip one trip (外出招商 次), credited to the activity's unit in the month it began.
    Neither waits for verification, like stage events (decisions section 17)."""
    figures: Figures = {}
    source = f"activity:{activity.pk}"
    whole = [(activity.unit_id, Decimal(100))]  # credited to its unit alone
    if activity.kind == ActivityKind.VISIT and activity.people:
        _add(figures, source, Kind.VISITORS, activity.starts_on, Decimal(activity.people), True, whole)
    elif activity.kind == ActivityKind.TRIP:
        _add(figures, source, Kind.TRIPS, activity.starts_on, ONE, True, whole)
    return figures


def manual_figures(entry: Any) -> Figures:
    """A manual figure (勞務輸出, 信息報送, ledger.manual) counts for its indicator's own kind,
    credited to the unit that entered it in its month: as reported once entered, as verified once the
    bureau verified it, not at all once returned or deleted (the rule of funds arrived)."""
    figures: Figures = {}
    if entry.is_deleted or entry.status == FundsStatus.RETURNED:
        return figures
    on = dt.date(entry.year, entry.month, 1)
    verified = entry.status == FundsStatus.VERIFIED
    whole = [(entry.unit_id, Decimal(100))]
    _add(figures, f"manual:{entry.pk}", entry.indicator.kind, on, Decimal(entry.amount), verified, whole)
    return figures


# The kind each figure of a quarterly return counts for (output, sales and tax in 万元, flows).
RETURN_FLOWS = (
    (Kind.ENTERPRISE_OUTPUT, "output"),
    (Kind.ENTERPRISE_SALES, "sales"),
    (Kind.ENTERPRISE_TAX, "tax"),
)


def return_source(record: Any) -> str:
    """The ledger's name of a quarterly return (``enterprises.QuarterlyReturn``)."""
    return f"return:{record.pk}"


def return_figures(enterprise: Any, returns: Iterable[Any]) -> Figures:
    """What a landed enterprise's quarterly returns count for (issue 23, "15家重点外来企业实现产值
    3.31亿元，上交税金2483万元，安置就业1063人"): only a key enterprise's (重點, by its current flag,
    as ``enterprises.figures.totals(key_only=True)``), only verified returns, credited wholly to the
    enterprise's unit in the last month of the return's quarter. Output, sales and tax count as they
    are. Jobs are a stock (the headcount of the latest counted return of the period): each return
    counts the change from the enterprise's previous counted headcount of the same year (the first
    of the year its whole headcount), so that the year's sum up to any month is the latest headcount.
    A return verified late, or one taken back, changes the next return's change too: the caller
    compares the whole enterprise's figures with the ledger (``services.sync_returns``)."""
    figures: Figures = {}
    if not getattr(enterprise, "key", False):
        return figures
    whole = [(enterprise.unit_id, Decimal(100))]
    counted = sorted(
        (r for r in returns if r.status == ReturnStatus.VERIFIED), key=lambda r: (r.year, r.quarter)
    )
    headcount: dict[int, int] = {}  # year -> the previous counted return's jobs
    for record in counted:
        source, on = return_source(record), dt.date(record.year, 3 * record.quarter, 1)
        for kind, name in RETURN_FLOWS:
            _add(figures, source, kind, on, Decimal(getattr(record, name)), True, whole)
        change = record.jobs - headcount.get(record.year, 0)
        headcount[record.year] = record.jobs
        _add(figures, source, Kind.ENTERPRISE_JOBS, on, Decimal(change), True, whole)
    return figures


def project_figures(
    project: Any,
    shares: Shares,
    funds_records: Iterable[Any],
    reports: Iterable[ReportFacts] = (),
    county: str = "",
    rules: Iterable[Rule] = (),
) -> Figures:
    """Everything a project counts for, shared among its credited units by share: its stages, its
    funds arrived and its filed progress reports, on values already in memory (``services.implied``
    reads them from the database; bulk loaders pass the rows they are about to write). ``county`` is
    the GB/T 2260 code of the project's county (credits stay inside it), which decides the origin
    level of its funds; ``rules`` are that county's counting rules (``rule_figures``). A project that
    does not count (``counts``) has the same figures, kept apart under ``apart`` kinds."""
    figures: Figures = {}
    stage_figures(figures, project, shares)
    for funds in funds_records:
        funds_figures(figures, funds, shares, county)
    for report in reports:
        report_figures(figures, report, shares)
    figures.update(rule_figures(figures, project, rules))
    return figures if counts(project) else set_apart(figures)


# --- what other apps tell -----------------------------------------------------------------------

ReportReader = Callable[[Any], Iterable[ReportFacts]]
_report_readers: dict[str, ReportReader] = {}


def read_reports_with(name: str, reader: ReportReader) -> None:
    """Register the reader of a project's filed progress reports (dispatch does, in its
    ``AppConfig.ready``). Keyed by name, so that registering again replaces rather than doubles."""
    _report_readers[name] = reader


def filed_reports(project: Any) -> list[ReportFacts]:
    """The filed progress reports of a project, as the registered readers tell them."""
    return [facts for reader in _report_readers.values() for facts in reader(project)]
