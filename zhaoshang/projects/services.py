"""Rules of the project ledger: creation, edits, credit shares and the stage machine.

Pages, the JSON API, the Excel import and commands all write projects through these functions,
so each rule lives here once. Every function runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.actors import actor_name
from zhaoshang.core.errors import OutOfScope, StaleWrite, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.core.uploads import check_attachment
from zhaoshang.investors.models import Investor
from zhaoshang.ledger import services as ledger
from zhaoshang.projects import codes, stages
from zhaoshang.projects.choices import (
    REACHABLE,
    SECTION_SECTOR,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    ApprovalKind,
    Introducer,
    Sector,
    Stage,
    stage_path,
)
from zhaoshang.projects.models import Approval, Attachment, CreditShare, Project, StageChange, Steward
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

HUNDRED = Decimal(100)

# Fields a caller may set through create_project / update_project. Stage dates are included so a
# ledger kept on paper can be entered as it stands; the stage itself moves only by change_stage.
PROJECT_FIELDS = (
    "name",
    "description",
    "sector",
    "industry_section",
    "unit",
    "park",
    "location",
    "currency",
    "total_investment",
    "contracted_amount",
    "land_mu",
    "construction_area",
    "expected_output",
    "expected_profit_tax",
    "jobs",
    "first_contact_on",
    "contacted_on",
    "intent_on",
    "signed_on",
    "planned_start_on",
    "started_on",
    "completed_on",
    "operating_on",
    "dropped_on",
    "drop_reason",
    "remarks",
    "exclusion",
    "exclusion_note",
    "capital_increase",
    "longitude",
    "latitude",
    "phase_of",
    "phase",
    "introducer_type",
    "introducer_investor",
    "introducer_name",
    "is_key",
)
# Whether a project counts at all: the bureau's decision (the right to verify), not the operator's.
# A later phase counts as a capital increase does (not a new project): the bureau links it.
COUNTING_FIELDS = ("exclusion", "exclusion_note", "capital_increase", "phase_of")
# The dates among them, read from the model: a date picker on the form, YYYY-MM-DD in an import.
DATE_FIELDS = tuple(f for f in PROJECT_FIELDS if isinstance(Project._meta.get_field(f), models.DateField))

# Fields the services set themselves, never from input: full_clean need not check them.
NOT_INPUT = ("code", "investors", "version", "reached_stage", "stage_changed_on", "created_at", "updated_at")

# Stages at or after which each date must be known.
_REACHED: dict[str, set[str]] = {
    "intent_on": {Stage.INTENT},
    "signed_on": {Stage.SIGNED, Stage.STARTED, Stage.COMPLETED, Stage.OPERATING},
    "started_on": {Stage.STARTED, Stage.COMPLETED, Stage.OPERATING},
    "completed_on": {Stage.COMPLETED, Stage.OPERATING},
    "operating_on": {Stage.OPERATING},
    "dropped_on": {Stage.DROPPED},
}
_STAGE_OF_DATE = {field: stage for stage, field in STAGE_DATE_FIELD.items() if stage != Stage.DROPPED}
_DATE_ORDER = (
    "first_contact_on",
    "contacted_on",
    "intent_on",
    "signed_on",
    "started_on",
    "completed_on",
    "operating_on",
)


@dataclass(frozen=True)
class StewardData:
    name: str
    position: str = ""
    phone: str = ""


# --- validation -----------------------------------------------------------------------------


def _verbose_name(name: str) -> Any:
    """The label of one of the project's own fields."""
    field = Project._meta.get_field(name)
    assert isinstance(field, models.Field)  # not a relation's reverse side
    return field.verbose_name


def stage_errors(project: Project, today: dt.date | None = None) -> dict[str, str]:
    """What a project at its stage is missing, or dates out of order; empty when consistent.
    ``today`` is the local date, given by a caller that checks many projects at once."""
    errors: dict[str, str] = {}
    for field, required_at in _REACHED.items():
        if project.stage in required_at and getattr(project, field) is None:
            label = _verbose_name(field)
            errors[field] = _("%(field)s is required at stage %(stage)s.") % {
                "field": label,
                "stage": Stage(project.stage).label,
            }
    # A date of a stage the project has not reached would count it (signed, started …) without the
    # stage machine; a dropped project keeps the dates of the stages it had reached.
    if project.stage != Stage.DROPPED:
        reached = set(STAGE_ORDER[: STAGE_ORDER.index(project.stage) + 1])
        for field, stage in _STAGE_OF_DATE.items():
            if stage not in reached and getattr(project, field) is not None and field not in errors:
                errors[field] = _("%(field)s can only be given once the project is %(stage)s.") % {
                    "field": _verbose_name(field),
                    "stage": Stage(stage).label,
                }
    if project.stage in _REACHED["signed_on"] and project.contracted_amount is None:
        errors["contracted_amount"] = _("A signed project needs its contracted amount.")
    if project.stage == Stage.DROPPED and not project.drop_reason:
        errors["drop_reason"] = _("Give the reason why the project was dropped.")
    known = [(f, getattr(project, f)) for f in _DATE_ORDER if getattr(project, f) is not None]
    for (early_field, early), (late_field, late) in itertools.pairwise(known):
        if late < early and late_field not in errors:
            errors[late_field] = _("%(late)s cannot be earlier than %(early)s.") % {
                "late": _verbose_name(late_field),
                "early": _verbose_name(early_field),
            }
    today = today or timezone.localdate()
    for field in (*_DATE_ORDER, "dropped_on"):
        value = getattr(project, field)
        if value is not None and value > today and field not in errors:
            errors[field] = _("%(field)s cannot be in the future.") % {"field": _verbose_name(field)}
    return errors


def check_project(project: Project, resolved: Sequence[str] = (), today: dt.date | None = None) -> None:
    """Field-level validation and the stage rules; raises one ValidationError with all problems.
    ``resolved`` names fields the caller has checked itself: foreign keys it took from the database
    (a bulk import's units), whose existence need not be queried again, and values it checked once
    for many projects (``checked_once``); ``today`` is as for ``stage_errors``."""
    errors: dict[str, Any] = {}
    try:
        project.full_clean(exclude=[*NOT_INPUT, *resolved], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if project.sector and project.industry_section:
        expected = SECTION_SECTOR[project.industry_section]
        if expected != project.sector:
            errors["sector"] = _("Industry section %(section)s belongs to the %(sector)s.") % {
                "section": project.industry_section,
                "sector": Sector(expected).label,
            }
    if project.park_id and project.park and project.park.kind != UnitKind.PARK:
        errors["park"] = _("Choose a park committee as the park.")
    errors.update(phase_errors(project))
    if project.introducer_investor_id and project.introducer_type != Introducer.INVESTOR:
        errors["introducer_investor"] = _(
            "An introducing investor is given only when an investor introduced it."
        )
    for field, message in stage_errors(project, today).items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)


def phase_errors(project: Project) -> dict[str, str]:
    """A later phase names an earlier project (not itself, nor one of its own later phases)."""
    if project.phase_of_id is None:
        return {"phase": _("Give the earlier phase first.")} if project.phase else {}
    earlier: Project | None = project.phase_of
    seen = set()
    while earlier is not None and earlier.pk not in seen:
        if project.pk is not None and earlier.pk == project.pk:
            return {"phase_of": _("A project cannot be a later phase of itself.")}
        seen.add(earlier.pk)
        earlier = earlier.phase_of
    return {}


def checked_once(blank: Project) -> frozenset[str]:
    """The fields whose values in ``blank`` pass their field checks, so that projects copied from it
    need not check them again while they keep those values (a bulk import's rows set a few fields
    each). Sound because each field's check depends on its own value alone; the fields a check
    constraint ties together (the coordinates) are left out, and the set is empty, so that every row
    checks everything, if Project ever gains a ``clean`` or a constraint of another kind."""
    if type(blank).clean is not models.Model.clean:
        return frozenset()
    tied: set[str] = set()
    for constraint in blank._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            return frozenset()
        tied |= _fields_of(constraint.condition)
    names = {f.name for f in blank._meta.fields} - set(NOT_INPUT) - tied
    try:
        blank.clean_fields(exclude=NOT_INPUT)
    except ValidationError as exc:
        names -= set(exc.message_dict)
    return frozenset(names)


def _fields_of(condition: Any) -> set[str]:
    """The field names a check constraint's condition reads (``longitude__isnull`` → longitude)."""
    names: set[str] = set()
    for child in getattr(condition, "children", []):
        if isinstance(child, tuple):
            names.add(child[0].split("__")[0])
        else:
            names |= _fields_of(child)
    return names


def credit_area(unit: Unit) -> Unit:
    """The unit whose subtree may be credited with a project located at ``unit``: its county (or
    the nearest government above it), since departments of the county often introduce projects
    that land in a township."""
    for ancestor in Unit.objects.ancestors_of(unit).order_by("-depth"):
        if ancestor.kind in (UnitKind.COUNTY, UnitKind.CITY, UnitKind.PROVINCE, UnitKind.NATION):
            return ancestor
    return unit


def check_credits(
    project: Project, credits: Sequence[tuple[Unit, Decimal]], area: Unit | None = None
) -> None:
    """Shares must be positive, name each unit once, stay within the county and sum to 100.
    ``area`` is ``credit_area(project.unit)`` when the caller already has it (a bulk import)."""
    if not credits:
        raise ValidationError({"credits": _("Credit the project to at least one unit.")})
    units = [u.pk for u, _share in credits]
    if len(set(units)) != len(units):
        raise ValidationError({"credits": _("Each unit can be credited only once.")})
    area = area or credit_area(project.unit)
    for unit, share in credits:
        if not unit.is_within(area):
            raise ValidationError(
                {
                    "credits": _("%(unit)s is outside %(area)s and cannot be credited.")
                    % {"unit": unit, "area": area}
                }
            )
        if share <= 0 or share > HUNDRED:
            raise ValidationError({"credits": _("Each share must be more than 0 and at most 100.")})
    total = sum((share for _unit, share in credits), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            {"credits": _("Credit shares must sum to 100%%; they sum to %(total)s%%.") % {"total": total}}
        )


def _check_unit(by: User | None, unit: Unit, action: str) -> None:
    if by is not None and not user_can(by, action, unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not record projects for %(unit)s.") % {"unit": unit})


# --- writes ---------------------------------------------------------------------------------


# Fields the audit trail does not keep: stamps, and what is derived from the stage history (whose
# rows are the record of the moves).
NOT_AUDITED = ("created_at", "updated_at", "version", "reached_stage", "stage_changed_on")


def project_snapshot(project: Project) -> dict[str, Any]:
    """What the audit trail keeps of a project: its fields and its investors, credits and stewards."""
    data = audit.snapshot(project, exclude=NOT_AUDITED)
    data["investors"] = sorted(project.investors.values_list("pk", flat=True))
    data["credits"] = {
        str(u): str(s) for u, s in project.credits.order_by("unit_id").values_list("unit_id", "share")
    }
    data["stewards"] = list(project.stewards.order_by("pk").values_list("name", "position", "phone"))
    return data


def _apply(project: Project, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in PROJECT_FIELDS:
            raise ValueError(f"{name} is not a project field that can be set")
        setattr(project, name, value)
    if project.industry_section and not project.sector:
        project.sector = SECTION_SECTOR[project.industry_section]


def _save_relations(
    project: Project,
    investors: Iterable[Investor] | None,
    credits: Sequence[tuple[Unit, Decimal]] | None,
    stewards: Sequence[StewardData] | None,
    by: User | None = None,
) -> None:
    if investors is not None:
        sent = list(investors)
        if by is not None:
            # Links to investors the editor cannot see were not on their form: they stay.
            hidden = project.investors.exclude(pk__in=Investor.objects.visible_to(by).values("pk"))
            sent += list(hidden)
        project.investors.set(sent)
    if credits is not None:
        check_credits(project, credits)
        CreditShare.objects.filter(project=project).delete()
        CreditShare.objects.bulk_create(
            [
                CreditShare(project=project, unit=u, share=share, project_unit_id=project.unit_id)
                for u, share in credits
            ]
        )
    if stewards is not None:
        Steward.objects.filter(project=project).delete()
        Steward.objects.bulk_create(
            [Steward(project=project, name=s.name, position=s.position, phone=s.phone) for s in stewards]
        )


@transaction.atomic
def create_project(
    *,
    by: User | None,
    data: dict[str, Any],
    stage: str = Stage.LEAD,
    code: str = "",
    investors: Iterable[Investor] = (),
    credits: Sequence[tuple[Unit, Decimal]] | None = None,
    stewards: Sequence[StewardData] = (),
    note: str = "",
) -> Project:
    """Record a new project. Without explicit credits, its own unit is credited with 100%."""
    project = Project(stage=stage, created_by=by if by is not None else None)
    _check_counting(by, project, data)
    _check_links(by, data)
    _apply(project, data)
    _check_unit(by, project.unit, Action.CREATE)
    check_project(project)
    if code and Project.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Project code %(code)s is already used.") % {"code": code}})
    if code:
        codes.note_explicit(code)
    project.code = code or codes.next_codes(timezone.localdate().year, units=[project.unit])[0]
    recorded_on = stage_date(project) or timezone.localdate()
    stages.note_move(project, stage, recorded_on)
    project.save()
    _save_relations(project, investors, credits or [(project.unit, HUNDRED)], stewards)
    StageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=stage,
        changed_on=recorded_on,
        changed_by=by,
        changed_by_name=actor_name(by),
        note=note or _("Project recorded"),
    )
    audit.record(
        audit.Entry.Action.CREATE, project, by=by, unit=project.unit, after=project_snapshot(project)
    )
    ledger.sync(project)
    return project


@transaction.atomic
def update_project(
    project: Project,
    *,
    by: User,
    data: dict[str, Any],
    investors: Iterable[Investor] | None = None,
    credits: Sequence[tuple[Unit, Decimal]] | None = None,
    stewards: Sequence[StewardData] | None = None,
    expected_version: int | None = None,
) -> Project:
    """Change a project's fields. Moving it to another unit needs the right to edit there too.

    ``expected_version`` is the version the user's form or API call was based on; when the project
    changed since, the save is refused (StaleWrite) instead of silently overwriting the other change.
    """
    project = for_update(Project.objects).get(pk=project.pk)
    _check_unit(by, project.unit, Action.EDIT)
    check_version(project, expected_version)
    before = project_snapshot(project)
    unit_before = project.unit_id
    _check_counting(by, project, data)
    _check_links(by, data)
    _apply(project, data)
    _check_unit(by, project.unit, Action.EDIT)
    check_project(project)
    project.save()
    if credits is None and "unit" in data:
        kept = [(c.unit, c.share) for c in project.credits.select_related("unit")]
        area = credit_area(project.unit)
        if not kept or any(not unit.is_within(area) for unit, _share in kept):
            credits = [(project.unit, HUNDRED)]  # moved to another county: its old credits cannot follow
        elif project.unit_id != unit_before:
            credits = kept  # written again: their ``project_unit`` changed
    _save_relations(project, investors, credits, stewards, by=by)
    after = project_snapshot(project)
    if after != before:
        project.version += 1
        project.save(update_fields=["version"])
        audit.record(audit.Entry.Action.UPDATE, project, by=by, unit=project.unit, before=before, after=after)
        ledger.sync(project)
    return project


def may_decide_counting(user: User, project: Project) -> bool:
    """Whether the user may verify the project's figures (a new project: somewhere at all)."""
    if project.pk is None:
        return Unit.objects.where(user, Action.VERIFY, on=ObjectType.PROJECT).exists()
    return Project.objects.visible_to(user, Action.VERIFY).filter(pk=project.pk).exists()


def _check_links(by: User | None, data: dict[str, Any]) -> None:
    """The earlier phase and the introducing investor must be records the user may see."""
    if by is None:
        return
    phase_of, investor = data.get("phase_of"), data.get("introducer_investor")
    if phase_of is not None and not Project.objects.visible_to(by).filter(pk=phase_of.pk).exists():
        raise ValidationError({"phase_of": _("Choose an earlier phase you may see.")})
    if investor is not None and not Investor.objects.visible_to(by).filter(pk=investor.pk).exists():
        raise ValidationError({"introducer_investor": _("Choose an investor you may see.")})


def _check_counting(by: User | None, project: Project, data: dict[str, Any]) -> None:
    """Only a user who may verify the project's figures decides whether it counts (不予認定, 增資)."""
    changed = [f for f in COUNTING_FIELDS if f in data and data[f] != getattr(project, f)]
    if by is None or not changed:
        return
    if not may_decide_counting(by, project):
        raise ValidationError(dict.fromkeys(changed, _("Only the bureau decides whether a project counts.")))


def stage_date(project: Project) -> dt.date | None:
    """The date the project reached its current stage, where one is known."""
    field = STAGE_DATE_FIELD.get(project.stage, "first_contact_on")
    return getattr(project, field) or project.first_contact_on


def check_version(project: Project, expected_version: int | None) -> None:
    """Refuse a write based on an older version of the project (a lost update)."""
    if expected_version is None or expected_version == project.version:
        return
    last = audit.history(project)[:1]
    who = last[0][0] if last else None
    raise StaleWrite(
        _(
            "%(user)s changed this project at %(time)s after you opened it. Your changes were not saved: "
            "reload the project to see the other change, then make yours again."
        )
        % {
            "user": who.user_name if who else _("someone"),
            "time": timezone.localtime(who.at).strftime("%Y-%m-%d %H:%M") if who else "",
        },
        current_version=project.version,
    )


def allowed_transitions(project: Project) -> list[str]:
    """Stages the project may be moved to, in pipeline order: any later stage in one step."""
    targets = REACHABLE[project.stage]
    return [s.value for s in Stage if s in targets]


@transaction.atomic
def change_stage(
    project: Project,
    to_stage: str,
    *,
    by: User,
    on: dt.date,
    note: str = "",
    drop_reason: str = "",
    contracted_amount: Decimal | None = None,
    expected_version: int | None = None,
) -> Project:
    """Move a project through the stage machine, stamping the stage's date and recording the move.
    A later stage more than one step away is reached through the stages between (``stage_path``),
    each stamped and recorded on the same day, in one audit entry."""
    project = for_update(Project.objects).get(pk=project.pk)
    _check_unit(by, project.unit, Action.CHANGE_STAGE)
    check_version(project, expected_version)
    if to_stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage %(stage)s.") % {"stage": to_stage}})
    from_stage = project.stage
    before = project_snapshot(project)
    path = stage_path(from_stage, to_stage)
    if not path:
        raise ValidationError(
            {
                "stage": _("A project cannot move from %(from)s to %(to)s.")
                % {"from": Stage(from_stage).label, "to": Stage(to_stage).label}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date of a stage change cannot be in the future.")})
    last = stage_date(project)
    if last is not None and on < last:
        raise ValidationError(
            {
                "on": _("The date cannot be earlier than the date of the current stage (%(date)s).")
                % {"date": last.isoformat()}
            }
        )
    if from_stage == Stage.DROPPED:  # taken up again in talks: what it had reached before is void
        project.dropped_on = None
        project.drop_reason = ""
        for field in _STAGE_OF_DATE:
            setattr(project, field, None)
    for stage in path:
        if stage in STAGE_DATE_FIELD:
            setattr(project, STAGE_DATE_FIELD[stage], on)
        stages.note_move(project, stage, on)
    project.stage = to_stage
    if to_stage == Stage.DROPPED:
        project.drop_reason = drop_reason.strip()
    if contracted_amount is not None:
        project.contracted_amount = contracted_amount
    check_project(project)
    project.version += 1
    project.save()
    passed = _("Passed on the way to %(stage)s") % {"stage": Stage(to_stage).label}
    StageChange.objects.bulk_create(
        StageChange(
            project=project,
            from_stage=step_from,
            to_stage=step,
            changed_on=on,
            changed_by=by,
            changed_by_name=actor_name(by),
            note=note if step == to_stage else passed,
        )
        for step_from, step in zip([from_stage, *path], path, strict=False)
    )
    after = project_snapshot(project)
    audit.record(
        audit.Entry.Action.STAGE, project, by=by, unit=project.unit, before=before, after=after, note=note
    )
    ledger.sync(project)
    return project


@transaction.atomic
def set_approval(
    project: Project, kind: str, *, by: User | None, done: bool, done_on: dt.date | None, reference: str = ""
) -> Approval:
    """Tick or untick one item of the approvals checklist."""
    project = for_update(Project.objects).get(pk=project.pk)  # scope read on the locked row
    _check_unit(by, project.unit, Action.EDIT)
    if kind not in ApprovalKind.values:
        raise ValidationError({"kind": _("Unknown approval %(kind)s.") % {"kind": kind}})
    if done and done_on is None:
        raise ValidationError({"done_on": _("Give the date the approval was obtained.")})
    existing = Approval.objects.filter(project=project, kind=kind).first()
    before = audit.snapshot(existing, exclude=("id",)) if existing else None
    approval, _created = Approval.objects.update_or_create(
        project=project,
        kind=kind,
        defaults={"done": done, "done_on": done_on if done else None, "reference": reference},
    )
    after = audit.snapshot(approval, exclude=("id",))
    if after != before:
        action = audit.Entry.Action.UPDATE if existing else audit.Entry.Action.CREATE
        audit.record(action, approval, by=by, unit=project.unit, before=before, after=after)
    return approval


@transaction.atomic
def add_attachment(project: Project, *, by: User, kind: str, file: Any, title: str = "") -> Attachment:
    """Keep a contract, approval document or other file with the project."""
    project = for_update(Project.objects).get(pk=project.pk)  # scope read on the locked row
    _check_unit(by, project.unit, Action.EDIT)
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Unknown attachment kind %(kind)s.") % {"kind": kind}})
    check_attachment(file)
    attachment = Attachment.objects.create(
        project=project, kind=kind, file=file, title=title.strip() or file.name, uploaded_by=by
    )
    audit.record(
        audit.Entry.Action.CREATE, attachment, by=by, unit=project.unit, after=audit.snapshot(attachment)
    )
    return attachment
