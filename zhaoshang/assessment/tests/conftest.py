from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhaoshang.assessment import services
from zhaoshang.assessment.models import Group, Item, Scheme
from zhaoshang.ledger.counting import Cell
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import append
from zhaoshang.targets.models import Target

YEAR = 2026


def put(unit: Any, kind: str, month: int, amount: Any, *, verified: bool = True, year: int = YEAR) -> None:
    """One event in the ledger, through its one writer (as a project's funds or signing would)."""
    append(
        {(f"test:{unit.pk}:{kind}:{month}", Cell(kind, unit.pk, year, month, verified)): Decimal(amount)}, {}
    )


def target(unit: Any, code: str, value: Any, year: int = YEAR) -> None:
    Target.objects.update_or_create(
        unit=unit, year=year, indicator=Indicator.objects.get(code=code), defaults={"value": Decimal(value)}
    )


@pytest.fixture
def scheme(cast: Any) -> Scheme:
    """A township scheme after the 2023 city scheme of forms.md §4.1: funds 50 (ratio, capped),
    projects signed 30 (tiers), a bonus over target, missing monthly returns (deduction) and the
    leaders' points (manual); ties broken by the funds' completion."""
    scheme = services.create_scheme(
        by=cast.admin, county=cast.county, year=YEAR, name="2026年招商引资考核办法"
    )
    group = Group.objects.create(
        scheme=scheme,
        name="乡镇",
        unit_kinds=["township"],
        tie_item="funds",
        grades=[["一等", "90"], ["二等", "70"], ["三等", "0"]],
        least_units=2,
        bottom_n=1,
        top_n=1,
    )
    funds = Indicator.objects.get(code="funds_domestic")
    signed = Indicator.objects.get(code="projects_signed")
    for item in (
        Item(
            group=group,
            code="funds",
            name="省外到位资金",
            max_points=50,
            source="completion",
            indicator=funds,
            formula="ratio",
            params={"weight": "50"},
            sort_order=1,
        ),
        Item(
            group=group,
            code="signed",
            name="签约项目",
            max_points=30,
            source="completion",
            indicator=signed,
            formula="tiers",
            params={"bands": [["100", "30"], ["80", "22.5"], ["50", "15"]]},
            sort_order=2,
        ),
        Item(
            group=group,
            code="bonus",
            name="超额奖励",
            max_points=10,
            source="completion",
            indicator=funds,
            formula="bonus_over",
            params={"per_point": "0.5", "cap": "10"},
            sort_order=3,
        ),
        Item(
            group=group,
            code="returns",
            name="缺报月报",
            max_points=0,
            source="manual",
            formula="deduction",
            params={"each": "1", "floor": "12"},
            sort_order=4,
        ),
        Item(
            group=group,
            code="leaders",
            name="领导打分",
            max_points=10,
            source="manual",
            formula="manual",
            params={"max": "10"},
            sort_order=5,
        ),
    ):
        services.save_item(item, by=cast.admin)
    return scheme
