"""The points of the map: the projects' sites (coloured by stage), the landed enterprises and the
parks the user may see, each with a link to its record and the township it lies in; and the
schematic township layer (no township polygons exist: each township the user may see is a labelled
marker at a place derived from its records, see ``townships``). Every query goes through
``visible_to`` / ``Unit.objects.where``; a record without coordinates is not on the map.
Coordinates are GCJ-02 like the boundary (core/geo.py), sent as text (Decimal) and read as numbers
by the page."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from zhaoshang.core import tree
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.parks.models import ParkProfile
from zhaoshang.projects.choices import STAGE_ORDER, Stage
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

# At most this many points per layer (a province's map is a screen, not a list).
LIMIT = 5000
# One colour per stage, from first contact (grey-blue) to production (green); dropped is grey.
STAGE_COLOURS = {
    Stage.LEAD: "#8fa9c8",
    Stage.NEGOTIATING: "#5b8ff9",
    Stage.INTENT: "#7262fd",
    Stage.SIGNED: "#f6bd16",
    Stage.STARTED: "#e8684a",
    Stage.COMPLETED: "#9661bc",
    Stage.OPERATING: "#5ad8a6",
    Stage.DROPPED: "#9a9a9a",
}


def boundary_url() -> str:
    return static(f"zhaoshang/geo/{settings.MAP_COUNTY}.geojson")


def _placed(queryset: Any) -> Any:
    return queryset.filter(longitude__isnull=False, latitude__isnull=False)


# --- the schematic township layer ---------------------------------------------------------------

# Where a township's marker stands: the mean of its records' points, or on the ring inside the outline.
FROM_RECORDS = "records"
ON_RING = "ring"
# The ring: this share of the way from the outline's centre to its edge, in each township's direction.
RING_SHARE = 0.6
PLACES = Decimal("0.0001")  # about 10 m: a schematic place needs no more


Ring = list[tuple[float, float]]


@lru_cache(maxsize=4)
def _outline(county: str) -> tuple[Ring, ...]:
    """The outer rings of the focus county in the shipped boundary file (static/zhaoshang/geo)."""
    found = finders.find(f"zhaoshang/geo/{county}.geojson")
    if not found:
        return ()
    data = json.loads(Path(str(found)).read_text(encoding="utf-8"))
    rings: list[Ring] = []
    for feature in data["features"]:
        if not feature["properties"].get("focus"):
            continue
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        rings += [[(float(x), float(y)) for x, y in polygon[0]] for polygon in polygons]
    return tuple(rings)


def _area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of one closed ring (the shoelace formula)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def inside(rings: tuple[Ring, ...], lon: float, lat: float) -> bool:
    """Ray casting over the outer rings."""
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                hit = not hit
    return hit


def _edge_distance(rings: tuple[Ring, ...], origin: tuple[float, float], angle: float) -> float | None:
    """How far from ``origin`` the ray at ``angle`` first meets the outline (None if it never does)."""
    ox, oy = origin
    dx, dy = math.sin(angle), math.cos(angle)  # 0 is north, clockwise
    nearest: float | None = None
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            ex, ey = x2 - x1, y2 - y1
            denominator = dx * ey - dy * ex
            if denominator == 0:
                continue
            t = ((x1 - ox) * ey - (y1 - oy) * ex) / denominator  # along the ray
            u = ((x1 - ox) * dy - (y1 - oy) * dx) / denominator  # along the edge
            if t > 0 and 0 <= u <= 1 and (nearest is None or t < nearest):
                nearest = t
    return nearest


def ring_places(count: int, county: str | None = None) -> list[tuple[Decimal, Decimal]]:
    """``count`` places evenly around the ring inside the county's outline: from its centre (the
    largest part's centroid, or the mean of its vertices should that fall outside), in directions
    from north clockwise, ``RING_SHARE`` of the way to the first edge each direction meets: so each
    lies inside the outline, whatever its shape. Without an outline, nothing is placed."""
    rings = _outline(county or settings.MAP_COUNTY)
    if not rings or count <= 0:
        return []
    _area, cx, cy = max((_area_centroid(ring) for ring in rings), key=lambda a: abs(a[0]))
    if not inside(rings, cx, cy):
        vertices = [xy for ring in rings for xy in ring]
        cx, cy = sum(x for x, _ in vertices) / len(vertices), sum(y for _, y in vertices) / len(vertices)
    places = []
    for k in range(count):
        angle = 2 * math.pi * k / count
        reach = (_edge_distance(rings, (cx, cy), angle) or 0.0) * RING_SHARE
        lon, lat = cx + reach * math.sin(angle), cy + reach * math.cos(angle)
        places.append((Decimal(lon).quantize(PLACES), Decimal(lat).quantize(PLACES)))
    return places


def township_of(path: str, townships: dict[str, int]) -> int | None:
    """The id of the township (of ``townships``, path → id) whose subtree holds the unit at ``path``."""
    for ancestor in tree.ancestor_paths(path):
        if ancestor in townships:
            return townships[ancestor]
    return None


def townships(user: Any, layers: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The schematic township layer: each township the user may see (a township's operator: their
    own), at the mean of the points of its records on the map (``layers``, already scoped), or, for
    a township without any, on the ring inside the county's outline. A place, not a boundary."""
    units = list(
        Unit.objects.where(user, Action.VIEW, on=ObjectType.PROJECT)
        .filter(kind=UnitKind.TOWNSHIP, is_active=True)
        .order_by("path")
        .values("pk", "name")
    )
    sums: dict[int, list[Decimal]] = {}
    for name in ("projects", "enterprises", "parks"):
        for point in layers[name]:
            if point.get("township") is not None:
                total = sums.setdefault(point["township"], [Decimal(0), Decimal(0), Decimal(0)])
                total[0] += Decimal(point["value"][0])
                total[1] += Decimal(point["value"][1])
                total[2] += 1
    unplaced = [u["pk"] for u in units if u["pk"] not in sums]
    ring = dict(zip(unplaced, ring_places(len(unplaced)), strict=False))
    layer = []
    for unit in units:
        if unit["pk"] in sums:
            lon, lat, count = sums[unit["pk"]]
            place, how = ((lon / count).quantize(PLACES), (lat / count).quantize(PLACES)), FROM_RECORDS
        elif unit["pk"] in ring:
            place, how, count = ring[unit["pk"]], ON_RING, Decimal(0)
        else:
            continue  # no outline to place it in
        layer.append(
            {
                "id": unit["pk"],
                "name": unit["name"],
                "value": list(place),
                "placed": how,
                "points": int(count),
            }
        )
    return layer


def points(user: Any) -> dict[str, Any]:
    """The map's layers for ``user``: each point with the township (id) its record's unit lies in,
    so that a click on a township shows only its points; and the township layer itself."""
    visible = Unit.objects.where(user, Action.VIEW, on=ObjectType.PROJECT).filter(kind=UnitKind.TOWNSHIP)
    township_paths = dict(visible.values_list("path", "pk"))
    layers = _layers(user, township_paths)
    return {**layers, "townships": townships(user, layers)}


def _layers(user: Any, township_paths: dict[str, int]) -> dict[str, Any]:
    projects = _placed(Project.objects.visible_to(user)).order_by("pk")
    enterprises = _placed(Enterprise.objects.visible_to(user)).order_by("pk")
    parks = _placed(ParkProfile.objects.visible_to(user)).select_related("unit").order_by("pk")
    return {
        "stages": [
            {"value": s, "label": str(Stage(s).label), "color": STAGE_COLOURS[Stage(s)]} for s in STAGE_ORDER
        ],
        "projects": [
            {
                "id": p["pk"],
                "name": p["name"],
                "stage": p["stage"],
                "value": [p["longitude"], p["latitude"]],
                "url": reverse("projects:detail", args=[p["pk"]]),
                "township": township_of(p["unit__path"], township_paths),
            }
            for p in projects.values("pk", "name", "stage", "longitude", "latitude", "unit__path")[:LIMIT]
        ],
        "enterprises": [
            {
                "id": e["pk"],
                "name": e["name"],
                "value": [e["longitude"], e["latitude"]],
                "url": reverse("enterprises:detail", args=[e["pk"]]),
                "township": township_of(e["unit__path"], township_paths),
            }
            for e in enterprises.values("pk", "name", "longitude", "latitude", "unit__path")[:LIMIT]
        ],
        "parks": [
            {
                "id": p.unit_id,
                "name": p.unit.name,
                "value": [p.longitude, p.latitude],
                "url": reverse("parks:detail", args=[p.unit_id]),
                "township": township_of(p.unit.path, township_paths),
            }
            for p in parks[:LIMIT]
        ],
    }
