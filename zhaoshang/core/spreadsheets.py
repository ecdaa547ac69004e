"""Reading uploaded .xlsx files, safely. Every import goes through ``read_sheet``.

An .xlsx file is a zip archive of XML documents, so an upload can attack the server three ways: by
sheer size, by a zip bomb (a small archive that inflates to gigabytes) and by an XML entity bomb
("billion laughs"). The archive is therefore checked before openpyxl sees it, and openpyxl parses
through defusedxml, which refuses entity declarations. The workbook is read in read-only mode with
cached values, so a formula in a cell never runs and "=1+1" typed as text stays text.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Choices
from django.utils.translation import gettext as _
from django.utils.translation import override

from zhaoshang.core.chinese import to_simplified
from zhaoshang.core.numbers import NumberError, exact_decimal
from zhaoshang.core.tables import Column

# An honest ledger is a few megabytes of XML; these limits leave a wide margin above that.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small members (styles, empty sheets) may compress extremely well; only larger ones are judged.
RATIO_MIN_BYTES = 1024 * 1024
MAX_MEMBERS = 1000
# Excel's own limits: no honest sheet goes beyond them, and a forged row number would otherwise
# make the reader pad millions of empty rows.
EXCEL_MAX_ROWS = 1_048_576
MAX_COLUMNS = 256
EXCEL_MAX_COLUMNS = 16_384  # XFD: no row of a real workbook holds more cells
# A title line or two often stands above the header row in county ledgers.
HEADER_SEARCH_ROWS = 10

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class SpreadsheetError(ValueError):
    """The upload cannot be read as a workbook; the message says why, for the user."""


@dataclass
class Sheet:
    """The header row and the non-empty data rows of a workbook's first sheet."""

    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def require_defusedxml() -> None:
    """openpyxl parses through defusedxml only when it is installed; never read uploads without it."""
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml must be installed and enabled to read uploaded files")


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file (a Django UploadedFile, a file object or bytes), size-checked."""
    limit = settings.MAX_UPLOAD_BYTES
    too_large = SpreadsheetError(_("The file is larger than %(size)s MB.") % {"size": _megabytes(limit)})
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise too_large
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def check_archive(data: bytes) -> None:
    """Refuse what is not a zip archive, and archives that would inflate to absurd sizes."""
    if data.startswith(_OLE_MAGIC):
        raise SpreadsheetError(
            _("This is an old .xls file. Save it as an Excel Workbook (.xlsx) and upload it again.")
        )
    if not data.startswith(_ZIP_MAGIC):
        raise SpreadsheetError(_("This is not an .xlsx file."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(_("This is not an .xlsx file.")) from exc
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetError(_("This file has too many parts to be a spreadsheet."))
    # zipfile stops reading a member at its declared size, so the declared sizes bound the work.
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _("This file would unpack to more than %(size)s MB; it is refused.")
            % {"size": _megabytes(MAX_UNCOMPRESSED_BYTES)}
        )
    for member in members:
        if member.file_size > RATIO_MIN_BYTES and (
            member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise SpreadsheetError(
                _("This file is compressed suspiciously well (a zip bomb?); it is refused.")
            )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise SpreadsheetError(_("This is not an .xlsx file."))


def read_sheet(upload: Any, columns: Sequence[Column] = ()) -> Sheet:
    """The header and the data rows of the first sheet, each row with its 1-based Excel number.

    Fully empty rows are skipped. With ``columns``, the header is the first row (among the first
    few) that names one of them, so a title line above the header is tolerated.
    """
    require_defusedxml()
    data = read_upload(upload)
    check_archive(data)
    workbook = _open(data)
    try:
        return _read_first_sheet(workbook, columns)
    finally:
        workbook.close()


def _open(data: bytes) -> Any:
    """The workbook as ``load_workbook(read_only=True, data_only=True, keep_links=False)`` opens
    it, except that worksheets do not look for their stored dimension (see ``_openpyxl``)."""
    try:
        reader = _openpyxl().reader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        reader.read()
        return reader.wb
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _unreadable(exc) from exc


class _Openpyxl(NamedTuple):
    reader: type
    parser: type


@functools.cache
def _openpyxl() -> _Openpyxl:
    """openpyxl's workbook reader and sheet parser, with two shortcuts for reading uploads.

    - Read-only worksheets ignore the stored dimension. It may be forged, so every row is read as
      it really is; and openpyxl's ``ReadOnlyWorksheet`` looks for it when created, which for a
      sheet without one (openpyxl's own files, this project's exports) parses the whole sheet: a
      second full parse of every upload.
    - Inline strings (how openpyxl and this project's exports write text) are read from the XML
      element directly; openpyxl builds a rich text object per cell for them, a third of the reading
      time. The text is what ``Text.content`` gives: the plain part, then each run's text.

    Written against openpyxl 3.1.5 (pinned); the spreadsheet tests compare the rows with
    openpyxl's own reading.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import CELL_TAG, INLINE_STRING, ROW_TAG, WorkSheetParser, iterparse
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"
    SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"

    class Worksheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            self._max_row = self._max_column = None  # as reset_dimensions leaves it

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:  # the read-only branch of the original
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                    continue  # read_sheet reads worksheets only
                worksheet = Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)

    class Parser(WorkSheetParser):
        row_counter: int  # set by openpyxl's parser
        col_counter: int

        def parse(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
            """(row number, cells) of each row, read one cell at a time.

            openpyxl's own ``parse`` builds a whole ``<row>`` element before reading it: one row of
            4,000,000 cells (2.9 MB zipped) took 65 s and 1.9 GB. Here each cell is read and
            dropped as it closes, cells beyond ``MAX_COLUMNS`` are not read at all, and a row with
            more cells than Excel allows in a row is refused.
            """
            row: Any = None
            cells: list[dict[str, Any]] = []
            count = 0
            for event, element in iterparse(self.source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == ROW_TAG:
                        row, cells, count = element, [], 0
                        self._start_row(element)
                    continue
                if tag == CELL_TAG and row is not None:
                    count += 1
                    if count > EXCEL_MAX_COLUMNS:
                        raise SpreadsheetError(
                            _("Row %(row)s has more cells than Excel allows in a row (%(limit)s).")
                            % {"row": self.row_counter, "limit": f"{EXCEL_MAX_COLUMNS:,}"}
                        )
                    column = self._next_column(element)
                    if column <= MAX_COLUMNS:
                        cells.append(self.parse_cell(element))
                    else:
                        self.col_counter = column  # as parse_cell would have counted it
                    del row[-1]  # the cell just read: the row element never grows
                elif tag == ROW_TAG:
                    yield self.row_counter, cells
                    row = None
                    element.clear()
                elif tag == SHEET_DATA_TAG:
                    return  # what follows the cells (merges, print set-up) is not read

        def _start_row(self, element: Any) -> None:
            number = element.get("r")
            if number is None:
                self.row_counter += 1
            else:
                try:
                    value = float(number)
                except ValueError:
                    value = float("nan")
                if not value.is_integer():
                    raise ValueError(f"{number} is not a valid row number")
                self.row_counter = int(value)
            self.col_counter = 0

        def _next_column(self, element: Any) -> int:
            """The column of a cell about to be read, without reading it."""
            coordinate = element.get("r")
            if coordinate:
                return int(coordinate_to_tuple(coordinate)[1])
            return int(self.col_counter) + 1

        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") != "inlineStr" or not self.data_only:
                return super().parse_cell(element)
            coordinate, style_id = element.get("r"), element.get("s", 0)
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            value, data_type = None, "inlineStr"
            inline = element.find(INLINE_STRING)
            if inline is not None:
                plain, runs = None, []
                for part in inline:
                    if part.tag == text_tag:
                        plain = part.text
                    elif part.tag == run_tag:
                        run = part.find(text_tag)
                        if run is not None and run.text is not None:
                            runs.append(run.text)
                value, data_type = "".join([plain or "", *runs]), "s"
            return {
                "row": row,
                "column": column,
                "value": value,
                "data_type": data_type,
                "style_id": int(style_id) if style_id else 0,
            }

    return _Openpyxl(Reader, Parser)


def _read_first_sheet(workbook: Any, columns: Sequence[Column]) -> Sheet:
    if not workbook.worksheets:
        raise SpreadsheetError(_("The workbook has no sheet."))
    try:
        return _collect(_sheet_rows(workbook.worksheets[0]), columns)
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise _unreadable(exc) from exc


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(Excel row number, values) of each row the sheet's XML holds, cells beyond ``MAX_COLUMNS``
    left out. Rows the XML skips are not made up: a forged row number costs nothing."""
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = _openpyxl().parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            kept = [c for c in cells if c["column"] <= MAX_COLUMNS]
            values: list[Any] = [None] * (max(c["column"] for c in kept) if kept else 0)
            for cell in kept:
                values[cell["column"] - 1] = cell["value"]
            yield number, values


def _unreadable(exc: BaseException) -> SpreadsheetError:
    """The user's message for a parse failure; openpyxl wraps defusedxml's refusal in a ValueError."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return SpreadsheetError(
                _("The file contains XML entity declarations, which are refused for safety.")
            )
        cause = cause.__cause__ or cause.__context__
    return SpreadsheetError(_("This file could not be read as an .xlsx workbook."))


def _collect(rows: Iterable[tuple[int, Sequence[Any]]], columns: Sequence[Column]) -> Sheet:
    labels = label_index(columns) if columns else {}
    result: Sheet | None = None
    first: Sheet | None = None  # the header when no row among the first few names a column
    seen = 0
    for number, values in rows:
        if number > EXCEL_MAX_ROWS:
            raise SpreadsheetError(_("This sheet has more rows than Excel allows."))
        cells = _trim(values)
        if not cells:
            continue
        if result is None:
            seen += 1
            candidate = Sheet(header=[parse_text(c) for c in cells], header_row=number)
            first = first or candidate
            if not labels or any(normalize_label(c) in labels for c in cells):
                result = candidate
            elif seen >= HEADER_SEARCH_ROWS:
                return first
            continue
        if len(result.rows) >= settings.IMPORT_MAX_ROWS:
            raise SpreadsheetError(
                _("The file has more than %(count)s data rows; split it into smaller files.")
                % {"count": settings.IMPORT_MAX_ROWS}
            )
        result.rows.append((number, cells))
    sheet = result or first  # a dataclass: None is the only falsy value
    if sheet is None:
        raise SpreadsheetError(_("The first sheet is empty."))
    return sheet


def _trim(values: Sequence[Any]) -> list[Any]:
    """The row's values without trailing empty cells; blank strings count as empty."""
    if values.count(None) == len(values):  # the common empty row, at C speed
        return []
    cells = [None if isinstance(v, str) and not v.strip() else v for v in values]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


# --- header matching ------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalize_label(value: Any) -> str:
    """A header label or choice reduced for comparison: full-width forms folded (（） to ()),
    Traditional script read as Simplified (線索 as 线索), whitespace removed, case ignored."""
    if value is None:
        return ""
    text = to_simplified(unicodedata.normalize("NFKC", str(value)))
    return _SPACES.sub("", text).casefold()


def label_index(columns: Sequence[Column]) -> dict[str, str]:
    """Normalized key and label in every interface language → column key, so that a file exported
    in one language imports under another; a column's former labels too, so that a file exported
    before a label changed (units added to the money columns) imports back."""
    index = {normalize_label(column.key): column.key for column in columns}
    for code, _name in settings.LANGUAGES:
        with override(code):
            index |= {
                normalize_label(label): column.key
                for column in columns
                for label in (*column.former_labels, column.label)
            }
    return index


def match_header(header: Sequence[str], columns: Sequence[Column]) -> tuple[dict[str, int], list[str]]:
    """Column key → position in the row, and the problems found (duplicate columns).

    Unknown columns are ignored: people add their own notes beside the ledger's columns.
    """
    index = label_index(columns)
    positions: dict[str, int] = {}
    problems: list[str] = []
    for position, label in enumerate(header):
        key = index.get(normalize_label(label))
        if key is None:
            continue
        if key in positions:
            problems.append(_("The column “%(column)s” appears twice.") % {"column": label})
            continue
        positions[key] = position
    return positions, problems


def cell_at(row: Sequence[Any], position: int | None) -> Any:
    """The value at ``position`` in a trimmed row (None beyond its end or without the column)."""
    return row[position] if position is not None and position < len(row) else None


# --- cell values ----------------------------------------------------------------------------


class CellError(ValueError):
    """One cell's value is unusable; the message is for the user."""


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_text(value: Any) -> str:
    """A cell as text. Numbers typed into a text column read as written (12, not 12.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_decimal(value: Any, places: int, max_digits: int) -> Decimal | None:
    """An exact amount: numbers go through their shortest text form (Decimal(str(x))), so a
    spreadsheet's 0.1 is 0.1 and never 0.1000000000000000055511151231257827."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise CellError(_("Enter a number."))
    text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")  # thousands separators
    try:
        return exact_decimal(text, places, max_digits)
    except NumberError as exc:
        if str(exc) == _("Enter a number."):  # words or a unit typed into the cell: say what is wanted
            example = "1500" if places == 0 else "1500.5"
            raise CellError(
                _("This is not a number: write digits only, in the column's unit, such as %(example)s.")
                % {"example": example}
            ) from exc
        raise CellError(str(exc)) from exc


def parse_int(value: Any, max_digits: int = 10) -> int | None:
    number = parse_decimal(value, 0, max_digits)
    return None if number is None else int(number)


def parse_date(value: Any) -> dt.date | None:
    """A date cell, or text written as YYYY-MM-DD."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise CellError(_("Write the date as YYYY-MM-DD."))
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError(_("%(value)s is not a valid date.") % {"value": value.strip()}) from exc


def parse_choice(value: Any, choices: type[Choices]) -> str:
    """A choice given by its code or by its label in any interface language; "" when empty."""
    text = parse_text(value)
    if not text:
        return ""
    found = _choice_index(choices).get(normalize_label(text))
    if found is None:
        allowed = "、".join(str(label) for label in choices.labels)
        raise CellError(
            _("Unknown value “%(value)s”; use one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )
    return found


@functools.cache
def _choice_index(choices: type[Choices]) -> dict[str, str]:
    """Normalized code and labels (every language) → code; built once, as catalogs do not change."""
    index = {
        normalize_label(label): choice for choice in choices.values for label in _labels(choices, choice)
    }
    return index | {normalize_label(choice): choice for choice in choices.values}


def _labels(choices: type[Choices], choice: str) -> list[str]:
    """The choice's label in each interface language, without repeats."""
    label = dict(choices.choices)[choice]
    names = []
    for language, _name in settings.LANGUAGES:
        with override(language):
            names.append(str(label))
    return list(dict.fromkeys(names))


def choice_labels(choices: type[Choices]) -> str:
    """Every accepted spelling of each choice (labels in each language, then the code)."""
    return "; ".join(" / ".join(dict.fromkeys([*_labels(choices, c), c])) for c in choices.values)


# --- running an import ----------------------------------------------------------------------


class RowProblem(Exception):
    """A row is refused; ``errors`` lists (column label, message) pairs, the label "" for the row,
    or (column label, message, value given) triples: every message about a cell names its value
    (``RecordSheet.parse_row`` and ``UnitFinder`` add it)."""

    def __init__(self, errors: Sequence[tuple[str, str] | tuple[str, str, str]]) -> None:
        super().__init__(errors)
        self.errors = list(errors)


class RowError(NamedTuple):
    """(row, column label, message, value given): the row is None for a problem with the whole
    file; the value is "" when the problem is not one cell's (or the cell is empty)."""

    row: int | None
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column and self.value:
            return _("Row %(row)s, “%(column)s”: “%(value)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "value": self.value,
                "message": self.message,
            }
        if self.column:
            return _("Row %(row)s, “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    """What an import did. When ``written`` is False nothing at all was saved."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_rows: list[int] = field(default_factory=list)
    valid_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row is not None})

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    def refuse_file(self, message: str) -> ImportResult:
        self.errors.append(RowError(None, "", message))
        return self


# An importer's handling of one row: (row number, cells) to "created", "updated" or "unchanged".
RowHandler = Callable[[int, Any], str]


def run_rows(rows: Iterable[tuple[int, Any]], handle: RowHandler, *, keep_valid: bool) -> ImportResult:
    """Run ``handle`` on each row, each in its own savepoint, all inside one transaction.

    ``handle`` returns "created", "updated" or "unchanged", or raises RowProblem. Unless
    ``keep_valid``, one refused row rolls back every row: a half-imported ledger is worse than none.
    """
    result = ImportResult()
    outcomes: list[str] = []
    with transaction.atomic():
        for number, row in rows:
            try:
                with transaction.atomic():
                    outcome = handle(number, row)
            except RowProblem as problem:
                result.errors.extend(RowError(number, *error) for error in problem.errors)
                continue
            except IntegrityError:
                # Only a concurrent write can get here: the services check uniqueness first.
                result.errors.append(RowError(number, "", _("The row could not be saved; try again.")))
                continue
            result.valid_rows.append(number)
            outcomes.append(outcome)
        if result.errors and not keep_valid:
            transaction.set_rollback(True)
            return result
    result.kept_rows = list(result.valid_rows)
    result.created = outcomes.count("created")
    result.updated = outcomes.count("updated")
    result.unchanged = outcomes.count("unchanged")
    result.written = bool(result.created or result.updated)
    return result


@dataclass(frozen=True)
class RecordSheet:
    """The sheet of an import that writes records through their services, read back from the
    list's own export columns: which columns a row must fill, how each cell is parsed
    (``parse_cell(key, value)``, raising CellError) and which column a service's field error
    belongs to (``field_columns``, for a field whose column has another key). Units, investors and
    projects import through one of these, so that their files are checked the same way."""

    columns: Sequence[Column]
    required: tuple[str, ...]
    parse_cell: Callable[[str, Any], Any]
    field_columns: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def labels(self) -> dict[str, Any]:
        return {column.key: column.label for column in self.columns}

    def open(self, upload: Any) -> tuple[Sheet, dict[str, int]] | ImportResult:
        """The sheet and each known column's position, or the refused file's result: unreadable,
        a column twice, or a required column missing."""
        try:
            sheet = read_sheet(upload, self.columns)
        except SpreadsheetError as error:
            return ImportResult().refuse_file(str(error))
        positions, problems = match_header(sheet.header, self.columns)
        for key in self.required:
            if key not in positions:
                problems.append(_("The column “%(column)s” is missing.") % {"column": self.labels[key]})
        if problems:
            result = ImportResult()
            for problem in problems:
                result.refuse_file(problem)
            return result
        return sheet, positions

    def run(
        self,
        upload: Any,
        importer: Callable[[dict[str, int]], Callable[[int, Any], str]],
        *,
        keep_valid: bool,
    ) -> ImportResult:
        """Open ``upload`` and run its rows (``run_rows``) through ``importer(positions)``; a refused
        file's result as it is."""
        opened = self.open(upload)
        if isinstance(opened, ImportResult):
            return opened
        sheet, positions = opened
        return run_rows(sheet.rows, importer(positions), keep_valid=keep_valid)

    def parse_row(self, positions: Mapping[str, int], cells: Sequence[Any]) -> dict[str, Any]:
        """Every present column of the row parsed; raises RowProblem listing each bad cell."""
        values: dict[str, Any] = {}
        errors: list[tuple[str, str] | tuple[str, str, str]] = []
        for key, position in positions.items():
            cell = cell_at(cells, position)
            try:
                values[key] = self.parse_cell(key, cell)
            except CellError as error:
                errors.append((str(self.labels[key]), str(error), parse_text(cell)))
        for key in self.required:
            if key in values and not values[key]:
                errors.append((str(self.labels[key]), _("This cell is required.")))
        if errors:
            raise RowProblem(errors)
        return values

    def service_errors(self, error: ValidationError) -> list[tuple[str, str]]:
        """A service's ValidationError as (column label, message) pairs; a field without a column
        of its own goes on the row."""
        if not hasattr(error, "error_dict"):
            return [("", message) for message in error.messages]
        return [
            (str(self.labels.get(self.field_columns.get(name, name), "")), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]


# --- templates ------------------------------------------------------------------------------


def template_workbook(
    title: str, columns: Sequence[Column], notes: Sequence[str], instructions: Sequence[tuple[str, str, str]]
) -> bytes:
    """An empty import template: the header row on the first sheet (no example row: it would be
    imported), and an instructions sheet listing general notes then (column, required?, how)."""
    from openpyxl import Workbook

    from zhaoshang.core.xlsx import cell, print_ready

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    print_ready(sheet, header_row=1, labels=[str(c.label) for c in columns])
    sheet.append([cell(sheet, str(c.label), header=True) for c in columns])
    help_sheet = workbook.create_sheet(title=_("Instructions")[:31])
    for letter, width in zip("ABC", (24, 10, 90), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for note in notes:
        help_sheet.append([cell(help_sheet, note)])
    help_sheet.append([])
    help_sheet.append(
        [cell(help_sheet, str(h), header=True) for h in (_("Column"), _("Required"), _("How to fill in"))]
    )
    for label, required, how in instructions:
        help_sheet.append([cell(help_sheet, label), cell(help_sheet, required), cell(help_sheet, how)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
