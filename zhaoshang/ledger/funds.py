"""Funds arrived (到位資金): recorded by units, verified or returned by the bureau. Only verified
funds count toward targets; reported ones are shown beside them. Every change re-syncs the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.ledger import evidence as evidence_rules
from zhaoshang.ledger import review
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.choices import FundsSource, FundsStatus
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.projects.choices import Currency
from zhaoshang.projects.models import Project
from zhaoshang.units import places

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

# Domestic money is counted in 万元, foreign money (incl. HK, Macau, Taiwan) in 万美元.
SOURCE_CURRENCY: dict[str, str] = {
    FundsSource.DOMESTIC: Currency.CNY,
    FundsSource.LOCAL: Currency.CNY,
    FundsSource.FOREIGN: Currency.USD,
}


def check_origin(origin: str, source: str, county: str) -> None:
    """An origin must be known and agree with the source: abroad (incl. Hong Kong, Macau, Taiwan) is
    foreign money in 万美元, a place inside China is not, and a place inside the county is local."""
    if not origin:
        return
    if not places.is_known(origin):
        raise ValidationError({"origin": _("Unknown place or country of origin.")})
    found = places.level(origin, county)
    if (found == places.Level.ABROAD) != (source == FundsSource.FOREIGN):
        raise ValidationError(
            {"origin": _("Money from abroad (incl. Hong Kong, Macau and Taiwan) is foreign, and only it.")}
        )
    if found == places.Level.LOCAL and source != FundsSource.LOCAL:
        raise ValidationError({"origin": _("This place is inside the county: the money is local.")})


def default_origin(project: Project) -> str:
    """The origin a new record of funds starts with: its project's (first) investor's, if it has one."""
    codes = project.investors.exclude(origin_code="").order_by("pk").values_list("origin_code", flat=True)
    return next(iter(codes[:1]), "")


def _require(by: User | None, action: str, project: Project) -> None:
    if by is not None and not user_can(by, action, project.unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not do this for the projects of %(unit)s.") % {"unit": project.unit})


def _lock(project_id: int) -> Project:
    """Every write to a project's funds locks the project row first, as project edits do, so that all
    writers take their locks in one order (project, then funds) and never deadlock. The project's
    unit comes with it (unlocked: ``for_update``), for the permission check and the audit trail."""
    return for_update(Project.objects).select_related("unit").get(pk=project_id)


def _lock_funds(funds: FundsArrival) -> FundsArrival:
    """The project, then the record of funds, locked (``_lock``); the record as read under its lock,
    carrying the locked project so that nothing below reads it again."""
    project = _lock(funds.project_id)
    funds = for_update(FundsArrival.objects).get(pk=funds.pk)
    funds.project = project
    return funds


def snapshot(funds: FundsArrival) -> dict[str, Any]:
    """A record of funds as the audit trail keeps it (the time it was reported left out)."""
    return audit.snapshot(funds, exclude=("reported_at",))


@transaction.atomic
def record_funds(
    project: Project,
    *,
    by: User | None,
    arrived_on: dt.date,
    source: str,
    amount: Decimal,
    currency: str | None = None,
    evidence: Any = None,
    note: str = "",
    verified: bool = False,
    origin: str = "",
) -> FundsArrival:
    """Record money that arrived for a project. ``verified`` records and verifies in one step (the
    bureau entering figures it has checked itself); it needs the right to verify. ``origin`` (a
    place of GB/T 2260 or a country abroad, ``units.places``) must agree with the source."""
    project = _lock(project.pk)
    _require(by, Action.EDIT, project)
    if verified:
        _require(by, Action.VERIFY, project)
    if source not in FundsSource.values:
        raise ValidationError({"source": _("Unknown source of funds.")})
    if origin:  # the county is read only when there is an origin to tell against it
        check_origin(origin, source, ledger.county_code_at(project.unit))
    expected = SOURCE_CURRENCY[FundsSource(source)]
    if currency not in (None, "", expected):
        raise ValidationError(
            {
                "currency": _("Funds from this source are counted in %(currency)s.")
                % {"currency": Currency(expected).label}
            }
        )
    if arrived_on > timezone.localdate():
        raise ValidationError({"arrived_on": _("The date funds arrived cannot be in the future.")})
    funds = FundsArrival(
        project=project,
        arrived_on=arrived_on,
        source=source,
        origin=origin,
        currency=expected,
        amount=amount,
        note=note,
        reported_by=review.person(by),
    )
    review.attach_and_verify(funds, by, evidence=evidence, verified=verified, check=evidence_rules.check)
    # the project, the reporter and the verifier are the service's own, not input to validate
    funds.full_clean(exclude=["project", "evidence", "reported_by", "verified_by"])
    funds.save()
    audit.record(audit.Entry.Action.CREATE, funds, by=by, unit=project.unit, after=snapshot(funds))
    ledger.sync(project)
    return funds


def apart_from_reports(queryset: Any) -> Any:
    """The funds of a queryset that are not stated in a progress report: those the ledger's own pages
    may verify, return or withdraw.

    NOT EXISTS rather than the reverse relation's LEFT JOIN ... IS NULL: PostgreSQL estimated that
    join at one row and sorted the whole national queue (256,000 funds, 3 s at 1,000,000 projects)
    instead of reading it in the order of its index (``funds_queue``)."""
    lines = FundsArrival.report_line.related.related_model  # dispatch.FundsLine, which imports the ledger
    return queryset.filter(~Exists(lines._default_manager.filter(funds=OuterRef("pk"))))


def of_report(funds: FundsArrival) -> bool:
    """Whether these funds were stated in a progress report (a dispatch funds line)."""
    return FundsArrival.objects.filter(pk=funds.pk, report_line__isnull=False).exists()


def _refuse_report_funds(funds: FundsArrival, from_report: bool) -> None:
    """Funds stated in a progress report are decided only with the report (``dispatch.services``
    passes ``from_report=True``), so a report's money is never verified, returned or withdrawn apart
    from the report and then decided a second time."""
    if not from_report and of_report(funds):
        raise ValidationError(
            _("These funds were stated in a progress report; verify or return the report instead.")
        )


def _decide(
    funds: FundsArrival,
    by: User | None,
    action: str,
    status: str,
    reason: str = "",
    from_report: bool = False,
) -> FundsArrival:
    """Verify or return reported funds (``ledger.review``). The state is read under the locks, so two
    decisions on one record cannot both pass (a verified figure is never returned afterwards, nor
    the reverse)."""
    fields = review.decision(status, by, reason)  # a return without its reason is refused first
    funds = _lock_funds(funds)
    _require(by, Action.VERIFY, funds.project)  # checked on the locked row: it may have moved
    _refuse_report_funds(funds, from_report)
    review.check_open(funds, status, _("funds"), _("This record of funds was deleted."))
    if status == FundsStatus.VERIFIED:
        evidence_rules.check(funds)  # the documents its indicators ask for
    before = snapshot(funds)
    for name, value in fields.items():
        setattr(funds, name, value)
    funds.save()
    audit.record(action, funds, by=by, unit=funds.project.unit, before=before, after=snapshot(funds))
    ledger.sync(funds.project)
    return funds


@transaction.atomic
def verify_funds(funds: FundsArrival, *, by: User | None, from_report: bool = False) -> FundsArrival:
    """The bureau confirms reported funds: from now on they count toward targets. Funds of a progress
    report only with the report (``from_report``)."""
    return _decide(funds, by, audit.Entry.Action.VERIFY, FundsStatus.VERIFIED, from_report=from_report)


@transaction.atomic
def return_funds(
    funds: FundsArrival, *, by: User | None, reason: str, from_report: bool = False
) -> FundsArrival:
    """The bureau sends reported funds back with a reason; they are not counted. Funds of a progress
    report only with the report (``from_report``)."""
    return _decide(funds, by, audit.Entry.Action.UPDATE, FundsStatus.RETURNED, reason, from_report)


@transaction.atomic
def delete_funds(funds: FundsArrival, *, by: User, from_report: bool = False) -> None:
    """Withdraw a record of funds (kept, marked deleted, and no longer counted). Verified funds can be
    withdrawn only by someone who may verify; funds of a progress report only through the report."""
    funds = _lock_funds(funds)
    project = funds.project
    _require(by, Action.EDIT, project)
    _refuse_report_funds(funds, from_report)
    if funds.status == FundsStatus.VERIFIED:  # read under the lock: it may have just been verified
        _require(by, Action.VERIFY, project)
    before = snapshot(funds)
    funds.is_deleted = True
    funds.save(update_fields=["is_deleted"])
    audit.record(
        audit.Entry.Action.DELETE,
        funds,
        by=by,
        unit=funds.project.unit,
        before=before,
        after=snapshot(funds),
    )
    ledger.sync(funds.project)


MAX_BULK = 200  # lines verified in one action (the queue shows 50 a page)


def verify_many(ids: list[int], *, by: User) -> tuple[list[FundsArrival], list[tuple[int, Any, str]]]:
    """Verify the selected lines of the queue, each through ``verify_funds`` in its own transaction:
    a line refused (its evidence lacking, stated in a progress report, already decided, outside the
    user's subtree) is listed with the reason and rolls back alone; the others are verified.
    Returns (verified, refused) where a refusal is (id, the funds or None when not the user's, reason)."""
    wanted = list(dict.fromkeys(ids))[:MAX_BULK]
    found = {
        f.pk: f
        for f in FundsArrival.objects.visible_to(by, Action.VERIFY)
        .filter(pk__in=wanted, is_deleted=False)
        .select_related("project", "project__unit")
    }
    verified: list[FundsArrival] = []
    refused: list[tuple[int, Any, str]] = []
    for pk in wanted:
        funds = found.get(pk)
        if funds is None:  # another unit's line or none at all: the same answer, nothing leaks
            refused.append((pk, None, _("This record of funds does not exist or is not yours to verify.")))
            continue
        try:
            verified.append(verify_funds(funds, by=by))
        except (ValidationError, OutOfScope) as error:
            refused.append((pk, funds, " ".join(getattr(error, "messages", [str(error)]))))
    return verified, refused
