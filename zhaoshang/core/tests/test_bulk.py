"""The bulk writers store what ``bulk_create`` stores, on either database (COPY on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError
from django.utils import timezone

from zhaoshang.audit.models import Entry
from zhaoshang.coordination.models import Activity as RequestActivity
from zhaoshang.core.bulk import Sink, insert_objects, insert_rows
from zhaoshang.projects.models import CreditShare, Project, StageChange, Steward


def _project(cast: Any, name: str) -> Project:
    return Project.objects.create(
        name=name, unit=cast.town_a, created_by=cast.admin, code=name, total_investment=Decimal(1)
    )


def _stored(queryset: Any, *fields: str) -> list[tuple[Any, ...]]:
    return list(queryset.order_by("pk").values_list(*fields))


def test_insert_rows_matches_bulk_create_with_defaults_and_auto_now(cast: Any) -> None:
    first, second = _project(cast, "甲"), _project(cast, "乙")
    before = timezone.now()
    rows = [
        {"project_id": p.pk, "to_stage": "lead", "changed_on": dt.date(2026, 3, 1), "changed_by_name": "张三"}
        for p in (first, second)
    ]
    insert_rows(StageChange, rows)
    StageChange.objects.bulk_create(
        [StageChange(**row | {"project_id": pk}) for row, pk in zip(rows, (second.pk, first.pk), strict=True)]
    )
    written = list(StageChange.objects.order_by("pk"))
    assert len(written) == 4
    columns = ("from_stage", "to_stage", "changed_on", "changed_by_id", "changed_by_name", "note")
    assert [[getattr(c, f) for f in columns] for c in written[:2]] == [
        [getattr(c, f) for f in columns] for c in written[2:]
    ]
    assert [c.project_id for c in written] == [first.pk, second.pk, second.pk, first.pk]
    assert all(c.recorded_at >= before for c in written)  # auto_now_add filled in
    assert written[0].from_stage == "" and written[0].note == ""  # field defaults filled in


def test_insert_rows_stores_json_decimals_and_nulls_exactly(cast: Any) -> None:
    project = _project(cast, "丙")
    after = {"name": "丙", "total_investment": "8000.5000", "list": [1, "二"], "none": None}
    now = timezone.now()
    row = {
        "chain": "c", "seq": 1, "at": now, "user_id": None, "user_name": "system", "unit_name": "",
        "client_ip": None, "request_id": "", "action": Entry.Action.CREATE, "object_type": "x",
        "object_id": "1", "object_repr": "丙", "before": None, "after": after, "note": "",
        "prev_hash": "0" * 64, "hash": "1" * 64,
    }  # fmt: skip
    insert_rows(Entry, [row])
    entry = Entry.objects.get(chain="c")
    assert entry.after == after and entry.before is None and entry.at == now and entry.client_ip is None
    share = {
        "project_id": project.pk,
        "unit_id": cast.town_a.pk,
        "share": Decimal("33.33"),
        "project_unit_id": project.unit_id,
    }
    insert_rows(CreditShare, [share])
    assert CreditShare.objects.get().share == Decimal("33.33")


def test_insert_rows_refuses_a_row_whose_missing_value_would_be_computed(cast: Any) -> None:
    # A request's activity has a file (computed by pre_save) and a time defaulting to timezone.now.
    with pytest.raises(ValueError, match=r"Activity\.(file|at),"):
        insert_rows(RequestActivity, [{"request_id": 1, "kind": "comment", "text": "x"}])


def test_insert_objects_sends_what_bulk_create_sends(cast: Any) -> None:
    project = _project(cast, "戊")

    def stewards() -> list[Steward]:
        return [Steward(project=project, name=n, position="科长", phone="") for n in ("甲", "乙")]

    insert_objects(Steward, stewards())
    Steward.objects.bulk_create(stewards())
    stored = _stored(Steward.objects, "project_id", "name", "position", "phone", "user_id")
    assert stored[:2] == stored[2:] and len(stored) == 4
    before = timezone.now()
    fresh = Project(name="己", unit=cast.town_b, created_by=cast.admin, code="己")
    fresh.total_investment = Decimal("1.5")
    fresh.pk = project.pk + 1000  # ids drawn beforehand, as the bulk import does
    insert_objects(Project, [fresh])
    saved = Project.objects.get(code="己")
    assert saved.created_at >= before and saved.updated_at >= before  # pre_save of auto_now fields
    assert (saved.unit_id, saved.total_investment, saved.stage, saved.currency) == (
        cast.town_b.pk,
        Decimal("1.5000"),
        "lead",
        "CNY",
    )


def _unit_rows(cast: Any, names: list[str | None], start: int = 0) -> list[tuple[Any, ...]]:
    """Rows of new townships under the cast's county, as the generator writes units."""
    county = cast.county
    return [
        (f"{county.code}9{n:02d}", "township", name, "", county.pk, f"{county.path}{900 + n:08d}",
         county.depth + 1, 900 + n, True)
        for n, name in enumerate(names, start)
    ]  # fmt: skip


UNIT_COLUMNS = ("code", "kind", "name", "short_name", "parent_id", "path", "depth", "sort_order", "is_active")


def test_a_background_sink_writes_every_row_by_the_time_it_is_closed(cast: Any) -> None:
    from zhaoshang.units.models import Unit

    sink = Sink(background=True)
    for start, batch in ((0, ["甲镇", "乙镇"]), (2, ["丙镇"]), (3, ["丁镇", "戊镇", "己镇"])):
        sink.write(Unit, UNIT_COLUMNS, _unit_rows(cast, batch, start))
    sink.close()
    sink.close()  # a second close does nothing
    assert sink.rows == {Unit._meta.db_table: 6}
    written = Unit.objects.filter(parent=cast.county, sort_order__gte=900).order_by("path")
    assert [u.name for u in written] == ["甲镇", "乙镇", "丙镇", "丁镇", "戊镇", "己镇"]


def test_a_background_sinks_failure_is_raised_by_close(cast: Any) -> None:
    from zhaoshang.units.models import Unit

    sink = Sink(background=True)
    with pytest.raises((RuntimeError, IntegrityError)) as raised:  # SQLite writes at once
        sink.write(Unit, UNIT_COLUMNS, _unit_rows(cast, [None]))  # a unit needs its name
        sink.close()
    failure = raised.value.__cause__ if isinstance(raised.value, RuntimeError) else raised.value
    assert isinstance(failure, IntegrityError) and "name" in str(failure)  # Django's error, as bulk_create
