"""A county's own indicators from counting rules (统计口径, issue 19).

A county's bureau administrator defines indicators for their county only (``define``): which kinds
of figure they count again (a stage, an amount, funds of an origin level) and which projects pass
(industry, total investment, 新建/续建, who introduced it, key). Each counts a kind of its own,
"c_" and its id, recorded by the ledger's counting rules (``counting.rule_figures``) whenever a
project of the county syncs, from the same figures as its base kinds; targets, completion, the
dashboard, the drill-down and ``rebuild_rollups`` then read it like any kind. The shared indicators
(no county) stay the system administrator's, and national and provincial levels read only them.

Changing a rule (``update``) re-counts that county's events of the rule's kind, and only those,
in the same transaction (``recount``), from the events its projects already recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.ledger import counting
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.choices import RULE, rule_kind
from zhaoshang.ledger.counting import FOUR_PLACES, Cell, Figures
from zhaoshang.ledger.indicators import may_define, ordered_evidence
from zhaoshang.ledger.models import CountingRule, Event, ExchangeRate, Indicator
from zhaoshang.projects.choices import Construction, IndustrySection, Introducer
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

# What a rule is made of, as ``define`` and ``update`` take it.
RULE_FIELDS = ("kinds", "industry_sections", "min_investment", "construction", "introducer_types", "key_only")
# What may change without a re-count: the names, order, use and evidence rule (the documents the
# funds it counts need before they are verified, ``ledger.evidence``).
NAME_FIELDS = ("name_zh", "name_en", "sort_order", "is_active", "evidence")
# What the counting reads of a county's projects (``counting.passes``, ``counting.counts``).
PROJECT_FIELDS = (
    "pk",
    "unit",
    "currency",
    "total_investment",
    "industry_section",
    "introducer_type",
    "is_key",
    "started_on",
    "completed_on",
    "dropped_on",
    "exclusion",
    "capital_increase",
    "phase_of",
)


def counties_for(user: User) -> Any:
    """The counties whose indicators ``user`` may define."""
    units = Unit.objects.where(user, Action.CONFIGURE, on=ObjectType.TARGET) | Unit.objects.where(
        user, Action.CONFIGURE, on=ObjectType.INDICATOR
    )
    return Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True, pk__in=units.values("pk")).order_by(
        "path"
    )


def _require(by: User | None, county: Unit) -> None:
    if by is not None and not may_define(by, county):
        raise OutOfScope(_("Only the bureau of %(county)s may change its indicators.") % {"county": county})


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """The rule's fields, known values only, lists in their usual order."""
    out = dict(fields)
    lists = {
        "kinds": counting.RULE_BASE_KINDS,
        "industry_sections": IndustrySection.values,
        "introducer_types": Introducer.values,
    }
    for name, known in lists.items():
        if name in out:
            given = list(out[name] or [])
            unknown = [v for v in given if v not in known]
            if unknown:
                raise ValidationError({name: _("Unknown value %(value)s.") % {"value": unknown[0]}})
            out[name] = [v for v in known if v in given]
    if "kinds" in out and not out["kinds"]:
        raise ValidationError({"kinds": _("Choose the figures the indicator counts.")})
    if out.get("construction") and out["construction"] not in Construction.values:
        raise ValidationError(
            {"construction": _("Unknown value %(value)s.") % {"value": out["construction"]}}
        )
    if out.get("min_investment") is not None and out["min_investment"] < 0:
        raise ValidationError({"min_investment": _("Enter an amount of at least 0.")})
    return out


def _latest_rate() -> Decimal | None:
    latest = ExchangeRate.objects.order_by("-year").first()
    return latest.cny_per_usd if latest else None


def _snapshot(indicator: Indicator) -> dict[str, Any]:
    return audit.snapshot(indicator) | {"rule": audit.snapshot(indicator.rule, exclude=("changed_at",))}


def _lock_projects(county: Unit) -> None:
    """Hold off the syncs of the county's projects until the re-count commits: a sync locks its
    project first, so one waiting here reads the new rule once it may go on. Taken before the audit
    chain head, in the order every project write takes them."""
    list(for_update(Project.objects).filter(tree.subtree_q(county.path)).order_by("pk").values_list("pk"))


@transaction.atomic
def define(
    *,
    by: User | None,
    county: Unit,
    name_zh: str,
    name_en: str,
    measure: str,
    kinds: Sequence[str],
    industry_sections: Sequence[str] = (),
    min_investment: Decimal | None = None,
    construction: str = "",
    introducer_types: Sequence[str] = (),
    key_only: bool = False,
    sort_order: int = 200,
    evidence: Sequence[str] = (),
) -> Indicator:
    """A new indicator of ``county`` counting by a rule; its code and kind are "c_" and its id. The
    projects' figures recorded so far are counted at once (``recount``)."""
    if county.kind != UnitKind.COUNTY:
        raise ValidationError({"county": _("Indicators of their own are defined by counties.")})
    _require(by, county)
    rule_fields = _checked(
        {
            "kinds": kinds,
            "industry_sections": industry_sections,
            "min_investment": min_investment,
            "construction": construction,
            "introducer_types": introducer_types,
            "key_only": key_only,
        }
    )
    _lock_projects(county)
    indicator = Indicator(
        code=f"c_new_{county.pk}",
        kind=rule_kind(0),
        name_zh=name_zh,
        name_en=name_en,
        measure=measure,
        county=county,
        sort_order=sort_order,
        evidence=ordered_evidence(evidence, RULE),
    )
    indicator.full_clean(exclude=["code"])
    indicator.save()
    indicator.code = indicator.kind = rule_kind(indicator.pk)
    indicator.save(update_fields=["code", "kind"])
    CountingRule.objects.create(indicator=indicator, usd_rate=_latest_rate(), **rule_fields)
    audit.record(audit.Entry.Action.CREATE, indicator, by=by, unit=county, after=_snapshot(indicator))
    recount(indicator)
    return indicator


@transaction.atomic
def update(indicator: Indicator, *, by: User | None, **fields: Any) -> int:
    """Change a county indicator's names, order, use or rule. A changed rule (whose foreign projects
    are compared at the latest rate kept now) re-counts the county's events of its kind, in this
    transaction. Returns the number of events appended."""
    county = indicator.county
    if county is None:
        raise ValidationError({"county": _("This indicator is shared; it has no counting rule.")})
    _require(by, county)
    unknown = [name for name in fields if name not in RULE_FIELDS + NAME_FIELDS]
    if unknown:
        raise ValidationError({unknown[0]: _("This cannot be changed once the indicator exists.")})
    _lock_projects(county)
    indicator = for_update(Indicator.objects).select_related("rule").get(pk=indicator.pk)
    before = _snapshot(indicator)
    for name in NAME_FIELDS:
        if name in fields:
            setattr(indicator, name, fields[name])
    indicator.evidence = ordered_evidence(indicator.evidence, indicator.kind)
    indicator.full_clean()
    indicator.save()
    rule = indicator.rule
    for name, value in _checked({k: v for k, v in fields.items() if k in RULE_FIELDS}).items():
        setattr(rule, name, value)
    rule.usd_rate = _latest_rate()
    rule.save()
    after = _snapshot(indicator)
    if after == before:
        return 0
    audit.record(audit.Entry.Action.UPDATE, indicator, by=by, unit=county, before=before, after=after)
    return recount(indicator) if after["rule"] != before["rule"] else 0


def recount(indicator: Indicator) -> int:
    """Bring the county's events of a rule indicator's kind in line with its rule, and the totals
    with them; nothing of another kind or county is touched. The rule's figures are computed by the
    counting's one rule (``counting.rule_figures``) from the events the county's projects recorded
    under the base kinds (kept apart or not), which are what their records imply since every write
    syncs. Runs inside the caller's transaction, the county's projects locked. Returns the number of
    events appended."""
    county = indicator.county
    assert county is not None
    rule = ledger.rule_of(CountingRule.objects.select_related("indicator").get(indicator=indicator))
    base = [*rule.kinds, *(counting.apart(k) for k in rule.kinds)]
    mine = [rule.kind, counting.apart(rule.kind)]
    events = Event.objects.filter(
        tree.subtree_q(county.path, "project__unit__path"), project__isnull=False, kind__in=base + mine
    )
    have: dict[int, Figures] = defaultdict(dict)
    basis: dict[int, Figures] = defaultdict(dict)
    rows = events.values("project_id", "source", "kind", "unit_id", "year", "month", "verified").annotate(
        total=Sum("amount")
    )
    for row in rows:
        amount = Decimal(row["total"] or 0).quantize(FOUR_PLACES)  # exact on SQLite too (``_pairs``)
        if not amount:
            continue
        kind = row["kind"]
        into = have if kind in mine else basis
        if into is basis and kind.startswith(counting.APART):
            kind = kind[len(counting.APART) :]  # the figure as implied before it was set apart
        key = (row["source"], Cell(kind, row["unit_id"], row["year"], row["month"], row["verified"]))
        into[row["project_id"]][key] = into[row["project_id"]].get(key, Decimal(0)) + amount
    ids = set(have) | set(basis)
    fields = [f for f in PROJECT_FIELDS if f != "pk"]
    projects: list[Project] = list(Project.objects.filter(pk__in=ids).only(*fields)) if ids else []
    appended = 0
    for project in projects:
        want = counting.rule_figures(basis.get(project.pk, {}), project, [rule])
        if not counting.counts(project):
            want = counting.set_apart(want)
        if want != have.get(project.pk, {}):
            appended += ledger.append(want, have.get(project.pk, {}), project)
    return appended
