"""The decomposition grid as a spreadsheet: export, import template and import.

The layout is the grid's: unit code, unit name, then one column per indicator headed
"name（measure）". An exported grid imports back unchanged. Rows name their unit by code (the grid's
unit or one of its direct subordinates), columns their indicator by header (its name in either
language, with or without the measure, or its code). An empty cell removes that target; an
indicator without a column keeps its targets. By default the import is all or nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import user_can
from zhaoshang.core.spreadsheets import (
    CellError,
    ImportResult,
    RowProblem,
    SpreadsheetError,
    cell_at,
    normalize_label,
    parse_decimal,
    parse_text,
    read_sheet,
    run_rows,
)
from zhaoshang.core.tables import Column
from zhaoshang.core.xlsx import cell, print_ready
from zhaoshang.ledger.models import Indicator
from zhaoshang.targets import services
from zhaoshang.targets.docx import MEASURE_ZH
from zhaoshang.targets.grid import Grid, GridRow
from zhaoshang.targets.models import DECIMAL_PLACES, MAX_DIGITS
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

# Headers people write by hand in Chinese files, beside the interface's own labels.
_CODE_ALIASES = ("code", "单位代码", "单位编码", "代码")
_NAME_ALIASES = ("name", "单位名称", "单位")


def header_label(indicator: Indicator) -> str:
    """An indicator's column header in the active language: 名称（计量单位）."""
    return f"{indicator}（{indicator.get_measure_display()}）"


def grid_columns(indicators: Sequence[Indicator]) -> list[Column]:
    columns = [
        Column("code", _("Unit code"), lambda row: row.unit.code),
        Column("name", _("Unit name"), lambda row: row.unit.name),
    ]
    for indicator in indicators:
        columns.append(Column(indicator.code, header_label(indicator), _value_of(indicator)))
    return columns


def _value_of(indicator: Indicator) -> Any:
    def value(row: GridRow) -> Any:
        number = row.value(indicator)
        return number.normalize() if number is not None else None

    return value


def _workbook(grid: Grid, *, values: bool) -> tuple[Workbook, Any]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(grid.year))
    columns = grid_columns(grid.indicators)
    labels = [str(c.label) for c in columns]
    print_ready(
        sheet, header_row=2, labels=labels, rows=[[c.value(r) for c in columns] for r in grid.rows[:200]]
    )
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{2 + len(grid.rows)}"
    sheet.append([cell(sheet, _("%(unit)s: targets of %(year)s") % {"unit": grid.unit, "year": grid.year})])
    sheet.append([cell(sheet, str(c.label), header=True) for c in columns])
    for row in grid.rows:
        sheet.append(
            [cell(sheet, c.value(row) if values or c.key in ("code", "name") else None) for c in columns]
        )
    return workbook, columns


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def grid_workbook(grid: Grid) -> bytes:
    """The grid as the page shows it (without the children's sum, so that it imports back)."""
    workbook, _columns = _workbook(grid, values=True)
    return _save(workbook)


def template_workbook(grid: Grid) -> bytes:
    """The grid's layout with its units and empty cells, and an instructions sheet."""
    workbook, _columns = _workbook(grid, values=False)
    notes = workbook.create_sheet(title=_("Instructions")[:31])
    notes.column_dimensions["A"].width = 110
    for line in (
        _("One unit per row, named by its unit code: this unit or one of its direct subordinates."),
        _("One column per indicator; the header names the indicator. Columns may be left out."),
        _(
            "Numbers in the indicator's measure (万元 for CNY amounts, 万美元 for USD), at most %(places)s "
            "decimals, not negative."
        )
        % {"places": DECIMAL_PLACES},
        _("An empty cell removes the unit's target for that indicator; a column left out changes nothing."),
        _("If any row has an error nothing is imported, unless you choose to keep only the valid rows."),
    ):
        notes.append([cell(notes, line)])
    return _save(workbook)


# --- import -------------------------------------------------------------------------------------


def _aliases(labels: Sequence[Any]) -> set[str]:
    """The normalized labels in every interface language."""
    found = set()
    for language, _name in settings.LANGUAGES:
        with override(language):
            found |= {normalize_label(str(label)) for label in labels}
    return found


def header_index(indicators: Sequence[Indicator]) -> dict[str, str]:
    """Normalized header → column key ("code", "name" or an indicator code)."""
    index = dict.fromkeys(_aliases([_("Unit code"), *_CODE_ALIASES]), "code")
    index |= dict.fromkeys(_aliases([_("Unit name"), *_NAME_ALIASES]), "name")
    for ind in indicators:
        names = [ind.code, ind.name_zh, ind.name_en, f"{ind.name_zh}（{MEASURE_ZH.get(ind.measure, '')}）"]
        for language, _name in settings.LANGUAGES:
            with override(language):
                names += [f"{name}（{ind.get_measure_display()}）" for name in (ind.name_zh, ind.name_en)]
        index |= {normalize_label(name): ind.code for name in names}
    return index


def match_columns(header: Sequence[str], indicators: Sequence[Indicator]) -> tuple[dict[str, int], list[str]]:
    """Column key → position, and the problems with the header."""
    index = header_index(indicators)
    positions: dict[str, int] = {}
    problems: list[str] = []
    for position, label in enumerate(header):
        key = index.get(normalize_label(label))
        if key is None:
            continue  # people add their own columns beside the grid's
        if key in positions:
            problems.append(_("The column “%(column)s” appears twice.") % {"column": label})
        positions[key] = position
    if "code" not in positions:
        problems.append(_("The column “%(column)s” is missing.") % {"column": _("Unit code")})
    if not set(positions) - {"code", "name"}:
        problems.append(_("No column names an indicator."))
    return positions, problems


def _no_value(row: Any) -> None:
    return None


class TargetRows:
    """Writes one row's targets through the services, within the grid of ``unit``."""

    def __init__(self, user: User, grid: Grid, header: list[str], positions: dict[str, int]) -> None:
        self.user, self.year = user, grid.year
        self.units: dict[str, Unit] = {row.unit.code: row.unit for row in grid.rows}
        self.grid_unit = grid.unit
        by_code = {ind.code: ind for ind in Indicator.objects.for_unit(grid.unit)}
        self.columns = [(by_code[k], p, header[p]) for k, p in positions.items() if k in by_code]
        self.code_position = positions["code"]
        self.code_column = header[self.code_position]
        self.seen: dict[str, int] = {}

    def __call__(self, number: int, cells: list[Any]) -> str:
        code = parse_text(cell_at(cells, self.code_position))
        unit = self.unit(code)
        values, errors = {}, []
        for indicator, position, label in self.columns:
            cell = cell_at(cells, position)
            try:
                values[indicator] = parse_decimal(cell, DECIMAL_PLACES, MAX_DIGITS)
            except CellError as error:
                errors.append((label, str(error), parse_text(cell)))
        if errors:
            raise RowProblem(errors)
        try:
            changes = services.set_targets(self.user, unit, self.year, values)
        except ValidationError as error:
            labels = {ind.code: label for ind, _p, label in self.columns}
            raise RowProblem(
                [(labels.get(k, ""), m) for k, messages in error.message_dict.items() for m in messages]
            ) from error
        except OutOfScope as error:
            raise RowProblem([(self.code_column, str(error))]) from error
        self.seen[code] = number
        if changes.created and not (changes.updated or changes.deleted):
            return "created"
        return "updated" if changes.written else "unchanged"

    def unit(self, code: str) -> Unit:
        if not code:
            raise RowProblem([(self.code_column, _("This cell is required."))])
        if code in self.seen:
            message = _("This unit is already on row %(row)s.") % {"row": self.seen[code]}
            raise RowProblem([(self.code_column, message)])
        unit = self.units.get(code)
        if unit is None:
            message = _("Unit %(code)s is not %(unit)s or one of its direct subordinates.") % {
                "code": code,
                "unit": self.grid_unit,
            }
            raise RowProblem([(self.code_column, message, code)])
        return unit


def import_targets(user: User, grid: Grid, upload: Any, keep_valid: bool = False) -> ImportResult:
    """Import a sheet into ``grid`` as ``user``: all rows or none, unless ``keep_valid``."""
    if not (
        user_can(user, Action.IMPORT, grid.unit, on=ObjectType.TARGET)
        and services.may_configure(user, grid.unit)
    ):
        return ImportResult().refuse_file(
            _("You may not import the targets of %(unit)s.") % {"unit": grid.unit}
        )
    indicators = list(Indicator.objects.for_unit(grid.unit))  # another county's own are unknown here
    # The header is the first row naming any known column; a title line may stand above it.
    known = [Column(key, label, _no_value) for label, key in header_index(indicators).items()]
    try:
        sheet = read_sheet(upload, known)
    except SpreadsheetError as error:
        return ImportResult().refuse_file(str(error))
    positions, problems = match_columns(sheet.header, indicators)
    if problems:
        result = ImportResult()
        for problem in problems:
            result.refuse_file(problem)
        return result
    return run_rows(sheet.rows, TargetRows(user, grid, sheet.header, positions), keep_valid=keep_valid)
