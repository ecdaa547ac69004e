"""Requests for coordination in the JSON API (/api/requests): the same filter set, table, scoping
and services as the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.coordination import services
from zhaoshang.coordination.choices import RequestKind
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.coordination.tables import REQUEST_LIST, SELECT
from zhaoshang.core import api
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

router = Router()
RENAME = {"unit": "unit_id", "owner_unit": "owner_unit_id", "project": "project_id"}


class RequestActivityOut(Schema):
    """One entry of a request's history (not a promotion activity: the name is the schema's in OpenAPI)."""

    kind: str
    text: str
    by_name: str
    unit_name: str
    at: dt.datetime
    has_file: bool

    @staticmethod
    def resolve_has_file(obj: Any) -> bool:
        return bool(obj.file)


class RequestOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    raised_by_name: str
    project_id: int | None
    source: str
    owner_unit_id: int | None
    owner_unit_name: str | None
    status: str
    raised_on: dt.date
    accepted_on: dt.date | None
    deadline: dt.date | None
    answered_on: dt.date | None
    closed_on: dt.date | None
    light: str | None = Field(None, description="green, yellow, red, done or done_late once accepted")
    rating: int | None
    rating_comment: str
    reject_reason: str

    @staticmethod
    def resolve_owner_unit_name(obj: CoordinationRequest) -> str | None:
        return obj.owner_unit.name if obj.owner_unit else None

    @staticmethod
    def resolve_light(obj: CoordinationRequest) -> str | None:
        state = obj.light()
        return state.value if state else None


class RequestDetail(RequestOut):
    activities: list[RequestActivityOut]

    @staticmethod
    def resolve_activities(obj: CoordinationRequest) -> list[Any]:
        return list(obj.activities.all())


class RequestIn(Schema):
    kind: RequestKind
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    unit_id: int
    project_id: int | None = None


class AcceptIn(Schema):
    owner_unit_id: int
    deadline: api.IsoDate | None = Field(None, description="Empty: the kind's default working days.")
    note: str = Field("", max_length=500)


class ReplyIn(Schema):
    text: str = Field(..., min_length=1)
    final: bool = Field(True, description="false: a progress reply; the request stays in hand")


class CloseIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=500)


class CommentIn(Schema):
    text: str = Field(..., min_length=1)


class LightCountOut(Schema):
    owner_unit_id: int
    owner_unit_name: str
    green: int
    yellow: int
    red: int
    done: int
    done_late: int


class OverdueOut(Schema):
    overdue: list[RequestOut]
    lights: list[LightCountOut]


def _requests(user: User) -> QuerySet:
    return CoordinationRequest.objects.visible_to(user).select_related(*SELECT)


def _detail(user: User, pk: int) -> CoordinationRequest:
    return get_object_or_404(_requests(user), pk=pk)


def _act(
    request: AuthedRequest, request_id: int, service: Callable[..., Any], **data: Any
) -> CoordinationRequest:
    """One step of the flow on a request the user can see, by ``service`` (which decides who may
    take it); the request as it is afterwards."""
    obj = api.scoped_object(CoordinationRequest, request.user, request_id)
    with api.service_call(RENAME):
        service(obj, by=request.user, **data)
    return _detail(request.user, obj.pk)


list_requests = api.list_operation(
    router,
    "",
    RequestOut,
    REQUEST_LIST,
    name="list_requests",
    summary="List requests for coordination",
    description="Requests raised by your subtree or assigned to it.",
)


@router.get("/overdue", response={200: OverdueOut, **api.READ_ERRORS}, summary="Overdue requests and lights")
def overdue(request: AuthedRequest) -> dict[str, Any]:
    visible = CoordinationRequest.objects.visible_to(request.user)
    today = timezone.localdate()
    lights = [
        {"owner_unit_id": unit.pk, "owner_unit_name": unit.name, **row}
        for unit, row in services.light_counts(visible, today)
    ]
    return {"overdue": list(services.overdue(visible, today).select_related(*SELECT)[:500]), "lights": lights}


read_request = api.read_operation(
    router, "/{request_id}", RequestDetail, _requests, name="read_request", summary="Read a request"
)


@router.post(
    "",
    response={201: RequestDetail, **api.CREATE_ERRORS},
    summary="Raise a request",
    description="In the name of unit_id, where you may raise requests; it waits for the bureau.",
)
def raise_request(request: AuthedRequest, payload: RequestIn) -> Status[CoordinationRequest]:
    user = request.user
    api.require(user, Action.CREATE, ObjectType.REQUEST)
    unit = Unit.objects.where(user, Action.CREATE, on=ObjectType.REQUEST).filter(pk=payload.unit_id).first()
    project = None
    errors: dict[str, list[str]] = {}
    if unit is None:
        errors["unit_id"] = [_("Unknown unit.")]
    if payload.project_id is not None:
        project = Project.objects.visible_to(user).filter(pk=payload.project_id).first()
        if project is None:
            errors["project_id"] = [_("Unknown project.")]
    if errors:
        raise api.field_errors(errors)
    assert unit is not None  # else errors held unit_id
    with api.service_call(RENAME):
        created = services.raise_request(
            kind=payload.kind,
            title=payload.title,
            description=payload.description,
            unit=unit,
            by=user,
            project=project,
        )
    return Status(201, _detail(user, created.pk))


@router.post("/{request_id}/accept", response={200: RequestDetail, **api.ERRORS}, summary="Accept and assign")
def accept(request: AuthedRequest, request_id: int, payload: AcceptIn) -> CoordinationRequest:
    obj = api.scoped_object(CoordinationRequest, request.user, request_id)
    county = services.county_of(obj.unit)
    owner = Unit.objects.subtree(county).filter(pk=payload.owner_unit_id, is_active=True).first()
    if owner is None:
        raise api.field_errors({"owner_unit_id": [_("Unknown unit.")]})
    with api.service_call(RENAME):
        services.accept_request(
            obj, by=request.user, owner_unit=owner, deadline=payload.deadline, note=payload.note
        )
    return _detail(request.user, obj.pk)


@router.post("/{request_id}/reject", response={200: RequestDetail, **api.ERRORS}, summary="Reject a request")
def reject(request: AuthedRequest, request_id: int, payload: api.ReasonIn) -> CoordinationRequest:
    return _act(request, request_id, services.reject_request, reason=payload.reason)


@router.post("/{request_id}/reply", response={200: RequestDetail, **api.ERRORS}, summary="Reply (owner unit)")
def reply(request: AuthedRequest, request_id: int, payload: ReplyIn) -> CoordinationRequest:
    return _act(request, request_id, services.reply, text=payload.text, final=payload.final)


@router.post(
    "/{request_id}/close",
    response={200: RequestDetail, **api.ERRORS},
    summary="Accept the answer and rate it",
)
def close(request: AuthedRequest, request_id: int, payload: CloseIn) -> CoordinationRequest:
    return _act(request, request_id, services.close_request, rating=payload.rating, comment=payload.comment)


@router.post(
    "/{request_id}/reopen", response={200: RequestDetail, **api.ERRORS}, summary="Reopen (not solved)"
)
def reopen(request: AuthedRequest, request_id: int, payload: api.ReasonIn) -> CoordinationRequest:
    return _act(request, request_id, services.reopen_request, reason=payload.reason)


@router.post("/{request_id}/comment", response={200: RequestDetail, **api.ERRORS}, summary="Comment")
def comment(request: AuthedRequest, request_id: int, payload: CommentIn) -> CoordinationRequest:
    return _act(request, request_id, services.add_comment, text=payload.text)
