"""Landed enterprises in the JSON API (/api/enterprises): the same filter sets, scoping, services
and figures as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.api import (
    CREATE_ERRORS,
    ERRORS,
    READ_ERRORS,
    IsoDate,
    Money,
    MoneyIn,
    ReasonIn,
    decimal_input,
    decimal_output,
    field_errors,
    list_operation,
    require,
    scoped_object,
    service_errors,
)
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn, Visit
from zhaoshang.enterprises.tables import ENTERPRISE_LIST, RETURN_LIST, VISIT_LIST
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

router = Router()
RENAME = {"unit": "unit_id", "park": "park_id", "project": "project_id", "enterprise": "enterprise_id"}
Land = Annotated[Decimal, *decimal_output(2, "50.00")]
LandIn = Annotated[Decimal, *decimal_input(12, 2, "50")]
Energy = Annotated[Decimal, *decimal_output(2, "120.00")]
EnergyIn = Annotated[Decimal, *decimal_input(14, 2, "120")]


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    park_id: int | None
    investor_id: int | None
    project_id: int | None
    sector: str
    industry_section: str
    land_mu: Land | None
    key: bool
    above_scale_on: dt.date | None
    operating_on: dt.date | None


class EnterpriseIn(Schema):
    name: str = Field("", max_length=200)
    credit_code: str = Field("", max_length=40)
    unit_id: int | None = None
    park_id: int | None = None
    project_id: int | None = None
    land_mu: LandIn | None = None
    key: bool = False
    above_scale_on: IsoDate | None = None
    operating_on: IsoDate | None = None


class QuarterlyReturnOut(Schema):
    id: int
    enterprise_id: int
    year: int
    quarter: int
    output: Money
    sales: Money
    tax: Money
    jobs: int
    energy: Energy | None
    status: str
    return_reason: str
    revision_reason: str


class QuarterlyReturnIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    output: MoneyIn
    sales: MoneyIn
    tax: MoneyIn
    jobs: int = Field(..., ge=0)
    energy: EnergyIn | None = None


class ReturnCorrectionIn(Schema):
    output: MoneyIn
    sales: MoneyIn
    tax: MoneyIn
    jobs: int = Field(..., ge=0)
    energy: EnergyIn | None = None
    reason: str = Field(..., min_length=1, max_length=500)


class VisitOut(Schema):
    id: int
    enterprise_id: int
    visited_on: dt.date
    visitors: str
    findings: str
    problems: str
    request_id: int | None


class VisitIn(Schema):
    visited_on: IsoDate
    visitors: str = Field(..., min_length=1, max_length=300)
    findings: str = Field(..., min_length=1)
    problems: str = ""


def _run_create(payload: EnterpriseIn, request: AuthedRequest) -> Enterprise:
    user = request.user
    data: dict[str, object] = {
        k: v for k, v in payload.dict().items() if k not in ("unit_id", "park_id", "project_id")
    }
    if payload.park_id is not None:
        park = Unit.objects.filter(pk=payload.park_id).first()
        if park is None:
            raise field_errors({"park_id": [_("Unknown unit.")]})
        data["park"] = park
    if payload.project_id is not None:
        project = Project.objects.visible_to(user).filter(pk=payload.project_id).first()
        if project is None:
            raise field_errors({"project_id": [_("Unknown project.")]})
        given = {k: v for k, v in data.items() if v not in (None, "")}
        return services.register_from_project(project, by=user, stewards=(), **given)
    unit = Unit.objects.where(user, Action.CREATE, on=ObjectType.PROJECT).filter(pk=payload.unit_id).first()
    if unit is None:
        raise field_errors({"unit_id": [_("Unknown unit.")]})
    if not payload.name.strip():
        raise field_errors({"name": [_("This field is required.")]})
    return services.register_enterprise(by=user, data={**data, "unit": unit})


list_enterprises = list_operation(
    router, "", EnterpriseOut, ENTERPRISE_LIST, name="list_enterprises", summary="List landed enterprises"
)
list_returns = list_operation(
    router, "/returns", QuarterlyReturnOut, RETURN_LIST, name="list_returns", summary="List quarterly returns"
)

list_visits = list_operation(
    router,
    "/visits",
    VisitOut,
    VISIT_LIST,
    name="list_visits",
    summary="List service visits",
)


@router.get("/{enterprise_id}", response={200: EnterpriseOut, **READ_ERRORS}, summary="Read an enterprise")
def read_enterprise(request: AuthedRequest, enterprise_id: int) -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.visible_to(request.user).select_related("unit"), pk=enterprise_id
    )


@router.post("", response={201: EnterpriseOut, **CREATE_ERRORS}, summary="Register a landed enterprise")
def create_enterprise(request: AuthedRequest, payload: EnterpriseIn) -> Status[Enterprise]:
    require(request.user, Action.CREATE, ObjectType.PROJECT)
    try:
        created = _run_create(payload, request)
    except ValidationError as error:
        raise service_errors(error, RENAME) from error
    return Status(201, read_enterprise(request, created.pk))


@router.post(
    "/{enterprise_id}/returns",
    response={200: QuarterlyReturnOut, **ERRORS},
    summary="Record a quarterly return",
)
def record_return(request: AuthedRequest, enterprise_id: int, payload: QuarterlyReturnIn) -> QuarterlyReturn:
    enterprise = scoped_object(Enterprise, request.user, enterprise_id)
    try:
        record, _outcome = services.record_return(enterprise, by=request.user, **payload.dict())
    except ValidationError as error:
        raise service_errors(error, RENAME) from error
    return record


def _decide(request: AuthedRequest, return_id: int, call: str, **kwargs: Any) -> QuarterlyReturn:
    record = scoped_object(QuarterlyReturn, request.user, return_id)
    try:
        return getattr(services, call)(record, by=request.user, **kwargs)
    except ValidationError as error:
        raise service_errors(error, RENAME) from error


@router.post(
    "/returns/{return_id}/verify", response={200: QuarterlyReturnOut, **ERRORS}, summary="Verify a return"
)
def verify_return(request: AuthedRequest, return_id: int) -> QuarterlyReturn:
    return _decide(request, return_id, "verify_return")


@router.post(
    "/returns/{return_id}/return", response={200: QuarterlyReturnOut, **ERRORS}, summary="Return a return"
)
def return_return(request: AuthedRequest, return_id: int, payload: ReasonIn) -> QuarterlyReturn:
    return _decide(request, return_id, "return_return", reason=payload.reason)


@router.post(
    "/returns/{return_id}/correct",
    response={200: QuarterlyReturnOut, **ERRORS},
    summary="Correct a verified return",
)
def correct_return(request: AuthedRequest, return_id: int, payload: ReturnCorrectionIn) -> QuarterlyReturn:
    return _decide(request, return_id, "correct_return", **payload.dict())


@router.post(
    "/returns/{return_id}/withdraw",
    response={200: QuarterlyReturnOut, **ERRORS},
    summary="Withdraw a verified return",
)
def withdraw_return(request: AuthedRequest, return_id: int, payload: ReasonIn) -> QuarterlyReturn:
    return _decide(request, return_id, "withdraw_return", reason=payload.reason)


@router.post("/{enterprise_id}/visits", response={200: VisitOut, **ERRORS}, summary="Record a service visit")
def record_visit(request: AuthedRequest, enterprise_id: int, payload: VisitIn) -> Visit:
    enterprise = scoped_object(Enterprise, request.user, enterprise_id)
    try:
        return services.record_visit(enterprise, by=request.user, **payload.dict())
    except ValidationError as error:
        raise service_errors(error, RENAME) from error
