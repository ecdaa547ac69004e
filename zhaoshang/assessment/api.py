"""The assessment in the JSON API (/api/assessment): schemes, published rankings and their scores,
read through the same scoping as the pages. Scores are never written here: they are computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.assessment.models import Item, Ranking, Scheme, Score
from zhaoshang.core.api import READ_ERRORS, list_operation
from zhaoshang.core.tables import ListSource

router = Router()


class SchemeItemOut(Schema):
    code: str
    name: str
    max_points: Decimal
    source: str
    indicator_id: int | None
    formula: str
    params: dict[str, Any]
    method: str


class GroupOut(Schema):
    id: int
    name: str
    subjects: str = Field(..., description="units, or persons (人人頭上有指標)")
    unit_kinds: list[str]
    tie_item: str
    grades: list[Any]
    items: list[SchemeItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Item]:
        return list(obj.items.all())


class SchemeOut(Schema):
    id: int
    county_id: int
    year: int
    version: int
    name: str
    based_on_id: int | None
    groups: list[GroupOut]

    @staticmethod
    def resolve_groups(obj: Scheme) -> list[Any]:
        return list(obj.groups.all())


class RankingOut(Schema):
    id: int
    scheme_id: int
    group_id: int
    group_name: str = Field(..., alias="group.name")
    year: int
    period: str
    month: int
    version: int
    replaces_id: int | None
    changes: list[Any]
    reason: str
    digest: str
    published_at: dt.datetime


class ScoreOut(Schema):
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    person_id: int | None = Field(
        None, description="the person of a ranking of persons; unit: where they work"
    )
    person_name: str | None = None
    total: Decimal
    rank: int
    grade: str
    points: list[dict[str, Any]]

    @staticmethod
    def resolve_person_name(obj: Score) -> str | None:
        return str(obj.person) if obj.person_id else None


class RankingDetailOut(RankingOut):
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(obj: Ranking, context: dict[str, Any]) -> list[Score]:
        """Only the scores of units the caller may see: a township reads its own line."""
        user = context["request"].user
        return list(Score.objects.visible_to(user).filter(ranking=obj).select_related("unit", "person"))


def _schemes(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.prefetch_related("groups__items")


def _rankings(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("group")


SCHEME_LIST = ListSource(Scheme, ordering=("-year", "-version", "pk"), decorate=_schemes)
RANKING_LIST = ListSource(Ranking, ordering=("-year", "-month", "-version", "pk"), decorate=_rankings)

list_schemes = list_operation(
    router, "/schemes", SchemeOut, SCHEME_LIST, name="list_schemes", summary="List assessment schemes"
)
list_rankings = list_operation(
    router,
    "/rankings",
    RankingOut,
    RANKING_LIST,
    name="list_rankings",
    summary="List published rankings (every version; a correction names the one it replaces)",
)


@router.get(
    "/rankings/{ranking_id}",
    response={200: RankingDetailOut, **READ_ERRORS},
    summary="Read a published ranking with the scores of the units you may see",
)
def read_ranking(request: AuthedRequest, ranking_id: int) -> Any:
    return get_object_or_404(Ranking.objects.visible_to(request.user).select_related("group"), pk=ranking_id)
