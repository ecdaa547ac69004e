"""Reading uploads safely: size, zip bombs, entity bombs, row limits, and header matching."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils.functional import lazy
from django.utils.translation import get_language, override
from openpyxl import Workbook

from zhaoshang.core import spreadsheets
from zhaoshang.core.spreadsheets import (
    MAX_COLUMNS,
    CellError,
    SpreadsheetError,
    match_header,
    parse_choice,
    parse_date,
    parse_decimal,
    read_sheet,
)
from zhaoshang.core.tables import Column
from zhaoshang.core.xlsx import table_workbook
from zhaoshang.projects.choices import Stage


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


COLUMNS = [Column("name", "Name", lambda o: o["name"]), Column("amount", "Amount", lambda o: o["amount"])]


def small_workbook(rows: int = 2) -> bytes:
    return table_workbook("t", COLUMNS, [{"name": f"项目{i}", "amount": Decimal(i)} for i in range(rows)])


def with_member(content: bytes, name: str, xml: bytes) -> bytes:
    """A copy of the workbook with one member replaced, or added (and declared) when missing."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml if item.filename == name else source.read(item.filename)
            if item.filename == "[Content_Types].xml" and name not in source.namelist():
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            target.writestr(item.filename, data)
        if name not in source.namelist():
            target.writestr(name, xml)
    return out.getvalue()


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def refused(content: bytes, expected: str) -> None:
    with pytest.raises(SpreadsheetError) as raised:
        read_sheet(io.BytesIO(content))
    assert expected in str(raised.value)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


def test_it_reads_the_header_and_the_numbered_rows_skipping_empty_ones():
    wb = Workbook()
    ws = wb.active
    ws.append(["台账"])  # a title line above the header
    ws.append(["Name", "Amount"])
    ws.append(["甲", 1.5])
    ws.append([None, "   "])
    ws.append(["乙", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    sheet = read_sheet(io.BytesIO(buffer.getvalue()), COLUMNS)
    assert (sheet.header, sheet.header_row) == (["Name", "Amount"], 2)
    assert sheet.rows == [(3, ["甲", 1.5]), (5, ["乙"])]


def test_it_refuses_a_file_over_the_upload_limit(settings):
    settings.MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    content = small_workbook() + b"\0" * (2 * 1024 * 1024)
    refused(content, "larger than 2 MB")


def test_it_refuses_what_is_not_a_zip_file():
    refused(b"name,amount\n\xe9\xa1\xb9\xe7\x9b\xae,1\n", "This is not an .xlsx file")


def test_it_tells_an_old_xls_file_apart():
    refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old .xls file")


def test_it_refuses_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(out.getvalue(), "This is not an .xlsx file")


def test_it_refuses_a_zip_bomb_before_inflating_it():
    out = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(200):
            member.write(chunk)
    bomb = out.getvalue()
    assert len(bomb) < 1024 * 1024  # 200 MB of zeros packs into a few hundred KB
    refused(bomb, "more than 100 MB")


def test_it_refuses_a_member_compressed_beyond_any_honest_ratio():
    content = with_member(small_workbook(), "xl/worksheets/sheet1.xml", b" " * (20 * 1024 * 1024))
    refused(content, "zip bomb")


def test_it_refuses_an_entity_bomb_in_the_sheet():
    xml = LAUGHS + (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    refused(with_member(small_workbook(), "xl/worksheets/sheet1.xml", xml), "entity declarations")


def test_it_refuses_an_entity_bomb_in_the_shared_strings():
    xml = LAUGHS + (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol9;</t></si></sst>"
    )
    refused(with_member(small_workbook(), "xl/sharedStrings.xml", xml), "entity declarations")


def test_it_refuses_more_data_rows_than_allowed(settings):
    settings.IMPORT_MAX_ROWS = 3
    read_sheet(io.BytesIO(small_workbook(3)))
    refused(small_workbook(4), "more than 3 data rows")


def test_a_forged_row_number_is_refused_without_padding_the_rows_before_it():
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    pulled = []

    def counted(rows: Any, columns: Any) -> Any:
        def each() -> Any:
            for row in rows:
                pulled.append(row[0])
                yield row

        return collect(each(), columns)

    collect = spreadsheets._collect
    with mock.patch.object(spreadsheets, "_collect", counted):
        refused(with_member(small_workbook(), "xl/worksheets/sheet1.xml", xml), "more rows than Excel")
    assert pulled == [2_000_000_000]  # the forged row alone: no empty rows made up before it


def test_rows_are_what_openpyxl_itself_reads(tmp_path: Any) -> None:
    """The reader's shortcuts (no dimension scan, inline strings read directly) change nothing:
    every kind of cell, in files of shared and of inline strings, reads as openpyxl reads it."""
    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    rows = [
        ["名称", "金额", "日期", "是否", "公式", None, "备注"],
        ["光伏组件", 8000.5, dt.date(2025, 3, 14), True, "=1+1", None, "  前后空格  "],
        [None, None, None, None, None, None, None],
        ["", 0, dt.datetime(2025, 3, 14, 8, 30), False, 12, "F列", "多行\n文本"],
        [CellRichText("粗", TextBlock(InlineFont(b=True), "体"), "字"), -1, None, None, None, None, 3],
    ]
    full = Workbook()
    for row in rows:
        full.active.append(row)
    full.active["A9"] = "跳过的行之后"
    full.save(tmp_path / "full.xlsx")  # shared strings, a <dimension>
    streamed = Workbook(write_only=True)
    sheet = streamed.create_sheet()
    for row in rows:
        sheet.append(row)
    streamed.save(tmp_path / "streamed.xlsx")  # inline strings, no <dimension>
    exported = small_workbook(3)  # this project's own export
    (tmp_path / "exported.xlsx").write_bytes(exported)
    for name in ("full.xlsx", "streamed.xlsx", "exported.xlsx"):
        data = (tmp_path / name).read_bytes()
        theirs = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        expected = [
            (n, spreadsheets._trim(list(values)))
            for n, values in enumerate(theirs.worksheets[0].iter_rows(values_only=True), start=1)
        ]
        ours = spreadsheets._open(data)
        got = [(n, spreadsheets._trim(values)) for n, values in spreadsheets._sheet_rows(ours.worksheets[0])]
        assert [r for r in got if r[1]] == [r for r in expected if r[1]], name
        if name == "streamed.xlsx":  # the inline strings themselves, runs and spaces included
            assert [got[1][1][6], got[3][1][0], got[3][1][6], got[4][1][0]] == [
                "  前后空格  ",
                None,  # blank text counts as empty
                "多行\n文本",
                "粗体字",
            ]
            assert got[-1][0] == 5


def test_cells_beyond_the_column_cap_are_ignored_and_rows_are_not_padded_to_it():
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>'
        b'<c r="IV2" t="inlineStr"><is><t>last kept</t></is></c>'
        b'<c r="IW2" t="inlineStr"><is><t>beyond</t></is></c></row>'
        b'<row r="3"><c r="A3" t="inlineStr"><is><t>y</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    sheet = read_sheet(io.BytesIO(with_member(small_workbook(), "xl/worksheets/sheet1.xml", xml)), COLUMNS)
    (two, wide), (three, narrow) = sheet.rows
    assert (two, len(wide), wide[0], wide[-1]) == (2, MAX_COLUMNS, "x", "last kept")
    assert (three, narrow) == (3, ["y"])


def test_a_header_matches_in_any_language_with_loose_spacing_and_full_width_parentheses():
    chinese_or_english = lazy(
        lambda: "总投资（万元）" if get_language().startswith("zh") else "Investment", str
    )
    columns = [
        Column("name", "Project name", lambda o: o),
        Column("total", chinese_or_english(), lambda o: o),
        Column("section", "Industry (GB/T 4754)", lambda o: o),
    ]
    with override("en"):
        positions, problems = match_header(
            [" 总投资(万元) ", "project  NAME", "备注", "Industry （GB/T 4754）"], columns
        )
    assert positions == {"total": 0, "name": 1, "section": 3}
    assert problems == []


def test_a_column_given_twice_is_a_problem():
    _positions, problems = match_header(["Name", "Amount", "name"], COLUMNS)
    assert len(problems) == 1
    assert "name" in problems[0]


def test_numbers_stay_exact_and_refuse_what_an_amount_cannot_be():
    assert parse_decimal(12345678901.2345, 4, 15) == Decimal("12345678901.2345")
    assert str(parse_decimal(0.0001, 4, 15)) == "0.0001"
    assert parse_decimal(0.1, 4, 15) == Decimal("0.1")
    assert parse_decimal("1,234.50", 4, 15) == Decimal("1234.5")
    assert parse_decimal(None, 4, 15) is None
    for bad, message in [
        ("1.23456", "4 decimal"),
        (-1, "negative"),
        ("abc", "number"),
        (float("nan"), "number"),
        (True, "number"),
        (1e20, "too large"),
    ]:
        with pytest.raises(CellError, match=message):
            parse_decimal(bad, 4, 15)


def test_dates_come_from_date_cells_or_iso_text():
    assert parse_date(dt.datetime(2024, 1, 5)) == dt.date(2024, 1, 5)
    assert parse_date(" 2024-01-05 ") == dt.date(2024, 1, 5)
    for bad in ("2024-13-01", "5 January", 45296):
        with pytest.raises(CellError):
            parse_date(bad)


def test_a_choice_is_read_from_its_code_or_its_label():
    assert parse_choice("signed", Stage) == Stage.SIGNED
    assert parse_choice(" Intent signed ", Stage) == Stage.INTENT
    assert parse_choice(None, Stage) == ""
    with pytest.raises(CellError, match="Unknown value"):
        parse_choice("almost signed", Stage)


def test_it_will_not_read_an_upload_unless_openpyxl_parses_through_defusedxml(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setattr("openpyxl.xml.DEFUSEDXML", False)
    with pytest.raises(ImproperlyConfigured):
        read_sheet(io.BytesIO(small_workbook()))


def test_without_a_recognisable_header_the_first_row_is_taken_as_the_header():
    content = table_workbook("t", [Column("x", "Something else", lambda o: o)], ["a", "b"])
    sheet = read_sheet(io.BytesIO(content), COLUMNS)
    assert (sheet.header, sheet.header_row) == (["Something else"], 1)
    assert match_header(sheet.header, COLUMNS) == ({}, [])


def _one_wide_row(cells: int) -> bytes:
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2">'
        + b'<c t="inlineStr"><is><t>x</t></is></c>' * cells
        + b"</row></sheetData></worksheet>"
    )
    return with_member(small_workbook(), "xl/worksheets/sheet1.xml", xml)


def test_a_row_with_more_cells_than_excel_allows_is_refused(monkeypatch):
    # The probe's row of 4,000,000 cells took 65 s and 1.9 GB: openpyxl built the whole row first.
    read: list[int] = []
    parser = spreadsheets._openpyxl().parser
    original = parser.parse_cell
    monkeypatch.setattr(parser, "parse_cell", lambda self, el: read.append(1) or original(self, el))
    with override("en"), pytest.raises(SpreadsheetError, match="Row 2 has more cells than Excel allows"):
        read_sheet(io.BytesIO(_one_wide_row(spreadsheets.EXCEL_MAX_COLUMNS + 1)), COLUMNS)
    # Cells beyond the column cap are counted, never read.
    assert len(read) == 1 + MAX_COLUMNS


def test_a_row_as_wide_as_excel_allows_is_read_to_the_column_cap():
    sheet = read_sheet(io.BytesIO(_one_wide_row(spreadsheets.EXCEL_MAX_COLUMNS)), COLUMNS)
    ((number, values),) = sheet.rows
    assert number == 2 and len(values) == MAX_COLUMNS and values[-1] == "x"


def test_a_cell_without_a_reference_after_one_beyond_the_cap_is_beyond_it_too():
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>'
        b'<c r="IW2" t="inlineStr"><is><t>beyond</t></is></c>'
        b'<c t="inlineStr"><is><t>also beyond</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    sheet = read_sheet(io.BytesIO(with_member(small_workbook(), "xl/worksheets/sheet1.xml", xml)), COLUMNS)
    assert sheet.rows == [(2, ["x"])]
