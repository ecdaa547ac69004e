"""Every write to inspections: record an inspection with its rectification items, report a
rectification (the owner unit's own people), verify it or return it (inspector or bureau). Each is
one transaction with its audit entry; the light of an item comes from ``core.deadlines.light``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.coordination.services import county_of
from zhaoshang.core import tree
from zhaoshang.core.actors import actor_name
from zhaoshang.core.dates import date_problem
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import acts_for, user_can
from zhaoshang.core.text import blank_errors
from zhaoshang.core.uploads import check_attachment
from zhaoshang.inspections.choices import ItemStatus
from zhaoshang.inspections.models import Inspection, RectificationItem
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


@dataclass(frozen=True)
class ItemData:
    description: str
    owner_unit: Unit
    deadline: dt.date


def _check_item(inspection: Inspection, data: ItemData, field: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    county = county_of(inspection.unit)
    if not data.description.strip():
        errors[f"{field}description"] = _("This field is required.")
    if not tree.is_within(data.owner_unit.path, county.path):
        errors[f"{field}owner_unit"] = _("The owner unit must be a unit of %(county)s.") % {"county": county}
    if data.deadline < inspection.inspected_on:
        errors[f"{field}deadline"] = _("The deadline cannot be before the inspection.")
    elif problem := date_problem(data.deadline):
        errors[f"{field}deadline"] = problem
    return errors


@transaction.atomic
def create_inspection(
    *,
    by: User | None,
    unit: Unit,
    year: int,
    quarter: int,
    inspected_on: dt.date,
    inspectors: str,
    findings: str,
    project: Project | None = None,
    items: list[ItemData] | None = None,
) -> Inspection:
    """Record a quarterly inspection of ``unit`` (inspectors and the bureau)."""
    if by is not None and not user_can(by, Action.CREATE, unit, on=ObjectType.INSPECTION):
        raise OutOfScope(_("You may not record inspections of %(unit)s.") % {"unit": unit})
    errors: dict[str, str] = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("The quarter is 1, 2, 3 or 4.")
    elif problem := date_problem(inspected_on):
        errors["inspected_on"] = problem
    elif inspected_on.year != year or (inspected_on.month - 1) // 3 + 1 != quarter:
        errors["inspected_on"] = _("The date of the inspection must fall in its year and quarter.")
    if inspected_on > timezone.localdate():
        errors["inspected_on"] = _("The date cannot be in the future.")
    errors.update(blank_errors(inspectors=inspectors, findings=findings))
    if project is not None and not tree.is_within(project.unit.path, unit.path):
        errors["project"] = _("The project must belong to the inspected unit.")
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        unit=unit,
        year=year,
        quarter=quarter,
        inspected_on=inspected_on,
        inspectors=inspectors.strip(),
        findings=findings.strip(),
        project=project,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(audit.Entry.Action.CREATE, inspection, by=by, unit=unit, after=audit.snapshot(inspection))
    for index, item in enumerate(items or []):
        _add(inspection, item, by=by, field=f"items.{index}.")
    return inspection


def _add(inspection: Inspection, data: ItemData, *, by: User | None, field: str = "") -> RectificationItem:
    errors = _check_item(inspection, data, field)
    if errors:
        raise ValidationError(errors)
    item = RectificationItem.objects.create(
        inspection=inspection,
        description=data.description.strip(),
        owner_unit=data.owner_unit,
        deadline=data.deadline,
    )
    audit.record(audit.Entry.Action.CREATE, item, by=by, unit=inspection.unit, after=audit.snapshot(item))
    return item


@transaction.atomic
def add_item(
    inspection: Inspection, *, by: User, description: str, owner_unit: Unit, deadline: dt.date
) -> RectificationItem:
    """A further rectification item of an inspection."""
    inspection = for_update(Inspection.objects).get(pk=inspection.pk)
    if by is not None and not user_can(by, Action.CREATE, inspection.unit, on=ObjectType.INSPECTION):
        raise OutOfScope(_("Only inspectors and the bureau add rectification items."))
    return _add(inspection, ItemData(description, owner_unit, deadline), by=by)


def _lock(item: RectificationItem) -> RectificationItem:
    return (
        for_update(RectificationItem.objects).select_related("inspection__unit", "owner_unit").get(pk=item.pk)
    )


def _refuse(item: RectificationItem, wanted: str, message: str) -> None:
    if item.status != wanted:
        raise ValidationError(message % {"status": item.get_status_display()})


def _save(
    item: RectificationItem, before: dict[str, Any], *, by: User | None, note: str
) -> RectificationItem:
    return audit.save_change(item, before, by=by, unit=item.inspection.unit, note=note)


@transaction.atomic
def report_rectification(
    item: RectificationItem, *, by: User | None, evidence: str, file: Any = None, on: dt.date | None = None
) -> RectificationItem:
    """The owner unit reports the item put right, with what was done and evidence."""
    item = _lock(item)
    if by is not None and not acts_for(by, Action.EDIT, item.owner_unit, on=ObjectType.INSPECTION):
        raise OutOfScope(_("Only the owner unit reports the rectification."))
    _refuse(item, ItemStatus.OPEN, _("This item is %(status)s: only an open item can be reported rectified."))
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what was done.")})
    check_attachment(file)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    before = audit.snapshot(item)
    item.status = ItemStatus.RECTIFIED
    item.evidence = evidence.strip()
    item.rectified_on = on
    item.return_note = ""
    if file is not None:
        item.evidence_file = file
    return _save(item, before, by=by, note="rectified")


def _require_verifier(by: User | None, item: RectificationItem) -> None:
    if by is not None and not user_can(by, Action.VERIFY, item.inspection.unit, on=ObjectType.INSPECTION):
        raise OutOfScope(_("Only inspectors and the bureau verify rectifications."))


@transaction.atomic
def verify_rectification(item: RectificationItem, *, by: User | None) -> RectificationItem:
    item = _lock(item)
    _require_verifier(by, item)
    _refuse(item, ItemStatus.RECTIFIED, _("This item is %(status)s: only a rectified item can be verified."))
    before = audit.snapshot(item)
    item.status = ItemStatus.VERIFIED
    item.verified_on = timezone.localdate()
    item.verified_by_name = actor_name(by)
    return _save(item, before, by=by, note="verified")


@transaction.atomic
def return_rectification(item: RectificationItem, *, by: User, reason: str) -> RectificationItem:
    """Not put right after all: back to the owner unit, the deadline unchanged."""
    item = _lock(item)
    _require_verifier(by, item)
    _refuse(item, ItemStatus.RECTIFIED, _("This item is %(status)s: only a rectified item can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the rectification is returned.")})
    before = audit.snapshot(item)
    item.status = ItemStatus.OPEN
    item.rectified_on = None
    item.return_note = reason.strip()[:500]
    return _save(item, before, by=by, note="returned")


def overdue_items(queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Open items past their deadline (red), oldest deadline first."""
    today = today or timezone.localdate()
    return queryset.filter(status=ItemStatus.OPEN, deadline__lt=today).order_by("deadline", "id")
