"""The schematic township layer of the map (issue 23: "a schematic township layer where no township
polygons exist"): each township the user may see, at the mean of its records' points or, without
any, on a ring inside the county's outline; every point names its township; scoped like the points."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.enterprises import services as enterprises
from zhaoshang.parks import map as parks_map
from zhaoshang.parks.tests.test_map import inside
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.services import create_unit


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def focus() -> dict:
    path = finders.find(f"zhaoshang/geo/{settings.MAP_COUNTY}.geojson")
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    (feature,) = [f for f in data["features"] if f["properties"]["focus"]]
    return feature


def layer(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("parks:map_points"))
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("count", [1, 2, 5, 12, 30])
def test_every_place_on_the_ring_lies_inside_the_county_and_the_places_differ(count):
    places = parks_map.ring_places(count)
    assert len(places) == count and len(set(places)) == count
    county = focus()
    for lon, lat in places:
        assert inside(county, float(lon), float(lat)), (lon, lat)


def test_without_an_outline_nothing_is_placed_on_the_ring():
    assert parks_map.ring_places(3, county="999999") == []
    assert parks_map.ring_places(0) == []


def test_a_township_stands_at_the_mean_of_its_points_or_on_the_ring(client, cast):
    cast.project(name="城关镇甲", longitude=Decimal("113.50"), latitude=Decimal("28.70"))
    cast.project(name="城关镇乙", longitude=Decimal("113.60"), latitude=Decimal("28.80"))
    enterprises.register_enterprise(
        by=None,
        data={
            "name": "城关镇企业",
            "unit": cast.town_a,
            "longitude": Decimal("113.70"),
            "latitude": Decimal("28.90"),
        },
    )
    cast.project(name="城关镇未定位")  # no coordinates: neither a point nor a part of the mean
    village = create_unit(
        by=None, parent=cast.town_b, kind=UnitKind.VILLAGE, name="河口村", code="990101002001"
    )
    far = cast.project(
        unit=village, name="河口村项目", longitude=Decimal("113.80"), latitude=Decimal("28.60")
    )
    cast.project(
        unit=cast.department, name="商务局项目", longitude=Decimal("113.55"), latitude=Decimal("28.65")
    )
    empty = create_unit(by=None, parent=cast.county, kind=UnitKind.TOWNSHIP, name="三墩乡", code="990101003")

    county = layer(client, cast.admin)
    by_name = {t["name"]: t for t in county["townships"]}
    assert list(by_name) == ["城关镇", "河口乡", "三墩乡"]
    assert by_name["城关镇"] | {"value": [Decimal(v) for v in by_name["城关镇"]["value"]]} == {
        "id": cast.town_a.pk,
        "name": "城关镇",
        "value": [Decimal("113.6000"), Decimal("28.8000")],
        "placed": "records",
        "points": 3,
    }
    # a village's record belongs to its township
    assert [Decimal(v) for v in by_name["河口乡"]["value"]] == [Decimal("113.8"), Decimal("28.6")]
    assert (by_name["三墩乡"]["placed"], by_name["三墩乡"]["points"], by_name["三墩乡"]["id"]) == (
        "ring",
        0,
        empty.pk,
    )
    lon, lat = (float(v) for v in by_name["三墩乡"]["value"])
    assert inside(focus(), lon, lat)
    # each point names its township: a department's names none
    townships = {p["name"]: p["township"] for p in county["projects"] + county["enterprises"]}
    assert townships == {
        "城关镇甲": cast.town_a.pk,
        "城关镇乙": cast.town_a.pk,
        "城关镇企业": cast.town_a.pk,
        "河口村项目": cast.town_b.pk,
        "商务局项目": None,
    }
    assert far.pk in {p["id"] for p in county["projects"]}


def test_a_township_sees_only_its_own_township_and_another_county_none_of_ours(client, cast):
    cast.project(name="城关镇甲", longitude=Decimal("113.50"), latitude=Decimal("28.70"))
    cast.project(unit=cast.town_b, name="河口乡项目", longitude=Decimal("113.80"), latitude=Decimal("28.60"))
    own = layer(client, cast.operator_a)
    assert [(t["name"], t["placed"]) for t in own["townships"]] == [("城关镇", "records")]
    assert [p["township"] for p in own["projects"]] == [cast.town_a.pk]
    other = layer(client, cast.operator_b)
    assert [(t["name"], t["value"]) for t in other["townships"]] == [("河口乡", ["113.8000", "28.6000"])]
    stranger = layer(client, cast.stranger)
    assert [t["name"] for t in stranger["townships"]] == ["邻县镇"]  # placed on the ring, no record of ours
    assert stranger["projects"] == []


def test_the_map_page_says_the_layer_is_schematic(client, cast):
    client.force_login(cast.operator_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("parks:map")).content.decode()
    assert "Townships (schematic)" in page and 'data-testid="map-schematic-note"' in page
    assert "Its place is not its boundary." in page
