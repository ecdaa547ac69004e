"""Dispatch in the JSON API: rounds, progress reports, their submission and review. Scoped by
``visible_to`` and written through the same services as the pages. Funds lines need an evidence file
each and are added on the report page; the API reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core import api
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.tables import ListSource
from zhaoshang.dispatch import services
from zhaoshang.dispatch.filters import ReportFilterSet
from zhaoshang.dispatch.models import Entry, Report, Round
from zhaoshang.dispatch.schemas import ReportFieldsIn, ReportIn, ReportOut, ReturnIn, RoundOut

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

router = Router()


def _listed_rounds(queryset: QuerySet, user: User) -> QuerySet:
    return queryset.select_related("county")


def _listed_reports(queryset: QuerySet, user: User) -> QuerySet:
    return queryset.select_related("round", "project").prefetch_related("funds_lines")


def reports_of(user: User) -> QuerySet:
    return _listed_reports(Report.objects.visible_to(user), user)


list_rounds = api.list_operation(
    router,
    "/rounds",
    RoundOut,
    ListSource(Round, ordering=("-due_on", "county_id"), decorate=_listed_rounds),
    name="list_rounds",
    summary="List dispatch rounds",
)
list_reports = api.list_operation(
    router,
    "/reports",
    ReportOut,
    ListSource(Report, ReportFilterSet, ordering=("-round__due_on", "project_id"), decorate=_listed_reports),
    name="list_reports",
    summary="List progress reports",
)


def _fields(payload: ReportFieldsIn) -> dict[str, Any]:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k not in ("round_id", "project_id")}


@router.post(
    "/reports",
    response={201: ReportOut, **api.CREATE_ERRORS},
    summary="Start a progress report",
    description="For a project listed in the round (one report per project and round); a draft.",
)
def create_report(request: AuthedRequest, payload: ReportIn) -> Status[Report]:
    user = request.user
    api.require(user, Action.CREATE, ObjectType.DISPATCH)
    entry = (
        Entry.objects.visible_to(user, Action.EDIT)
        .select_related("round", "project", "project__unit")
        .filter(round_id=payload.round_id, project_id=payload.project_id)
        .first()
    )
    if entry is None:
        raise api.field_errors({"project_id": [_("This project does not owe a report in this round.")]})
    with api.service_call():
        report = services.create_report(entry.round, entry.project, by=user)
        fields = _fields(payload)
        if fields:
            services.update_report(report, by=user, data=fields)
    return Status(201, reports_of(user).get(pk=report.pk))


read_report = api.read_operation(
    router,
    "/reports/{report_id}",
    ReportOut,
    reports_of,
    name="read_report",
    summary="Read a progress report",
)


def _act(request: AuthedRequest, report_id: int, action: str, perform: Any) -> Report:
    report = api.scoped_object(Report, request.user, report_id, action)
    with api.service_call():
        perform(report)
    return reports_of(request.user).get(pk=report_id)


@router.patch(
    "/reports/{report_id}",
    response={200: ReportOut, **api.ERRORS},
    summary="Change a draft or returned report",
)
def update_report(request: AuthedRequest, report_id: int, payload: ReportFieldsIn) -> Report:
    return _act(
        request,
        report_id,
        Action.EDIT,
        lambda r: services.update_report(r, by=request.user, data=_fields(payload)),
    )


@router.post(
    "/reports/{report_id}/submit", response={200: ReportOut, **api.ERRORS}, summary="Submit a report"
)
def submit_report(request: AuthedRequest, report_id: int) -> Report:
    return _act(request, report_id, Action.EDIT, lambda r: services.submit_report(r, by=request.user))


@router.post(
    "/reports/{report_id}/verify", response={200: ReportOut, **api.ERRORS}, summary="Verify a report (bureau)"
)
def verify_report(request: AuthedRequest, report_id: int) -> Report:
    return _act(request, report_id, Action.VERIFY, lambda r: services.verify_report(r, by=request.user))


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **api.ERRORS},
    summary="Return a report with a reason (bureau)",
)
def return_report(request: AuthedRequest, report_id: int, payload: ReturnIn) -> Report:
    return _act(
        request,
        report_id,
        Action.VERIFY,
        lambda r: services.return_report(r, by=request.user, reason=payload.reason),
    )
