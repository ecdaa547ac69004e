"""Every write to requests for coordination: raise, accept (or reject), reply, close with a rating
(or reopen), comment. Each is one transaction that checks the status and who acts, appends to the
request's timeline and writes the audit entry.

Who acts on which side:

* the bureau (``verify`` on requests at the county of the requesting unit) accepts, assigns and
  rejects;
* the owner unit's own people (``edit`` held at the owner unit or below it) reply;
* the requesting unit's own people (``edit`` held at the requesting unit or below it) close, rate
  and reopen.

A role higher up the tree sees both sides but does not act for either: a county bureau
administrator does not answer for the department it assigned, nor rate in a township's name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.coordination.choices import TRANSITIONS, ActivityKind, RequestKind, RequestStatus
from zhaoshang.coordination.models import Activity, CoordinationRequest
from zhaoshang.core import tree
from zhaoshang.core.actors import actor_name
from zhaoshang.core.dates import date_problem
from zhaoshang.core.deadlines import Light, add_working_days
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import acts_for, user_can
from zhaoshang.core.text import blank_errors
from zhaoshang.core.uploads import check_attachment
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

# A complaint or inquiry comes from a landed enterprise (外来企业): a project under construction or
# in production.
LANDED = frozenset({Stage.STARTED, Stage.COMPLETED, Stage.OPERATING})


def county_of(unit: Unit) -> Unit:
    """The county (or nearest government above counties) around a unit: the bureau that accepts
    its requests and the range of units that may own them."""
    return Unit.objects.county_of(unit) or unit


def is_bureau_for(user: User, request: CoordinationRequest) -> bool:
    return user_can(user, Action.VERIFY, county_of(request.unit), on=ObjectType.REQUEST)


def may_reply(user: User, request: CoordinationRequest) -> bool:
    return request.owner_unit is not None and acts_for(
        user, Action.EDIT, request.owner_unit, on=ObjectType.REQUEST
    )


def may_evaluate(user: User, request: CoordinationRequest) -> bool:
    return acts_for(user, Action.EDIT, request.unit, on=ObjectType.REQUEST)


def may_comment(user: User, request: CoordinationRequest) -> bool:
    return CoordinationRequest.objects.visible_to(user, Action.EDIT).filter(
        pk=request.pk
    ).exists() or is_bureau_for(user, request)


def default_deadline(kind: str, accepted_on: dt.date) -> dt.date:
    """The deadline a request gets when the bureau names none: working days per kind (settings)."""
    return add_working_days(accepted_on, settings.REQUEST_DEADLINE_WORKING_DAYS[kind])


def allowed_transitions(request: CoordinationRequest) -> frozenset[str]:
    return TRANSITIONS[RequestStatus(request.status)]


# --- helpers ------------------------------------------------------------------------------------


def _actor(by: User | None) -> Any:
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _lock(request: CoordinationRequest) -> CoordinationRequest:
    return for_update(CoordinationRequest.objects).select_related("unit", "owner_unit").get(pk=request.pk)


def _refuse_move(request: CoordinationRequest, to: str) -> None:
    if to not in allowed_transitions(request):
        raise ValidationError(
            _("This request is %(status)s: it cannot become %(to)s.")
            % {"status": request.get_status_display(), "to": RequestStatus(to).label}
        )


def _day(on: dt.date | None, earliest: dt.date | None) -> dt.date:
    """The day of a step (today by default): never in the future, never before the step before it."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if earliest is not None and on < earliest:
        raise ValidationError({"on": _("The date cannot be before the previous step.")})
    return on


def _log(
    request: CoordinationRequest,
    kind: str,
    *,
    by: User | None,
    text: str = "",
    file: Any = None,
    unit: Unit | None = None,
) -> Activity:
    activity = Activity(
        request=request,
        kind=kind,
        text=text,
        by=_actor(by),
        by_name=actor_name(by),
        unit_name=str(unit) if unit is not None else "",
    )
    if file is not None:
        activity.file = file
    activity.save()
    return activity


def _save(
    request: CoordinationRequest, before: dict[str, Any], *, by: User | None, note: str
) -> CoordinationRequest:
    return audit.save_change(request, before, by=by, unit=request.unit, note=note)


# --- the flow: report → accept → reply → evaluate ------------------------------------------------


@transaction.atomic
def raise_request(
    *,
    kind: str,
    title: str,
    description: str,
    unit: Unit,
    by: User | None,
    project: Project | None = None,
    source: str = "",
    raised_on: dt.date | None = None,
    file: Any = None,
) -> CoordinationRequest:
    """Raise a request in the name of ``unit``. Other apps call this (a dispatch progress report
    passes ``source="dispatch-report:<id>"``); ``by=None`` is the system. The request waits for the
    bureau to accept it."""
    if by is not None and not user_can(by, Action.CREATE, unit, on=ObjectType.REQUEST):
        raise OutOfScope(_("You may not raise requests for %(unit)s.") % {"unit": unit})
    errors: dict[str, str] = {}
    if kind not in RequestKind.values:
        errors["kind"] = _("Unknown kind of request.")
    errors.update(blank_errors(title=title, description=description))
    if project is not None:
        if by is not None and not Project.objects.visible_to(by).filter(pk=project.pk).exists():
            errors["project"] = _("Unknown project.")
        elif not tree.is_within(project.unit.path, unit.path):
            # Everyone at the requesting unit will see the request: it may only name that unit's
            # own projects, or a caller above both units could show one unit another's project.
            errors["project"] = _("The project must belong to %(unit)s.") % {"unit": unit}
        elif kind in (RequestKind.COMPLAINT, RequestKind.INQUIRY) and project.stage not in LANDED:
            errors["project"] = _(
                "Complaints and inquiries come from landed enterprises: the project must be started, "
                "completed or in production."
            )
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        errors["raised_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    check_attachment(file)
    request = CoordinationRequest.objects.create(
        kind=kind,
        title=title.strip()[:200],
        description=description.strip(),
        unit=unit,
        raised_by=_actor(by),
        raised_by_name=actor_name(by),
        project=project,
        source=source[:100],
        raised_on=raised_on,
    )
    _log(request, ActivityKind.RAISED, by=by, text=request.description, file=file, unit=unit)
    audit.record(audit.Entry.Action.CREATE, request, by=by, unit=unit, after=audit.snapshot(request))
    return request


@transaction.atomic
def accept_request(
    request: CoordinationRequest,
    *,
    by: User | None,
    owner_unit: Unit,
    deadline: dt.date | None = None,
    note: str = "",
    on: dt.date | None = None,
) -> CoordinationRequest:
    """The bureau accepts a request and assigns it to an owner unit of the county with a deadline
    (by default the kind's working days from today)."""
    request = _lock(request)
    if by is not None and not is_bureau_for(by, request):
        raise OutOfScope(_("Only the investment promotion bureau accepts and assigns requests."))
    _refuse_move(request, RequestStatus.ACCEPTED)
    on = _day(on, request.raised_on)
    county = county_of(request.unit)
    if not tree.is_within(owner_unit.path, county.path) or not owner_unit.is_active:
        raise ValidationError(
            {"owner_unit": _("The owner unit must be a unit of %(county)s.") % {"county": county}}
        )
    deadline = deadline or default_deadline(request.kind, on)
    if deadline < on:
        raise ValidationError({"deadline": _("The deadline cannot be before the day of acceptance.")})
    if problem := date_problem(deadline):
        raise ValidationError({"deadline": problem})
    before = audit.snapshot(request)
    request.status = RequestStatus.ACCEPTED
    request.owner_unit = owner_unit
    request.accepted_on = on
    request.deadline = deadline
    text = _("Assigned to %(unit)s, due %(deadline)s.") % {
        "unit": owner_unit,
        "deadline": deadline.isoformat(),
    }
    _log(request, ActivityKind.ACCEPTED, by=by, text=f"{text} {note}".strip(), unit=county)
    return _save(request, before, by=by, note="accepted")


@transaction.atomic
def reject_request(request: CoordinationRequest, *, by: User | None, reason: str) -> CoordinationRequest:
    """The bureau declines a request, saying why (not a matter for coordination, a duplicate …)."""
    request = _lock(request)
    if by is not None and not is_bureau_for(by, request):
        raise OutOfScope(_("Only the investment promotion bureau accepts and assigns requests."))
    _refuse_move(request, RequestStatus.REJECTED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    before = audit.snapshot(request)
    request.status = RequestStatus.REJECTED
    request.reject_reason = reason.strip()[:500]
    request.closed_on = timezone.localdate()
    _log(request, ActivityKind.REJECTED, by=by, text=request.reject_reason, unit=county_of(request.unit))
    return _save(request, before, by=by, note="rejected")


@transaction.atomic
def reply(
    request: CoordinationRequest,
    *,
    by: User | None,
    text: str,
    final: bool = True,
    file: Any = None,
    on: dt.date | None = None,
) -> CoordinationRequest:
    """The owner unit replies. A progress reply keeps the request in hand; the final answer marks
    it answered (its light turns done, or done late) and waits for the requester's evaluation."""
    request = _lock(request)
    if by is not None and not may_reply(by, request):
        raise OutOfScope(_("Only the owner unit replies to this request."))
    if request.status not in (RequestStatus.ACCEPTED, RequestStatus.ANSWERED):
        raise ValidationError(
            _("This request is %(status)s: it cannot be replied to.")
            % {"status": request.get_status_display()}
        )
    if not text.strip():
        raise ValidationError({"text": _("Write the reply.")})
    check_attachment(file)
    on = _day(on, request.accepted_on)
    before = audit.snapshot(request)
    if final and request.status == RequestStatus.ACCEPTED:
        request.status = RequestStatus.ANSWERED
        request.answered_on = on
    kind = ActivityKind.ANSWERED if final else ActivityKind.PROGRESS
    _log(request, kind, by=by, text=text.strip(), file=file, unit=request.owner_unit)
    return _save(request, before, by=by, note=kind)


@transaction.atomic
def close_request(
    request: CoordinationRequest,
    *,
    by: User | None,
    rating: int,
    comment: str = "",
    on: dt.date | None = None,
) -> CoordinationRequest:
    """The requesting side accepts the answer and rates it from 1 to 5."""
    request = _lock(request)
    if by is not None and not may_evaluate(by, request):
        raise OutOfScope(_("Only the requesting unit evaluates the answer."))
    _refuse_move(request, RequestStatus.CLOSED)
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate the answer from 1 to 5.")})
    before = audit.snapshot(request)
    request.status = RequestStatus.CLOSED
    request.rating = rating
    request.rating_comment = comment.strip()[:500]
    request.closed_on = _day(on, request.answered_on)
    text = f"{'★' * rating}{'☆' * (5 - rating)} {request.rating_comment}".strip()
    _log(request, ActivityKind.CLOSED, by=by, text=text, unit=request.unit)
    return _save(request, before, by=by, note="closed")


@transaction.atomic
def reopen_request(request: CoordinationRequest, *, by: User | None, reason: str) -> CoordinationRequest:
    """The requesting side does not accept the answer: back to the owner unit, same deadline."""
    request = _lock(request)
    if by is not None and not may_evaluate(by, request):
        raise OutOfScope(_("Only the requesting unit evaluates the answer."))
    _refuse_move(request, RequestStatus.ACCEPTED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is not accepted.")})
    before = audit.snapshot(request)
    request.status = RequestStatus.ACCEPTED
    request.answered_on = None
    _log(request, ActivityKind.REOPENED, by=by, text=reason.strip(), unit=request.unit)
    return _save(request, before, by=by, note="reopened")


@transaction.atomic
def add_comment(request: CoordinationRequest, *, by: User, text: str, file: Any = None) -> Activity:
    """A comment (or a file) from either side or the bureau, in any state."""
    request = _lock(request)
    if by is not None and not may_comment(by, request):
        raise OutOfScope(_("You may not comment on this request."))
    if not text.strip() and file is None:
        raise ValidationError({"text": _("Write a comment or attach a file.")})
    check_attachment(file)
    activity = _log(request, ActivityKind.COMMENT, by=by, text=text.strip(), file=file)
    audit.record(
        audit.Entry.Action.CREATE, activity, by=by, unit=request.unit, after=audit.snapshot(activity)
    )
    return activity


# --- lights ---------------------------------------------------------------------------------------


def overdue(queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Accepted requests past their deadline and not answered (red), oldest deadline first."""
    today = today or timezone.localdate()
    return queryset.filter(status=RequestStatus.ACCEPTED, deadline__lt=today).order_by("deadline", "id")


def light_counts(queryset: QuerySet, today: dt.date | None = None) -> list[tuple[Unit, dict[str, int]]]:
    """Per owner unit, how many of its requests stand at each light (accepted ones and later)."""
    today = today or timezone.localdate()
    counts: dict[int, Counter[str]] = {}
    units: dict[int, Unit] = {}
    rows = queryset.filter(owner_unit__isnull=False).select_related("owner_unit").order_by()
    for request in rows:
        state = request.light(today)
        if state is None:
            continue
        units[request.owner_unit_id] = request.owner_unit
        counts.setdefault(request.owner_unit_id, Counter())[state] += 1
    ordered = sorted(units.values(), key=lambda u: u.path)
    return [(u, {light.value: counts[u.pk][light] for light in Light}) for u in ordered]
