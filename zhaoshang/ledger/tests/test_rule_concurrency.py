"""A county rule changed while a project of the county is written in another connection: the
re-count (``rules.recount``) and the project's sync take their locks in one order, so whichever goes
second reads what the first wrote, and the ledger ends equal to what every project implies."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger import rules
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import implied, mismatches, recorded, subtree_figures, totals_from_ledger
from zhaoshang.projects.models import Project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks as PostgreSQL takes them"),
]
YEAR = 2024
ROUNDS = 4  # each round is two short transactions: the test stays within a few seconds


def test_a_rule_changed_while_a_project_of_the_county_syncs_ends_right(cast):
    project = cast.project(
        stage="signed", signed_on=dt.date(YEAR, 3, 1), contracted_amount=Decimal(100), by=cast.admin
    )
    other = cast.project(
        name="另一项目",
        stage="signed",
        signed_on=dt.date(YEAR, 3, 1),
        contracted_amount=Decimal(1),
        by=cast.admin,
    )
    indicator = rules.define(
        by=cast.admin,
        county=cast.county,
        name_zh="5000万元以上项目到位资金",
        name_en="Funds of projects of 50 million or more",
        measure="wan_cny",
        kinds=["funds_domestic"],
        min_investment=Decimal(3000),  # the projects (5000万元) pass
    )
    errors: list[BaseException] = []
    started = time.monotonic()

    def run(step, barrier) -> None:
        try:
            barrier.wait(timeout=10)
            step()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    recorded_total = Decimal(0)
    for n in range(ROUNDS):
        threshold = Decimal(6000) if n % 2 == 0 else Decimal(3000)  # out, then in again
        barrier = threading.Barrier(3)
        steps = [
            lambda threshold=threshold: rules.update(indicator, by=cast.admin, min_investment=threshold),
            lambda: funds_service.record_funds(
                project,
                by=cast.admin,
                arrived_on=dt.date(YEAR, 5, 1),
                source="domestic",
                amount=Decimal(100),
                verified=True,
            ),
            lambda: funds_service.record_funds(
                other,
                by=cast.admin,
                arrived_on=dt.date(YEAR, 6, 1),
                source="domestic",
                amount=Decimal(10),
                verified=True,
            ),
        ]
        threads = [threading.Thread(target=run, args=(step, barrier)) for step in steps]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert errors == [] and not any(t.is_alive() for t in threads)
        recorded_total += Decimal(110)
        passes = threshold <= Decimal(5000)
        figure = Indicator.objects.get(pk=indicator.pk).figure(
            subtree_figures(cast.county, YEAR, kinds=[indicator.kind])
        )
        assert figure == ((recorded_total if passes else Decimal(0)), Decimal(0)), n
    for each in Project.objects.all():
        assert recorded(each) == {k: v for k, v in implied(each).items() if v}
    assert mismatches(totals_from_ledger()) == []
    call_command("rebuild_rollups", "--check")
    assert time.monotonic() - started < 30
