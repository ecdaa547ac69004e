"""The streaming export writer gives the cells the openpyxl writer gave, read back by openpyxl (the
reader imports use), and never turns text into a formula."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from zhaoshang.core.tables import Column
from zhaoshang.core.xlsx import cell, table_workbook

ROWS = [
    ['=HYPERLINK("http://x")', Decimal("12345678901.2345"), dt.date(2026, 3, 1), 7, None, True],
    ['招商 <项目> & "引号"', Decimal("0.0001"), None, 0, "  前后空格 ", False],
    ["+1", Decimal("1E+3"), dt.date(1999, 12, 31), -5, "line\nbreak", None],
    ["控制\x07字符", Decimal(0), dt.date(2024, 2, 29), 10**12, "", True],
]
COLUMNS = [
    Column("a", "文本", lambda r: r[0]),
    Column("b", "金额", lambda r: r[1], number_format="#,##0.0000"),
    Column("c", "日期", lambda r: r[2]),
    Column("d", "整数", lambda r: r[3]),
    Column("e", "备注", lambda r: r[4]),
    Column("f", "是否", lambda r: r[5]),
]


def openpyxl_workbook() -> bytes:
    """What table_workbook wrote before it streamed: one openpyxl write-only cell per value."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("t")
    ws.append([cell(ws, "说明")])
    ws.append([cell(ws, str(c.label), header=True) for c in COLUMNS])
    for row in ROWS:  # openpyxl refuses XML-illegal characters; the stream drops them
        clean = [v.replace("\x07", "") if isinstance(v, str) else v for v in row]
        ws.append([cell(ws, c.value(clean), c.number_format) for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def formats(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[c.number_format for c in row] for row in sheet.iter_rows(min_row=2)]


def test_the_streamed_workbook_reads_back_like_the_openpyxl_one() -> None:
    streamed = table_workbook("t", COLUMNS, ROWS, preamble=["说明"])
    expected = read(openpyxl_workbook())
    got = read(streamed)
    assert [[v for v in row if v not in (None, "")] for row in got] == [
        [v for v in row if v not in (None, "")] for row in expected
    ]
    assert got[2][0] == '=HYPERLINK("http://x")'  # text, not a formula
    assert got[2][1] == Decimal("12345678901.2345") or float(got[2][1]) == 12345678901.2345
    assert got[2][2] == dt.datetime(2026, 3, 1)


def test_dates_and_amounts_keep_their_number_formats() -> None:
    streamed = formats(table_workbook("t", COLUMNS, ROWS))
    assert streamed[0][1] == "#,##0.0000"
    assert streamed[0][2] == "yyyy-mm-dd"


def test_a_formula_typed_as_text_stays_text_in_the_file() -> None:
    import zipfile

    content = table_workbook("t", COLUMNS, ROWS)
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert 't="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;' in sheet or '=HYPERLINK("' in sheet


def test_a_list_export_is_ready_to_print_and_filter(client, cast):
    # Issue 18: every column was 24 wide, with no frozen header, filter or print set-up.
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    cast.project(name="批发市场改造项目", industry_section="F")
    client.force_login(cast.operator_a)
    content = client.get(reverse("projects:export")).content
    ws = load_workbook(io.BytesIO(content)).active
    header = next(r for r in ws.iter_rows(min_row=1, max_row=5) if r[0].value and "项目" in str(r[0].value))
    row = header[0].row
    assert ws.freeze_panes == f"A{row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{row}:")
    # 33 columns are too wide to shrink onto one page: printed across pages, code and name repeated.
    assert ws.print_title_rows == f"${row}:${row}" and ws.print_title_cols == "$A:$B"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    widths = {ws.column_dimensions[c.column_letter].width for c in header}
    assert len(widths) > 3  # from content, not one width for all
    labels = [c.value for c in header]
    industry = ws.cell(row=row + 1, column=labels.index("国民经济行业（GB/T 4754）") + 1).value
    assert industry.startswith("F ") and len(industry) > 2  # the section's name, not the letter
