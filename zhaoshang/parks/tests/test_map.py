"""The map: an offline boundary of our own, points only for what the user may see, coordinates
inside China's bounding box, both or neither, in GCJ-02 (a GPS reading converted), and demo points
inside the county the map draws."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.core import geo
from zhaoshang.core.errors import ValidationError
from zhaoshang.enterprises import services as enterprises
from zhaoshang.parks import map_demo, services
from zhaoshang.parks.forms import ProfileForm
from zhaoshang.projects.forms import ProjectForm
from zhaoshang.projects.models import Project

PINGJIANG = {"longitude": Decimal("113.583"), "latitude": Decimal("28.701")}


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def boundary() -> dict:
    path = finders.find(f"zhaoshang/geo/{settings.MAP_COUNTY}.geojson")
    assert path, "the boundary is a static file of ours"
    return json.loads(Path(path).read_text(encoding="utf-8"))


def inside(feature: dict, lon: float, lat: float) -> bool:
    """Ray casting over every ring of a (multi)polygon."""
    hit = False
    for polygon in feature["geometry"]["coordinates"]:
        for ring in polygon:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                    hit = not hit
    return hit


def points(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("parks:map_points"))
    assert response.status_code == 200
    return response.json()


def test_the_boundary_is_small_names_its_county_and_lies_in_china():
    path = finders.find(f"zhaoshang/geo/{settings.MAP_COUNTY}.geojson")
    assert Path(path).stat().st_size < 100_000
    data = boundary()
    focus = [f for f in data["features"] if f["properties"]["focus"]]
    assert [f["properties"]["adcode"] for f in focus] == [settings.MAP_COUNTY]
    assert len(data["features"]) > 1  # the neighbours too
    assert inside(focus[0], 113.583, 28.701)  # 平江县's seat
    for feature in data["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                for lon, lat in ring:
                    assert geo.MIN_LONGITUDE <= Decimal(str(lon)) <= geo.MAX_LONGITUDE
                    assert geo.MIN_LATITUDE <= Decimal(str(lat)) <= geo.MAX_LATITUDE


def test_every_demo_point_lies_inside_the_county_drawn():
    (focus,) = [f for f in boundary()["features"] if f["properties"]["focus"]]
    spread = map_demo.SPREAD / 1_000_000
    for lon, lat in map_demo.ANCHORS:
        for dx in (-spread, 0, spread):
            for dy in (-spread, 0, spread):
                assert inside(focus, float(lon) + dx, float(lat) + dy), (lon, lat, dx, dy)


def test_the_demo_places_the_countys_records_and_no_other(cast):
    mine = cast.project(name="城关镇项目")
    theirs = cast.project(unit=cast.other_town, name="邻县项目")
    made = enterprises.register_enterprise(by=None, data={"name": "温州鞋业", "unit": cast.town_b})
    assert map_demo.place(cast.county) == 3  # the park, the project, the enterprise
    mine.refresh_from_db(), theirs.refresh_from_db(), made.refresh_from_db()
    (focus,) = [f for f in boundary()["features"] if f["properties"]["focus"]]
    assert inside(focus, float(mine.longitude), float(mine.latitude))
    assert inside(focus, float(made.longitude), float(made.latitude))
    assert theirs.longitude is None and cast.park.park_profile.longitude is not None


def test_a_township_sees_only_its_own_points_and_the_county_sees_all(client, cast):
    own = cast.project(name="城关镇项目", stage="negotiating", **PINGJIANG)
    other = cast.project(unit=cast.town_b, name="河口乡项目", **PINGJIANG)
    cast.project(name="未定位项目")  # no coordinates: not on the map
    foreign = cast.project(unit=cast.other_town, name="邻县项目", **PINGJIANG)
    enterprises.register_enterprise(by=None, data={"name": "河口乡企业", "unit": cast.town_b, **PINGJIANG})
    services.save_profile(cast.park, by=None, data=PINGJIANG)

    town = points(client, cast.operator_a)
    assert [(p["id"], p["stage"], p["url"]) for p in town["projects"]] == [
        (own.pk, "negotiating", reverse("projects:detail", args=[own.pk]))
    ]
    assert town["enterprises"] == [] and town["parks"] == []
    assert [Decimal(v) for v in town["projects"][0]["value"]] == list(PINGJIANG.values())

    county = points(client, cast.admin)
    assert {p["id"] for p in county["projects"]} == {own.pk, other.pk}
    assert [e["name"] for e in county["enterprises"]] == ["河口乡企业"]
    assert [p["url"] for p in county["parks"]] == [reverse("parks:detail", args=[cast.park.pk])]
    assert foreign.pk not in {p["id"] for p in county["projects"]}

    stranger = points(client, cast.stranger)
    assert [p["id"] for p in stranger["projects"]] == [foreign.pk]
    assert stranger["enterprises"] == [] and stranger["parks"] == []


def test_the_map_page_is_offline_and_refuses_anonymous_visitors(client, cast):
    assert client.get(reverse("parks:map_points")).status_code == 302
    client.force_login(cast.operator_a)
    page = client.get(reverse("parks:map")).content.decode()
    assert f"zhaoshang/geo/{settings.MAP_COUNTY}.geojson" in page and "vendor/echarts.min.js" in page
    assert "http://" not in page.split("<body", 1)[1].replace("http://www.w3.org", "")
    assert "https://" not in page.split("<body", 1)[1]


def test_coordinates_must_lie_in_china_and_come_in_pairs(cast):
    data = {"planned_mu": "300"}
    assert not ProfileForm(data | {"longitude": "13.4", "latitude": "52.5"}).is_valid()  # Berlin
    assert not ProfileForm(data | {"longitude": "113.6", "latitude": "2.0"}).is_valid()
    alone = ProfileForm(data | {"longitude": "113.6"})
    assert not alone.is_valid() and "latitude" in alone.errors
    good = ProfileForm(data | {"longitude": "113.583", "latitude": "28.701"})
    assert good.is_valid() and good.cleaned_data["longitude"] == Decimal("113.583")
    with pytest.raises(ValidationError):  # the service (and the database) refuse half a point
        services.save_profile(cast.park, by=None, data={"longitude": Decimal("113.6")})
    project = cast.project()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(longitude=Decimal("113.6"))


def test_a_gps_reading_is_stored_in_gcj02(cast):
    """WGS-84 (a phone's GPS) is moved by the published offset, a few hundred metres in Hunan."""
    form = ProjectForm(
        {
            "name": "GPS项目",
            "unit": cast.town_a.pk,
            "currency": "CNY",
            "total_investment": "100",
            "longitude": "113.583000",
            "latitude": "28.701000",
            "coordinate_system": "wgs84",
        },
        user=cast.admin,
    )
    assert form.is_valid(), form.errors
    lon, lat = form.cleaned_data["longitude"], form.cleaned_data["latitude"]
    assert (lon, lat) == geo.wgs84_to_gcj02(Decimal("113.583"), Decimal("28.701"))
    assert Decimal("0.001") < lon - Decimal("113.583") < Decimal("0.01")
    assert Decimal("-0.01") < lat - Decimal("28.701") < Decimal("0")
    assert form.instance.longitude == lon  # what the project will store
    assert geo.wgs84_to_gcj02(Decimal("13.4"), Decimal("52.5")) == (Decimal("13.4"), Decimal("52.5"))


def test_an_enterprise_from_a_project_keeps_its_place(cast):
    stages = ["signed", "started", "completed", "operating"]
    days = {f"{d}_on": dt.date(2025, m, 1) for m, d in enumerate(stages, 1)}
    project = cast.project(stage="operating", contracted_amount=Decimal(100), **days, **PINGJIANG)
    made = enterprises.register_from_project(project, by=None)
    assert (made.longitude, made.latitude) == (PINGJIANG["longitude"], PINGJIANG["latitude"])


# --- coordinates on the detail pages ------------------------------------------------------------


def test_a_point_is_written_in_degrees_minutes_and_seconds():
    assert geo.dms(Decimal("113.589478")) == "113°35′22.12″"
    assert geo.dms(Decimal("28.5")) == "28°30′00.00″"
    assert geo.dms(Decimal("28.999999")) == "29°00′00.00″"  # the seconds' rounding carries over
    assert geo.display(Decimal("113.583"), Decimal("28.701")) == "113°34′58.80″ E, 28°42′03.60″ N"
    assert geo.display(None, None) == ""


def test_the_detail_pages_show_the_point_with_a_link_to_the_map_centred_on_it(client, cast):
    project = cast.project(name="城关镇项目", **PINGJIANG)
    made = enterprises.register_enterprise(
        by=None, data={"name": "城关镇企业", "unit": cast.town_a, **PINGJIANG}
    )
    services.save_profile(cast.park, by=None, data=PINGJIANG)
    bare = cast.project(name="未定位项目")
    written = "东经113°34′58.80″，北纬28°42′03.60″"  # as a reader of the default language sees it
    link = reverse("parks:map") + "?lon=113.583000&amp;lat=28.701000"
    client.force_login(cast.admin)
    for url in (
        project.get_absolute_url(),
        made.get_absolute_url(),
        reverse("parks:detail", args=[cast.park.pk]),
    ):
        page = client.get(url).content.decode()
        assert written in page and link in page and "113.583000, 28.701000 GCJ-02" in page, url
    assert 'data-testid="coordinates"' not in client.get(bare.get_absolute_url()).content.decode()
    # scoped as the pages are: another township's operator opens none of them
    client.force_login(cast.operator_b)
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(made.get_absolute_url()).status_code == 404


def test_the_map_centres_on_the_point_asked_for_and_ignores_a_point_outside_china(client, cast):
    client.force_login(cast.operator_a)
    page = client.get(reverse("parks:map"), {"lon": "113.583", "lat": "28.701"}).content.decode()
    assert 'data-centre="113.583000,28.701000"' in page
    for bad in (
        {"lon": "13.4", "lat": "52.5"},
        {"lon": "NaN", "lat": "28"},
        {"lon": "1e9999", "lat": "x"},
        {},
    ):
        assert "data-centre" not in client.get(reverse("parks:map"), bad).content.decode()
