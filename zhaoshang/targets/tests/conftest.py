"""Helpers of the target tests: the predefined indicators by code, and targets set as the system."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest

from zhaoshang.ledger.models import Indicator
from zhaoshang.targets import services
from zhaoshang.targets.models import Target
from zhaoshang.units.models import Unit

YEAR = 2025


class Indicators(dict):
    """The indicators by code: ``ind["funds_domestic"]``."""


def ensure_indicators() -> None:
    """The predefined indicators come from a data migration, which a transactional test's flush
    removes; put them back for the tests that run after one."""
    if not Indicator.objects.exists():
        from django.apps import apps

        migration = importlib.import_module("zhaoshang.ledger.migrations.0002_predefined_indicators")
        migration.create(apps, None)


@pytest.fixture(autouse=True)
def indicators(request: pytest.FixtureRequest) -> None:
    if "transactional_db" not in request.fixturenames:
        request.getfixturevalue("db")
    ensure_indicators()


@pytest.fixture
def ind(db: Any) -> Indicators:
    return Indicators({i.code: i for i in Indicator.objects.all()})


@pytest.fixture
def put(ind: Indicators) -> Any:
    """``put(unit, funds_domestic="5000", year=2025)``: set targets as the system would."""

    def set_them(unit: Unit, year: int = YEAR, **values: Any) -> None:
        services.set_targets(None, unit, year, {ind[code]: value for code, value in values.items()})

    return set_them


def values_of(unit: Unit, year: int = YEAR) -> dict[str, Decimal]:
    """A unit's targets of a year as they are stored, by indicator code."""
    return dict(Target.objects.filter(unit=unit, year=year).values_list("indicator__code", "value"))
