"""The summary's figures as data: what 一、工作成效 states, each figure with its indicator, unit and
period, and the projects behind the lists by stage."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, TypeAlias

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.api import READ_ERRORS, Money, RecordId, decimal_output, field_errors
from zhaoshang.summaries import sentences
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.periods import Period
from zhaoshang.units.models import Unit

router = Router()
Percent: TypeAlias = Annotated[Decimal, *decimal_output(1, "112.7")]


class FigureOut(Schema):
    indicator: str
    name: str
    kind: str
    measure: str
    unit_id: RecordId
    year: int
    first_month: int
    last_month: int
    actual: Money
    reported: Money
    target: Money | None
    completion: Percent | None
    last_year: Money
    change: Percent | None


class ProjectLineOut(Schema):
    id: RecordId
    name: str
    investor: str
    amount: Money
    currency: str
    place: str


class StageOut(Schema):
    key: str
    heading: str
    count: int
    projects: list[ProjectLineOut]


class SummaryOut(Schema):
    unit_id: RecordId
    unit: str
    year: int
    first_month: int
    last_month: int
    figures: list[FigureOut]
    stages: list[StageOut]
    results: list[str]


@router.get(
    "/{unit_id}",
    response={200: SummaryOut, **READ_ERRORS},
    summary="Read a unit's summary figures",
    description="The figures a unit's work summary states for months `first`..`last` of `year` (the "
    "current year, whole, by default): every active indicator's verified actual, annual target, "
    "completion (%) and the same months of last year, each naming its indicator, unit and period; the "
    "projects listed by stage; and the sentences of 一、工作成效 as the document writes them.",
)
def read_summary(
    request: AuthedRequest, unit_id: int, year: int | None = None, first: int = 1, last: int = 12
) -> dict[str, object]:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    try:
        period = Period(year or timezone.localdate().year, first, last)
    except ValueError:
        raise field_errors(
            {"first": [_("Give months from 1 to 12, the first not after the last.")]}, "query"
        ) from None
    facts = summary_facts(request.user, unit, period, timezone.localdate())
    return {
        "unit_id": unit.pk,
        "unit": unit.name,
        "year": period.year,
        "first_month": period.first,
        "last_month": period.last,
        "figures": [{**f.as_data(), "unit_id": f.unit_id} for f in facts.figures],
        "stages": [
            {
                "key": s.key,
                "heading": s.heading_zh,
                "count": s.count,
                "projects": [
                    {
                        "id": p.pk,
                        "name": p.name,
                        "investor": p.investor,
                        "amount": p.amount,
                        "currency": p.currency,
                        "place": p.place,
                    }
                    for p in s.projects
                ],
            }
            for s in facts.stage_lists
        ],
        "results": sentences.results(facts),
    }
