"""Parks in the JSON API (/api/parks), read-only: the parks the caller may see with their profiles,
one park with the summary its page shows (services.summary: its enterprises' figures from
enterprises.figures), and the idle assets on offer (the list page's source). Writes stay on the
pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.api import READ_ERRORS, Money, decimal_output, list_operation
from zhaoshang.core.tables import ListSource
from zhaoshang.parks import services
from zhaoshang.parks.models import InfrastructureItem, StandardFactory
from zhaoshang.parks.tables import IDLE_LIST
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

router = Router()
Area = Annotated[Decimal, *decimal_output(2, "300.00")]
Coordinate = Annotated[Decimal, *decimal_output(6, "113.583000")]


def _parks(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.filter(kind=UnitKind.PARK).select_related("park_profile")


# The parks the user may see: units of kind park, as the park pages list them (views.visible_parks).
PARK_LIST = ListSource(Unit, ordering=("path",), decorate=_parks)


class ProfileOut(Schema):
    planned_mu: Area | None
    developed_mu: Area | None
    reserve_mu: Area | None
    land_price_per_mu: Money | None = Field(..., description="10k yuan per mu")
    land_price_policy: str
    longitude: Coordinate | None = Field(..., description="GCJ-02")
    latitude: Coordinate | None = Field(..., description="GCJ-02")


class ParkOut(Schema):
    id: int
    name: str
    code: str
    profile: ProfileOut | None

    @staticmethod
    def resolve_profile(obj: Unit | dict[str, Any]) -> Any:
        if isinstance(obj, dict):  # read_park's answer
            return obj["profile"]
        return getattr(obj, "park_profile", None)  # a park without a profile: None


class InfrastructureOut(Schema):
    id: int
    kind: str
    quantity: Area
    amount: Money
    built_on: dt.date
    note: str


class FactoryOut(Schema):
    id: int
    name: str
    floor_area: Area
    tenant_id: int | None
    project_id: int | None
    occupied: bool

    @staticmethod
    def resolve_occupied(obj: StandardFactory) -> bool:
        return obj.occupant is not None


class EnterprisesOut(Schema):
    enterprises: int
    key_enterprises: int
    output: Money
    sales: Money
    tax: Money
    jobs: int = Field(..., description="headcount of the latest quarter, not a sum")


class ParkDetailOut(ParkOut):
    year: int
    infrastructure_amount: Money
    floor_area: Area
    occupied_area: Area
    idle_assets: int
    land_mu: Area
    tax_per_mu: Money | None
    output_per_mu: Money | None
    figures: EnterprisesOut = Field(..., description="verified returns of the year")
    infrastructure: list[InfrastructureOut]
    factories: list[FactoryOut]


class IdleAssetOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    kind: str
    name: str
    area: Area
    owner: str
    condition: str
    asking_terms: str
    status: str
    project_id: int | None


class YearParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="default: last year")


list_parks = list_operation(router, "", ParkOut, PARK_LIST, name="list_parks", summary="List parks")
list_idle_assets = list_operation(
    router, "/idle", IdleAssetOut, IDLE_LIST, name="list_idle_assets", summary="List idle assets"
)


@router.get("/{park_id}", response={200: ParkDetailOut, **READ_ERRORS}, summary="Read a park and its figures")
def read_park(request: AuthedRequest, park_id: int, params: Query[YearParams]) -> dict[str, Any]:
    park = get_object_or_404(_parks(Unit.objects.visible_to(request.user), request.user), pk=park_id)
    year = params.year or timezone.localdate().year - 1
    summary = services.summary(park, year)
    return {
        "id": park.pk,
        "name": park.name,
        "code": park.code,
        "profile": summary.profile,
        "year": year,
        "infrastructure_amount": summary.infrastructure_amount,
        "floor_area": summary.floor_area,
        "occupied_area": summary.occupied_area,
        "idle_assets": summary.idle_assets,
        "land_mu": summary.land_mu,
        "tax_per_mu": summary.tax_per_mu,
        "output_per_mu": summary.output_per_mu,
        "figures": summary.enterprises,
        "infrastructure": list(InfrastructureItem.objects.filter(unit=park).order_by("-built_on", "-pk")),
        "factories": list(
            StandardFactory.objects.filter(unit=park).select_related("project__enterprise").order_by("name")
        ),
    }
