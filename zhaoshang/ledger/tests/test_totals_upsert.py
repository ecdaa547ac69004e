"""The totals are kept by one statement per sync (an insert that adds where the row exists) and the
credited units' chains are read in two queries: the figures equal a recount from the events, in
chunks as in one, and the queries stay few."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.models import Total
from zhaoshang.ledger.services import chains_of, mismatches, totals_from_ledger


def test_chains_run_from_the_unit_up_to_its_county(cast):
    chains = chains_of([cast.town_a.pk, cast.county.pk, cast.county.parent.pk])
    assert chains[cast.town_a.pk].units == [
        (cast.town_a.pk, cast.town_a.path),
        (cast.county.pk, cast.county.path),
    ]
    assert chains[cast.town_a.pk].top == cast.county.pk
    assert chains[cast.county.pk].units == [(cast.county.pk, cast.county.path)]
    # above the counties a unit's own row is its top
    city = cast.county.parent
    assert chains[city.pk].units == [(city.pk, city.path)] and chains[city.pk].top == city.pk


def test_totals_added_in_small_chunks_equal_a_recount(cast, monkeypatch):
    monkeypatch.setattr(ledger, "CHUNK", 2)  # many statements, and chains looked up two units at a time
    project = cast.project()
    other = cast.project(name="第二个项目", unit=cast.town_b)
    for n, p in enumerate([project, other, project]):
        funds_service.record_funds(
            p, by=cast.admin, arrived_on=dt.date(2024, n + 1, 5), source="domestic", amount=Decimal("100.5"),
            verified=n != 1,
        )  # fmt: skip
    assert mismatches(totals_from_ledger()) == []
    county = Total.objects.get(unit=cast.county, kind="funds_domestic", year=2024, month=Total.YEAR)
    assert (county.verified, county.reported) == (Decimal("201.0000"), Decimal("100.5000"))
    assert county.is_top and county.unit_path == cast.county.path


def test_recording_funds_adds_to_the_totals_in_one_statement(cast):
    project = cast.project()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        funds_service.record_funds(
            project, by=cast.admin, arrived_on=dt.date(2024, 3, 1), source="domestic", amount=Decimal(50)
        )
    writes = [q["sql"] for q in queries.captured_queries if "ledger_total" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("INSERT INTO") and "ON CONFLICT" in writes[0]
    units = [q["sql"] for q in queries.captured_queries if 'FROM "units_unit"' in q["sql"]]
    # the chains: one read of the credited units' paths, one of every ancestor they name
    assert sum('"units_unit"."id" IN (' in sql for sql in units) == 1
    assert len(units) <= 8  # with the permission check and the county's place code (origin levels)
    assert mismatches(totals_from_ledger()) == []
