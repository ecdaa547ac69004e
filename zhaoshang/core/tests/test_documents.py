"""The documents module: the official layout of GB/T 9704-2012 as Word writes it (opened again with
python-docx), the download response, the font mapping and the PDF made with LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal

import docx as python_docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhaoshang.core import documents
from zhaoshang.core.documents import layout, pdf


def reopened(document) -> python_docx.document.Document:
    return python_docx.Document(io.BytesIO(documents.to_bytes(document)))


def east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def sample() -> python_docx.document.Document:
    document = documents.new_document()
    documents.add_title(document, "2026年度招商引资工作总结")
    documents.add_heading(document, "一、工作成效")
    documents.add_heading(document, "（一）项目招引", level=2)
    documents.add_paragraph(document, "全年共引进项目12个，实际到位资金3.5亿元。")
    table = documents.DocumentTable(
        document,
        ("项目名称", "总投资（万元）"),
        widths=(Mm(100), Mm(56)),
        aligns=(documents.LEFT_ALIGN, documents.RIGHT_ALIGN),
    )
    table.add_band("一、签约项目")
    table.add_row(("新材料项目", documents.format_amount(Decimal("12345.6000"))))
    table.add_row(("合计", "12,345.6"), bold=True)
    return document


def test_the_page_is_a4_with_the_official_margins_and_22_lines_of_28_characters():
    document = reopened(documents.new_document())
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:type")) == "lines"
    # 22 lines of the pitch fit the 225 mm text block, and 28 condensed 三号 characters its 156 mm
    assert 22 * Pt(579 / 20) <= Mm(225) < 23 * Pt(579 / 20)
    assert 28 * (16 + layout.CONDENSE_TWIPS / 20) <= Mm(156).pt < 28 * 16
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.paragraph_format.line_spacing == Pt(579 / 20)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(layout.CONDENSE_TWIPS)


def test_the_title_body_and_headings_name_their_chinese_fonts():
    document = reopened(sample())
    title, first, second, body = document.paragraphs[:4]
    assert title.text == "2026年度招商引资工作总结" and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asian_font(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert east_asian_font(first.runs[0]) == "黑体" and first.runs[0].font.size == Pt(16)
    assert east_asian_font(second.runs[0]) == "楷体_GB2312"
    assert east_asian_font(body.runs[0]) == "仿宋_GB2312"
    fonts = body.runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "FangSong"  # digits and Latin letters
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters


def test_odd_pages_number_right_and_even_pages_left_in_14_pt_songti():
    document = reopened(documents.new_document())
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align and paragraph.text == "— 1 —"
        assert " PAGE " in [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert {east_asian_font(r) for r in paragraph.runs} == {"宋体"}
        assert {r.font.size for r in paragraph.runs} == {Pt(14)}
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.paragraph_format.right_indent == Pt(14) and even.paragraph_format.left_indent == Pt(14)


def test_a_table_repeats_its_header_on_every_page_with_borders_and_cell_fonts():
    document = reopened(sample())
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["项目名称", "总投资（万元）"],
        ["一、签约项目", "一、签约项目"],  # one cell across the table
        ["新材料项目", "12,345.6"],
        ["合计", "12,345.6"],
    ]
    header = table.rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6
    assert [round(c.width.mm) for c in table.columns] == [100, 56]
    figure = table.rows[2].cells[1].paragraphs[0]
    assert figure.alignment == WD_ALIGN_PARAGRAPH.RIGHT and east_asian_font(figure.runs[0]) == "仿宋_GB2312"
    assert table.rows[3].cells[0].paragraphs[0].runs[0].font.bold


class _NeverKept(dict):
    """A prototype cache that keeps nothing: every row is then written cell by cell."""

    def __setitem__(self, key, value):
        pass


def _table_xml(copied: bool) -> list[bytes]:
    document = documents.new_document()
    table = documents.DocumentTable(
        document,
        ("项目名称", "总投资（万元）", "备注"),
        widths=(Mm(80), Mm(40), Mm(36)),
        aligns=(documents.LEFT_ALIGN, documents.RIGHT_ALIGN, documents.CENTRE),
    )
    if not copied:
        table._prototypes = _NeverKept()
    for n, values in enumerate(
        [("新材料项目", "12,345.6", ""), ("  前后空格 ", "1", "第一行\n第二行"), ("合计", "12,346.6", "\t")]
    ):
        table.add_row(values, bold=n == 2)
    table.add_row(("再一行", "0", "x"))
    from lxml import etree

    return [etree.tostring(tr) for tr in table.table._tbl.tr_lst]


def test_a_copied_row_is_the_same_xml_as_a_row_written_cell_by_cell():
    copied, written = _table_xml(copied=True), _table_xml(copied=False)
    assert len(copied) == 5
    assert copied == written
    # and the text is each row's own, spaces, line breaks and tabs kept
    document = documents.new_document()
    table = documents.DocumentTable(document, ("甲", "乙"))
    table.add_row(("一", " 二 "))
    table.add_row(("三", "四\n五"))
    cells = [[c.text for c in row.cells] for row in reopened(document).tables[0].rows]
    assert cells == [["甲", "乙"], ["一", " 二 "], ["三", "四\n五"]]
    with pytest.raises(ValueError):
        table.add_row(("only one",))


def test_a_landscape_section_turns_the_text_block_and_keeps_the_page_numbers():
    document = documents.new_document()
    documents.add_paragraph(document, "正文")
    documents.add_section(document, landscape=True)
    documents.add_paragraph(document, "宽表")
    first, wide = reopened(document).sections
    assert wide.orientation == WD_ORIENT.LANDSCAPE
    assert (round(wide.page_width.mm), round(wide.page_height.mm)) == (297, 210)
    assert round(wide.page_width.mm - wide.left_margin.mm - wide.right_margin.mm) == 225
    assert round(wide.page_height.mm - wide.top_margin.mm - wide.bottom_margin.mm) == 156
    assert wide.footer.is_linked_to_previous and wide.even_page_footer.is_linked_to_previous
    assert first.orientation == WD_ORIENT.PORTRAIT


def test_the_download_names_the_file_in_ascii_and_in_utf8():
    response = documents.docx_response(b"PK", "3201-城关镇-2026年度招商引资目标责任书.docx")
    assert response["Content-Type"] == documents.DOCX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="3201--2026.docx"; ')
    assert "filename*=UTF-8''3201-%E5%9F%8E" in disposition
    zipped = documents.download_response(b"PK", "目标责任书.zip", "application/zip")["Content-Disposition"]
    assert 'filename="export.zip"' in zipped


def test_the_font_mapping_gives_every_official_font_a_free_one():
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig's fc-match is not installed")
    expected = {
        "仿宋_GB2312": ("Noto Serif CJK SC", "FandolFang"),
        "方正小标宋简体": ("Noto Serif CJK SC",),
        "黑体": ("Noto Sans CJK SC",),
        "楷体_GB2312": ("AR PL UKai CN", "AR PL KaitiM GB"),
        "宋体": ("Noto Serif CJK SC",),
    }
    env = {"FONTCONFIG_FILE": str(pdf.FONTS_CONF), "PATH": "/usr/bin:/bin"}
    for name, free in expected.items():
        command = ["fc-match", "-f", "%{family[0]}", name]
        found = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
        assert found in free, (name, found)


def test_without_libreoffice_to_pdf_says_what_to_install(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)
    with pytest.raises(documents.ConversionError, match="libreoffice-writer-nogui"):
        documents.to_pdf(b"PK")


@pytest.mark.skipif(
    pdf.soffice() is None, reason="LibreOffice is not installed (scripts/install_office.sh installs it)"
)
def test_a_document_converts_to_a_pdf_with_its_pages_and_text():
    content = pdf.to_pdf(documents.to_bytes(sample()))
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed (scripts/install_office.sh installs it)")
    run = {"input": content, "capture_output": True, "check": True}
    text = subprocess.run(["pdftotext", "-", "-"], **run).stdout.decode()  # noqa: S607
    words = "".join(text.split())  # pdftotext spaces Latin from Chinese
    assert "2026年度招商引资工作总结" in words and "新材料项目" in words and "12,345.6" in words
    assert "—1—" in words  # the page number field was computed
    info = subprocess.run(["pdfinfo", "-"], **run).stdout.decode()  # noqa: S607
    assert re.search(r"^Pages:\s+1$", info, re.M) and "(A4)" in info
