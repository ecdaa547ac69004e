"""Evidence rules (佐證材料, forms.md section 4.2): which documents a verification of funds needs.

Each indicator lists the documents (``Indicator.evidence``, ``choices.Evidence``) without which the
funds it counts are not verified: the bank slip is the funds record's own voucher, the others are the
project's files of that kind (contract, capital verification report, business licence, local tax
registration). A record of funds needs what every active indicator that counts it asks for: a
shared one summing its source's kind or its origin level, or one of its project's county whose
counting rule counts it (``required``, by the counting's own rules). Verifying
without them is refused with the list of what is missing (``check``); the verification queue shows
the vouchers there are and what is missing (``missing_by_funds``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from zhaoshang.core import tree
from zhaoshang.core.errors import ValidationError
from zhaoshang.ledger import counting
from zhaoshang.ledger.choices import Evidence, FundsSource, Kind, is_manual
from zhaoshang.ledger.counting import Cell
from zhaoshang.ledger.models import CountingRule, FundsArrival, Indicator, ManualEntry
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit


def kind_of(funds: FundsArrival) -> str | None:
    """The ledger kind a record of funds counts for (None: local money counts for nothing)."""
    if funds.source == FundsSource.LOCAL:
        return None
    return Kind.FUNDS_FOREIGN if funds.source == FundsSource.FOREIGN else Kind.FUNDS_DOMESTIC


class Requirements(NamedTuple):
    """What the active indicators with an evidence rule ask of funds (``requirements``): each as
    (its county or None for the shared set, the kinds it sums, its documents), the counting rules of
    the county indicators among them by county, and the county each unit lies in."""

    indicators: list[tuple[int | None, frozenset[str], list[str]]]
    rules: dict[int, list[counting.Rule]]  # county id -> the rules of its indicators asking documents
    counties: dict[int, Unit | None]  # unit id -> its county


def requirements(units: Iterable[Unit]) -> Requirements:
    """The evidence rules that may apply to funds of projects of ``units``: the shared indicators'
    and those of the units' counties (at most three queries; one when no indicator asks anything)."""
    from zhaoshang.ledger.services import rule_of

    asking = [
        (i.pk, i.county_id, frozenset(i.kinds), list(i.evidence))
        for i in Indicator.objects.filter(is_active=True).only("kind", "also", "evidence", "county")
        if i.evidence
    ]
    units = list(units)
    counties: dict[int, Unit | None] = {u.pk: None for u in units}
    rules: dict[int, list[counting.Rule]] = {}
    if asking and units:
        paths = {p for u in units for p in tree.ancestor_paths(u.path)}
        found = {c.path: c for c in Unit.objects.filter(path__in=paths, kind=UnitKind.COUNTY)}
        for unit in units:
            counties[unit.pk] = next(
                (found[p] for p in reversed(tree.ancestor_paths(unit.path)) if p in found), None
            )
        ids = [pk for pk, county, _kinds, _docs in asking if county is not None]
        in_counties = {c.pk for c in counties.values() if c is not None}
        if ids and in_counties:
            for rule in CountingRule.objects.filter(
                indicator__in=ids, indicator__county__in=in_counties
            ).select_related("indicator"):
                if (owner := rule.indicator.county_id) is not None:  # every one: filtered by county
                    rules.setdefault(owner, []).append(rule_of(rule))
    return Requirements([(county, kinds, docs) for _pk, county, kinds, docs in asking], rules, counties)


def kinds_counting(
    funds: FundsArrival, project: Any, county: Unit | None, rules: Iterable[counting.Rule]
) -> set[str]:
    """The kinds a record of funds counts for, by the counting's own rules: its source's kind, its
    origin level in ``county`` (``counting.level_kind``) and the kind of every county rule its
    project passes for the year it arrived (``counting.rule_figures``). Local money: none."""
    base = kind_of(funds)
    if base is None:
        return set()
    kinds = {base}
    level = counting.level_kind(funds, county.gbt_code if county is not None else "")
    if level:
        kinds.add(level)
    on = funds.arrived_on
    figures = {("funds", Cell(k, 0, on.year, on.month, True)): Decimal(1) for k in kinds}
    return kinds | {cell.kind for _source, cell in counting.rule_figures(figures, project, rules)}


def required(funds: FundsArrival, project: Any, wanted: Requirements) -> list[str]:
    """The documents a record of funds needs: what every active indicator that counts it asks for,
    a shared one or one of its project's county (a county's own indicator counts it when its rule
    does), in their usual order."""
    county = wanted.counties.get(project.unit_id)
    kinds = kinds_counting(funds, project, county, wanted.rules.get(county.pk, []) if county else [])
    docs: set[str] = set()
    for owner, summed, evidence in wanted.indicators:
        if (owner is None or (county is not None and owner == county.pk)) and summed & kinds:
            docs.update(evidence)
    return [e for e in Evidence.values if e in docs]


def missing(funds: FundsArrival, attached: Iterable[str], wanted: Requirements | None = None) -> list[str]:
    """The documents a record of funds still lacks: ``attached`` are the kinds of its project's files."""
    if kind_of(funds) is None:
        return []
    project = funds.project
    if wanted is None:
        wanted = requirements([project.unit])
    have = set(attached) | ({Evidence.BANK_SLIP.value} if funds.evidence else set())
    return [doc for doc in required(funds, project, wanted) if doc not in have]


def _refuse(lacking: list[str], message: str) -> None:
    """Refuse a verification, naming each missing document (one message for funds and manual figures)."""
    if lacking:
        names = "、".join(str(Evidence(doc).label) for doc in lacking)
        raise ValidationError({"evidence": message % {"documents": names}})


def check(funds: FundsArrival) -> None:
    """Refuse to verify funds without the documents their indicators ask for, naming what is missing."""
    attached = funds.project.attachments.values_list("kind", flat=True) if funds.project_id else []
    _refuse(missing(funds, attached), _("These funds cannot be verified without: %(documents)s."))


# --- manual figures (ledger.manual) ------------------------------------------------------------

# What a manual indicator may ask for: the entry's own file. The other documents are a project's.
MANUAL_EVIDENCE = [Evidence.VOUCHER.value]


def allowed(kind: str) -> list[str]:
    """The documents an indicator of ``kind`` may ask for: a manual one its entries' own file, a
    built-in one the funds record's voucher and the project's files."""
    if is_manual(kind):
        return MANUAL_EVIDENCE
    return [e for e in Evidence.values if e not in MANUAL_EVIDENCE]


def missing_manual(entry: ManualEntry) -> list[str]:
    """The documents a manual figure still lacks for its indicator's rule."""
    have = set(MANUAL_EVIDENCE) if entry.evidence else set()
    return [doc for doc in entry.indicator.evidence or [] if doc not in have]


def check_manual(entry: ManualEntry) -> None:
    """Refuse to verify a manual figure without the documents its indicator asks for."""
    _refuse(missing_manual(entry), _("This figure cannot be verified without: %(documents)s."))


def missing_by_funds(page: list[FundsArrival]) -> dict[int, list[str]]:
    """What each record of a page of the verification queue lacks, by funds id (two queries)."""
    from zhaoshang.projects.models import Attachment

    wanted = requirements({f.project.unit_id: f.project.unit for f in page}.values())
    if not wanted.indicators:
        return {}
    attached: dict[int, set[str]] = {}
    for project_id, kind in Attachment.objects.filter(project__in={f.project_id for f in page}).values_list(
        "project_id", "kind"
    ):
        attached.setdefault(project_id, set()).add(kind)
    return {f.pk: missing(f, attached.get(f.project_id, set()), wanted) for f in page}
