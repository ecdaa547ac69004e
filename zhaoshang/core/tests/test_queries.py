"""filter_in and in_subquery: the rows whose field is one of the values, or one a subquery selects,
on either database (arrays on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from zhaoshang.core.queries import filter_in, in_subquery
from zhaoshang.units.models import Unit


def test_it_keeps_exactly_the_rows_named(cast: Any) -> None:
    wanted = [cast.town_a.pk, cast.park.pk, 10**12]  # an id no row has is simply not found
    found = filter_in(Unit.objects.all(), "pk", wanted)
    assert sorted(found.values_list("pk", flat=True)) == sorted([cast.town_a.pk, cast.park.pk])


def test_no_values_find_no_rows(cast: Any) -> None:
    assert not filter_in(Unit.objects.all(), "pk", []).exists()


def test_it_filters_through_a_relation_and_composes_with_other_filters(cast: Any) -> None:
    found = filter_in(Unit.objects.filter(kind=cast.town_a.kind), "parent_id", [cast.county.pk])
    assert cast.town_a in found and cast.park not in found


def test_on_postgresql_the_values_are_one_array_parameter(cast: Any) -> None:
    sql = str(filter_in(Unit.objects.all(), "pk", [1, 2, 3]).query)
    assert ("= ANY(" in sql) == (connection.vendor == "postgresql")


def test_in_subquery_keeps_the_rows_the_subquery_names_alone_or_under_an_or(cast: Any) -> None:
    towns = Unit.objects.filter(parent=cast.county, kind=cast.town_a.kind).values("pk")
    assert set(Unit.objects.filter(in_subquery("pk", towns))) == {cast.town_a, cast.town_b}
    either = Unit.objects.filter(in_subquery("pk", towns) | in_subquery("parent_id", towns.filter(pk=-1)))
    assert set(either) == {cast.town_a, cast.town_b}
    nothing = Unit.objects.filter(in_subquery("pk", towns.none()))
    assert not nothing.exists()


def test_on_postgresql_the_subquery_is_an_array_the_index_can_look_up(cast: Any) -> None:
    sql = str(Unit.objects.filter(in_subquery("pk", Unit.objects.values("pk"))).query)
    assert ("= ANY(ARRAY(SELECT" in sql) == (connection.vendor == "postgresql")
    assert (" IN (SELECT" in sql) == (connection.vendor != "postgresql")


def test_every_write_locks_its_rows_through_for_update() -> None:
    """Decision 39: ``select_for_update`` appears in ``core.queries.for_update`` only, so no write
    locks a joined unit row or a row's keys (the burst deadlock of issue 25)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path != root / "core" / "queries.py"
        and ".select_for_update(" in path.read_text(encoding="utf-8")
    ]
    assert found == []
    assert ".select_for_update(" in (root / "core" / "queries.py").read_text(encoding="utf-8")
