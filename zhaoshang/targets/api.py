"""Targets and completion (完成率) in the JSON API, scoped as the pages are: the completion of every
active indicator for a unit's subtree in a period, against the unit's annual target, each row with
the address of the records behind its figure (ledger/api.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.api import READ_ERRORS, scoped_object
from zhaoshang.ledger.api import Figure, PeriodParams, figure
from zhaoshang.ledger.completion import completion
from zhaoshang.targets.models import Target
from zhaoshang.units.models import Unit

router = Router()


class CompletionRow(Schema):
    indicator: str
    target: Figure | None
    actual: Figure = Field(..., description="Verified: what counts toward the target.")
    reported: Figure = Field(..., description="Reported, not yet verified.")
    completion: Figure | None = Field(..., description="Percent of the annual target, one decimal.")
    time_progress: Figure = Field(..., description="序时进度: percent of the year gone.")
    behind: bool
    drilldown: str = Field(..., description="The API address of the records behind `actual`.")


@router.get(
    "/units/{unit_id}/completion",
    response={200: list[CompletionRow], **READ_ERRORS},
    summary="Completion of a unit's targets",
)
def unit_completion(
    request: AuthedRequest, unit_id: int, params: Query[PeriodParams]
) -> list[dict[str, Any]]:
    unit = scoped_object(Unit, request.user, unit_id)
    today = timezone.localdate()
    period = params.of(today)
    rows = completion(
        unit,
        period.year,
        params.period,
        period.months[-1],
        today,
        targets=Target.objects.visible_to(request.user),
    )
    base = reverse("api:drilldown", kwargs={"unit_id": unit.pk})
    query = f"year={period.year}&period={params.period}&month={period.months[-1]}"
    return [
        {
            "indicator": row.indicator.code,
            "target": None if row.target is None else figure(row.target),
            "actual": figure(row.actual),
            "reported": figure(row.reported),
            "completion": None if row.completion is None else figure(row.completion),
            "time_progress": figure(row.time_progress),
            "behind": row.behind,
            "drilldown": f"{base}?indicator={row.indicator.code}&{query}",
        }
        for row in rows
    ]
