"""Saving the sections a unit writes (drafts with versions) and reading the current ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.projects.services import actor_name
from zhaoshang.summaries.choices import Section
from zhaoshang.summaries.models import SectionText
from zhaoshang.summaries.periods import Period
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

MAX_CHARS = 20000


def may_write(user: User | None, unit: Unit) -> bool:
    return user_can(user, Action.EDIT, unit, on=ObjectType.DISPATCH)


def _rows(unit: Unit, period: Period, section: str | None = None) -> Any:
    rows = SectionText.objects.filter(
        unit=unit, year=period.year, first_month=period.first, last_month=period.last
    )
    return rows.filter(section=section) if section else rows


@transaction.atomic
def save_section(unit: Unit, period: Period, section: str, text: str, *, by: User | None) -> SectionText:
    """Save ``text`` as the next version of one section; unchanged text saves nothing new."""
    if by is not None and not may_write(by, unit):
        raise OutOfScope(_("You may not write this unit's summary."))
    if section not in Section.values:
        raise ValidationError({"section": _("No such section.")})
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_CHARS:
        raise ValidationError({"text": _("A section may have at most %(n)s characters.") % {"n": MAX_CHARS}})
    for_update(Unit.objects).filter(pk=unit.pk).first()  # one writer at a time per unit
    rows = _rows(unit, period, section)
    latest = rows.order_by("-version").first()
    if latest is not None and latest.text == text:
        return latest
    version = (rows.aggregate(v=Max("version"))["v"] or 0) + 1
    row = SectionText.objects.create(
        unit=unit,
        year=period.year,
        first_month=period.first,
        last_month=period.last,
        section=section,
        version=version,
        text=text,
        saved_by=by,
        saved_by_name=actor_name(by),
    )
    audit.record(
        audit.Entry.Action.CREATE,
        row,
        by=by,
        unit=unit,
        before={"text": latest.text} if latest else None,
        after={"section": section, "version": version, "text": text},
    )
    return row


def current_texts(unit: Unit, period: Period, rows: Any = None) -> dict[str, SectionText]:
    """The newest version of each section saved so far, among ``rows`` (already scoped by the caller)."""
    rows = SectionText.objects.all() if rows is None else rows
    out: dict[str, SectionText] = {}
    chosen = rows.filter(unit=unit, year=period.year, first_month=period.first, last_month=period.last)
    for row in chosen.order_by("section", "-version"):
        out.setdefault(row.section, row)
    return out


def versions(unit: Unit, period: Period, section: str) -> list[SectionText]:
    return list(_rows(unit, period, section).order_by("-version"))
