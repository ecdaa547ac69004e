"""filter_in: the rows whose field is one of the values, on either database (an array on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from zhaoshang.core.queries import filter_in
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
