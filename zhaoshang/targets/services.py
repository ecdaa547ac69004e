"""Rules of the yearly targets: setting them and carrying last year's forward.

Pages, the Excel import and commands all write targets through these functions. Each runs in one
transaction, checks that the user may configure targets at the unit, and writes an audit entry per
target it creates, changes or removes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.numbers import NumberError, exact_decimal
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.ledger.models import Indicator
from zhaoshang.targets.models import DECIMAL_PLACES, MAX_DIGITS, Target
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

FIRST_YEAR, LAST_YEAR = 1990, 2100
NOTE_LENGTH = 200


@dataclass
class Changes:
    """How many targets a write created, changed, removed or left as they were."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted

    def __iadd__(self, other: Changes) -> Changes:
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted
        self.unchanged += other.unchanged
        return self


def clean_value(value: Any) -> Decimal | None:
    """A target value as stored: an exact, non-negative number with at most 4 decimals, or None.

    Floats are refused: a binary fraction is not the number the user typed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | float) or not isinstance(value, int | Decimal | str):
        raise ValidationError(_("Enter an exact number."))
    try:
        return exact_decimal(value, DECIMAL_PLACES, MAX_DIGITS)
    except NumberError as exc:
        raise ValidationError(str(exc)) from exc


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


def may_configure(by: User | None, unit: Unit) -> bool:
    """True when ``by`` may set targets of ``unit`` (None is the system: commands and the demo)."""
    return by is None or user_can(by, Action.CONFIGURE, unit, on=ObjectType.TARGET)


def _require(by: User | None, unit: Unit) -> None:
    if not may_configure(by, unit):
        raise OutOfScope(_("You may not set the targets of %(unit)s.") % {"unit": unit})


def _lock(units: Iterable[Unit]) -> None:
    """Serialise writes to the same units' targets (in id order, so two writers cannot deadlock):
    two people saving the same grid must not both create the same cell."""
    list(for_update(Unit.objects).filter(pk__in=[u.pk for u in units]).order_by("pk").values("pk"))


def _snapshot(target: Target) -> dict[str, Any]:
    return audit.snapshot(target, exclude=("updated_at",))


def _create(by: User | None, unit: Unit, year: int, indicator: Indicator, value: Decimal, note: str) -> None:
    target = Target.objects.create(
        unit=unit, year=year, indicator=indicator, value=value, note=note, updated_by=_actor(by)
    )
    audit.record(audit.Entry.Action.CREATE, target, by=by, unit=unit, after=_snapshot(target))


def _update(by: User | None, target: Target, value: Decimal, note: str | None) -> bool:
    """Change a target; False when it already holds these values."""
    if target.value == value and (note is None or note == target.note):
        return False
    before = _snapshot(target)
    target.value = value
    if note is not None:
        target.note = note
    target.updated_by = _actor(by)
    target.save()
    audit.record(
        audit.Entry.Action.UPDATE, target, by=by, unit=target.unit, before=before, after=_snapshot(target)
    )
    return True


def _delete(by: User | None, target: Target) -> None:
    audit.record(audit.Entry.Action.DELETE, target, by=by, unit=target.unit, before=_snapshot(target))
    target.delete()


def _actor(by: User | None) -> Any:
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _clean_all(
    values: Mapping[Indicator, Any], notes: Mapping[Indicator, str] | None
) -> dict[Indicator, Decimal | None]:
    """Every value checked; one ValidationError keyed by indicator code lists all problems."""
    cleaned: dict[Indicator, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for indicator, value in values.items():
        try:
            cleaned[indicator] = clean_value(value)
        except ValidationError as error:
            errors[indicator.code] = error.messages
    for indicator, note in (notes or {}).items():
        if len(note) > NOTE_LENGTH:
            errors.setdefault(indicator.code, []).append(
                _("A note has at most %(count)s characters.") % {"count": NOTE_LENGTH}
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def set_targets(
    by: User | None,
    unit: Unit,
    year: int,
    values: Mapping[Indicator, Any],
    *,
    notes: Mapping[Indicator, str] | None = None,
) -> Changes:
    """Set the unit's targets of ``year`` for the indicators given; None removes a target.

    Indicators not given keep their targets. ``notes`` (per indicator) replace the notes of the
    targets they name; without them notes stay as they are."""
    _require(by, unit)
    check_year(year)
    cleaned = _clean_all(values, notes)
    if any(i.county_id is not None for i in cleaned):
        county = Unit.objects.county_of(unit)
        foreign = [
            i for i in cleaned if i.county_id is not None and i.county_id != getattr(county, "pk", None)
        ]
        if foreign:
            raise ValidationError({foreign[0].code: _("This indicator belongs to another county.")})
    _lock([unit])
    existing = {
        t.indicator_id: t
        for t in Target.objects.select_related("unit", "indicator").filter(
            unit=unit, year=year, indicator__in=list(cleaned)
        )
    }
    changes = Changes()
    for indicator, value in cleaned.items():
        current = existing.get(indicator.pk)
        note = None if notes is None else notes.get(indicator, "").strip()
        if value is None:
            if current is None:
                changes.unchanged += 1
            else:
                _delete(by, current)
                changes.deleted += 1
        elif current is None:
            if not indicator.is_active:
                raise ValidationError({indicator.code: _("This indicator is no longer in use.")})
            _create(by, unit, year, indicator, value, note or "")
            changes.created += 1
        elif _update(by, current, value, note):
            changes.updated += 1
        else:
            changes.unchanged += 1
    return changes


@transaction.atomic
def copy_from_last_year(by: User, parent_unit: Unit, year: int, *, overwrite: bool = False) -> Changes:
    """Carry the targets of ``year - 1`` of the unit and its direct children into ``year``.

    Targets already set for ``year`` are kept unless ``overwrite``; inactive units and indicators
    are left out."""
    _require(by, parent_unit)
    check_year(year)
    units = [parent_unit, *Unit.objects.filter(parent=parent_unit, is_active=True)]
    _lock(units)
    current = {
        (t.unit_id, t.indicator_id): t
        for t in Target.objects.select_related("unit", "indicator").filter(unit__in=units, year=year)
    }
    changes = Changes()
    last_year = Target.objects.select_related("unit", "indicator").filter(
        unit__in=units, year=year - 1, indicator__is_active=True
    )
    for old in last_year.order_by("unit__path", "indicator__sort_order"):
        existing = current.get((old.unit_id, old.indicator_id))
        if existing is None:
            _create(by, old.unit, year, old.indicator, old.value, old.note)
            changes.created += 1
        elif overwrite and _update(by, existing, old.value, old.note):
            changes.updated += 1
        else:
            changes.unchanged += 1
    return changes
