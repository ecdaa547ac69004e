"""Importing the unit tree: round trips, parents in the same file, all-or-nothing, scope, pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from zhaoshang.core import tree
from zhaoshang.core.xlsx import XLSX_TYPE, cell, table_workbook
from zhaoshang.units.importing import COLUMNS, import_units
from zhaoshang.units.models import Unit
from zhaoshang.units.tables import UNIT_TABLE

LABEL = {c.key: str(c.label) for c in COLUMNS}


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def sheet(rows: list[dict[str, Any]]) -> io.BytesIO:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("units")
    ws.append([cell(ws, LABEL[k], header=True) for k in keys])
    for row in rows:
        ws.append([cell(ws, row.get(k)) for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "units.xlsx"  # the test client uploads only named files
    return buffer


def snapshot() -> list[tuple]:
    return list(
        Unit.objects.order_by("pk").values_list(
            "pk",
            "kind",
            "name",
            "short_name",
            "code",
            "parent_id",
            "path",
            "depth",
            "sort_order",
            "is_active",
        )
    )


def township(name: str, code: str, parent_code: str = "990101", **extra: Any) -> dict[str, Any]:
    return {"name": name, "code": code, "kind": "Township", "parent_code": parent_code, **extra}


def test_an_exported_unit_list_imports_back_unchanged(cast):
    Unit.objects.filter(pk=cast.town_b.pk).update(short_name="河口", sort_order=-2, is_active=False)
    before = snapshot()
    units = Unit.objects.visible_to(cast.admin, "export").select_related("parent")
    result = import_units(cast.admin, io.BytesIO(table_workbook("Units", UNIT_TABLE.export_columns(), units)))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, units.count())
    assert snapshot() == before


def test_a_parent_may_be_a_unit_created_higher_up_in_the_same_file(cast):
    rows = [
        township("新城镇", "990101003"),
        {"name": "新城村", "code": "990101003201", "kind": "village", "parent_code": "990101003"},
        {"name": "南山村", "code": "990101003202", "kind": "Village", "parent": "新城镇"},
    ]
    result = import_units(cast.admin, sheet(rows))
    assert (result.created, result.errors) == (3, [])
    town = Unit.objects.get(code="990101003")
    village = Unit.objects.get(code="990101003201")
    assert (town.parent, village.parent) == (cast.county, town)
    assert tree.is_within(village.path, cast.county.path) and village.depth == cast.county.depth + 2
    assert Unit.objects.get(code="990101003202").parent == town


def test_a_row_with_a_known_code_updates_that_unit(cast):
    result = import_units(
        cast.admin, sheet([township("河口镇", "990101002", short_name="河口", is_active="no")])
    )
    assert (result.updated, result.errors) == (1, [])
    cast.town_b.refresh_from_db()
    assert (cast.town_b.name, cast.town_b.short_name, cast.town_b.is_active) == ("河口镇", "河口", False)


def test_one_bad_row_writes_nothing_and_names_its_row_and_column(cast):
    before = snapshot()
    rows = [township("新城镇", "990101003"), township("错位镇", "990101004", parent_code="990101001")]
    result = import_units(cast.admin, sheet(rows))
    assert snapshot() == before
    assert [(e.row, e.column) for e in result.errors] == [(3, "Parent code")]
    assert "cannot be placed under" in result.errors[0].message


def test_keeping_the_valid_rows_keeps_exactly_them(cast):
    rows = [township("新城镇", "990101003"), township("", "990101004"), township("东湖镇", "990101005")]
    result = import_units(cast.admin, sheet(rows), keep_valid=True)
    assert (result.kept_rows, result.rejected_rows) == ([2, 4], [3])
    assert result.errors[0].column == "Unit name"
    assert set(
        Unit.objects.filter(code__in=["990101003", "990101004", "990101005"]).values_list("code", flat=True)
    ) == {
        "990101003",
        "990101005",
    }


def test_a_bureau_admin_cannot_add_units_to_another_county(cast):
    before = snapshot()
    result = import_units(cast.admin, sheet([township("越界镇", "990102009", parent_code="990102")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Parent code")]
    assert snapshot() == before


def test_a_bureau_admin_cannot_move_their_county_elsewhere(cast):
    before = snapshot()
    row = {"name": "示例县", "code": "990101", "kind": "County", "parent_code": "990000"}
    result = import_units(cast.admin, sheet([row]))
    assert [e.row for e in result.errors] == [2]
    assert snapshot() == before


def test_an_operator_may_not_import_units(cast):
    result = import_units(cast.operator_a, sheet([township("新城镇", "990101003")]))
    assert result.file_errors and not Unit.objects.filter(code="990101003").exists()


def test_the_unit_template_has_the_export_header(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("units:import_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    first, _instructions = load_workbook(io.BytesIO(response.content), read_only=True).worksheets
    assert list(first.values) == [tuple(str(c.label) for c in UNIT_TABLE.export_columns())]


def test_the_unit_import_page_refuses_those_who_may_not_configure(client, cast):
    for user in (cast.leader, cast.operator_a):
        client.force_login(user)
        assert client.get(reverse("units:import")).status_code == 403
        assert (
            client.post(
                reverse("units:import"), {"file": sheet([township("新城镇", "990101003")])}
            ).status_code
            == 403
        )
    assert not Unit.objects.filter(code="990101003").exists()


def test_an_admin_imports_units_through_the_page(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("units:import")).status_code == 200
    response = client.post(reverse("units:import"), {"file": sheet([township("新城镇", "990101003")])})
    assert b'data-testid="imported"' in response.content
    assert Unit.objects.get(code="990101003").parent == cast.county


def test_a_name_longer_than_its_column_is_refused_by_the_import(cast):
    # The probe's import stored a 300-character name in a field of 100: create_unit checked no sizes.
    before = snapshot()
    result = import_units(cast.admin, sheet([township("镇" * 300, "990101999")]))
    assert not result.written and result.rejected_rows == [2]
    name_label = str(next(c.label for c in COLUMNS if c.key == "name"))  # in English, as the result
    assert result.errors[0].column == name_label and "at most 100 characters" in result.errors[0].message
    assert snapshot() == before
