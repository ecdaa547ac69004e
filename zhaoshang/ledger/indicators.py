"""Configuring indicators: names, order and whether they are in use; what an indicator counts (its
kind and the further kinds it sums, ``also``) and its measure are fixed once created, since targets
and figures already speak in them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import scope_roots, user_can
from zhaoshang.ledger.choices import Evidence, Kind
from zhaoshang.ledger.evidence import allowed
from zhaoshang.ledger.models import Indicator

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User
    from zhaoshang.units.models import Unit

EDITABLE = ("name_zh", "name_en", "sort_order", "is_active", "evidence")


def ordered_evidence(evidence: Sequence[str], kind: str = "") -> list[str]:
    """The documents an indicator's verifications need, known ones only, in their usual order; a
    manual indicator may ask only for its entries' own file (``evidence.allowed``)."""
    unknown = [e for e in evidence if e not in (allowed(kind) if kind else Evidence.values)]
    if unknown:
        raise ValidationError({"evidence": _("Unknown document %(kind)s.") % {"kind": unknown[0]}})
    return [e for e in Evidence.values if e in evidence]


def may_configure(user: User | None) -> bool:
    return bool(scope_roots(user, Action.CONFIGURE, on=ObjectType.INDICATOR))


def may_define(user: User | None, county: Unit) -> bool:
    """The county's bureau administrator (who configures its targets), or a system administrator
    whose subtree holds the county."""
    return bool(
        user_can(user, Action.CONFIGURE, county, on=ObjectType.TARGET)
        or user_can(user, Action.CONFIGURE, county, on=ObjectType.INDICATOR)
    )


def _require(by: User | None, indicator: Indicator | None = None) -> None:
    """A system administrator changes the shared indicators; a county's own (``ledger.rules``) its
    bureau too."""
    if by is None or may_configure(by):
        return
    if indicator is not None and indicator.county is not None and may_define(by, indicator.county):
        return
    raise OutOfScope(_("Only a system administrator may change the indicators."))


@transaction.atomic
def create_indicator(
    *,
    by: User,
    code: str,
    name_zh: str,
    name_en: str,
    measure: str,
    kind: str,
    sort_order: int = 0,
    evidence: Sequence[str] = (),
    also: Sequence[str] = (),
) -> Indicator:
    _require(by)
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Indicator code %(code)s is already used.") % {"code": code}})
    unknown = [k for k in also if k not in Kind.values]
    if unknown:
        raise ValidationError({"also": _("Unknown kind %(kind)s.") % {"kind": unknown[0]}})
    indicator = Indicator(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        measure=measure,
        kind=kind,
        also=[k for k in Kind.values if k in also and k != kind],
        sort_order=sort_order,
    )
    indicator.evidence = ordered_evidence(evidence, kind)
    indicator.full_clean()
    indicator.save()
    audit.record(audit.Entry.Action.CREATE, indicator, by=by, unit=None, after=audit.snapshot(indicator))
    return indicator


@transaction.atomic
def update_indicator(indicator: Indicator, *, by: User, **fields: Any) -> Indicator:
    _require(by, indicator)
    indicator = for_update(Indicator.objects).get(pk=indicator.pk)
    before = audit.snapshot(indicator)
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValidationError({name: _("This cannot be changed once the indicator exists.")})
        setattr(indicator, name, value)
    indicator.evidence = ordered_evidence(indicator.evidence, indicator.kind)
    indicator.full_clean()
    indicator.save()
    after = audit.snapshot(indicator)
    if after != before:
        audit.record(audit.Entry.Action.UPDATE, indicator, by=by, unit=None, before=before, after=after)
    return indicator
