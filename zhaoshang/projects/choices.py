"""Stages, industries, currencies and approvals of a project (項目)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Exclusion(models.TextChoices):
    """不予認定: why a project's figures do not count toward any indicator (forms.md section 4.2)."""

    REAL_ESTATE = "real_estate", _("real estate development")
    GOVERNMENT_FUNDED = "government", _("funded by government money")
    SAME_CITY = "same_city", _("relocation or investment from within the same city")
    LATER_PHASE = "later_phase", _("a later phase of a project already counted")
    COUNTED_ELSEWHERE = "counted_elsewhere", _("already counted for the event where it was first signed")
    LOCAL_INVESTOR = "local_investor", _("a local investor")


class Introducer(models.TextChoices):
    """引荐: who brought the project (forms.md sections 4 and 4.1; the reference reports: 以商引商,
    委托招商, 驻外招商辦事處, 全民招商)."""

    INVESTOR = "investor", _("an investor brought another (business brings business)")
    AGENT = "agent", _("an agent or investment adviser (commissioned promotion)")
    OFFICE = "office", _("a resident office outside the county")
    PERSON = "person", _("a named person (promotion by everyone)")
    OWN = "own", _("the unit's own work (department or township)")


class Construction(models.TextChoices):
    """建設性質: a started project is new (新建) in the year it started, continuing (續建) in a later
    year while still under construction (ledger.counting.construction)."""

    NEW = "new", _("new")
    CONTINUING = "continuing", _("continuing")


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    INTENT = "intent", _("Intent signed")
    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    OPERATING = "operating", _("Operating")
    DROPPED = "dropped", _("Dropped")


# Order of the pipeline, used for sorting and the funnel.
STAGE_ORDER = [s.value for s in Stage]
# The stages a project passes on its way to production (the funnel), and those under way.
PIPELINE = [s for s in STAGE_ORDER if s != Stage.DROPPED]
ACTIVE_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.COMPLETED)

# Labels by value: ``get_stage_display()`` rebuilds the choices on every call (lists, API, exports).
STAGE_LABELS = dict(Stage.choices)

# The stage machine: from each stage, the stages a project may move to. Forward steps only,
# except that a dropped project can be taken up again in talks; the intent agreement may be
# skipped; a contract is required before construction starts.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.LEAD: frozenset({Stage.NEGOTIATING, Stage.DROPPED}),
    Stage.NEGOTIATING: frozenset({Stage.INTENT, Stage.SIGNED, Stage.DROPPED}),
    Stage.INTENT: frozenset({Stage.SIGNED, Stage.DROPPED}),
    Stage.SIGNED: frozenset({Stage.STARTED, Stage.DROPPED}),
    Stage.STARTED: frozenset({Stage.COMPLETED, Stage.DROPPED}),
    Stage.COMPLETED: frozenset({Stage.OPERATING, Stage.DROPPED}),
    Stage.OPERATING: frozenset(),
    Stage.DROPPED: frozenset({Stage.NEGOTIATING}),
}


def stage_path(from_stage: str, to_stage: str) -> list[str]:
    """The stages a project passes, one step of ``TRANSITIONS`` each, on its shortest way from
    ``from_stage`` to ``to_stage`` (``to_stage`` last; the intent agreement is skipped when it may
    be), or [] when it cannot get there. Dropping is a stage of its own, never passed on the way.
    A user moves a project to any later stage in one step; the stages it skips are recorded as
    passed on the same day."""
    came_from: dict[str, str] = {from_stage: ""}
    frontier = [from_stage]
    while frontier and to_stage not in came_from:
        following = []
        for stage in frontier:
            for step in sorted(TRANSITIONS[stage], key=STAGE_ORDER.index):
                # dropping ends a way; taking up again starts one: never both in one move
                if step not in came_from and (step != Stage.DROPPED or step == to_stage):
                    came_from[step] = stage
                    following.append(step)
        frontier = following
    if to_stage not in came_from or to_stage == from_stage:
        return []
    path = [to_stage]
    while came_from[path[-1]] != from_stage:
        path.append(came_from[path[-1]])
    return path[::-1]


# The stages a project may be moved to from each, in one step of the user (through the stages
# between): every later stage of the pipeline, dropping, and from dropped, talks again and beyond.
REACHABLE: dict[str, frozenset[str]] = {
    start: frozenset(s for s in STAGE_ORDER if stage_path(start, s)) for start in STAGE_ORDER
}

# The date field that a move into the stage stamps.
STAGE_DATE_FIELD: dict[str, str] = {
    Stage.NEGOTIATING: "contacted_on",
    Stage.INTENT: "intent_on",
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.OPERATING: "operating_on",
    Stage.DROPPED: "dropped_on",
}


class Sector(models.TextChoices):
    """三次產業."""

    PRIMARY = "primary", _("Primary industry")
    SECONDARY = "secondary", _("Secondary industry")
    TERTIARY = "tertiary", _("Tertiary industry")


class IndustrySection(models.TextChoices):
    """Sections of the national industry classification GB/T 4754-2017."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water supply")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail trade")
    G = "G", _("G Transport, storage and post")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water conservancy, environment and public facilities")
    O = "O", _("O Resident services, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration and social organisations")
    T = "T", _("T International organisations")


SECTION_SECTOR: dict[str, str] = {
    "A": Sector.PRIMARY,
    **{s: Sector.SECONDARY for s in "BCDE"},
    **{s: Sector.TERTIARY for s in "FGHIJKLMNOPQRST"},
}


class Currency(models.TextChoices):
    CNY = "CNY", _("10,000 CNY")
    USD = "USD", _("10,000 USD")


class ApprovalKind(models.TextChoices):
    """Approvals between signing and start: a checklist, not stages."""

    PROJECT_FILING = "filing", _("Project approval or filing")
    LAND = "land", _("Land use")
    PLANNING = "planning", _("Planning permit")
    ENVIRONMENT = "environment", _("Environmental assessment")
    CONSTRUCTION = "construction", _("Construction permit")
    BUSINESS_REGISTRATION = "registration", _("Business registration")
