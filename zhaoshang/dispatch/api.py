"""Dispatch in the JSON API: rounds, progress reports, their submission and review. Scoped by
``visible_to`` and written through the same services as the pages. Funds lines need an evidence file
each and are added on the report page; the API reads them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zhaoshang.core.api import (
    CREATE_ERRORS,
    ERRORS,
    READ_ERRORS,
    Page,
    PageParams,
    field_errors,
    page_of,
    require,
    scoped_object,
    service_errors,
)
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.dispatch import services
from zhaoshang.dispatch.choices import ReportStatus
from zhaoshang.dispatch.models import Entry, Report, Round
from zhaoshang.dispatch.schemas import ReportFieldsIn, ReportIn, ReportOut, ReturnIn, RoundOut

router = Router()


def reports_of(user: Any) -> QuerySet:
    return Report.objects.visible_to(user).select_related("round", "project").prefetch_related("funds_lines")


class ReportFilter(Schema):
    round_id: int | None = None
    status: ReportStatus | None = None


@router.get("/rounds", response={200: Page[RoundOut], **READ_ERRORS}, summary="List dispatch rounds")
def list_rounds(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    rows = Round.objects.visible_to(request.user).select_related("county").order_by("-due_on", "county_id")
    return page_of(rows, params)


@router.get("/reports", response={200: Page[ReportOut], **READ_ERRORS}, summary="List progress reports")
def list_reports(
    request: HttpRequest, params: Query[PageParams], filters: Query[ReportFilter]
) -> dict[str, Any]:
    rows = reports_of(request.user)
    if filters.round_id is not None:
        rows = rows.filter(round_id=filters.round_id)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    return page_of(rows.order_by("-round__due_on", "project_id"), params)


def _fields(payload: ReportFieldsIn) -> dict[str, Any]:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k not in ("round_id", "project_id")}


@router.post(
    "/reports",
    response={201: ReportOut, **CREATE_ERRORS},
    summary="Start a progress report",
    description="For a project listed in the round (one report per project and round); a draft.",
)
def create_report(request: HttpRequest, payload: ReportIn) -> Status[Report]:
    user = request.user
    require(user, Action.CREATE, ObjectType.DISPATCH)
    entry = (
        Entry.objects.visible_to(user, Action.EDIT)
        .select_related("round", "project", "project__unit")
        .filter(round_id=payload.round_id, project_id=payload.project_id)
        .first()
    )
    if entry is None:
        raise field_errors({"project_id": [_("This project does not owe a report in this round.")]})
    try:
        report = services.create_report(entry.round, entry.project, by=user)
        fields = _fields(payload)
        if fields:
            services.update_report(report, by=user, data=fields)
    except ValidationError as error:
        raise service_errors(error) from error
    return Status(201, reports_of(user).get(pk=report.pk))


@router.get(
    "/reports/{report_id}", response={200: ReportOut, **READ_ERRORS}, summary="Read a progress report"
)
def read_report(request: HttpRequest, report_id: int) -> Report:
    return get_object_or_404(reports_of(request.user), pk=report_id)


def _act(request: HttpRequest, report_id: int, action: str, perform: Any) -> Report:
    report = scoped_object(Report, request.user, report_id, action)
    try:
        perform(report)
    except ValidationError as error:
        raise service_errors(error) from error
    return reports_of(request.user).get(pk=report_id)


@router.patch(
    "/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="Change a draft or returned report"
)
def update_report(request: HttpRequest, report_id: int, payload: ReportFieldsIn) -> Report:
    return _act(
        request,
        report_id,
        Action.EDIT,
        lambda r: services.update_report(r, by=request.user, data=_fields(payload)),
    )


@router.post("/reports/{report_id}/submit", response={200: ReportOut, **ERRORS}, summary="Submit a report")
def submit_report(request: HttpRequest, report_id: int) -> Report:
    return _act(request, report_id, Action.EDIT, lambda r: services.submit_report(r, by=request.user))


@router.post(
    "/reports/{report_id}/verify", response={200: ReportOut, **ERRORS}, summary="Verify a report (bureau)"
)
def verify_report(request: HttpRequest, report_id: int) -> Report:
    return _act(request, report_id, Action.VERIFY, lambda r: services.verify_report(r, by=request.user))


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **ERRORS},
    summary="Return a report with a reason (bureau)",
)
def return_report(request: HttpRequest, report_id: int, payload: ReturnIn) -> Report:
    return _act(
        request,
        report_id,
        Action.VERIFY,
        lambda r: services.return_report(r, by=request.user, reason=payload.reason),
    )
