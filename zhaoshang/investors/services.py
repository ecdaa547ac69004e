"""Every write to investors and their contacts: create, update, merge. Each checks the user's scope,
runs in one transaction and records the change in the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from zhaoshang.accounts.services import operators_of
from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.investors.creditcode import normalise
from zhaoshang.investors.models import Contact, Investor
from zhaoshang.notifications.services import batched_delivery, notify
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

INVESTOR_FIELDS = (
    "name",
    "kind",
    "credit_code",
    "origin_country",
    "origin_province",
    "origin_city",
    "industry",
    "size",
    "registered_capital",
    "website",
    "tags",
    "notes",
    "next_follow_up_on",
    "unit",
)


@dataclass(frozen=True)
class ContactData:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""
    # Not given: the unit of the investor's existing contact of that name (a unit the editor
    # cannot choose is not on their form, and must not move), else the investor's unit.
    unit: Unit | None = None


def check_unit(by: User | None, unit: Unit, action: str) -> None:
    if by is not None and not user_can(by, action, unit, on=ObjectType.INVESTOR):
        raise OutOfScope(_("You may not record investors for %(unit)s.") % {"unit": unit})


def investor_snapshot(investor: Investor) -> dict[str, Any]:
    """What the audit trail keeps of an investor: its fields and its contacts."""
    data = audit.snapshot(investor, exclude=("created_at", "updated_at", "name_key"))
    data["contacts"] = [
        list(c)
        for c in investor.contacts.order_by("pk").values_list(
            "name", "position", "phone", "email", "wechat", "unit_id"
        )
    ]
    return data


def _apply(investor: Investor, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in INVESTOR_FIELDS:
            raise ValueError(f"{name} is not an investor field that can be set")
        setattr(investor, name, value)
    investor.credit_code = normalise(investor.credit_code or "")
    investor.name = (investor.name or "").strip()


def _code_taken() -> ValidationError:
    return ValidationError({"credit_code": _("This unit already has an investor with this credit code.")})


def _check(investor: Investor, by: User | None) -> None:
    """The credit code is unique within the owning unit; only investors the user may see are looked
    at, so the answer says nothing of other units (another unit's investor of the same code is a
    likely duplicate, shown by ``likely_duplicates`` and merged by the bureau)."""
    investor.full_clean(exclude=["name_key"], validate_unique=False, validate_constraints=False)
    _check_code(investor, by)


def _check_code(investor: Investor, by: User | None) -> None:
    if investor.credit_code:
        candidates = Investor.objects.all() if by is None else Investor.objects.visible_to(by)
        taken = candidates.filter(unit=investor.unit_id, credit_code=investor.credit_code)
        if taken.exclude(pk=investor.pk).exists():
            raise _code_taken()


def _save(investor: Investor) -> None:
    """Save; a concurrent save of the same credit code in the same unit is refused, not a 500."""
    try:
        with transaction.atomic():
            investor.save()
    except IntegrityError as error:
        if "credit_code" not in str(error):
            raise
        raise _code_taken() from error


def _save_contacts(investor: Investor, contacts: Sequence[ContactData] | None, by: User | None) -> None:
    if contacts is None:
        return
    for contact in contacts:
        if contact.unit is not None and contact.unit.pk != investor.unit_id:
            check_unit(by, contact.unit, Action.EDIT)
    kept = {c.name: c.unit_id for c in Contact.objects.filter(investor=investor)}
    rows = [
        Contact(
            investor=investor,
            name=c.name.strip(),
            position=c.position,
            phone=c.phone.strip(),
            email=c.email.strip(),
            wechat=c.wechat.strip(),
            unit_id=c.unit.pk if c.unit else kept.get(c.name.strip(), investor.unit_id),
        )
        for c in contacts
        if c.name.strip()
    ]
    for row in rows:
        try:
            row.full_clean(exclude=["investor"])
        except ValidationError as error:
            raise ValidationError({"contacts": error.messages}) from error
    Contact.objects.filter(investor=investor).delete()
    Contact.objects.bulk_create(rows)


@transaction.atomic
def create_investor(
    *, by: User, data: dict[str, Any], contacts: Sequence[ContactData] = (), note: str = ""
) -> Investor:
    """Record a new investor (with its contacts) for a unit the user may record investors for."""
    investor = Investor()
    _apply(investor, data)
    if investor.unit_id is None:
        raise ValidationError({"unit": _("This field is required.")})
    check_unit(by, investor.unit, Action.CREATE)
    _check(investor, by)
    _save(investor)
    _save_contacts(investor, contacts, by)
    audit.record(
        audit.Entry.Action.CREATE,
        investor,
        by=by,
        unit=investor.unit,
        after=investor_snapshot(investor),
        note=note,
    )
    return investor


@transaction.atomic
def update_investor(
    investor: Investor,
    *,
    by: User | None,
    data: dict[str, Any],
    contacts: Sequence[ContactData] | None = None,
) -> Investor:
    """Change an investor's fields (and replace its contacts when given). Moving it to another unit
    needs the right to edit there too."""
    investor = for_update(Investor.objects).get(pk=investor.pk)
    check_unit(by, investor.unit, Action.EDIT)
    before = investor_snapshot(investor)
    _apply(investor, data)
    check_unit(by, investor.unit, Action.EDIT)
    _check(investor, by)
    _save(investor)
    _save_contacts(investor, contacts, by)
    after = investor_snapshot(investor)
    if after != before:
        audit.record(
            audit.Entry.Action.UPDATE, investor, by=by, unit=investor.unit, before=before, after=after
        )
    return investor


# Fields the kept investor takes from the removed one where its own are empty.
_FILL = (
    "credit_code",
    "origin_province",
    "origin_city",
    "industry",
    "size",
    "registered_capital",
    "website",
    "next_follow_up_on",
)


@transaction.atomic
def merge_investors(keep: Investor, remove: Investor, *, by: User, note: str = "") -> Investor:
    """Merge ``remove`` into ``keep``: every contact, activity and project of both sides ends on
    ``keep``; empty fields of ``keep`` are filled from ``remove``; tags and notes are joined. Both
    audit trails record the merge, the removed one with its last snapshot. Refused unless the user
    may edit both investors; refused for two different credit codes (two legal entities)."""
    from zhaoshang.activities.models import Activity
    from zhaoshang.activities.services import activity_snapshot
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services import project_snapshot

    if keep.pk == remove.pk:
        raise ValidationError(_("An investor cannot be merged with itself."))
    # Both rows locked in the order of their ids, so two merges of the same pair cannot deadlock.
    locked = {
        i.pk: i for i in for_update(Investor.objects).filter(pk__in=[keep.pk, remove.pk]).order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError(_("One of the investors no longer exists."))
    keep, remove = locked[keep.pk], locked[remove.pk]
    for investor in (keep, remove):
        check_unit(by, investor.unit, Action.EDIT)
    if keep.credit_code and remove.credit_code and keep.credit_code != remove.credit_code:
        raise ValidationError(
            {"credit_code": _("The two investors have different credit codes: they are not the same.")}
        )
    before_keep, before_remove = investor_snapshot(keep), investor_snapshot(remove)
    text = note or _("%(removed)s (#%(pk)s) merged into %(kept)s.") % {
        "removed": remove.name,
        "pk": remove.pk,
        "kept": keep.name,
    }
    # The projects and activities whose investor links change: each records the change in its own trail.
    linked: list[tuple[Project | Activity, Callable[[Any], dict[str, Any]]]] = [
        *[(p, project_snapshot) for p in Project.objects.filter(investors=remove).select_related("unit")],
        *[(a, activity_snapshot) for a in Activity.objects.filter(investors=remove).select_related("unit")],
    ]
    before_linked = [snap(obj) for obj, snap in linked]
    _repoint(Project.investors.through, "project_id", keep, remove)
    _repoint(Activity.investors.through, "activity_id", keep, remove)
    # A project form opened before the merge still lists the removed investor: raising the version
    # makes its save a stale write (refused with who changed it) instead of undoing the merge.
    Project.objects.filter(pk__in=[obj.pk for obj, _snap in linked if isinstance(obj, Project)]).update(
        version=F("version") + 1
    )
    for (obj, snap), before in zip(linked, before_linked, strict=True):
        audit.record(
            audit.Entry.Action.UPDATE, obj, by=by, unit=obj.unit, before=before, after=snap(obj), note=text
        )
    Contact.objects.filter(investor=remove).update(investor=keep)
    code = remove.credit_code
    if code and not keep.credit_code:
        Investor.objects.filter(pk=remove.pk).update(credit_code="")
    for field in _FILL:
        if getattr(keep, field) in ("", None) and getattr(remove, field) not in ("", None):
            setattr(keep, field, getattr(remove, field))
    keep.tags = "、".join(dict.fromkeys([*keep.tag_list, *remove.tag_list]))
    if remove.notes and remove.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n{remove.notes}".strip()
    _check_code(keep, by)
    _save(keep)
    audit.record(
        audit.Entry.Action.MERGE, remove, by=by, unit=remove.unit, before=before_remove, after=None, note=text
    )
    remove.delete()
    after = investor_snapshot(keep)
    after["merged"] = before_remove
    audit.record(
        audit.Entry.Action.MERGE, keep, by=by, unit=keep.unit, before=before_keep, after=after, note=text
    )
    return keep


def _repoint(through: Any, owner: str, keep: Investor, remove: Investor) -> None:
    """Point the links of ``remove`` at ``keep``, dropping those ``keep`` already has."""
    has = set(through.objects.filter(investor=keep).values_list(owner, flat=True))
    through.objects.filter(investor=remove, **{f"{owner}__in": has}).delete()
    through.objects.filter(investor=remove).update(investor=keep)


# --- reading ------------------------------------------------------------------------------------


def follow_ups_due(queryset: QuerySet, today: dt.date) -> QuerySet:
    """Investors whose next follow-up date has come (or passed), soonest first."""
    return queryset.filter(next_follow_up_on__lte=today).order_by("next_follow_up_on", "name")


def follow_ups_by_unit(today: dt.date) -> Iterator[tuple[Unit, list[Investor]]]:
    """The follow-ups due across the deployment, grouped by owning unit (for the daily reminder:
    ``manage.py follow_ups_due``)."""
    due = follow_ups_due(Investor.objects.select_related("unit"), today).order_by(
        "unit__path", "next_follow_up_on", "name"
    )
    for unit, investors in groupby(due.iterator(2000), key=lambda i: i.unit):
        yield unit, list(investors)


def remind_follow_ups(today: dt.date) -> int:
    """Remind the operators of each owning unit of the follow-ups due (an in-app notification and
    an e-mail). Each investor is reminded once per day: running it again the same day sends
    nothing. Returns the number of notifications created."""
    with batched_delivery():
        return _remind_follow_ups(today)


def _remind_follow_ups(today: dt.date) -> int:
    groups = list(follow_ups_by_unit(today))
    people = operators_of(unit.pk for unit, _investors in groups)
    sent = 0
    for unit, investors in groups:
        for investor in investors:
            day = f"{investor.next_follow_up_on:%Y-%m-%d}"
            sent += len(
                notify(
                    people.get(unit.pk, []),
                    title=_("Follow-up due: %(investor)s") % {"investor": investor.name},
                    body=_("The next follow-up of %(investor)s was set for %(day)s.")
                    % {"investor": investor.name, "day": day},
                    link=investor.get_absolute_url(),
                    key=f"follow-up:{investor.pk}:{today:%Y-%m-%d}",
                    unit=unit,
                )
            )
    return sent


_PHASE = re.compile(r"[一二三四五六七八九十\d]+期")


def project_key(name: str) -> tuple[str, str]:
    """(key, phase) of a project name: 二期 and 三期 of one plant are two projects, not a double claim."""
    from zhaoshang.investors.names import name_key, plain

    phase = "".join(_PHASE.findall(plain(name)))
    return name_key(_PHASE.sub("", plain(name))).removesuffix("项目"), phase


def double_claims(projects: QuerySet) -> list[dict[str, Any]]:
    """Likely double claims among ``projects`` (those the user may see): one investor, two projects
    of similar name owned by different units."""
    from zhaoshang.investors.names import similar
    from zhaoshang.projects.models import Project

    through = Project.investors.through
    rows = (
        through.objects.filter(project__in=projects)
        .values_list("investor_id", "project_id", "project__name", "project__unit_id")
        .order_by("investor_id", "project_id")
    )
    by_investor: dict[int, list[tuple[int, tuple[str, str], int]]] = {}
    for investor_id, project_id, name, unit_id in rows:
        by_investor.setdefault(investor_id, []).append((project_id, project_key(name), unit_id))
    pairs = []
    for investor_id, items in by_investor.items():
        for i, (pk_a, key_a, unit_a) in enumerate(items):
            for pk_b, key_b, unit_b in items[i + 1 :]:
                if unit_a != unit_b and key_a[1] == key_b[1] and similar(key_a[0], key_b[0]):
                    pairs.append((investor_id, pk_a, pk_b))
    if not pairs:
        return []
    investors = Investor.objects.in_bulk({p[0] for p in pairs})
    found = Project.objects.select_related("unit").in_bulk({pk for p in pairs for pk in p[1:]})
    return [{"investor": investors[i], "first": found[a], "second": found[b]} for i, a, b in pairs]
