"""The unit pages: the tree list, detail, create and edit, all within the user's subtree."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from zhaoshang.units.models import Unit


def listed(response) -> set[str]:
    return {obj.name for obj, _cells in response.context["rows"]}


def test_an_operator_sees_only_their_township_in_the_tree(client, cast):
    client.force_login(cast.operator_a)
    assert listed(client.get(reverse("units:list"))) == {"城关镇"}


def test_the_bureau_sees_its_county_and_not_the_neighbour(client, cast):
    client.force_login(cast.admin)
    assert listed(client.get(reverse("units:list"))) == {
        "示例县",
        "城关镇",
        "河口乡",
        "县商务局",
        "示例经济开发区",
    }


def test_the_unit_export_is_scoped_too(client, cast):
    client.force_login(cast.operator_b)
    ws = load_workbook(io.BytesIO(client.get(reverse("units:export")).content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["河口乡"]


def test_a_foreign_unit_is_not_found(client, cast):
    client.force_login(cast.operator_a)
    for unit in (cast.town_b, cast.county, cast.other_town):
        assert client.get(reverse("units:detail", args=[unit.pk])).status_code == 404
        assert client.get(reverse("units:edit", args=[unit.pk])).status_code == 404


def test_the_bureau_adds_a_village_under_a_township(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("units:create"),
        {
            "parent": cast.town_a.pk,
            "kind": "village",
            "name": "海泉村",
            "code": "990101001002",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    village = Unit.objects.get(code="990101001002")
    assert response.status_code == 302 and village.parent == cast.town_a
    assert village.path.startswith(cast.town_a.path)


def test_the_bureau_cannot_create_a_unit_under_another_county(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("units:create"),
        {
            "parent": cast.other_county.pk,
            "kind": "township",
            "name": "越界镇",
            "code": "X9",
            "sort_order": 0,
        },
    )
    assert response.status_code == 400
    assert not Unit.objects.filter(code="X9").exists()


def test_a_wrongly_placed_unit_gets_a_clear_error(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("units:create"),
        {
            "parent": cast.town_a.pk,
            "kind": "township",
            "name": "镇中镇",
            "code": "X8",
            "sort_order": 0,
        },
    )
    assert response.status_code == 400 and "parent" in response.context["form"].errors


def test_operators_and_leaders_cannot_configure_units(client, cast):
    for user in (cast.operator_a, cast.leader):
        client.force_login(user)
        assert client.get(reverse("units:create")).status_code == 403
        response = client.post(
            reverse("units:create"),
            {
                "parent": cast.town_a.pk,
                "kind": "village",
                "name": "私建村",
                "code": "X7",
                "sort_order": 0,
            },
        )
        assert response.status_code == 403
    assert not Unit.objects.filter(code="X7").exists()


def test_the_bureau_renames_a_township(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("units:edit", args=[cast.town_b.pk]),
        {
            "parent": cast.county.pk,
            "kind": "township",
            "name": "河口镇",
            "code": cast.town_b.code,
            "sort_order": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=cast.town_b.pk).name == "河口镇"
