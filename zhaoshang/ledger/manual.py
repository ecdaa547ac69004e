"""Manual indicators (手工指標, issue 19): figures that come from no project (勞務輸出 persons,
信息報送 articles, 招商人員 persons). A bureau administrator defines the indicator (``define``): an
``Indicator`` whose kind is a manual one ("m_" and a slug, ``choices.validate_kind``). Units enter
their figure per month with evidence (``record_entry``); the bureau verifies or returns it
(``verify_entry``, ``return_entry``) under the rule every reported figure follows
(``ledger.review``), refusing a verification without the documents the indicator asks for
(``evidence.check_manual``). Every change syncs the ledger (``services.sync_manual``), so the figure
reaches the totals, targets, completion, dashboard, drill-down and summaries like any other kind.

Entries take the permissions of the unit's projects, as funds arrived do: whoever may edit a unit's
projects enters its figures, whoever may verify them verifies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import scope_roots, user_can
from zhaoshang.ledger import evidence as evidence_rules
from zhaoshang.ledger import indicators, review
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.choices import KIND_LENGTH, MANUAL, FundsStatus
from zhaoshang.ledger.models import Indicator, ManualEntry
from zhaoshang.units.choices import UnitKind

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User
    from zhaoshang.units.models import Unit


def may_define(user: User | None) -> bool:
    """A bureau administrator (who sets targets somewhere) or a system administrator."""
    return bool(
        scope_roots(user, Action.CONFIGURE, on=ObjectType.TARGET)
        or scope_roots(user, Action.CONFIGURE, on=ObjectType.INDICATOR)
    )


@transaction.atomic
def define(
    *,
    by: User | None,
    slug: str,
    name_zh: str,
    name_en: str,
    measure: str,
    evidence: Sequence[str] = (),
    sort_order: int = 100,
    county: Unit | None = None,
) -> Indicator:
    """A new manual indicator counting the kind "m_<slug>" (its code is the kind). Its name, order,
    whether it is in use and its evidence rule are changed like any indicator's afterwards.

    With ``county``, the county's own (``Indicator.county``): defined by its bureau administrator
    (``indicators.may_define``), read, entered and verified within the county only; its kind is
    "m_<county id>_<slug>", so that two counties may each keep their "labour"."""

    if county is not None:
        if county.kind != UnitKind.COUNTY:
            raise ValidationError({"county": _("Indicators of their own are defined by counties.")})
        if by is not None and not indicators.may_define(by, county):
            raise OutOfScope(
                _("Only the bureau of %(county)s may change its indicators.") % {"county": county}
            )
    elif by is not None and not may_define(by):
        raise OutOfScope(_("Only a bureau administrator may define a manual indicator."))
    kind = f"{MANUAL}{county.pk}_{slug}" if county is not None else f"{MANUAL}{slug}"
    if len(kind) > KIND_LENGTH:
        raise ValidationError(
            {
                "slug": _("Use a code of at most %(length)d characters.")
                % {"length": KIND_LENGTH - len(kind) + len(slug)}
            }
        )
    if Indicator.objects.filter(code=kind).exists() or Indicator.objects.filter(kind=kind).exists():
        raise ValidationError({"slug": _("Indicator code %(code)s is already used.") % {"code": kind}})
    indicator = Indicator(
        code=kind,
        name_zh=name_zh,
        name_en=name_en,
        measure=measure,
        kind=kind,
        sort_order=sort_order,
        county=county,
    )
    indicator.evidence = indicators.ordered_evidence(evidence, kind)
    indicator.full_clean()
    indicator.save()
    audit.record(audit.Entry.Action.CREATE, indicator, by=by, unit=None, after=audit.snapshot(indicator))
    return indicator


def manual_indicators(user: User | None = None) -> Any:
    """The manual indicators in use, in their order: with ``user``, those the user may read of (the
    shared ones and those of the counties of the user's subtrees, ``Indicator.objects.visible_to``)."""
    indicators = Indicator.objects.filter(kind__startswith=MANUAL, is_active=True)
    return indicators.visible_to(user) if user is not None else indicators


def _require(by: User | None, action: str, unit: Unit) -> None:
    if by is not None and not user_can(by, action, unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not do this for the figures of %(unit)s.") % {"unit": unit})


def _snapshot(entry: ManualEntry) -> dict[str, Any]:
    return audit.snapshot(entry, exclude=("reported_at",))


@transaction.atomic
def record_entry(
    indicator: Indicator,
    unit: Unit,
    *,
    by: User | None,
    year: int,
    month: int,
    amount: Decimal,
    evidence: Any = None,
    note: str = "",
    verified: bool = False,
    today: dt.date | None = None,
) -> ManualEntry:
    """A unit's figure of a manual indicator for one month, reported (or, for someone who may verify,
    verified in one step, with the evidence the indicator asks for)."""
    _require(by, Action.EDIT, unit)
    if verified:
        _require(by, Action.VERIFY, unit)
    if not indicator.is_manual or not indicator.is_active:
        raise ValidationError({"indicator": _("Figures are entered only for manual indicators in use.")})
    if indicator.county is not None and not unit.is_within(indicator.county):
        # A county's own indicator: entered for its units only (the same answer whoever asks).
        raise ValidationError(
            {"indicator": _("This indicator is not counted for %(unit)s.") % {"unit": unit}}
        )
    today = today or timezone.localdate()
    if not 1 <= month <= 12 or (year, month) > (today.year, today.month):
        raise ValidationError({"month": _("Enter a month that has begun.")})
    entry = ManualEntry(
        indicator=indicator,
        unit=unit,
        year=year,
        month=month,
        amount=amount,
        note=note,
        reported_by=review.person(by),
    )
    review.attach_and_verify(
        entry, by, evidence=evidence, verified=verified, check=evidence_rules.check_manual
    )
    entry.full_clean(exclude=["indicator", "unit", "evidence"])
    entry.save()
    audit.record(audit.Entry.Action.CREATE, entry, by=by, unit=unit, after=_snapshot(entry))
    ledger.sync_manual(entry)
    return entry


def _decide(entry: ManualEntry, by: User | None, action: str, status: str, reason: str = "") -> ManualEntry:
    fields = review.decision(status, by, reason)
    entry = for_update(ManualEntry.objects).select_related("indicator", "unit").get(pk=entry.pk)
    _require(by, Action.VERIFY, entry.unit)
    review.check_open(entry, status, _("manual figures"), _("This figure was deleted."))
    if status == FundsStatus.VERIFIED:
        evidence_rules.check_manual(entry)
    before = _snapshot(entry)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    audit.record(action, entry, by=by, unit=entry.unit, before=before, after=_snapshot(entry))
    ledger.sync_manual(entry)
    return entry


@transaction.atomic
def verify_entry(entry: ManualEntry, *, by: User | None) -> ManualEntry:
    """The bureau confirms a reported figure: from now on it counts toward targets."""
    return _decide(entry, by, audit.Entry.Action.VERIFY, FundsStatus.VERIFIED)


@transaction.atomic
def return_entry(entry: ManualEntry, *, by: User | None, reason: str) -> ManualEntry:
    """The bureau sends a reported figure back with a reason; it is not counted."""
    return _decide(entry, by, audit.Entry.Action.UPDATE, FundsStatus.RETURNED, reason)


@transaction.atomic
def delete_entry(entry: ManualEntry, *, by: User | None) -> None:
    """Withdraw a figure (kept, marked deleted, no longer counted); a verified one only by someone who
    may verify."""
    entry = for_update(ManualEntry.objects).select_related("indicator", "unit").get(pk=entry.pk)
    _require(by, Action.EDIT, entry.unit)
    if entry.status == FundsStatus.VERIFIED:
        _require(by, Action.VERIFY, entry.unit)
    before = _snapshot(entry)
    entry.is_deleted = True
    entry.save(update_fields=["is_deleted"])
    audit.record(
        audit.Entry.Action.DELETE, entry, by=by, unit=entry.unit, before=before, after=_snapshot(entry)
    )
    ledger.sync_manual(entry)
