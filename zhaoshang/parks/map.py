"""The points of the map: the projects' sites (coloured by stage), the landed enterprises and the
parks the user may see, each with a link to its record. Every query goes through ``visible_to``;
a record without coordinates is not on the map. Coordinates are GCJ-02 like the boundary
(core/geo.py), sent as text (Decimal) and read as numbers by the page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.parks.models import ParkProfile
from zhaoshang.projects.choices import STAGE_ORDER, Stage
from zhaoshang.projects.models import Project

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


def points(user: Any) -> dict[str, Any]:
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
            }
            for p in projects.values("pk", "name", "stage", "longitude", "latitude")[:LIMIT]
        ],
        "enterprises": [
            {
                "id": e["pk"],
                "name": e["name"],
                "value": [e["longitude"], e["latitude"]],
                "url": reverse("enterprises:detail", args=[e["pk"]]),
            }
            for e in enterprises.values("pk", "name", "longitude", "latitude")[:LIMIT]
        ],
        "parks": [
            {
                "id": p.unit_id,
                "name": p.unit.name,
                "value": [p.longitude, p.latitude],
                "url": reverse("parks:detail", args=[p.unit_id]),
            }
            for p in parks[:LIMIT]
        ],
    }
