"""Inspections in the JSON API (/api/inspections): the same filter sets, scoping and services as
the pages."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.coordination.services import county_of
from zhaoshang.core import api
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.inspections import services
from zhaoshang.inspections.models import Inspection, RectificationItem, with_visible_items
from zhaoshang.inspections.tables import INSPECTION_LIST, ITEM_LIST
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

router = Router()
RENAME = {"unit": "unit_id", "owner_unit": "owner_unit_id", "project": "project_id"}


class ItemOut(Schema):
    id: int
    inspection_id: int
    description: str
    owner_unit_id: int
    owner_unit_name: str = Field(..., alias="owner_unit.name")
    deadline: dt.date
    status: str
    light: str
    evidence: str
    rectified_on: dt.date | None
    verified_on: dt.date | None
    return_note: str

    @staticmethod
    def resolve_light(obj: RectificationItem) -> str:
        return obj.light().value


class InspectionOut(Schema):
    id: int
    year: int
    quarter: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    project_id: int | None
    inspected_on: dt.date
    inspectors: str
    findings: str
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Inspection) -> list[Any]:
        return list(obj.items.all())


class ItemIn(Schema):
    description: str = Field(..., min_length=1)
    owner_unit_id: int
    deadline: api.IsoDate


class InspectionIn(Schema):
    unit_id: int
    project_id: int | None = None
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    inspected_on: api.IsoDate
    inspectors: str = Field(..., min_length=1, max_length=300)
    findings: str = Field(..., min_length=1)
    items: list[ItemIn] = []


class RectifyIn(Schema):
    evidence: str = Field(..., min_length=1)


def _inspections(user: User) -> QuerySet:
    return with_visible_items(Inspection.objects.visible_to(user).select_related("unit"), user)


def _inspection(user: User, pk: int) -> Inspection:
    return get_object_or_404(_inspections(user), pk=pk)


def _item(user: User, pk: int) -> RectificationItem:
    return get_object_or_404(RectificationItem.objects.visible_to(user).select_related("owner_unit"), pk=pk)


def _owner(county: Unit, pk: int, field: str) -> Unit:
    return api.known_unit(Unit.objects.subtree(county).filter(is_active=True), pk, field)


list_inspections = api.list_operation(
    router,
    "",
    InspectionOut,
    INSPECTION_LIST,
    name="list_inspections",
    summary="List inspections",
)
list_items = api.list_operation(
    router,
    "/items",
    ItemOut,
    ITEM_LIST,
    name="list_items",
    summary="List rectification items (overdue=true: the red ones)",
)


read_inspection = api.read_operation(
    router,
    "/{inspection_id}",
    InspectionOut,
    _inspections,
    name="read_inspection",
    summary="Read an inspection",
)


@router.post("", response={201: InspectionOut, **api.CREATE_ERRORS}, summary="Record an inspection")
def create_inspection(request: AuthedRequest, payload: InspectionIn) -> Status[Inspection]:
    user = request.user
    api.require(user, Action.CREATE, ObjectType.INSPECTION)
    unit = api.known_unit(
        Unit.objects.where(user, Action.CREATE, on=ObjectType.INSPECTION), payload.unit_id, "unit_id"
    )
    project = None
    if payload.project_id is not None:
        project = Project.objects.visible_to(user).filter(pk=payload.project_id).first()
        if project is None:
            raise api.field_errors({"project_id": [_("Unknown project.")]})
    county = county_of(unit)
    items = [
        services.ItemData(i.description, _owner(county, i.owner_unit_id, "items"), i.deadline)
        for i in payload.items
    ]
    with api.service_call(RENAME):
        created = services.create_inspection(
            by=user,
            unit=unit,
            project=project,
            year=payload.year,
            quarter=payload.quarter,
            inspected_on=payload.inspected_on,
            inspectors=payload.inspectors,
            findings=payload.findings,
            items=items,
        )
    return Status(201, _inspection(user, created.pk))


@router.post(
    "/{inspection_id}/items", response={200: InspectionOut, **api.ERRORS}, summary="Add a rectification item"
)
def add_item(request: AuthedRequest, inspection_id: int, payload: ItemIn) -> Inspection:
    inspection = api.scoped_object(Inspection, request.user, inspection_id)
    owner = _owner(county_of(inspection.unit), payload.owner_unit_id, "owner_unit_id")
    with api.service_call(RENAME):
        services.add_item(
            inspection,
            by=request.user,
            description=payload.description,
            owner_unit=owner,
            deadline=payload.deadline,
        )
    return _inspection(request.user, inspection.pk)


@router.post(
    "/items/{item_id}/rectify", response={200: ItemOut, **api.ERRORS}, summary="Report rectified (owner unit)"
)
def rectify(request: AuthedRequest, item_id: int, payload: RectifyIn) -> RectificationItem:
    item = api.scoped_object(RectificationItem, request.user, item_id)
    with api.service_call(RENAME):
        services.report_rectification(item, by=request.user, evidence=payload.evidence)
    return _item(request.user, item.pk)


@router.post(
    "/items/{item_id}/verify", response={200: ItemOut, **api.ERRORS}, summary="Verify a rectification"
)
def verify(request: AuthedRequest, item_id: int) -> RectificationItem:
    item = api.scoped_object(RectificationItem, request.user, item_id)
    with api.service_call(RENAME):
        services.verify_rectification(item, by=request.user)
    return _item(request.user, item.pk)


@router.post(
    "/items/{item_id}/return", response={200: ItemOut, **api.ERRORS}, summary="Return a rectification"
)
def return_item(request: AuthedRequest, item_id: int, payload: api.ReasonIn) -> RectificationItem:
    item = api.scoped_object(RectificationItem, request.user, item_id)
    with api.service_call(RENAME):
        services.return_rectification(item, by=request.user, reason=payload.reason)
    return _item(request.user, item.pk)
