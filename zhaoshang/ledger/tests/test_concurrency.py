"""Concurrent writes to one project leave the ledger equal to what the project implies."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.services import implied, mismatches, recorded, totals_from_ledger
from zhaoshang.projects import services as projects


@pytest.mark.django_db(transaction=True)
def test_funds_recorded_while_the_credits_change_are_split_by_the_new_shares(cast):
    project = cast.project()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(step) -> None:
        try:
            barrier.wait()
            step()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    steps = [
        lambda: projects.update_project(
            project,
            by=cast.admin,
            data={},
            credits=[(cast.town_a, Decimal(30)), (cast.department, Decimal(70))],
        ),
        lambda: funds_service.record_funds(
            project,
            by=cast.admin,
            arrived_on=dt.date(2024, 5, 1),
            source="domestic",
            amount=Decimal(1000),
            verified=True,
        ),
    ]
    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    project.refresh_from_db()
    assert recorded(project) == {k: v for k, v in implied(project).items() if v}
    assert mismatches(totals_from_ledger()) == []
