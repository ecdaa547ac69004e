"""Promotion activities in the JSON API: one list of every kind, scoped and filtered like the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.activities import services
from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity
from zhaoshang.activities.schemas import ActivityDetail, ActivityIn, ActivityOut, ActivityPatch, StepIn
from zhaoshang.activities.tables import ACTIVITY_LIST, PREFETCH, SELECT
from zhaoshang.core import api
from zhaoshang.core.paging import LIST_COUNT_CAP
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.investors.models import Investor
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

router = Router()
RENAME = {"unit": "unit_id", "office": "office_id", "investors": "investor_ids", "projects": "project_ids"}


def _queryset(user: User) -> QuerySet:
    return Activity.objects.visible_to(user).select_related(*SELECT).prefetch_related(*PREFETCH, "steps")


list_activities = api.list_operation(
    router,
    "",
    ActivityOut,
    ACTIVITY_LIST,
    name="list_activities",
    summary="List promotion activities",
    description="Trips, visits, inquiries, fairs and resident offices of your subtree, filtered like the "
    "activity list page.",
    count_cap=LIST_COUNT_CAP,
)


read_activity = api.read_operation(
    router, "/{activity_id}", ActivityDetail, _queryset, name="read_activity", summary="Read an activity"
)


def _links(user: User, ids: list[int] | None, model: Any, field: str, errors: dict[Any, list[str]]) -> Any:
    if ids is None:
        return None
    found = list(model.objects.visible_to(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        errors[field] = [_("Unknown investor.") if field == "investor_ids" else _("Unknown project.")]
    return found


@router.post(
    "",
    response={201: ActivityDetail, **api.CREATE_ERRORS},
    summary="Record a promotion activity",
    description="Fields that do not belong to the kind are ignored. A visit's number of people and a "
    "trip count in the ledger (接待客商 人次, 外出招商 次) for the unit, in the month it began.",
)
def create_activity(request: AuthedRequest, payload: ActivityIn) -> Status[Activity]:
    user = request.user
    api.require(user, Action.CREATE, ObjectType.ACTIVITY)
    data = payload.dict(exclude={"unit_id", "office_id", "investor_ids", "project_ids"})
    errors: dict[Any, list[str]] = {}
    data["unit"] = (
        Unit.objects.where(user, Action.CREATE, on=ObjectType.ACTIVITY).filter(pk=payload.unit_id).first()
    )
    if data["unit"] is None:
        errors["unit_id"] = [_("Unknown unit.")]
    data["office"] = None
    if payload.office_id is not None:
        data["office"] = (
            Activity.objects.visible_to(user).filter(pk=payload.office_id, kind=ActivityKind.OFFICE).first()
        )
        if data["office"] is None:
            errors["office_id"] = [_("Choose a resident office.")]
    investors = _links(user, payload.investor_ids, Investor, "investor_ids", errors)
    projects = _links(user, payload.project_ids, Project, "project_ids", errors)
    if errors:
        raise api.field_errors(errors)
    with api.service_call(RENAME):
        activity = services.create_activity(by=user, data=data, investors=investors, projects=projects)
    return Status(201, _queryset(user).get(pk=activity.pk))


@router.delete(
    "/{activity_id}",
    response={204: None, **api.ERRORS},
    summary="Delete an activity",
    description="What it counted in the ledger is taken back.",
)
def delete_activity(request: AuthedRequest, activity_id: int) -> Status[None]:
    activity = api.scoped_object(Activity, request.user, activity_id, Action.DELETE)
    services.delete_activity(activity, by=request.user)
    return Status(204, None)


@router.patch(
    "/{activity_id}",
    response={200: ActivityDetail, **api.ERRORS},
    summary="Change an activity",
    description="Only the fields sent change; the ledger follows (a visit's people, a trip's month).",
)
def update_activity(request: AuthedRequest, activity_id: int, payload: ActivityPatch) -> Activity:
    user = request.user
    activity = api.scoped_object(Activity, user, activity_id, Action.EDIT)
    data = payload.dict(exclude_unset=True, exclude={"unit_id", "investor_ids", "project_ids"})
    for key in [k for k, v in data.items() if v is None]:
        if not Activity._meta.get_field(key).null:
            data[key] = ""
    errors: dict[Any, list[str]] = {}
    if payload.unit_id is not None:
        units = Unit.objects.where(user, Action.EDIT, on=ObjectType.ACTIVITY)
        data["unit"] = units.filter(pk=payload.unit_id).first()
        if data["unit"] is None:
            errors["unit_id"] = [_("Unknown unit.")]
    investors = _links(user, payload.investor_ids, Investor, "investor_ids", errors)
    projects = _links(user, payload.project_ids, Project, "project_ids", errors)
    if errors:
        raise api.field_errors(errors)
    with api.service_call(RENAME):
        services.update_activity(activity, by=user, data=data, investors=investors, projects=projects)
    return _queryset(user).get(pk=activity.pk)


@router.post(
    "/{activity_id}/steps",
    response={200: ActivityDetail, **api.ERRORS},
    summary="Record a step of an inquiry's response clock",
    description="Steps are recorded in order (response, assessment, feedback), once each, not in the future.",
)
def record_step(request: AuthedRequest, activity_id: int, payload: StepIn) -> Activity:
    user = request.user
    activity = api.scoped_object(Activity, user, activity_id, Action.EDIT)
    with api.service_call():
        services.record_step(activity, payload.step, by=user, on=payload.done_on, note=payload.note)
    return _queryset(user).get(pk=activity.pk)
