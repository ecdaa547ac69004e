"""Transitions of the assessment, each in one transaction with its audit row: schemes (created,
copied from last year, versioned), manual points, publishing a ranking and correcting it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.assessment import consequences, formulas, scoring
from zhaoshang.assessment.choices import PERSONAL, Period, Source, Subjects
from zhaoshang.assessment.models import (
    GradeJump,
    Group,
    Item,
    ManualEntry,
    PersonTarget,
    Ranking,
    Scheme,
    Score,
)
from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import acts_for, user_can
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


def may_configure(user: User | None, county: Unit) -> bool:
    return user is None or user_can(user, Action.CONFIGURE, county, on=ObjectType.TARGET)


def _require(by: User | None, county: Unit) -> None:
    if not may_configure(by, county):
        raise OutOfScope(_("Only the bureau may change the assessment."))


# --- schemes --------------------------------------------------------------------------------------


def _check_items(scheme: Scheme) -> None:
    for group in scheme.groups.all():
        for item in group.items.all():
            try:
                formulas.check(item.formula, item.params)
            except formulas.ParamError as error:
                raise ValidationError({"params": f"{item.code}: {error}"}) from error


def is_used(scheme: Scheme) -> bool:
    """A scheme a ranking was published on is kept as it was: changes go to a new version."""
    return Ranking.objects.filter(scheme=scheme).exists()


@transaction.atomic
def create_scheme(*, by: User | None, county: Unit, year: int, name: str) -> Scheme:
    _require(by, county)
    latest = Scheme.objects.filter(county=county, year=year).aggregate(v=Max("version"))["v"] or 0
    scheme = Scheme.objects.create(county=county, year=year, name=name, version=latest + 1)
    audit.record(audit.Entry.Action.CREATE, scheme, by=by, unit=county, after=audit.snapshot(scheme))
    return scheme


def _copy_groups(source: Scheme, target: Scheme) -> None:
    for group in source.groups.prefetch_related("items__targets", "jumps"):
        items, jumps = list(group.items.all()), list(group.jumps.all())
        targets = [(item.code, list(item.targets.all())) for item in items]  # 個人任務 go along
        group.pk, group.scheme = None, target
        group.save()
        for item in items:
            item.pk, item.group = None, group
        Item.objects.bulk_create(items)
        copies = {item.code: item for item in items}
        for code, kept in targets:
            for person_target in kept:
                person_target.pk, person_target.item = None, copies[code]
            PersonTarget.objects.bulk_create(kept)
        for jump in jumps:
            jump.pk, jump.group = None, group
        GradeJump.objects.bulk_create(jumps)


@transaction.atomic
def copy_scheme(source: Scheme, *, by: User | None, year: int | None = None) -> Scheme:
    """A copy of ``source``: for next year (``year``), or a new version of the same year, which is
    how a scheme already used by a published ranking is changed."""
    _require(by, source.county)
    year = year or source.year
    latest = Scheme.objects.filter(county=source.county, year=year).aggregate(v=Max("version"))["v"] or 0
    scheme = Scheme.objects.create(
        county=source.county,
        year=year,
        name=source.name.replace(str(source.year), str(year)),
        version=latest + 1,
        based_on=source,
    )
    _copy_groups(source, scheme)
    audit.record(
        audit.Entry.Action.CREATE,
        scheme,
        by=by,
        unit=source.county,
        after=audit.snapshot(scheme),
        note=f"copied from {source}",
    )
    return scheme


def current_scheme(county: Unit, year: int) -> Scheme | None:
    return Scheme.objects.filter(county=county, year=year).order_by("-version").first()


@transaction.atomic
def save_item(item: Item, *, by: User | None) -> Item:
    """Add or change an item of a scheme no ranking was published on yet."""
    scheme = item.group.scheme
    _require(by, scheme.county)
    if is_used(scheme):
        raise ValidationError(_("A ranking was published on this scheme: make a new version to change it."))
    try:
        formulas.check(item.formula, item.params)
    except formulas.ParamError as error:
        raise ValidationError({"params": str(error)}) from error
    check_source(item)
    before = audit.snapshot(Item.objects.get(pk=item.pk)) if item.pk else None
    item.full_clean(exclude=["group"])
    item.save()
    action = audit.Entry.Action.UPDATE if before else audit.Entry.Action.CREATE
    audit.record(action, item, by=by, unit=scheme.county, before=before, after=audit.snapshot(item))
    return item


def check_source(item: Item) -> None:
    """A group of persons counts what is credited to each person, and only that; a group of units
    never reads a person's count."""
    personal = item.source in PERSONAL
    if item.group.subjects == Subjects.PERSONS and not personal:
        raise ValidationError({"source": _("A group of persons counts only what is credited to a person.")})
    if item.group.subjects == Subjects.UNITS and personal:
        raise ValidationError({"source": _("This figure is counted for a person, not a unit.")})


# The kinds of unit whose staff a group of persons may rank (the units below a county).
STAFF_KINDS = ("township", "department", "resident_office", "park", "village")


@transaction.atomic
def add_person_group(scheme: Scheme, *, by: User | None, name: str, unit_kinds: list[str]) -> Group:
    """A group ranking persons (人人頭上有指標) added to a scheme no ranking was published on: the
    staff of the county's units of ``unit_kinds`` (of every unit of the county when none is named).
    Its items and the personal targets are set as for any group (``save_item``,
    ``set_person_target``); audited."""
    _require(by, scheme.county)
    if is_used(scheme):
        raise ValidationError(_("A ranking was published on this scheme: make a new version to change it."))
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationError({"name": _("Name the group, in at most 60 characters.")})
    if unknown := sorted(set(unit_kinds) - set(STAFF_KINDS)):
        raise ValidationError(
            {"unit_kinds": _("Unknown kind of unit: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
        )
    last = Group.objects.filter(scheme=scheme).aggregate(last=Max("sort_order"))["last"]
    group = Group.objects.create(
        scheme=scheme,
        name=name,
        subjects=Subjects.PERSONS,
        unit_kinds=list(unit_kinds),
        sort_order=(last if last is not None else -1) + 1,
    )
    audit.record(audit.Entry.Action.CREATE, group, by=by, unit=scheme.county, after=audit.snapshot(group))
    return group


@transaction.atomic
def set_person_target(item: Item, person: Any, value: Decimal | None, *, by: User | None) -> None:
    """個人任務: a person's target on an item of a group of persons (``None`` removes it); audited.
    As every rule of a scheme, it is kept as it was once a ranking was published on the scheme."""
    scheme = item.group.scheme
    _require(by, scheme.county)
    if item.group.subjects != Subjects.PERSONS:
        raise ValidationError({"item": _("Only the items of a group of persons take personal targets.")})
    if is_used(scheme):
        raise ValidationError(_("A ranking was published on this scheme: make a new version to change it."))
    if value is not None and value <= 0:
        raise ValidationError({"value": _("A target is more than zero.")})
    found = PersonTarget.objects.filter(item=item, person=person).first()
    before = audit.snapshot(found) if found else None
    if value is None:
        if found is not None:
            found.delete()
            audit.record(audit.Entry.Action.DELETE, found, by=by, unit=scheme.county, before=before)
        return
    found = found or PersonTarget(item=item, person=person)
    found.value = value
    found.save()
    action = audit.Entry.Action.UPDATE if before else audit.Entry.Action.CREATE
    audit.record(action, found, by=by, unit=scheme.county, before=before, after=audit.snapshot(found))


# --- manual points --------------------------------------------------------------------------------


def _check_assessed(item: Item, unit: Unit) -> None:
    """Refuse a unit the item's group does not assess (not of the scheme's county, or of another kind)."""
    if unit.parent_id != item.group.scheme.county_id or unit.kind not in item.group.unit_kinds:
        raise ValidationError({"unit": _("This unit is not assessed in this group.")})


def _save_entry(
    item: Item,
    unit: Unit,
    *,
    by: User | None,
    period: str,
    month: int,
    fields: dict[str, Any],
    evidence: tuple[str, Any],
) -> ManualEntry:
    """Write ``fields`` (and the evidence into its field, when one is given) on the unit's entry of
    the item for the period, created when there is none; audited as created or updated."""
    entry = ManualEntry.objects.filter(item=item, unit=unit, period=period, month=month).first()
    before = audit.snapshot(entry) if entry else None
    entry = entry or ManualEntry(item=item, unit=unit, period=period, month=month)
    for name, value in fields.items():
        setattr(entry, name, value)
    evidence_field, upload = evidence
    if upload is not None:
        setattr(entry, evidence_field, upload)
    entry.save()
    action = audit.Entry.Action.UPDATE if before else audit.Entry.Action.CREATE
    audit.record(action, entry, by=by, unit=unit, before=before, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def enter_manual(
    item: Item,
    unit: Unit,
    *,
    by: User | None,
    period: str,
    month: int,
    value: Decimal,
    reason: str,
    evidence: Any = None,
) -> ManualEntry:
    """The bureau's points (or count) for a unit on a manual item, with a written reason; audited."""
    county = item.group.scheme.county
    _require(by, county)
    if not reason.strip():
        raise ValidationError({"reason": _("Write the reason for these points.")})
    _check_assessed(item, unit)
    fields = {"value": value, "reason": reason.strip(), "entered_by": by}
    return _save_entry(
        item, unit, by=by, period=period, month=month, fields=fields, evidence=("evidence", evidence)
    )


@transaction.atomic
def self_evaluate(
    item: Item,
    unit: Unit,
    *,
    by: User | None,
    period: str,
    month: int,
    value: Decimal,
    note: str,
    evidence: Any = None,
) -> ManualEntry:
    """自評: the unit's own claim on a manual item, by its own people, with a note; the bureau's
    review (``enter_manual``) is what counts."""
    if by is not None and not acts_for(by, Action.VIEW, unit, on=ObjectType.TARGET):
        raise OutOfScope(_("Only the unit itself fills in its self-evaluation."))
    if item.source != Source.MANUAL:
        raise ValidationError({"item": _("Only manual items are self-evaluated.")})
    _check_assessed(item, unit)
    if not note.strip():
        raise ValidationError({"claim_note": _("Say what the self-evaluation rests on.")})
    fields = {"claimed": value, "claim_note": note.strip(), "claimed_by": by}
    return _save_entry(
        item, unit, by=by, period=period, month=month, fields=fields, evidence=("claim_evidence", evidence)
    )


# --- publishing -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def line_json(line: scoring.Line) -> dict[str, Any]:
    return _plain(
        {
            "code": line.item.code,
            "name": line.item.name,
            "max_points": line.item.max_points,
            "formula": line.item.formula,
            "source": line.item.source,
            "indicator": line.item.indicator,
            "method": line.item.method,
            "params": dict(line.item.params),
            "given": asdict(line.given),
            "points": line.result.points,
            "raw": line.result.raw,
            "capped": line.result.capped,
            "floored": line.result.floored,
            "note": line.result.note,
            "reason": line.reason,
            "claimed": line.claimed,
            "claim_note": line.claim_note,
            "records": list(line.records),
        }
    )


def snapshot_of(
    defn: scoring.Definition, inputs: scoring.Inputs, scores: list[scoring.UnitScore]
) -> dict[str, Any]:
    return _plain(
        {
            "definition": asdict(defn),
            "inputs": {
                "units": inputs.units,
                "figures": inputs.figures,
                "targets": inputs.targets,
                "manual": [
                    [code, unit, value, reason] for (code, unit), (value, reason) in inputs.manual.items()
                ],
                "claims": [
                    [code, unit, value, note] for (code, unit), (value, note) in inputs.claims.items()
                ],
                "counts": inputs.counts,
                "item_targets": [[code, unit, value] for (code, unit), value in inputs.item_targets.items()],
                "homes": inputs.homes,
            },
            "scores": [
                {
                    "unit": s.unit,
                    "total": s.total,
                    "rank": s.rank,
                    "grade": s.grade,
                    "tie": s.tie,
                    "jumped": s.jumped,
                }
                for s in scores
            ],
        }
    )


def digest_of(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest(group: Group, year: int, period: str, month: int) -> Ranking | None:
    return (
        Ranking.objects.filter(group=group, year=year, period=period, month=month)
        .order_by("-version")
        .first()
    )


def subject_of(score: Score) -> int:
    """Whom a published line is of: the person in a ranking of persons, else the unit."""
    return score.person_id or score.unit_id


def differences(old: Ranking, new: list[scoring.UnitScore]) -> list[dict[str, Any]]:
    """What a correction changed: each unit whose total, rank or grade differs, before and after."""
    before = {subject_of(s): s for s in old.scores.all()}
    out = []
    for s in new:
        was = before.get(s.unit)
        if was is None or (was.total, was.rank, was.grade) != (s.total, s.rank, s.grade):
            out.append(
                _plain(
                    {
                        "unit": s.unit,
                        "total": [was.total if was else None, s.total],
                        "rank": [was.rank if was else None, s.rank],
                        "grade": [was.grade if was else None, s.grade],
                    }
                )
            )
    return out


@transaction.atomic
def publish(
    group: Group, *, by: User | None, year: int, period: str, month: int, reason: str = ""
) -> Ranking:
    """Freeze the group's current scores as a published ranking: every input and result in the
    snapshot, its hash in the county's audit chain. Publishing again is a correction: a new version
    that names the one it replaces, what changed, and why."""
    county = group.scheme.county
    _require(by, county)
    Period(period)
    for_update(Unit.objects).filter(pk=county.pk).first()  # one publisher at a time
    previous = latest(group, year, period, month)
    if previous is not None and not reason.strip():
        raise ValidationError({"reason": _("Say why the published ranking is corrected.")})
    defn = scoring.definition(group)
    inputs = scoring.read_inputs(group, defn, year, period, month, with_records=True)
    scores = scoring.score(defn, inputs)
    snapshot = snapshot_of(defn, inputs, scores)
    of_persons = defn.subjects == Subjects.PERSONS
    if not of_persons:
        # 紅黑榜 of the month against 序時進度, frozen with the ranking (its notice, the bulletin)
        snapshot["red_black"] = consequences.red_black_json(
            *consequences.red_black(group, month, timezone.localdate())
        )
    ranking = Ranking.objects.create(
        scheme=group.scheme,
        group=group,
        year=year,
        period=period,
        month=month,
        version=previous.version + 1 if previous else 1,
        snapshot=snapshot,
        digest=digest_of(snapshot),
        replaces=previous,
        changes=differences(previous, scores) if previous else [],
        reason=reason.strip(),
        published_at=timezone.now(),
        published_by=by,
    )
    Score.objects.bulk_create(
        Score(
            ranking=ranking,
            unit_id=inputs.homes[s.unit] if of_persons else s.unit,
            person_id=s.unit if of_persons else None,
            total=s.total,
            rank=s.rank,
            grade=s.grade,
            points=[line_json(line) for line in s.lines],
        )
        for s in scores
    )
    audit.record(
        audit.Entry.Action.VERIFY if previous is None else audit.Entry.Action.UPDATE,
        ranking,
        by=by,
        unit=county,
        after={"digest": ranking.digest, "version": ranking.version, "changes": ranking.changes},
        note=reason.strip(),
    )
    return ranking


def recompute(ranking: Ranking) -> list[scoring.UnitScore]:
    """The scores a published ranking's own snapshot gives again (its inputs, its rules)."""
    snap = ranking.snapshot
    d = snap["definition"]
    defn = scoring.Definition(
        group=d["group"],
        items=tuple(
            scoring.ItemDef(
                **{**i, "max_points": Decimal(i["max_points"]), "kinds": tuple(i.get("kinds", ()))}
            )
            for i in d["items"]
        ),
        tie_item=d["tie_item"],
        grades=tuple((name, Decimal(least)) for name, least in d["grades"]),
        jumps=tuple(
            scoring.JumpDef(
                j["name"], j["kind"], Decimal(j["threshold"]), j["steps"], tuple(j.get("kinds", ()))
            )
            for j in d["jumps"]
        ),
        subjects=d.get("subjects", Subjects.UNITS),
    )
    raw = snap["inputs"]
    inputs = scoring.Inputs(
        units=raw["units"],
        figures={int(u): {k: Decimal(v) for k, v in f.items()} for u, f in raw["figures"].items()},
        targets={int(u): {int(i): Decimal(v) for i, v in t.items()} for u, t in raw["targets"].items()},
        manual={(code, unit): (Decimal(value), reason) for code, unit, value, reason in raw["manual"]},
        claims={(code, unit): (Decimal(value), note) for code, unit, value, note in raw.get("claims", [])},
        counts={int(u): {k: Decimal(v) for k, v in c.items()} for u, c in raw.get("counts", {}).items()},
        item_targets={(code, unit): Decimal(value) for code, unit, value in raw.get("item_targets", [])},
        homes={int(p): unit for p, unit in raw.get("homes", {}).items()},
    )
    return scoring.score(defn, inputs)


STANDARD_GROUPS = (
    ("乡镇（街道）", ["township"]),
    ("县直部门", ["department", "resident_office"]),
    ("园区", ["park"]),
)


@transaction.atomic
def start_scheme(*, by: User | None, county: Unit, year: int, name: str) -> Scheme:
    """A new scheme with the usual groups (townships; departments and resident offices; parks),
    ready for its items; copying last year's (``copy_scheme``) is the usual start instead."""
    scheme = create_scheme(by=by, county=county, year=year, name=name)
    for order, (group_name, kinds) in enumerate(STANDARD_GROUPS):
        Group.objects.create(scheme=scheme, name=group_name, unit_kinds=kinds, sort_order=order)
    return scheme
