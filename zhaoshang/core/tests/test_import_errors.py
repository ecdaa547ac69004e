"""Import errors a county operator can act on (issue 18, item 9): each names the row, the column,
the value given and what would be accepted; units are found by name within the user's subtree,
and a name not found says which would be accepted without revealing units the user may not see;
unchanged rows are counted unchanged; the uploaded file is kept for a retry.

Messages are compared in English (the catalogues are not compiled on a helper's branch)."""

from __future__ import annotations

import io
import os
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.core.import_views import KeptUpload
from zhaoshang.core.spreadsheets import RowError
from zhaoshang.investors.importing import import_investors
from zhaoshang.projects.importing import SHEET, import_projects
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.test_import import new_row, sheet
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.importing import import_units
from zhaoshang.units.services import create_unit


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def only_error(result) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_a_number_with_words_names_row_column_value_and_what_is_wanted(cast):
    result = import_projects(cast.operator_a, sheet([new_row(), new_row("乙", total_investment="1500万元")]))
    error = only_error(result)
    assert (error.row, error.column, error.value) == (3, str(SHEET.labels["total_investment"]), "1500万元")
    assert "not a number" in error.message and "1500" in error.message
    assert str(error) == f"Row 3, “{SHEET.labels['total_investment']}”: “1500万元”: {error.message}"


def test_a_unit_below_the_users_own_is_found_by_name_in_either_script(cast):
    village = create_unit(
        by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="东关村", code="990101001201"
    )
    assert village  # a village under the township: a project is still recorded at the township
    result = import_projects(cast.admin, sheet([new_row("甲", unit="城關鎮"), new_row("乙", unit="河口乡")]))
    assert result.errors == [] and result.created == 2
    assert set(Project.objects.values_list("unit__name", flat=True)) == {"城关镇", "河口乡"}


def test_an_unknown_unit_says_which_names_would_be_accepted(cast):
    error = only_error(import_projects(cast.admin, sheet([new_row(unit="城西镇")])))
    assert error.column == str(SHEET.labels["unit"]) and error.value == "城西镇"
    assert "No unit you may import into" in error.message
    assert "城关镇" in error.message.split("Accepted:")[1]  # alike names first (sharing 镇)


def test_a_village_of_the_operators_township_is_named_as_such(cast):
    create_unit(by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="东关村", code="990101001201")
    error = only_error(import_projects(cast.operator_a, sheet([new_row(unit="东关村")])))
    assert error.value == "东关村"
    assert "东关村 is a village; a project is recorded at its township." in error.message
    assert "Accepted: 城关镇." in error.message


def test_a_unit_outside_the_users_scope_reads_as_unknown_without_revealing_it(cast):
    other = only_error(import_projects(cast.operator_a, sheet([new_row(unit="河口乡")])))
    missing = only_error(import_projects(cast.operator_a, sheet([new_row(unit="无此乡")])))
    assert other.message == missing.message  # another township's existence is not told
    assert "河口乡" not in other.message and "邻县" not in other.message


def test_an_investor_import_names_its_unit_errors_the_same_way(cast):
    from zhaoshang.investors.tests.test_import import sheet as investor_sheet

    result = import_investors(cast.operator_a, investor_sheet([{"name": "宏达", "unit": "河口乡"}]))
    error = only_error(result)
    assert error.value == "河口乡" and "Accepted: 城关镇" in error.message


def test_a_unit_import_finds_the_parent_by_name_and_counts_unchanged_rows(cast):
    from zhaoshang.units.tests.test_import import sheet as unit_sheet

    row = {"code": "990101001301", "name": "西关村", "kind": "village", "parent": "城關鎮"}
    first = import_units(cast.admin, unit_sheet([row]))
    again = import_units(cast.admin, unit_sheet([row]))
    assert (first.created, first.errors) == (1, [])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_exported_project_imported_back_counts_as_unchanged_not_updated(cast):
    cast.project(name="乡村民宿", total_investment=Decimal("8000"))
    row = new_row("乡村民宿")
    result = import_projects(cast.operator_a, sheet([row]))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_retry_needs_no_new_upload_and_a_corrected_file_replaces_the_kept_one(client, cast):
    client.force_login(cast.operator_a)
    url = reverse("projects:import")
    bad = client.post(url, {"file": sheet([new_row("甲项目"), new_row("乙项目", jobs="x")])})
    assert b'data-testid="nothing-written"' in bad.content and b'data-testid="kept-file"' in bad.content
    assert "projects.xlsx" in bad.content.decode() and b"\xe3\x80\x8cx\xe3\x80\x8d" in bad.content  # 「x」
    # The same upload again, with the option changed and no file chosen: the kept file imports.
    retry = client.post(url, {"keep_valid": "on"})
    assert b'data-testid="partial"' in retry.content
    assert list(Project.objects.values_list("name", flat=True)) == ["甲项目"]
    # A corrected file replaces the kept one; an import without errors removes it.
    fixed = client.post(url, {"file": sheet([new_row("甲项目"), new_row("乙项目")])})
    assert b'data-testid="imported"' in fixed.content and b'data-testid="kept-file"' not in fixed.content
    assert Project.objects.count() == 2
    assert KeptUpload(cast.operator_a, url).name() is None
    nothing = client.post(url, {})
    assert nothing.status_code == 400 and b"Choose the file to import." in nothing.content


def test_a_kept_file_is_the_users_own_and_is_swept_after_a_day(client, cast, settings):
    url = reverse("projects:import")
    client.force_login(cast.operator_a)
    client.post(url, {"file": sheet([new_row("乙项目", jobs="x")])})
    assert KeptUpload(cast.operator_a, url).name() == "projects.xlsx"
    client.force_login(cast.admin)  # another user has no file kept on the same page
    assert client.post(url, {}).status_code == 400 and Project.objects.count() == 0
    kept = KeptUpload(cast.operator_a, url)
    old = time.time() - settings.IMPORT_KEEP_SECONDS - 60
    for path in (kept.data_path, kept.name_path):
        os.utime(path, (old, old))
    client.get(url)
    client.post(url, {})  # any import request sweeps
    assert kept.name() is None and not kept.data_path.exists()


def test_money_headers_carry_their_unit_and_the_old_headers_still_import(cast):
    # Item 10: the export's money columns say 万元/万美元; a file exported before says only the name.
    from openpyxl import Workbook

    from zhaoshang.projects.importing import COLUMNS

    money = {c.key: str(c.label) for c in COLUMNS if c.key in ("total_investment", "contracted_amount")}
    assert all("10k CNY / 10k USD" in label for label in money.values())
    for header in ("Total investment", money["total_investment"]):
        wb = Workbook()
        ws = wb.active
        ws.append([str(SHEET.labels["name"]), str(SHEET.labels["unit"]), header])
        ws.append([f"项目{len(header)}", "城关镇", "1500.5"])
        buffer = io.BytesIO()
        wb.save(buffer)
        result = import_projects(cast.operator_a, buffer.getvalue())
        assert (result.errors, result.created) == ([], 1), header
    assert sorted(Project.objects.values_list("total_investment", flat=True)) == [Decimal("1500.5")] * 2
