"""The parks API (read-only): parks with their profiles, a park's figures as its page sums them,
idle assets; another county's park answers 404 like a missing one, and lists leave out what the
caller may not see."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.parks import services
from zhaoshang.parks.tests.test_parks import YEAR, reference_park
from zhaoshang.units.services import create_unit


def idle(unit, name):
    return services.record_idle_asset(
        by=None, data={"unit": unit, "kind": "building", "name": name, "area": Decimal(900), "owner": "x"}
    )


def test_the_county_reads_the_reference_park_with_its_figures(client, cast):
    park, made = reference_park(cast)
    services.add_factory(park, by=None, name="1号标准厂房", floor_area=Decimal(3000), tenant=made[0])
    client.force_login(cast.admin)
    listed = client.get("/api/parks").json()
    assert [(p["id"], p["profile"]["planned_mu"]) for p in listed["items"]] == [(park.pk, "300.00")]
    body = client.get(f"/api/parks/{park.pk}", {"year": YEAR}).json()
    assert body["profile"]["developed_mu"] == "100.00" and body["infrastructure_amount"] == "50.0000"
    figures = body["figures"]
    assert (figures["enterprises"], figures["output"], figures["tax"], figures["jobs"]) == (
        2,
        "4000.0000",
        "180.0000",
        120,
    )
    assert body["land_mu"] == "80.00" and body["tax_per_mu"] == "2.2500"
    assert {i["kind"] for i in body["infrastructure"]} == {"road", "water", "power", "culvert"}
    assert [(f["name"], f["occupied"]) for f in body["factories"]] == [("1号标准厂房", True)]


def test_a_park_without_a_profile_reads_as_none_and_a_bad_year_is_refused(client, cast):
    client.force_login(cast.admin)
    assert client.get(f"/api/parks/{cast.park.pk}").json()["profile"] is None
    assert client.get(f"/api/parks/{cast.park.pk}", {"year": 1900}).status_code == 422


def test_another_countys_park_and_idle_assets_are_refused(client, cast):
    foreign = create_unit(by=None, parent=cast.other_county, kind="park", name="邻县园区", code="990102P01")
    services.save_profile(foreign, by=None, data={"planned_mu": Decimal(50)})
    idle(cast.town_a, "城关镇闲置厂房")
    idle(cast.town_b, "河口乡闲置厂房")
    idle(cast.other_town, "邻县闲置厂房")
    client.force_login(cast.admin)
    assert client.get(f"/api/parks/{foreign.pk}").status_code == 404
    assert client.get("/api/parks/999999").status_code == 404
    assert [p["name"] for p in client.get("/api/parks").json()["items"]] == [cast.park.name]
    names = {a["name"] for a in client.get("/api/parks/idle").json()["items"]}
    assert names == {"城关镇闲置厂房", "河口乡闲置厂房"}
    client.force_login(cast.operator_a)  # a township: its own idle assets, no park of the county
    assert client.get(f"/api/parks/{cast.park.pk}").status_code == 404
    assert client.get("/api/parks").json()["items"] == []
    assert [a["name"] for a in client.get("/api/parks/idle").json()["items"]] == ["城关镇闲置厂房"]
