"""Demo coordinates: the demo county's projects, landed enterprises and parks placed inside the
outline the map draws (平江县, the stand-in for the fictional 示例县, see
static/zhaoshang/geo/README.md). Each township and park has an anchor well inside the county; its
records lie within 0.03° of it. Its own seeded generator, so the other demo data do not change.
Called once from ``demo.demo.load_demo``."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.parks.models import ParkProfile
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

# Points at least 0.04° inside the outline of 430626 on every side (GCJ-02); the county seat first.
ANCHORS = [
    (Decimal("113.57"), Decimal("28.72")),
    (Decimal("113.65"), Decimal("28.72")),
    (Decimal("113.41"), Decimal("28.72")),
    (Decimal("113.49"), Decimal("28.88")),
    (Decimal("113.65"), Decimal("28.56")),
    (Decimal("113.73"), Decimal("28.96")),
    (Decimal("113.81"), Decimal("28.64")),
    (Decimal("113.89"), Decimal("28.80")),
    (Decimal("113.97"), Decimal("28.72")),
    (Decimal("114.05"), Decimal("28.64")),
    (Decimal("113.33"), Decimal("28.72")),
    (Decimal("113.57"), Decimal("28.88")),
]
SPREAD = 30000  # millionths of a degree, about 3 km


def _near(rng: random.Random, anchor: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    step = Decimal("0.000001")
    return (
        anchor[0] + rng.randint(-SPREAD, SPREAD) * step,
        anchor[1] + rng.randint(-SPREAD, SPREAD) * step,
    )


def place(county: Unit) -> int:
    """Give the county's parks, projects and enterprises demo coordinates; returns how many."""
    rng = random.Random(430626)  # noqa: S311 - reproducible demo data, not a secret
    parks = list(Unit.objects.filter(path__startswith=county.path, kind=UnitKind.PARK).order_by("path"))
    towns = list(Unit.objects.filter(path__startswith=county.path, kind=UnitKind.TOWNSHIP).order_by("path"))
    anchors: dict[int, tuple[Decimal, Decimal]] = {}
    for i, unit in enumerate([*parks, *towns]):
        anchors[unit.pk] = ANCHORS[i % len(ANCHORS)]
    placed = 0
    for park in parks:
        profile, _created = ParkProfile.objects.get_or_create(unit=park)
        profile.longitude, profile.latitude = anchors[park.pk]
        profile.save(update_fields=["longitude", "latitude"])
        placed += 1
    for model in (Project, Enterprise):
        manager: Any = model.objects
        rows: list[Any] = list(manager.filter(unit__path__startswith=county.path).order_by("pk"))
        for row in rows:
            anchor = anchors.get(row.park_id or row.unit_id) or anchors.get(row.unit_id) or ANCHORS[0]
            row.longitude, row.latitude = _near(rng, anchor)
        manager.bulk_update(rows, ["longitude", "latitude"], batch_size=500)
        placed += len(rows)
    return placed
