"""Every write to landed enterprises and their quarterly returns: register an enterprise (directly,
or from a project in production, keeping the link), record a quarter's return, and the bureau's
verification of it (as funds are verified: only verified returns count). Each is one transaction
with its audit entry; each write to a return or to the key flag brings the ledger in line with the
enterprise's returns in the same transaction (``ledger.services.sync_returns``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.accounts.models import User
from zhaoshang.audit import services as audit
from zhaoshang.coordination.choices import RequestKind
from zhaoshang.coordination.services import raise_request
from zhaoshang.core import tree
from zhaoshang.core.dates import date_problem
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.core.text import blank_errors
from zhaoshang.enterprises.choices import ReturnStatus
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn, Visit
from zhaoshang.investors.creditcode import normalise
from zhaoshang.ledger.services import sync_returns
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User as Person

ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "unit",
    "park",
    "investor",
    "project",
    "sector",
    "industry_section",
    "land_mu",
    "key",
    "above_scale_on",
    "operating_on",
    "remarks",
    "longitude",
    "latitude",
)
RETURN_FIGURES = ("output", "sales", "tax", "jobs", "energy")


def county_of(unit: Unit) -> Unit:
    return Unit.objects.county_of(unit) or unit


def eligible_stewards(unit: Unit) -> QuerySet:
    """The officials who may be assigned to an enterprise of ``unit``: active users holding a role
    in its county."""
    county = county_of(unit)
    return (
        User.objects.filter(is_active=True)
        .filter(tree.subtree_q(county.path, "memberships__unit__path"))
        .distinct()
        .order_by("display_name", "pk")
    )


def _check(enterprise: Enterprise, stewards: Iterable[User]) -> None:
    errors: dict[str, str] = {}
    enterprise.credit_code = normalise(enterprise.credit_code)
    try:
        enterprise.full_clean(exclude=["unit", "park", "investor", "project", "created_by"])
    except DjangoValidationError as error:
        errors.update({f: m[0] for f, m in error.message_dict.items()})
    county = county_of(enterprise.unit)
    park = enterprise.park
    if park is not None and (park.kind != UnitKind.PARK or not tree.is_within(park.path, county.path)):
        errors["park"] = _("The park must be a park of %(county)s.") % {"county": county}
    project = enterprise.project
    if project is not None:
        if project.stage != Stage.OPERATING:
            errors["project"] = _("Only a project in production becomes a landed enterprise.")
        elif not tree.is_within(project.unit.path, county.path):
            errors["project"] = _("The project must be one of %(county)s.") % {"county": county}
        elif Enterprise.objects.filter(project=project).exclude(pk=enterprise.pk).exists():
            errors["project"] = _("This project is registered as an enterprise already.")
    code = enterprise.credit_code
    if code and Enterprise.objects.filter(credit_code=code).exclude(pk=enterprise.pk).exists():
        errors["credit_code"] = _("An enterprise with this credit code is registered already.")
    allowed = set(eligible_stewards(enterprise.unit).values_list("pk", flat=True))
    if any(s.pk not in allowed for s in stewards):
        errors["stewards"] = _("The steward officials must be users of %(county)s.") % {"county": county}
    if errors:
        raise ValidationError(errors)


def snapshot(enterprise: Enterprise) -> dict[str, Any]:
    data = audit.snapshot(enterprise)
    data["stewards"] = sorted(enterprise.stewards.values_list("pk", flat=True))
    return data


@transaction.atomic
def register_enterprise(
    *, by: Person | None, data: dict[str, Any], stewards: Iterable[User] = ()
) -> Enterprise:
    """Register a landed enterprise at ``data["unit"]`` (its operator and the bureau)."""
    unit = data["unit"]
    if by is not None and not user_can(by, Action.CREATE, unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not register enterprises of %(unit)s.") % {"unit": unit})
    stewards = list(stewards)
    enterprise = Enterprise(**{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
    enterprise.created_by = by if getattr(by, "is_authenticated", False) else None
    _check(enterprise, stewards)
    enterprise.save()
    enterprise.stewards.set(stewards)
    audit.record(audit.Entry.Action.CREATE, enterprise, by=by, unit=unit, after=snapshot(enterprise))
    return enterprise


def from_project(project: Project) -> dict[str, Any]:
    """What a project in production hands to its enterprise: name, unit, park, investor, industry,
    land and the date it went into production."""
    investor = project.investors.order_by("pk").first()
    return {
        "name": investor.name if investor is not None else project.name,
        "credit_code": getattr(investor, "credit_code", "") or "",
        "unit": project.unit,
        "park": project.park,
        "investor": investor,
        "project": project,
        "sector": project.sector,
        "industry_section": project.industry_section,
        "land_mu": project.land_mu,
        "operating_on": project.operating_on,
        "longitude": project.longitude,
        "latitude": project.latitude,
    }


@transaction.atomic
def register_from_project(
    project: Project, *, by: Person | None, stewards: Iterable[User] = (), **overrides: Any
) -> Enterprise:
    """Register the enterprise of a project that has reached 投產, keeping the link to the project
    (the project itself is not changed)."""
    project = Project.objects.select_related("unit", "park").get(pk=project.pk)
    return register_enterprise(by=by, data={**from_project(project), **overrides}, stewards=stewards)


def operating_unregistered(user: Person) -> QuerySet:
    """Projects in production the user may see that have no enterprise yet: the ones to register."""
    return (
        Project.objects.visible_to(user)
        .filter(stage=Stage.OPERATING, enterprise__isnull=True)
        .select_related("unit")
        .order_by("-operating_on", "pk")
    )


@transaction.atomic
def update_enterprise(
    enterprise: Enterprise, *, by: Person | None, data: dict[str, Any], stewards: Iterable[User] | None = None
) -> Enterprise:
    enterprise = for_update(Enterprise.objects).get(pk=enterprise.pk)
    if by is not None and not user_can(by, Action.EDIT, enterprise.unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not change the enterprises of %(unit)s.") % {"unit": enterprise.unit})
    before = snapshot(enterprise)
    for name, value in data.items():
        if name in ENTERPRISE_FIELDS and name not in ("unit", "project"):
            setattr(enterprise, name, value)
    stewards = list(stewards) if stewards is not None else list(enterprise.stewards.all())
    _check(enterprise, stewards)
    enterprise.save()
    enterprise.stewards.set(stewards)
    sync_returns(enterprise)  # the key flag decides whether its returns count in the ledger
    after = snapshot(enterprise)
    if after != before:
        audit.record(
            audit.Entry.Action.UPDATE, enterprise, by=by, unit=enterprise.unit, before=before, after=after
        )
    return enterprise


# --- quarterly returns ------------------------------------------------------------------------


def _require(by: Person | None, action: str, enterprise: Enterprise) -> None:
    if by is not None and not user_can(by, action, enterprise.unit, on=ObjectType.PROJECT):
        raise OutOfScope(
            _("You may not do this for the enterprises of %(unit)s.") % {"unit": enterprise.unit}
        )


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def past_quarters(count: int, today: dt.date | None = None) -> list[tuple[int, int]]:
    """The ``count`` quarters before the current one, oldest first."""
    year, quarter = current_quarter(today)
    done = []
    for _step in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        done.append((year, quarter))
    return list(reversed(done))


def _check_period(year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("The quarter is 1, 2, 3 or 4.")})
    if (year, quarter) > current_quarter() or year < 2000:
        raise ValidationError({"year": _("A return is for a past or the current quarter.")})


@transaction.atomic
def record_return(
    enterprise: Enterprise,
    *,
    by: Person | None,
    year: int,
    quarter: int,
    output: Decimal,
    sales: Decimal,
    tax: Decimal,
    jobs: int,
    energy: Decimal | None = None,
    verified: bool = False,
) -> tuple[QuarterlyReturn, str]:
    """Record (or correct, while not verified; or report again, once withdrawn) an enterprise's
    return for a quarter (a verified one only the bureau corrects: ``correct_return``); ``verified``
    records and verifies in one step (the bureau entering figures it has checked). Returns the
    return and "created", "updated" or "unchanged"."""
    enterprise = for_update(Enterprise.objects).select_related("unit").get(pk=enterprise.pk)
    _require(by, Action.EDIT, enterprise)
    if verified:
        _require(by, Action.VERIFY, enterprise)
    _check_period(year, quarter)
    existing = for_update(QuarterlyReturn.objects).filter(enterprise=enterprise, year=year, quarter=quarter)
    record = existing.first()
    figures = {"output": output, "sales": sales, "tax": tax, "jobs": jobs, "energy": energy}
    if record is not None and record.status == ReturnStatus.VERIFIED:
        if all(getattr(record, k) == v for k, v in figures.items()):
            return record, "unchanged"
        raise ValidationError(_("The return for this quarter is verified already and cannot be changed."))
    outcome = "created" if record is None else "updated"
    before = None if record is None else audit.snapshot(record, exclude=("reported_at",))
    record = record or QuarterlyReturn(enterprise=enterprise, year=year, quarter=quarter)
    for name, value in figures.items():
        setattr(record, name, value)
    record.status = ReturnStatus.REPORTED
    record.return_reason = ""
    record.revision_reason = ""  # a withdrawn quarter reported again starts afresh (the audit keeps why)
    record.reported_by = by if getattr(by, "is_authenticated", False) else None
    if verified:
        record.status = ReturnStatus.VERIFIED
        record.verified_by = record.reported_by
        record.verified_at = timezone.now()
    try:
        record.full_clean(exclude=["enterprise"], validate_unique=False)
    except DjangoValidationError as error:
        raise ValidationError({f: m[0] for f, m in error.message_dict.items()}) from error
    after = audit.snapshot(record, exclude=("reported_at",)) if before is not None else None
    if before is not None and after == before:
        return record, "unchanged"
    record.save()
    action = audit.Entry.Action.CREATE if outcome == "created" else audit.Entry.Action.UPDATE
    _saved(record, enterprise, action, by=by, before=before)
    return record, outcome


def _saved(
    record: QuarterlyReturn,
    enterprise: Enterprise,
    action: str,
    *,
    by: Person | None,
    before: dict[str, Any] | None,
    note: str = "",
) -> None:
    """What follows every write of a return: the ledger's figures of the enterprise again (a
    verified return reaches the ledger: counting.return_figures) and the audit entry."""
    sync_returns(enterprise)
    audit.record(
        action,
        record,
        by=by,
        unit=enterprise.unit,
        before=before,
        after=audit.snapshot(record, exclude=("reported_at",)),
        note=note,
    )


def _decide(record: QuarterlyReturn, by: Person | None, status: str, **fields: Any) -> QuarterlyReturn:
    enterprise = for_update(Enterprise.objects).select_related("unit").get(pk=record.enterprise_id)
    _require(by, Action.VERIFY, enterprise)
    record = for_update(QuarterlyReturn.objects).get(pk=record.pk)
    if record.status != ReturnStatus.REPORTED:
        raise ValidationError(
            _("This return is %(status)s: only a reported return can be decided.")
            % {"status": record.get_status_display()}
        )
    before = audit.snapshot(record, exclude=("reported_at",))
    record.status = status
    for name, value in fields.items():
        setattr(record, name, value)
    record.save(update_fields=["status", *fields])
    action = audit.Entry.Action.VERIFY if status == ReturnStatus.VERIFIED else audit.Entry.Action.UPDATE
    _saved(record, enterprise, action, by=by, before=before)
    return record


@transaction.atomic
def verify_return(record: QuarterlyReturn, *, by: Person | None) -> QuarterlyReturn:
    """The bureau confirms a reported return: from now on it counts."""
    return _decide(
        record,
        by,
        ReturnStatus.VERIFIED,
        verified_by=by if getattr(by, "is_authenticated", False) else None,
        verified_at=timezone.now(),
        return_reason="",
    )


@transaction.atomic
def return_return(record: QuarterlyReturn, *, by: Person | None, reason: str) -> QuarterlyReturn:
    """The bureau sends a reported return back with a reason; the unit corrects and reports again."""
    if not reason.strip():
        raise ValidationError({"return_reason": _("Give the reason for returning the figure.")})
    return _decide(record, by, ReturnStatus.RETURNED, return_reason=reason.strip()[:500])


def _revise(
    record: QuarterlyReturn, by: Person | None, reason: str
) -> tuple[QuarterlyReturn, Enterprise, str]:
    """Lock a verified return and its enterprise for a correction or withdrawal by the bureau (those
    who may verify the enterprise's unit); the reason is required."""
    enterprise = for_update(Enterprise.objects).select_related("unit").get(pk=record.enterprise_id)
    _require(by, Action.VERIFY, enterprise)
    record = for_update(QuarterlyReturn.objects).get(pk=record.pk)
    if record.status != ReturnStatus.VERIFIED:
        raise ValidationError(
            _("This return is %(status)s: only a verified return can be corrected or withdrawn.")
            % {"status": record.get_status_display()}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction or withdrawal.")})
    return record, enterprise, reason[:500]


def _revised(
    record: QuarterlyReturn, enterprise: Enterprise, by: Person | None, before: dict[str, Any], reason: str
) -> QuarterlyReturn:
    """Save a revised return, bring the ledger in line (``sync_returns``: the differences, the later
    quarters' jobs changes included) and record the figures before and after with the reason."""
    record.revision_reason = reason
    record.save()
    _saved(record, enterprise, audit.Entry.Action.UPDATE, by=by, before=before, note=reason)
    return record


@transaction.atomic
def correct_return(
    record: QuarterlyReturn,
    *,
    by: Person | None,
    reason: str,
    output: Decimal,
    sales: Decimal,
    tax: Decimal,
    jobs: int,
    energy: Decimal | None = None,
) -> QuarterlyReturn:
    """The bureau corrects a verified return's figures, with a written reason: the return stays
    verified (by whoever corrected it), the ledger appends the differences and the audit keeps the
    figures before. Figures equal to the verified ones are refused (nothing to correct)."""
    record, enterprise, reason = _revise(record, by, reason)
    figures = {"output": output, "sales": sales, "tax": tax, "jobs": jobs, "energy": energy}
    if all(getattr(record, k) == v for k, v in figures.items()):
        raise ValidationError(_("The figures are the verified ones: there is nothing to correct."))
    before = audit.snapshot(record, exclude=("reported_at",))
    for name, value in figures.items():
        setattr(record, name, value)
    try:
        record.full_clean(exclude=["enterprise"], validate_unique=False)
    except DjangoValidationError as error:
        raise ValidationError({f: m[0] for f, m in error.message_dict.items()}) from error
    record.verified_by = by if getattr(by, "is_authenticated", False) else None
    record.verified_at = timezone.now()
    return _revised(record, enterprise, by, before, reason)


@transaction.atomic
def withdraw_return(record: QuarterlyReturn, *, by: Person | None, reason: str) -> QuarterlyReturn:
    """The bureau withdraws a verified return, with a written reason: it counts no longer (the ledger
    takes its figures back and the next quarter's jobs change follows), its figures stay on record,
    and its unit may report the quarter again."""
    record, enterprise, reason = _revise(record, by, reason)
    before = audit.snapshot(record, exclude=("reported_at",))
    record.status = ReturnStatus.WITHDRAWN
    return _revised(record, enterprise, by, before, reason)


# --- service visits (走訪) ----------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return first, last


def unvisited(enterprises: QuerySet, today: dt.date | None = None) -> QuerySet:
    """The enterprises without a visit in the quarter of ``today``."""
    first, last = quarter_bounds(*current_quarter(today))
    visited = Visit.objects.filter(enterprise=OuterRef("pk"), visited_on__range=(first, last))
    return enterprises.filter(~Exists(visited))


@transaction.atomic
def record_visit(
    enterprise: Enterprise,
    *,
    by: Person | None,
    visited_on: dt.date,
    visitors: str,
    findings: str,
    problems: str = "",
) -> Visit:
    """Record a visit (the enterprise's stewards, its unit and the bureau); problems the enterprise
    raised become a request for coordination of the enterprise's unit, through the coordination
    flow's own service (``source`` names the visit)."""
    enterprise = Enterprise.objects.select_related("unit", "project__unit").get(pk=enterprise.pk)
    _require(by, Action.EDIT, enterprise)
    errors: dict[str, str] = {}
    if problem := date_problem(visited_on):
        errors["visited_on"] = problem
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("The date cannot be in the future.")
    errors.update(blank_errors(visitors=visitors, findings=findings))
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        enterprise=enterprise,
        visited_on=visited_on,
        visitors=visitors.strip()[:300],
        findings=findings.strip(),
        problems=problems.strip(),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if visit.problems:
        project = enterprise.project
        visit.request = raise_request(
            kind=RequestKind.STAFF_PROBLEM,
            title=(_("%(enterprise)s: problem raised on a visit") % {"enterprise": enterprise.name})[:200],
            description=visit.problems,
            unit=enterprise.unit,
            by=by,
            project=project
            if project is not None and tree.is_within(project.unit.path, enterprise.unit.path)
            else None,
            source=f"enterprise-visit:{visit.pk}",
            raised_on=visited_on,
        )
        visit.save(update_fields=["request"])
    audit.record(audit.Entry.Action.CREATE, visit, by=by, unit=enterprise.unit, after=audit.snapshot(visit))
    return visit


def operating_unregistered_in(unit: Unit) -> QuerySet:
    """Projects in production in ``unit``'s subtree without an enterprise (for the system's own
    writers, the demo for one)."""
    return (
        Project.objects.filter(tree.subtree_q(unit.path, "unit__path"))
        .filter(stage=Stage.OPERATING, enterprise__isnull=True)
        .select_related("unit", "park")
        .order_by("pk")
    )
