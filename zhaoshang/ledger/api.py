"""The ledger in the JSON API: the indicators, and the records behind a figure (drill-down), scoped
as the pages are: a unit outside the caller's subtree answers 404, like a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.api import READ_ERRORS, field_errors, scoped_object
from zhaoshang.core.paging import MAX_LIMIT, MAX_OFFSET
from zhaoshang.ledger.drilldown import Drilldown, Period, records_behind
from zhaoshang.ledger.models import Indicator
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
    """Every indicator, in their order (shared by the whole deployment)."""
    return list(Indicator.objects.all())


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
