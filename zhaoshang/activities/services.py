"""Every write to promotion activities: record, change, delete, and the steps of an inquiry's
response clock. Each runs in one transaction, checks the user's scope, records the audit trail and
brings the ledger in line (visits received and outbound trips count toward targets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.activities.choices import KIND_FIELDS, ActivityKind, Step
from zhaoshang.activities.models import Activity, InquiryStep
from zhaoshang.audit import services as audit
from zhaoshang.core.actors import actor_name
from zhaoshang.core.deadlines import Light, add_working_days, light
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.investors.models import Investor
from zhaoshang.ledger import services as ledger
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

COMMON_FIELDS = ("kind", "unit", "title", "starts_on", "ends_on", "notes", "office")
KIND_ONLY = sorted({f for fields in KIND_FIELDS.values() for f in fields})
ACTIVITY_FIELDS = (*COMMON_FIELDS, *KIND_ONLY)


def check_unit(by: User | None, unit: Unit, action: str) -> None:
    if by is not None and not user_can(by, action, unit, on=ObjectType.ACTIVITY):
        raise OutOfScope(_("You may not record activities for %(unit)s.") % {"unit": unit})


def activity_snapshot(activity: Activity) -> dict[str, Any]:
    data = audit.snapshot(activity, exclude=("created_at", "updated_at", "created_by"))
    data["investors"] = sorted(activity.investors.values_list("pk", flat=True))
    data["projects"] = sorted(activity.projects.values_list("pk", flat=True))
    return data


def _apply(activity: Activity, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in ACTIVITY_FIELDS:
            raise ValueError(f"{name} is not an activity field that can be set")
        setattr(activity, name, value)
    # Fields of other kinds are cleared, so that a kind never carries another kind's figures.
    used = set(KIND_FIELDS.get(activity.kind, ()))
    for name in KIND_ONLY:
        if name not in used:
            field = Activity._meta.get_field(name)
            setattr(activity, name, None if field.null else "")


def _check(activity: Activity) -> None:
    activity.full_clean(exclude=["office"], validate_unique=False)
    if activity.ends_on and activity.ends_on < activity.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    if activity.kind == ActivityKind.VISIT and not activity.people:
        raise ValidationError({"people": _("Give the number of people received.")})
    counted = activity.kind in (ActivityKind.VISIT, ActivityKind.TRIP)
    if counted and activity.starts_on > timezone.localdate():
        # It would count in the ledger of a month that has not come.
        raise ValidationError({"starts_on": _("A visit or trip is recorded once it has taken place.")})
    if activity.office is not None and (
        activity.office.kind != ActivityKind.OFFICE or activity.office.pk == activity.pk
    ):
        raise ValidationError({"office": _("Choose a resident office.")})


def _check_links(
    by: User | None, investors: Iterable[Investor] | None, projects: Iterable[Project] | None
) -> None:
    """Linked records must be ones the user may see."""
    if by is None:
        return
    if investors is not None:
        ids = {i.pk for i in investors}
        if Investor.objects.visible_to(by).filter(pk__in=ids).count() != len(ids):
            raise ValidationError({"investors": _("Unknown investor.")})
    if projects is not None:
        ids = {p.pk for p in projects}
        if Project.objects.visible_to(by).filter(pk__in=ids).count() != len(ids):
            raise ValidationError({"projects": _("Unknown project.")})


def _hidden(by: User, linked: Any, model: Any) -> list[Any]:
    """The linked records the user cannot see: they were not on the user's form, so they stay."""
    if by is None:
        return []
    return list(linked.exclude(pk__in=model.objects.visible_to(by).values("pk")))


@transaction.atomic
def create_activity(
    *,
    by: User | None,
    data: dict[str, Any],
    investors: Iterable[Investor] = (),
    projects: Iterable[Project] = (),
) -> Activity:
    """Record a promotion activity for a unit the user may record activities for."""
    investors, projects = list(investors), list(projects)
    activity = Activity(created_by=by if getattr(by, "is_authenticated", False) else None)
    _apply(activity, data)
    check_unit(by, activity.unit, Action.CREATE)
    _check(activity)
    _check_links(by, investors, projects)
    activity.save()
    activity.investors.set(investors)
    activity.projects.set(projects)
    audit.record(
        audit.Entry.Action.CREATE, activity, by=by, unit=activity.unit, after=activity_snapshot(activity)
    )
    ledger.sync_activity(activity)
    return activity


@transaction.atomic
def update_activity(
    activity: Activity,
    *,
    by: User,
    data: dict[str, Any],
    investors: Iterable[Investor] | None = None,
    projects: Iterable[Project] | None = None,
) -> Activity:
    """Change an activity; the ledger follows (a visit's number of people, a trip's month)."""
    activity = for_update(Activity.objects).get(pk=activity.pk)
    check_unit(by, activity.unit, Action.EDIT)
    before = activity_snapshot(activity)
    investors = list(investors) if investors is not None else None
    projects = list(projects) if projects is not None else None
    _apply(activity, data)
    check_unit(by, activity.unit, Action.EDIT)
    _check(activity)
    # Links the user cannot see (another unit's project) stay as they are; only the ones sent change.
    _check_links(by, investors, projects)
    activity.save()
    if investors is not None:
        activity.investors.set([*investors, *_hidden(by, activity.investors.all(), Investor)])
    if projects is not None:
        activity.projects.set([*projects, *_hidden(by, activity.projects.all(), Project)])
    after = activity_snapshot(activity)
    if after != before:
        audit.record(
            audit.Entry.Action.UPDATE, activity, by=by, unit=activity.unit, before=before, after=after
        )
    ledger.sync_activity(activity)
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, by: User) -> None:
    """Delete an activity; what it counted in the ledger is taken back by further events."""
    activity = for_update(Activity.objects).get(pk=activity.pk)
    check_unit(by, activity.unit, Action.DELETE)
    ledger.sync_activity(activity, removed=True)
    audit.record(
        audit.Entry.Action.DELETE, activity, by=by, unit=activity.unit, before=activity_snapshot(activity)
    )
    activity.delete()


# --- the inquiry response clock ------------------------------------------------------------------


def step_days() -> dict[str, int]:
    return {
        Step.RESPONSE: settings.INQUIRY_RESPONSE_DAYS,
        Step.ASSESSMENT: settings.INQUIRY_ASSESSMENT_DAYS,
        Step.FEEDBACK: settings.INQUIRY_FEEDBACK_DAYS,
    }


def clock(activity: Activity, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Each step of an inquiry: its deadline in working days from receipt, when and by whom it was
    done, and its light (core/deadlines.py)."""
    done = {s.step: s for s in activity.steps.all()}
    received = activity.received_on
    rows = []
    for step, days in step_days().items():
        deadline = add_working_days(received, days)
        record = done.get(step)
        rows.append(
            {
                "step": step,
                "label": Step(step).label,
                "deadline": deadline,
                "done": record,
                "light": light(deadline, done_on=record.done_on if record else None, today=today),
            }
        )
    return rows


def is_overdue(activity: Activity, today: dt.date | None = None) -> bool:
    return any(row["light"] == Light.RED for row in clock(activity, today))


@transaction.atomic
def record_step(
    activity: Activity, step: str, *, by: User | None, on: dt.date | None = None, note: str = ""
) -> InquiryStep:
    """Mark a step of an inquiry done. Steps are done in order, once each, never in the future."""
    activity = for_update(Activity.objects).get(pk=activity.pk)
    check_unit(by, activity.unit, Action.EDIT)
    if activity.kind != ActivityKind.INQUIRY:
        raise ValidationError(_("Only inquiries have a response clock."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"done_on": _("A step cannot be dated in the future.")})
    if on < activity.received_on:
        raise ValidationError({"done_on": _("A step cannot be done before the inquiry was received.")})
    order = list(Step.values)
    if step not in order:
        raise ValidationError({"step": _("Unknown step.")})
    done = set(activity.steps.values_list("step", flat=True))
    if step in done:
        raise ValidationError({"step": _("This step is already recorded.")})
    missing = [s for s in order[: order.index(step)] if s not in done]
    if missing:
        raise ValidationError({"step": _("Record %(step)s first.") % {"step": Step(missing[0]).label}})
    record = InquiryStep.objects.create(
        activity=activity,
        step=step,
        done_on=on,
        done_by=by if getattr(by, "is_authenticated", False) else None,
        done_by_name=actor_name(by),
        note=note,
    )
    audit.record(
        audit.Entry.Action.UPDATE,
        activity,
        by=by,
        unit=activity.unit,
        after={"steps": f"{Step(step).label} {on.isoformat()}"},
        note=note,
    )
    return record
