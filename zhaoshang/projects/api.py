"""The project ledger in the JSON API: the same filter set, sort keys, scoping and services as the
pages, so a rule is never different here."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core import api
from zhaoshang.core.paging import LIST_COUNT_CAP, Page, PageParams, page_of
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.investors.models import Investor
from zhaoshang.investors.services import create_investor
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.forms import credit_units
from zhaoshang.projects.models import Project
from zhaoshang.projects.schemas import (
    CreditIn,
    NewInvestorIn,
    ProjectDetail,
    ProjectFieldsIn,
    ProjectIn,
    ProjectPatch,
    ProjectSummary,
    StageChangeIn,
    TransitionsOut,
)
from zhaoshang.projects.tables import PREFETCH, PROJECT_LIST, SELECT, project_records
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

router = Router()

# Field names of the services' errors, as the API calls them.
RENAME = {"unit": "unit_id", "park": "park_id"}
_RELATIONS = ("investor_ids", "new_investors", "credits", "stewards")


def detail_queryset(user: User) -> QuerySet:
    """Projects the user may see, with everything the detail shows in a fixed number of queries."""
    return (
        Project.objects.visible_to(user)
        .select_related(*SELECT)
        .prefetch_related(*PREFETCH, "approvals", "stage_changes")
    )


class References:
    """Resolves the ids of a request among what the user may see and collects those it cannot
    find: an id of another subtree is reported exactly like a missing one, never as 404 or 403."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.errors: dict[Any, list[str]] = {}

    def check(self) -> None:
        if self.errors:
            raise api.field_errors(self.errors)

    def unit(
        self, pk: int, field: str | tuple[str | int, ...], queryset: QuerySet | None = None
    ) -> Unit | None:
        queryset = Unit.objects.visible_to(self.user) if queryset is None else queryset
        unit = queryset.filter(pk=pk).first()
        if unit is None:
            self.errors[field] = [_("Unknown unit.")]
        return unit

    def project_data(self, payload: ProjectFieldsIn) -> dict[str, Any]:
        """The project fields sent, with unit and park ids resolved to units."""
        data = payload.dict(exclude_unset=True, exclude={*_RELATIONS, "stage", "code", "version"})
        for field in _RELATIONS:
            if field in payload.model_fields_set and getattr(payload, field) is None:
                self.errors[field] = [_("This field cannot be null.")]
        for field, name in (("unit_id", "unit"), ("park_id", "park")):
            if field in data:
                pk = data.pop(field)
                data[name] = None if pk is None else self.unit(pk, field)
        if "introducer_investor_id" in data:
            pk = data.pop("introducer_investor_id")
            data["introducer_investor"] = (
                None if pk is None else self.record(Investor, pk, "introducer_investor_id")
            )
        if "phase_of_id" in data:
            pk = data.pop("phase_of_id")
            data["phase_of"] = None if pk is None else self.record(Project, pk, "phase_of_id")
        return data

    def record(self, model: Any, pk: int, field: str) -> Any:
        """An investor or project the user may see, else an error like a missing one."""
        found = model.objects.visible_to(self.user).filter(pk=pk).first()
        if found is None:
            self.errors[field] = [_("Unknown record.")]
        return found

    def investors(self, ids: list[int], project: Project | None) -> list[Investor]:
        """Investors on file that the user may see, or that the project already names."""
        visible = Investor.objects.visible_to(self.user).filter(pk__in=ids)
        found = {i.pk: i for i in visible}
        if project is not None:
            found.update({i.pk: i for i in project.investors.filter(pk__in=ids)})
        missing = [pk for pk in ids if pk not in found]
        if missing:
            self.errors["investor_ids"] = [
                _("Unknown investor: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            ]
        return [found[pk] for pk in dict.fromkeys(ids) if pk in found]

    def credits(self, unit: Unit | None, credits: list[CreditIn]) -> list[tuple[Unit, Decimal]]:
        """Credited units, among those the project page offers: the county around the project."""
        if unit is None:
            return []
        units = credit_units(self.user, unit)
        resolved = []
        for index, credit in enumerate(credits):
            found = self.unit(credit.unit_id, ("credits", index, "unit_id"), units)
            if found is not None:
                resolved.append((found, credit.share))
        return resolved


def _record_investors(user: User, new: list[NewInvestorIn] | None, unit: Unit) -> list[Investor]:
    """New investors go through the investor service (scope check, validation, audit trail)."""
    recorded = []
    for index, investor in enumerate(new or []):
        try:
            recorded.append(create_investor(by=user, data={**investor.dict(), "unit": unit}))
        except ValidationError as error:
            raise api.field_errors({("new_investors", index): error.messages}) from error
    return recorded


def _stewards(payload: ProjectFieldsIn) -> list[services.StewardData] | None:
    if payload.stewards is None:
        return None
    return [services.StewardData(s.name, s.position, s.phone) for s in payload.stewards]


# Not a list_operation: the page is read as value records (see list_projects), through the same
# source as the generic operation and the list page (PROJECT_LIST).
@router.get(
    "",
    response={200: Page[ProjectSummary], **api.READ_ERRORS},
    openapi_extra=api.source_parameters(PROJECT_LIST),
    summary="List projects",
    description=api.source_description(
        PROJECT_LIST,
        "Projects of your subtree (and those credited to it), filtered like the project list page.",
    ),
)
def list_projects(request: AuthedRequest, params: Query[PageParams]) -> HttpResponse:
    queryset = api.source_queryset(PROJECT_LIST, request, params.sort)
    # The page is read as value records and written by the schema's plain twin (decisions.md
    # section 24): model instances, their related managers and django-ninja's per-field resolution
    # were most of a request's time.
    page = page_of(queryset, params, LIST_COUNT_CAP, rows=project_records)
    return api.plain_response(request, Page[ProjectSummary], page)


read_project = api.read_operation(
    router, "/{project_id}", ProjectDetail, detail_queryset, name="read_project", summary="Read a project"
)


@router.post(
    "",
    response={201: ProjectDetail, **api.CREATE_ERRORS},
    summary="Record a project",
    description="Needs the right to record projects at unit_id. Without credits, the location unit "
    "is credited with 100%.",
)
def create_project(request: AuthedRequest, payload: ProjectIn) -> Status[Project]:
    user = request.user
    api.require(user, Action.CREATE, ObjectType.PROJECT)
    refs = References(user)
    data = refs.project_data(payload)
    unit = data.get("unit")
    investors = refs.investors(payload.investor_ids or [], None)
    credits = refs.credits(unit, payload.credits) if payload.credits else None
    refs.check()
    assert unit is not None  # unit_id is required, and check() refused an unknown one
    with api.service_call(RENAME), transaction.atomic():
        investors += _record_investors(user, payload.new_investors, unit)
        project = services.create_project(
            by=user,
            data=data,
            stage=payload.stage,
            code=payload.code,
            investors=investors,
            credits=credits,
            stewards=_stewards(payload) or [],
        )
    return Status(201, detail_queryset(user).get(pk=project.pk))


@router.patch(
    "/{project_id}",
    response={200: ProjectDetail, **api.WRITE_ERRORS},
    summary="Change a project",
    description="Only the fields sent change. investor_ids, credits and stewards replace the whole "
    "list; new_investors are added to the investors.",
)
def update_project(request: AuthedRequest, project_id: int, payload: ProjectPatch) -> Project:
    user = request.user
    project = api.scoped_object(Project, user, project_id, Action.EDIT)
    refs = References(user)
    data = refs.project_data(payload)
    unit = data.get("unit", project.unit)
    sent = payload.model_fields_set
    investors = None
    if {"investor_ids", "new_investors"} & sent:
        ids = payload.investor_ids
        investors = list(project.investors.all()) if ids is None else refs.investors(ids, project)
    credits = refs.credits(unit, payload.credits) if payload.credits is not None else None
    refs.check()
    with api.service_call(RENAME), transaction.atomic():
        if investors is not None:
            investors += _record_investors(user, payload.new_investors, unit)
        services.update_project(
            project,
            by=user,
            data=data,
            investors=investors,
            credits=credits,
            stewards=_stewards(payload),
            expected_version=payload.version,
        )
    return detail_queryset(user).get(pk=project.pk)


@router.post(
    "/{project_id}/stage",
    response={200: ProjectDetail, **api.WRITE_ERRORS},
    summary="Move a project to another stage",
    description="Follows the stage machine (see the transitions operation); the move is recorded "
    "with its date, your name and the note.",
)
def change_stage(request: AuthedRequest, project_id: int, payload: StageChangeIn) -> Project:
    user = request.user
    project = api.scoped_object(Project, user, project_id, Action.CHANGE_STAGE)
    with api.service_call({"stage": "to_stage"}):
        services.change_stage(
            project,
            payload.to_stage,
            by=user,
            on=payload.on,
            note=payload.note,
            drop_reason=payload.drop_reason,
            contracted_amount=payload.contracted_amount,
            expected_version=payload.version,
        )
    return detail_queryset(user).get(pk=project.pk)


@router.get(
    "/{project_id}/transitions",
    response={200: TransitionsOut, **api.READ_ERRORS},
    summary="Stages a project may move to next",
)
def transitions(request: AuthedRequest, project_id: int) -> dict[str, Any]:
    user = request.user
    project = api.scoped_object(Project, user, project_id)
    movable = Project.objects.visible_to(user, Action.CHANGE_STAGE).filter(pk=project.pk).exists()
    allowed = services.allowed_transitions(project) if movable else []
    return {
        "stage": project.stage,
        "stage_label": str(project.get_stage_display()),
        "can_change_stage": movable,
        "transitions": [{"stage": s, "label": str(Stage(s).label)} for s in allowed],
    }
