"""Writes to the unit tree. Each keeps the materialized paths right in one transaction."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.units.choices import ALLOWED_PARENT_KINDS, ROOT_KINDS, UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

EDITABLE_FIELDS = ("kind", "name", "short_name", "code", "sort_order", "is_active")


def check_placement(kind: str, parent: Unit | None) -> None:
    """Refuse a unit whose kind may not sit under ``parent``."""
    allowed = ALLOWED_PARENT_KINDS[kind]
    kind_label = UnitKind(kind).label
    if allowed is None:
        if parent is not None:
            raise ValidationError({"parent": _("A %(kind)s has no parent unit.") % {"kind": kind_label}})
        return
    if parent is None:
        if kind in ROOT_KINDS:
            return
        raise ValidationError({"parent": _("A %(kind)s needs a parent unit.") % {"kind": kind_label}})
    if parent.kind not in allowed:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot be placed under a %(parent)s.")
                % {"kind": kind_label, "parent": UnitKind(parent.kind).label}
            }
        )


def _check_code_free(code: str, exclude_pk: int | None = None) -> None:
    qs = Unit.objects.filter(code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"code": _("Unit code %(code)s is already used.") % {"code": code}})


def _check_fields(unit: Unit) -> None:
    """Sizes and choices of the fields a person types, whatever the entry point (page, API, import:
    the import once stored a 300-character name in a field of 100)."""
    unit.clean_fields(exclude=[f.name for f in Unit._meta.fields if f.name not in EDITABLE_FIELDS])


def _require(by: User | None, parent: Unit | None) -> None:
    if by is None:
        return  # commands and the demo loader act as the system
    if parent is None or not user_can(by, Action.CONFIGURE, parent, on=ObjectType.UNIT):
        raise OutOfScope(_("You may not change units outside your own unit's subtree."))


@transaction.atomic
def create_unit(
    *, by: User | None, parent: Unit | None, kind: str, name: str, code: str, **extra: Any
) -> Unit:
    """Create a unit under ``parent``; ``by`` must be allowed to configure the parent's subtree."""
    _require(by, parent)
    check_placement(kind, parent)
    _check_code_free(code)
    unit = Unit(kind=kind, name=name, code=code, parent=parent, path=uuid.uuid4().hex, **extra)
    _check_fields(unit)
    unit.depth = 0 if parent is None else parent.depth + 1
    if unit.depth >= tree.MAX_DEPTH:
        raise ValidationError({"parent": _("The unit tree is too deep here.")})
    unit.save()
    unit.path = (parent.path if parent else "") + tree.segment(unit.pk)
    unit.save(update_fields=["path"])
    audit.record(audit.Entry.Action.CREATE, unit, by=by, unit=unit, after=audit.snapshot(unit))
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, by: User, parent: Unit | None, **fields: Any) -> Unit:
    """Change a unit's fields and, if ``parent`` differs, move its whole subtree."""
    unit = for_update(Unit.objects).get(pk=unit.pk)
    _require(by, unit.parent if unit.parent_id else None)
    before = audit.snapshot(unit)
    moved = False
    kind = fields.get("kind", unit.kind)
    check_placement(kind, parent)
    if kind != unit.kind:
        for child_kind in set(unit.children.values_list("kind", flat=True)):
            allowed = ALLOWED_PARENT_KINDS[child_kind] or set()
            if kind not in allowed:
                raise ValidationError(
                    {
                        "kind": _("Its subordinate %(child)s units cannot be placed under a %(kind)s.")
                        % {"child": UnitKind(child_kind).label, "kind": UnitKind(kind).label}
                    }
                )
    if "code" in fields:
        _check_code_free(fields["code"], exclude_pk=unit.pk)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not an editable unit field")
        setattr(unit, name, value)
    _check_fields(unit)
    if parent != unit.parent:
        _require(by, parent)
        if parent is not None and parent.is_within(unit):
            raise ValidationError({"parent": _("A unit cannot be moved under itself or its descendants.")})
        _move(unit, parent)
        moved = True
    unit.save()
    if moved or (before["kind"] != unit.kind and UnitKind.COUNTY in (before["kind"], unit.kind)):
        from zhaoshang.ledger.services import rebuild_totals

        rebuild_totals()  # the moved subtree now rolls up into other ancestors
    after = audit.snapshot(unit)
    if after != before:
        audit.record(audit.Entry.Action.UPDATE, unit, by=by, unit=unit, before=before, after=after)
    return unit


def _move(unit: Unit, parent: Unit | None) -> None:
    """Rewrite the path and depth of ``unit`` and every descendant in two statements."""
    old_path = unit.path
    new_path = (parent.path if parent else "") + tree.segment(unit.pk)
    depth_delta = (0 if parent is None else parent.depth + 1) - unit.depth
    descendants = Unit.objects.filter(tree.subtree_q(old_path, "path")).exclude(pk=unit.pk)
    descendants.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
        depth=F("depth") + depth_delta,
    )
    unit.parent = parent
    unit.path = new_path
    unit.depth += depth_delta
