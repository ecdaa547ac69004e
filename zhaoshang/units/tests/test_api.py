"""The unit tree through the JSON API: each user sees and configures only the own subtree."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhaoshang.units.models import Unit


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["items"]]


def locs(response: Any) -> list[list[Any]]:
    return [e["loc"] for e in response.json()["detail"]]


def village(parent: Unit, **fields: Any) -> dict[str, Any]:
    return {"parent_id": parent.pk, "kind": "village", "name": "东街社区", "code": "990101001001", **fields}


# --- reading --------------------------------------------------------------------------------


def test_each_user_lists_only_the_own_subtree_in_tree_order(cast):
    county = ["示例县", "城关镇", "河口乡", "县商务局", "示例经济开发区"]
    assert names(client_for(cast.admin).get("/api/units")) == county
    assert names(client_for(cast.leader).get("/api/units")) == county
    assert names(client_for(cast.operator_a).get("/api/units")) == ["城关镇"]
    assert names(client_for(cast.stranger).get("/api/units")) == ["邻县", "邻县镇"]


def test_a_unit_reads_with_its_kind_and_parent(cast):
    data = client_for(cast.operator_a).get(f"/api/units/{cast.town_a.pk}").json()
    assert data == {
        "id": cast.town_a.pk,
        "kind": "township",
        "kind_label": "Township",
        "name": "城关镇",
        "short_name": "",
        "code": "990101001",
        "parent_id": cast.county.pk,
        "depth": 3,
        "sort_order": 0,
        "is_active": True,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=township", ["城关镇", "河口乡"]),
        ("kind=department&kind=park", ["县商务局", "示例经济开发区"]),
        ("q=镇", ["城关镇"]),
        ("q=990101D", ["县商务局"]),
        ("sort=-code", ["示例经济开发区", "县商务局", "河口乡", "城关镇", "示例县"]),
    ],
)
def test_the_list_filters_and_sorts_like_the_unit_page(cast, query, expected):
    client = client_for(cast.admin)
    assert names(client.get(f"/api/units?{query}")) == expected
    page = client.get(f"/units/?{query}")
    assert [u.name for u in page.context["page_obj"].object_list] == expected


def test_the_under_filter_takes_a_subtree_the_user_may_see(cast):
    create = post(client_for(cast.admin), "/api/units", village(cast.town_a))
    assert create.status_code == 201, create.content
    assert names(client_for(cast.admin).get(f"/api/units?under={cast.town_a.pk}")) == ["城关镇", "东街社区"]
    refused = client_for(cast.operator_b).get(f"/api/units?under={cast.town_a.pk}")
    assert refused.status_code == 422
    assert locs(refused) == [["query", "under"]]


@pytest.mark.parametrize(
    ("user", "unit"), [("operator_a", "town_b"), ("operator_a", "county"), ("stranger", "town_a")]
)
def test_a_unit_outside_the_subtree_is_as_missing_as_a_missing_one(cast, user, unit):
    client = client_for(getattr(cast, user))
    foreign = client.get(f"/api/units/{getattr(cast, unit).pk}")
    missing = client.get("/api/units/999999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    changed = patch(client, f"/api/units/{getattr(cast, unit).pk}", {"name": "改名"})
    assert changed.status_code == 404
    assert changed.json() == missing.json()


# --- writing --------------------------------------------------------------------------------


def test_a_bureau_admin_creates_a_unit_in_the_county(cast):
    response = post(client_for(cast.admin), "/api/units", village(cast.town_a, short_name="东街"))
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(pk=response.json()["id"])
    assert (unit.parent, unit.kind, unit.short_name, unit.depth) == (cast.town_a, "village", "东街", 4)
    assert unit.is_within(cast.town_a)


@pytest.mark.parametrize("user", ["operator_a", "leader"])
def test_users_who_may_not_configure_get_403_on_writes(cast, user):
    client = client_for(getattr(cast, user))
    assert post(client, "/api/units", village(cast.town_a)).status_code == 403
    assert patch(client, f"/api/units/{cast.town_a.pk}", {"name": "改名"}).status_code == 403
    assert not Unit.objects.filter(name="东街社区").exists()
    assert Unit.objects.get(pk=cast.town_a.pk).name == "城关镇"


def test_a_parent_in_another_county_is_unknown(cast):
    foreign = post(client_for(cast.stranger), "/api/units", village(cast.town_a))
    missing = post(client_for(cast.stranger), "/api/units", village(cast.town_a, parent_id=999999))
    assert foreign.status_code == missing.status_code == 422
    assert foreign.json() == missing.json()
    assert locs(foreign) == [["body", "parent_id"]]


def test_the_tree_rules_and_unique_codes_are_enforced(cast):
    client = client_for(cast.admin)
    misplaced = post(client, "/api/units", village(cast.town_a, kind="township"))
    assert misplaced.status_code == 422
    assert misplaced.json()["detail"] == [
        {
            "loc": ["body", "parent_id"],
            "msg": "A Township cannot be placed under a Township.",
            "type": "invalid",
        }
    ]
    taken = post(client, "/api/units", village(cast.town_a, code=cast.town_b.code))
    assert taken.status_code == 422
    assert locs(taken) == [["body", "code"]]
    too_long = post(client, "/api/units", village(cast.town_a, name="长" * 101))
    assert too_long.status_code == 422
    assert locs(too_long) == [["body", "name"]]


def test_patch_changes_only_the_fields_sent(cast):
    response = patch(client_for(cast.admin), f"/api/units/{cast.town_a.pk}", {"short_name": "城关"})
    assert response.status_code == 200, response.content
    unit = Unit.objects.get(pk=cast.town_a.pk)
    assert (unit.name, unit.short_name, unit.code, unit.parent) == (
        "城关镇",
        "城关",
        "990101001",
        cast.county,
    )


def test_patch_refuses_null_for_a_field_that_cannot_be_empty(cast):
    response = patch(client_for(cast.admin), f"/api/units/{cast.town_a.pk}", {"name": None})
    assert response.status_code == 422
    assert locs(response) == [["body", "name"]]


def test_moving_a_unit_carries_its_subtree(cast):
    client = client_for(cast.admin)
    created = post(client, "/api/units", village(cast.town_a))
    assert created.status_code == 201, created.content
    moved = patch(client, f"/api/units/{created.json()['id']}", {"parent_id": cast.town_b.pk})
    assert moved.status_code == 200, moved.content
    assert moved.json()["parent_id"] == cast.town_b.pk
    assert Unit.objects.get(pk=created.json()["id"]).is_within(Unit.objects.get(pk=cast.town_b.pk))


def test_a_bureau_admin_may_not_reconfigure_the_own_county(cast):
    # The county hangs under the city, which is the city's business.
    response = patch(client_for(cast.admin), f"/api/units/{cast.county.pk}", {"name": "改名县"})
    assert response.status_code == 403
    assert response.json()["detail"] == "You may not change units outside your own unit's subtree."
    assert Unit.objects.get(pk=cast.county.pk).name == "示例县"
