"""The grid in Excel: export, import back, all-or-nothing with row and column errors, keep-valid."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from zhaoshang.core.xlsx import cell
from zhaoshang.targets.grid import build_grid
from zhaoshang.targets.importing import grid_workbook, import_targets
from zhaoshang.targets.models import Target
from zhaoshang.targets.tests.conftest import YEAR, values_of


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def workbook(header: list[str], rows: list[list[Any]], title: str | None = "示例县 2025") -> io.BytesIO:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("targets")
    if title:
        ws.append([cell(ws, title)])
    ws.append([cell(ws, h, header=True) for h in header])
    for row in rows:
        ws.append([cell(ws, v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "targets.xlsx"
    return buffer


def run(cast, upload, keep_valid=False, user=None):
    user = user or cast.admin
    return import_targets(user, build_grid(user, cast.county, YEAR), upload, keep_valid=keep_valid)


def stored() -> list[tuple]:
    return list(
        Target.objects.order_by("pk").values_list("unit_id", "year", "indicator__code", "value", "note")
    )


def test_the_export_has_the_grids_layout_and_imports_back_unchanged(cast, put):
    put(cast.county, funds_domestic="10000")
    put(cast.town_a, funds_domestic="12345.6789", projects_signed="7")
    put(cast.park, factory_area="12000.5")
    before = stored()
    content = grid_workbook(build_grid(cast.admin, cast.county, YEAR))
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    header = rows[1]
    assert header[:3] == (
        "Unit code",
        "Unit name",
        "Funds arrived from outside the county (domestic)（10,000 CNY）",
    )
    assert [r[0] for r in rows[2:]] == ["990101", "990101001", "990101002", "990101D01", "990101P01"]
    assert rows[3][2] == 12345.6789 and rows[3][6] == 7
    result = run(cast, io.BytesIO(content))
    assert (result.errors, result.created, result.updated, result.unchanged) == ([], 0, 0, 5)
    assert stored() == before


def test_columns_are_found_by_chinese_name_with_or_without_the_measure(cast):
    header = ["单位代码", "单位名称", "境内市外到位资金（万元）", "新引进（签约）项目", "备注"]
    result = run(cast, workbook(header, [["990101001", "城关镇", 6000, 3, "我们自己的备注列"]]))
    assert (result.errors, result.created) == ([], 1)
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(6000), "projects_signed": Decimal(3)}


def test_one_bad_row_imports_nothing_and_each_error_names_its_row_and_column(cast, put):
    put(cast.town_b, funds_domestic="3000")
    before = stored()
    header = [
        "Unit code",
        "Unit name",
        "Funds arrived from outside the county (domestic)",
        "Projects started",
    ]
    rows = [
        ["990101001", "城关镇", "6000", 2],  # row 3: fine
        ["990101002", "河口乡", -5, "two"],  # row 4: two bad cells
        ["990102001", "邻县镇", 1, 1],  # row 5: another county's township
        ["990101001", "城关镇", 1, 1],  # row 6: town A again
        [None, "无代码", 1, 1],  # row 7
        ["990101P01", "示例经济开发区", "1.23456", None],  # row 8
    ]
    result = run(cast, workbook(header, rows))
    assert not result.written and stored() == before
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (4, "Funds arrived from outside the county (domestic)"),
        (4, "Projects started"),
        (5, "Unit code"),
        (6, "Unit code"),
        (7, "Unit code"),
        (8, "Funds arrived from outside the county (domestic)"),
    }
    assert result.valid_rows == [3]
    assert "already on row 3" in next(e.message for e in result.errors if e.row == 6)


def test_keep_valid_saves_the_good_rows_and_lists_the_others(cast):
    header = ["Unit code", "funds_domestic"]
    rows = [["990101001", 6000], ["990101002", -1], ["990101D01", "800.5"]]
    result = run(cast, workbook(header, rows), keep_valid=True)
    assert result.kept_rows == [3, 5] and result.rejected_rows == [4]
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(6000)}
    assert values_of(cast.department) == {"funds_domestic": Decimal("800.5")}
    assert values_of(cast.town_b) == {}


def test_an_empty_cell_removes_a_target_and_a_missing_column_keeps_them(cast, put):
    put(cast.town_a, funds_domestic="6000", projects_signed="4")
    result = run(cast, workbook(["Unit code", "Projects introduced (signed)"], [["990101001", None]]))
    assert result.errors == [] and result.updated == 1
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(6000)}


def test_a_file_without_unit_codes_or_indicators_is_refused_whole(cast):
    assert run(cast, workbook(["Unit name", "Projects started"], [["城关镇", 1]])).file_errors
    assert run(cast, workbook(["Unit code", "Unit name"], [["990101001", "城关镇"]])).file_errors
    assert run(cast, io.BytesIO(b"not a workbook")).file_errors
    assert not Target.objects.exists()


@pytest.mark.parametrize("who", ["leader", "operator_a"])
def test_only_those_who_may_configure_targets_can_import_them(cast, who):
    user = getattr(cast, who)
    unit = cast.county if who == "leader" else cast.town_a
    upload = workbook(["Unit code", "funds_domestic"], [[unit.code, 1]])
    result = import_targets(user, build_grid(user, unit, YEAR), upload)
    assert result.file_errors and not Target.objects.exists()


def test_the_import_page_reports_errors_then_imports(client, cast):
    client.force_login(cast.admin)
    url = reverse("targets:import", args=[cast.county.pk, YEAR])
    bad = workbook(["Unit code", "funds_domestic"], [["990101001", "x"]])
    response = client.post(url, {"file": bad})
    assert response.status_code == 200 and 'data-testid="nothing-written"' in response.content.decode()
    good = workbook(["Unit code", "funds_domestic"], [["990101001", 6000]])
    response = client.post(url, {"file": good})
    assert 'data-testid="imported"' in response.content.decode()
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(6000)}


def test_the_template_lists_the_grids_units_with_empty_cells(client, cast, put):
    put(cast.town_a, funds_domestic="6000")
    client.force_login(cast.admin)
    response = client.get(reverse("targets:import_template", args=[cast.county.pk, YEAR]))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert [r[:2] for r in rows[2:]][1] == ("990101001", "城关镇")
    assert all(v is None for r in rows[2:] for v in r[2:])
    assert len(book.worksheets) == 2  # the instructions
