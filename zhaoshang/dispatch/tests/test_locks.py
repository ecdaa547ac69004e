"""A report's writes lock the project and the report for update without their keys, and never the
unit row (PostgreSQL).

Every write of a county takes the county's audit chain head, and PostgreSQL checks a new row's
foreign keys at commit with ``FOR KEY SHARE`` on the rows they point at. A report action that held
the project's unit row ``FOR UPDATE`` (``select_for_update`` over a ``select_related`` join locks
every joined table) while waiting for the chain head deadlocked with a project being recorded in
the same county, which held the chain head while its foreign keys waited for the unit row: the
write burst of issue 25 saw three such 500s. The same holds for the project row, which new funds,
activities and reports point at: writes lock it ``FOR NO KEY UPDATE``, which serialises them and
leaves foreign-key checks free. Each test runs an action inside an open transaction and asks, from
a second connection, for the key-share lock that a foreign-key check takes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction

from zhaoshang.dispatch import services
from zhaoshang.dispatch.tests.conftest import DUE, signed, worded
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks as PostgreSQL takes them"),
]


def key_share_refused(table: str, pk: int) -> bool:
    """Whether another connection is refused the lock a foreign-key check takes on the row."""
    refused: list[bool] = []

    def ask() -> None:
        try:
            with transaction.atomic(), connections["default"].cursor() as cursor:
                cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR KEY SHARE NOWAIT", [pk])
            refused.append(False)
        except OperationalError:
            refused.append(True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    return refused == [True]


def rows_locked_during(action: Callable[[], Any], project: Project) -> list[str]:
    """Run ``action`` in a transaction left open, and name the rows (the project, its unit, its
    county) it keeps from the key-share lock."""
    unit = project.unit
    county = Unit.objects.county_of(unit)
    assert county is not None
    rows = [("projects_project", project.pk, project.name)] + [
        ("units_unit", u.pk, u.name) for u in (unit, county)
    ]
    with transaction.atomic():
        action()
        return [name for table, pk, name in rows if key_share_refused(table, pk)]


def test_the_check_sees_a_row_locked_for_update(cast):
    """The probe itself: a unit row locked ``FOR UPDATE`` is refused to the key-share lock."""
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=cast.town_a.pk)
        assert key_share_refused("units_unit", cast.town_a.pk)
    assert not key_share_refused("units_unit", cast.town_a.pk)


def test_editing_and_submitting_a_report_leave_the_rows_free(cast, opened):
    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    edit = lambda: services.update_report(report, by=cast.operator_a, data={"progress_text": "厂房封顶"})  # noqa: E731
    assert rows_locked_during(edit, opened["a"]) == []
    submit = lambda: services.submit_report(report, by=cast.operator_a, today=DUE)  # noqa: E731
    assert rows_locked_during(submit, opened["a"]) == []
    verify = lambda: services.verify_report(report, by=cast.admin)  # noqa: E731
    assert rows_locked_during(verify, opened["a"]) == []


def test_joining_a_round_late_leaves_the_rows_free(cast, opened):
    late = signed(cast, cast.town_a, "开轮后签约项目", signed_on=dt.date(2026, 3, 10))
    join = lambda: services.join_round(opened["round"], late, by=cast.operator_a, today=dt.date(2026, 3, 10))  # noqa: E731
    assert rows_locked_during(join, late) == []


def test_a_returned_report_leaves_the_rows_free(cast, opened):
    report = services.submit_report(
        worded(services.create_report(opened["round"], opened["b"], by=cast.operator_b), cast.operator_b),
        by=cast.operator_b,
        today=DUE,
    )
    back = lambda: services.return_report(report, by=cast.admin, reason="请补充到位资金凭证")  # noqa: E731
    assert rows_locked_during(back, opened["b"]) == []
