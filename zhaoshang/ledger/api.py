"""The ledger in the JSON API: the indicators, the records behind a figure (drill-down) and the funds
arrived (list, record, verify, return), scoped as the pages are: a unit or record outside the
caller's subtree answers 404, like a missing one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.api import (
    CREATE_ERRORS,
    ERRORS,
    READ_ERRORS,
    IsoDate,
    ReasonIn,
    field_errors,
    scoped_object,
    service_errors,
)
from zhaoshang.core.paging import MAX_LIMIT, MAX_OFFSET, Page, PageParams, page_of
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.drilldown import Drilldown, Period, records_behind
from zhaoshang.ledger.models import FundsArrival, Indicator
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit
from zhaoshang.units.schemas import UnitRef

router = Router()

# Figures may be negative nowhere, but a line of a correction could be: plain signed strings.
Figure = str


def figure(value: Any) -> str:
    return format(value, "f")


class IndicatorOut(Schema):
    code: str
    name_zh: str
    name_en: str
    measure: str
    kind: str
    sort_order: int
    is_active: bool
    evidence: list[str] = Field(..., description="The documents a verification of its funds needs.")


@router.get("/indicators", response={200: list[IndicatorOut], **READ_ERRORS}, summary="List indicators")
def list_indicators(request: AuthedRequest) -> Any:
    """The shared indicators and the own indicators of the counties the user sees, in their order."""
    return list(Indicator.objects.visible_to(request.user))


class PeriodParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="The year; this year by default.")
    period: Literal["month", "quarter", "ytd"] = Field("ytd", description="Which months of the year.")
    month: int | None = Field(
        None, ge=1, le=12, description="The month that places the period; the last month so far by default."
    )

    def of(self, today: dt.date) -> Period:
        year = self.year or today.year
        month = self.month or (today.month if year == today.year else 12)
        return Period.of(year, self.period, month)


class DrilldownParams(PeriodParams):
    indicator: str = Field("funds_domestic", description="The indicator's code.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Lines per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Lines to skip.")


class LineOut(Schema):
    source: str = Field(..., description='The ledger\'s name of the record, e.g. "funds:12".')
    record: str = Field(..., description="project, funds, report or activity")
    record_id: int
    label: str
    project_id: int | None
    project_name: str
    on: dt.date | None
    verified: Figure
    reported: Figure


class DrilldownOut(Schema):
    unit: UnitRef
    indicator: str
    year: int
    months: list[int]
    verified: Figure = Field(..., description="The figure: the sum of the verified amounts of all lines.")
    reported: Figure = Field(..., description="Reported, not verified: shown beside, never counted.")
    count: int = Field(..., description="Lines on all pages.")
    limit: int
    offset: int
    items: list[LineOut]


def indicator_of(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise field_errors({"indicator": [_("Unknown indicator.")]}, source="query")
    return indicator


@router.get(
    "/units/{unit_id}/drilldown",
    response={200: DrilldownOut, **READ_ERRORS},
    summary="Records behind a figure",
    description="The records (projects, funds arrived, progress reports, activities) whose ledger "
    "events make up one indicator's figure for the unit's subtree in a period, with the totals of "
    "all of them: `verified` is the figure the dashboard and the completion show.",
)
def drilldown(request: AuthedRequest, unit_id: int, params: Query[DrilldownParams]) -> dict[str, Any]:
    unit = scoped_object(Unit, request.user, unit_id)
    indicator = indicator_of(params.indicator)
    result = records_behind(
        indicator,
        unit,
        params.of(timezone.localdate()),
        user=request.user,
        offset=params.offset,
        limit=params.limit,
    )
    return drilldown_data(result, params.limit, params.offset)


def drilldown_data(result: Drilldown, limit: int, offset: int) -> dict[str, Any]:
    return {
        "unit": result.unit,
        "indicator": result.indicator.code,
        "year": result.period.year,
        "months": list(result.period.months),
        "verified": figure(result.verified),
        "reported": figure(result.reported),
        "count": result.count,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "source": line.source,
                "record": line.record,
                "record_id": line.record_id,
                "label": line.label,
                "project_id": line.project.pk if line.project else None,
                "project_name": line.project.name if line.project else "",
                "on": line.on,
                "verified": figure(line.verified),
                "reported": figure(line.reported),
            }
            for line in result.lines
        ],
    }


# --- funds arrived ------------------------------------------------------------------------------


class FundsOut(Schema):
    id: int
    project_id: int
    project_name: str = Field(..., alias="project.name")
    unit_id: int = Field(..., alias="project.unit_id")
    arrived_on: dt.date
    source: str = Field(..., description="domestic, foreign or local")
    origin: str = Field(
        ..., description="A place of GB/T 2260 (6 digits) or a country (2 letters); empty: unknown."
    )
    currency: str
    amount: Figure = Field(..., description="In 10,000 of the currency.")
    status: str = Field(..., description="reported, verified or returned")
    note: str
    has_evidence: bool
    reported_at: dt.datetime
    verified_at: dt.datetime | None
    return_reason: str

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return figure(obj.amount)

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)


class FundsParams(PageParams):
    status: Literal["reported", "verified", "returned"] | None = Field(None, description="Only these.")
    project_id: int | None = Field(None, description="Only this project's.")


class FundsIn(Schema):
    project_id: int
    arrived_on: IsoDate
    source: Literal["domestic", "foreign", "local"]
    amount: Decimal = Field(
        ..., gt=0, max_digits=15, decimal_places=4, description="In 10,000 of the currency."
    )
    origin: str = Field("", max_length=6, description="A place of GB/T 2260 or a country code; may be empty.")
    note: str = Field("", max_length=200)


def _funds(user: Any) -> Any:
    return FundsArrival.objects.visible_to(user).filter(is_deleted=False).select_related("project")


@router.get(
    "/funds",
    response={200: Page[FundsOut], **READ_ERRORS},
    summary="List funds arrived",
    description="Funds arrived recorded for the projects of your subtree, newest first (the funds queue "
    "of the pages, with the lines of progress reports too).",
)
def list_funds(request: AuthedRequest, params: Query[FundsParams]) -> dict[str, Any]:
    rows = _funds(request.user).order_by("-reported_at", "-pk")
    if params.status:
        rows = rows.filter(status=params.status)
    if params.project_id is not None:
        rows = rows.filter(project_id=params.project_id)
    return page_of(rows, params)


@router.post(
    "/funds",
    response={201: FundsOut, **CREATE_ERRORS},
    summary="Record funds arrived",
    description="Reported, to be verified by the bureau; the voucher is attached on the project's page.",
)
def record_funds(request: AuthedRequest, payload: FundsIn) -> Status[Any]:
    project = Project.objects.visible_to(request.user).filter(pk=payload.project_id).first()
    if project is None:
        raise field_errors({"project_id": [_("Unknown project.")]})
    try:
        funds = funds_service.record_funds(
            project,
            by=request.user,
            arrived_on=payload.arrived_on,
            source=payload.source,
            amount=payload.amount,
            origin=payload.origin,
            note=payload.note,
        )
    except ValidationError as error:
        raise service_errors(error) from error
    return Status(201, _funds(request.user).get(pk=funds.pk))


def _decide(request: AuthedRequest, funds_id: int, decide: Any) -> Any:
    funds = scoped_object(FundsArrival, request.user, funds_id)
    if funds.is_deleted:
        raise Http404
    try:
        decide(funds)
    except ValidationError as error:
        raise service_errors(error) from error
    return _funds(request.user).get(pk=funds.pk)


@router.post(
    "/funds/{funds_id}/verify",
    response={200: FundsOut, **ERRORS},
    summary="Verify funds arrived",
    description="The bureau confirms reported funds; the indicator's evidence rules apply (422 names "
    "what is missing). Funds of a progress report are verified with the report.",
)
def verify_funds(request: AuthedRequest, funds_id: int) -> Any:
    return _decide(request, funds_id, lambda funds: funds_service.verify_funds(funds, by=request.user))


@router.post(
    "/funds/{funds_id}/return",
    response={200: FundsOut, **ERRORS},
    summary="Return funds arrived",
    description="The bureau sends reported funds back with a reason; they are not counted.",
)
def return_funds(request: AuthedRequest, funds_id: int, payload: ReasonIn) -> Any:
    return _decide(
        request,
        funds_id,
        lambda funds: funds_service.return_funds(funds, by=request.user, reason=payload.reason),
    )
