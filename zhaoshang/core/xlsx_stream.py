"""A streaming .xlsx writer for list exports: rows go straight into the zipped sheet XML.

openpyxl builds a Python object per cell (about 25 µs each: 100,000 projects of 33 columns took
over a minute); this writer formats each row as one string, so an export costs little more than
reading its rows, and memory holds only the compressed file. It writes what ``core.xlsx.cell``
writes: strings always as text (inline strings, never formulas), dates with the yyyy-mm-dd format,
numbers with the column's number format, and a styled header row.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone

# Characters XML 1.0 cannot hold (openpyxl refuses them; here they are dropped).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Most cells need neither: one search in C, and the rest of the text work only when it finds one.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()
_DATE_STYLE, _HEADER_STYLE, _FIRST_FORMAT_STYLE = 1, 2, 3


def _letters(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value)) if _SPECIAL.search(value) else value


class _Row:
    """Formats the cells of one row; ``styles`` gives each column's number-format style.

    A row of 33 cells is formatted a million times in a large export: the branches test the exact
    type first (``type(value) is str``), the common cases, before the general ``isinstance`` ones."""

    def __init__(self, styles: Sequence[int]) -> None:
        self.styles = styles
        self.letters = [_letters(i) for i in range(max(len(styles), 1))]
        self.attrs = [f' s="{s}"' if s else "" for s in styles]

    def __call__(self, number: int, values: Sequence[Any], style: int | None = None) -> str:
        parts = [f'<row r="{number}">']
        letters, attrs = self.letters, self.attrs
        fixed = f' s="{style}"' if style else ""
        for i, value in enumerate(values):
            if value is None:
                continue
            ref = f"{letters[i] if i < len(letters) else _letters(i)}{number}"
            s = fixed if style is not None else (attrs[i] if i < len(attrs) else "")
            kind = type(value)
            if kind is str:
                text = _text(value)
                parts.append(f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>')
            elif kind is Decimal:
                parts.append(f'<c r="{ref}"{s}><v>{value:f}</v></c>')
            elif kind is dt.date:
                parts.append(
                    f'<c r="{ref}" s="{style or _DATE_STYLE}"><v>{(value - _EPOCH_DATE).days}</v></c>'
                )
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>')
            elif isinstance(value, int | Decimal | float):
                number_text = format(value, "f") if isinstance(value, Decimal) else repr(value)
                parts.append(f'<c r="{ref}"{s}><v>{number_text}</v></c>')
            elif isinstance(value, dt.datetime):
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                serial = (value - _EPOCH).total_seconds() / 86400
                parts.append(f'<c r="{ref}" s="{style or _DATE_STYLE}"><v>{serial!r}</v></c>')
            elif isinstance(value, dt.date):
                serial = (value - _EPOCH_DATE).days
                parts.append(f'<c r="{ref}" s="{style or _DATE_STYLE}"><v>{serial}</v></c>')
            else:
                text = _text(value if isinstance(value, str) else str(value))
                parts.append(f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>')
        parts.append("</row>")
        return "".join(parts)


def _styles(formats: list[str]) -> str:
    custom = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{escape(f, {chr(34): "&quot;"})}"/>'
        for i, f in enumerate(["yyyy-mm-dd", *formats])
    )
    xfs = [
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
        'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>',
        *(
            f'<xf numFmtId="{165 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for i in range(len(formats))
        ),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="{len(formats) + 1}">{custom}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="00DDE6F0"/></patternFill></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)


def stream_workbook(
    title: str,
    labels: Sequence[str],
    number_formats: Sequence[str | None],
    rows: Iterable[Sequence[Any]],
    preamble: Sequence[str] = (),
    widths: Sequence[float] = (),
) -> bytes:
    """A one-sheet workbook: preamble lines, a header row of ``labels``, then ``rows``; ready to
    print and to filter as a county prints it (as ``core.xlsx.print_ready`` sets up openpyxl's
    sheets): header row frozen and repeated on every printed page, an autofilter on it, landscape
    A4 fitted to the page width. Without ``widths``, each column is as wide as its label and the
    first rows' values need."""
    formats = sorted({f for f in number_formats if f})
    styles = [_FIRST_FORMAT_STYLE + formats.index(f) if f else 0 for f in number_formats]
    row = _Row(styles)
    header = len(preamble) + 1
    rows = iter(rows)
    first = [list(values) for _, values in zip(range(WIDTH_SAMPLE_ROWS), rows, strict=False)]
    widths = list(widths) or column_widths(labels, first)
    sheet_name = _text(title[:31]).replace("'", "''")
    fit = fits_page_width(widths)
    # A list too wide to shrink onto the page prints across pages, each with the first two columns
    # (code and name) as well as the header row.
    titles = (
        f"'{sheet_name}'!${header}:${header}"
        if fit
        else (f"'{sheet_name}'!$A:$B,'{sheet_name}'!${header}:${header}")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_text(title[:31])}" sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
            f"{titles}</definedName></definedNames></workbook>",
        )
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _styles(formats))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            )
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if fit else b"")
                + b'<sheetViews><sheetView workbookViewId="0">'
                + f'<pane ySplit="{header}" topLeftCell="A{header + 1}" activePane="bottomLeft" '
                'state="frozen"/>'.encode()
                + b"</sheetView></sheetViews>"
                + (f"<cols>{cols}</cols>".encode() if cols else b"")
                + b"<sheetData>"
            )
            number = 0
            chunk: list[str] = []
            for number, line in enumerate(preamble, start=1):
                chunk.append(row(number, [line], style=0))
            number += 1
            chunk.append(row(number, list(labels), style=_HEADER_STYLE))
            for values in itertools.chain(first, rows):
                number += 1
                chunk.append(row(number, values))
                if len(chunk) >= 500:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            last = _letters(max(len(labels), 1) - 1)
            sheet.write(
                "".join(chunk).encode()
                + b"</sheetData>"
                + f'<autoFilter ref="A{header}:{last}{max(number, header)}"/>'.encode()
                + b'<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                + (
                    b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                    if fit
                    else b'<pageSetup paperSize="9" orientation="landscape"/>'
                )
                + b"</worksheet>"
            )
    return buffer.getvalue()


# Widths come from the header and this many first rows: an export streams, so its widths are
# written before its rows; the first rows stand for the rest.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 50
# Column widths (in characters) that landscape A4 still shows readably when shrunk to its width.
PAGE_WIDTH_CHARACTERS = 250


def fits_page_width(widths: Sequence[float]) -> bool:
    return sum(widths) <= PAGE_WIDTH_CHARACTERS


def display_width(value: Any) -> int:
    """Columns a value takes in Excel's default font: a CJK (wide) character counts two."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        text = f"{value.normalize():,f}"
    elif isinstance(value, dt.date):
        text = "2026-01-01"
    else:
        text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(labels: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    widths = []
    for i, label in enumerate(labels):
        # A header may wrap onto two lines; a value should not.
        need = max([(display_width(label) + 1) // 2 + 1, *(display_width(r[i]) for r in rows if i < len(r))])
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, need + 2))))
    return widths
