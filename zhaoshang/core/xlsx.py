"""Writing .xlsx files. Every list export goes through ``table_workbook``.

User text never becomes a formula: every string cell is written with the string data type, so
"=HYPERLINK(...)" typed into a project name stays text in Excel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from zhaoshang.core.documents.response import download_response
from zhaoshang.core.tables import Column

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def cell(ws: Worksheet, value: Any, number_format: str | None = None, header: bool = False) -> WriteOnlyCell:
    """A write-only cell whose strings are always text, never formulas."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is not None and not isinstance(value, str | int | Decimal | float | dt.date | bool):
        value = str(value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        c.number_format = "yyyy-mm-dd"
    elif number_format:
        c.number_format = number_format
    if header:
        c.font = _HEADER_FONT
        c.fill = _HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return c


def table_workbook(
    title: str, columns: Sequence[Column], objects: Iterable[Any], preamble: Sequence[str] = ()
) -> bytes:
    """A workbook with one sheet: optional preamble lines, the header row, then one row per object.
    Streamed by ``core.xlsx_stream`` (the same cells as ``cell`` makes, without an object per cell)."""
    from zhaoshang.core.xlsx_stream import stream_workbook

    return stream_workbook(
        title,
        [str(c.label) for c in columns],
        [c.number_format for c in columns],
        ([c.value(obj) for c in columns] for obj in objects),
        preamble,
    )


def print_ready(
    ws: Worksheet,
    *,
    header_row: int,
    labels: Sequence[str],
    rows: Sequence[Sequence[Any]] = (),
    last_row: int | None = None,
) -> None:
    """Set up an openpyxl (write-only) sheet as ``stream_workbook`` sets up list exports: widths
    from the header and ``rows`` (a sample will do), header frozen and repeated on every printed
    page, landscape A4 fitted to the page width (or, too wide for that, printed across pages with
    the first two columns repeated), and with ``last_row`` an autofilter on the header. Call it
    before the first row is appended."""
    from openpyxl.utils import get_column_letter

    from zhaoshang.core.xlsx_stream import column_widths, fits_page_width

    widths = column_widths(labels, rows)
    for position, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(position)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    if fits_page_width(widths):
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.print_title_cols = "A:B"
    if last_row is not None:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(max(len(labels), 1))}{last_row}"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx attachment, through the one download response (the name also RFC 5987-encoded)."""
    return download_response(content, filename, XLSX_TYPE)
