"""Reported, then verified or returned by the bureau: the one rule of the figures units report
themselves (funds arrived, ``ledger.funds``; manual figures, ``ledger.manual``).

A record is entered as reported (or verified in one step by someone who may verify); only a reported
record is verified or returned, a returned one needs its reason, a deleted one is decided no more.
The callers hold the record's row lock and read its state under it, so two decisions on one record
cannot both pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ValidationError
from zhaoshang.core.uploads import check_attachment
from zhaoshang.ledger.choices import FundsStatus

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

VERIFY, RETURN = FundsStatus.VERIFIED, FundsStatus.RETURNED


def person(by: User | None) -> User | None:
    """The user to record as reporter or verifier (None for the system or an anonymous caller)."""
    return by if getattr(by, "is_authenticated", False) else None


def reason_of(reason: str) -> str:
    """The reason for returning a figure, required."""
    if not reason.strip():
        raise ValidationError({"return_reason": _("Give the reason for returning the figure.")})
    return reason.strip()


def refusal(status: str, what: str) -> str:
    """Why a record that is not reported cannot be verified or returned."""
    if status == VERIFY:
        return _("Only reported %(what)s can be verified.") % {"what": what}
    return _("Only reported %(what)s can be returned.") % {"what": what}


def check_open(record: Any, status: str, what: str, deleted: str) -> None:
    """Refuse to decide a deleted record, or one that is not reported any more."""
    if record.is_deleted:
        raise ValidationError(deleted)
    if record.status != FundsStatus.REPORTED:
        raise ValidationError(refusal(status, what))


def decision(status: str, by: User | None, reason: str = "") -> dict[str, Any]:
    """The fields a decision sets: the verifier and time, or the reason for returning."""
    if status == VERIFY:
        return {
            "status": status,
            "verified_by": person(by),
            "verified_at": timezone.now(),
            "return_reason": "",
        }
    return {"status": status, "return_reason": reason_of(reason)}


def verified_on_entry(record: Any, by: User | None) -> None:
    """Record and verify in one step (the bureau entering figures it has checked itself)."""
    record.status = VERIFY
    record.verified_by = person(by)
    record.verified_at = timezone.now()


def attach_and_verify(
    record: Any, by: User | None, *, evidence: Any, verified: bool, check: Callable[[Any], None]
) -> None:
    """Attach the evidence a new record comes with (checked as any upload), and when it is entered
    verified, refuse it without the evidence ``check`` asks for and verify it in one step."""
    if evidence is not None:
        check_attachment(evidence, "evidence")
        record.evidence = evidence
    if verified:
        check(record)
        verified_on_entry(record, by)
