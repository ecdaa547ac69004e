"""The unit tree: placement rules, the subtree range, and moves that rewrite descendants' paths."""

from __future__ import annotations

import pytest

from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit
from zhaoshang.units.services import create_unit, update_unit


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_the_subtree_of_a_county_is_the_county_and_everything_under_it(cast):
    assert names(Unit.objects.subtree(cast.county)) == {
        "示例县",
        "城关镇",
        "河口乡",
        "县商务局",
        "示例经济开发区",
    }


def test_the_subtree_of_a_township_does_not_leak_into_its_siblings(cast):
    village = create_unit(
        by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="长冲村", code="990101001001"
    )
    assert names(Unit.objects.subtree(cast.town_a)) == {"城关镇", village.name}


def test_a_subtree_query_is_one_range_on_the_path(cast):
    sql = str(Unit.objects.subtree(cast.county).query)
    assert '"path" >=' in sql and '"path" <' in sql and "LIKE" not in sql


def test_paths_are_digits_only_and_nest(cast):
    assert cast.town_a.path.isdigit()
    assert cast.town_a.path.startswith(cast.county.path)
    assert len(cast.town_a.path) == len(cast.county.path) + tree.SEGMENT_WIDTH
    assert cast.town_a.depth == cast.county.depth + 1


def test_the_upper_bound_sorts_after_every_descendant_and_before_the_next_sibling():
    low, high = tree.subtree_range("0000000100000009")
    assert low < "000000010000000900000001" < high
    assert high == "0000000100000010" and high <= "000000010000001000000001"


@pytest.mark.parametrize(
    ("kind", "parent_attr"),
    [
        (UnitKind.TOWNSHIP, "city"),
        (UnitKind.VILLAGE, "county"),
        (UnitKind.COUNTY, "county"),
        (UnitKind.DEPARTMENT, "town_a"),
        (UnitKind.TOWNSHIP, None),
    ],
)
def test_a_unit_cannot_be_placed_under_the_wrong_kind_of_parent(cast, kind, parent_attr):
    parent = getattr(cast, parent_attr) if parent_attr else None
    with pytest.raises(ValidationError) as excinfo:
        create_unit(by=None, parent=parent, kind=kind, name="错位单位", code="X1")
    assert "parent" in excinfo.value.message_dict


def test_unit_codes_are_unique(cast):
    with pytest.raises(ValidationError) as excinfo:
        create_unit(by=None, parent=cast.county, kind=UnitKind.TOWNSHIP, name="重复", code=cast.town_a.code)
    assert "code" in excinfo.value.message_dict


def test_moving_a_unit_moves_its_whole_subtree(cast):
    village = create_unit(
        by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="长冲村", code="990101001001"
    )
    update_unit(cast.town_a, by=None, parent=cast.other_county)
    village.refresh_from_db()
    town = Unit.objects.get(pk=cast.town_a.pk)
    assert town.path.startswith(cast.other_county.path)
    assert village.path == town.path + tree.segment(village.pk)
    assert village.depth == town.depth + 1
    assert names(Unit.objects.subtree(cast.other_county)) >= {"城关镇", "长冲村"}
    assert "城关镇" not in names(Unit.objects.subtree(cast.county))


def test_a_unit_cannot_move_under_its_own_descendant(cast):
    village = create_unit(
        by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="长冲村", code="990101001001"
    )
    with pytest.raises(ValidationError):
        update_unit(cast.county, by=None, parent=village)


def test_a_bureau_admin_cannot_create_units_in_another_county(cast):
    with pytest.raises(OutOfScope):
        create_unit(by=cast.admin, parent=cast.other_county, kind=UnitKind.TOWNSHIP, name="外县镇", code="X2")


def test_an_operator_cannot_create_units_even_in_their_own_township(cast):
    with pytest.raises(OutOfScope):
        create_unit(by=cast.operator_a, parent=cast.town_a, kind=UnitKind.VILLAGE, name="新村", code="X3")


def test_a_bureau_admin_cannot_move_a_township_out_of_the_county(cast):
    with pytest.raises(OutOfScope):
        update_unit(cast.town_a, by=cast.admin, parent=cast.other_county)
    assert Unit.objects.get(pk=cast.town_a.pk).parent_id == cast.county.pk
