"""Word documents in the official layout of GB/T 9704-2012 (党政机关公文格式), and nothing else.

The layout only: the page, the fonts, the title, headings, body text, tables and page numbers. What a
document says (an agreement's clauses, a dispatch table's columns) belongs to the app that writes it.

Chinese fonts are always named through ``w:rFonts/@w:eastAsia``: python-docx's ``font.name`` sets
only the Latin slots, and Word then sets Chinese in its default font whatever the document asks for.
The Latin slots get a font that a Chinese Windows or WPS always has, for digits and Latin letters.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section, _Footer
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run


@dataclass(frozen=True)
class Face:
    """A typeface as an official document names it: ``east_asia`` for Chinese text, ``latin`` for
    digits and Latin letters."""

    east_asia: str
    latin: str


# The faces GB/T 9704 names. A county office has them; fonts.conf maps them to free fonts for PDF.
FANGSONG = Face("仿宋_GB2312", "FangSong")  # body text
XIAOBIAOSONG = Face("方正小标宋简体", "方正小标宋简体")  # the title; no Latin twin, Word falls back
HEITI = Face("黑体", "SimHei")  # first-level headings 一、
KAITI = Face("楷体_GB2312", "KaiTi")  # second-level headings （一）
SONGTI = Face("宋体", "SimSun")  # page numbers

# Chinese type sizes (字号) in points.
SIZE_2 = Pt(22)  # 二号: the title
SIZE_3 = Pt(16)  # 三号: body text and headings
SIZE_4 = Pt(14)  # 四号: page numbers
SIZE_SMALL_4 = Pt(12)  # 小四: table text
SIZE_5 = Pt(10.5)  # 五号: dense tables
SIZE_SMALL_5 = Pt(9)  # 小五
SIZE_6 = Pt(7.5)  # 六号: tables of many columns of figures

# The page: A4 with the text block of 156 x 225 mm, 22 lines of 28 characters.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES, CHARACTERS = 22, 28
TEXT_WIDTH = Length(PAGE_WIDTH - LEFT - RIGHT)
TEXT_HEIGHT = Length(PAGE_HEIGHT - TOP - BOTTOM)
# The line grid in twentieths of a point (Word's unit); rounding down keeps 22 whole lines in the
# text block.
LINE_PITCH_TWIPS = int(TEXT_HEIGHT.pt * 20 / LINES)
LINE_PITCH = Pt(LINE_PITCH_TWIPS / 20)
# 28 characters of 16 pt are 448 pt, the text block 442 pt wide: the body is condensed by a quarter
# point a character, in twentieths of a point. Word would do it with a character grid (docGrid
# linesAndChars), but LibreOffice lays a character wider than its grid cell over two cells, which
# halves the line of the PDF made on the server; condensed text gives 28 characters in both.
CONDENSE_TWIPS = math.floor((TEXT_WIDTH.pt / CHARACTERS - SIZE_3.pt) * 20)
# The page number's dashes sit 7 mm below the text block. Word places the footer by its bottom edge;
# the dashes are at mid-height of a line of 14 pt type, about 9 pt above that edge.
NUMBER_GAP = Mm(7)
NUMBER_HALF_LINE = Pt(9)
TITLE_LINE = Pt(35)  # a title of two lines keeps them apart at 22 pt
EM_DASH = "—"
# Word refuses a file whose properties are out of the schema's order: what may follow each element
# this module adds (ECMA-376 part 1, CT_RPr, CT_PPrBase, CT_TblPr).
_AFTER_RPR_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
    "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
_AFTER_SNAP_TO_GRID = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_OUTLINE_LVL = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")
CELL_PADDING = Mm(0.8)  # Word's 1.9 mm a side would leave a narrow column of figures no room


def format_amount(value: Decimal) -> str:
    """12,345.6789 — grouped, exact, without trailing zeros."""
    return f"{value.normalize():,f}"


# --- fonts ------------------------------------------------------------------------------------


def _set_face(rpr: CT_RPr, face: Face) -> None:
    fonts = rpr.get_or_add_rFonts()
    # Theme fonts win over named ones in Word: drop them so the names below are used.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), face.latin)
    fonts.set(qn("w:hAnsi"), face.latin)
    fonts.set(qn("w:eastAsia"), face.east_asia)
    fonts.set(qn("w:hint"), "eastAsia")  # punctuation shared by both scripts is set in the Chinese face


def run(
    paragraph: Paragraph, text: str, face: Face = FANGSONG, size: Length = SIZE_3, bold: bool = False
) -> Run:
    """A run of ``text`` in ``face`` at ``size``, the East Asian font named."""
    r = paragraph.add_run(text)
    _set_face(r._element.get_or_add_rPr(), face)
    r.font.size = size
    r.font.bold = bold
    return r


# --- the document -----------------------------------------------------------------------------


def new_document(*, landscape: bool = False) -> DocxDocument:
    """An empty document in the official layout: A4, the margins, 22 lines of 28 characters, body text in
    三号仿宋, and page numbers "— 1 —" in every footer (odd pages right, even pages left)."""
    document = Document()
    _defaults(document)
    document.settings.odd_and_even_pages_header_footer = True
    _page(document.sections[0], landscape=landscape)
    _page_numbers(document.sections[0])
    return document


def add_section(document: DocxDocument, *, landscape: bool) -> Section:
    """A new section on a new page, portrait or landscape (for a wide table); its page numbers
    continue those of the section before."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=landscape)
    return section


def to_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _defaults(document: DocxDocument) -> None:
    """The body font and line grid as the document's defaults, so every paragraph starts from them."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_face(rpr, FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(SIZE_3.pt * 2)))
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    _set_face(normal.element.get_or_add_rPr(), FANGSONG)
    spacing = normal.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacing.line_spacing = LINE_PITCH
    spacing.space_before = spacing.space_after = Pt(0)
    spacing.widow_control = False  # the official layout fills every line of the grid
    condensed = OxmlElement("w:spacing")
    condensed.set(qn("w:val"), str(CONDENSE_TWIPS))
    normal.element.get_or_add_rPr().insert_element_before(condensed, *_AFTER_RPR_SPACING)


def _page(section: Section, *, landscape: bool) -> None:
    if landscape:
        # The text block turned a quarter: the binding edge (left) becomes the top.
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        section.top_margin, section.bottom_margin = LEFT, RIGHT
        section.left_margin, section.right_margin = TOP, BOTTOM
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(15)
    section.footer_distance = Length(section.bottom_margin - NUMBER_GAP - NUMBER_HALF_LINE)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)


def _page_numbers(section: Section) -> None:
    """Page numbers "— 1 —" in 四号宋体: odd pages one character in from the right, even pages one
    character in from the left."""
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer: _Footer, align: WD_ALIGN_PARAGRAPH) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    spacing = paragraph.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.SINGLE
    spacing.space_before = spacing.space_after = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        spacing.right_indent = SIZE_4
    else:
        spacing.left_indent = SIZE_4
    _no_grid(paragraph)
    run(paragraph, f"{EM_DASH} ", SONGTI, SIZE_4)
    _field(paragraph, "PAGE", "1")
    run(paragraph, f" {EM_DASH}", SONGTI, SIZE_4)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, the last value, end."""

    def part(element: BaseOxmlElement) -> None:
        r = run(paragraph, "", SONGTI, SIZE_4)
        r._element.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    part(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    part(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    part(separate)
    run(paragraph, shown, SONGTI, SIZE_4)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    part(end)


def _no_grid(paragraph: Paragraph) -> None:
    """Leave the line grid: for footers and table cells, whose text is smaller than the body and would
    otherwise take a whole grid line each."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP_TO_GRID)


# --- text -------------------------------------------------------------------------------------


def add_title(document: DocxDocument, text: str) -> Paragraph:
    """The title in 二号方正小标宋简体, centred, one blank line below it."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing = paragraph.paragraph_format
    spacing.line_spacing = TITLE_LINE
    spacing.space_after = LINE_PITCH
    run(paragraph, text, XIAOBIAOSONG, SIZE_2)
    return paragraph


def add_paragraph(
    document: DocxDocument, text: str, *, indent: bool = True, face: Face = FANGSONG, size: Length = SIZE_3
) -> Paragraph:
    """A paragraph of body text, justified, its first line two characters in unless ``indent`` is false."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        _indent_two_characters(paragraph, size)
    run(paragraph, text, face, size)
    return paragraph


def add_heading(document: DocxDocument, text: str, level: int = 1) -> Paragraph:
    """A heading in the body's flow: level 1 ("一、") in 黑体, level 2 ("（一）") in 楷体, levels 3
    ("1.") and 4 ("（1）") in the body's 仿宋. Its outline level is written, so Word's navigation pane
    and a table of contents see the document's structure without a heading style (whose fonts and
    spacing would leave the official layout)."""
    face = {1: HEITI, 2: KAITI}.get(level, FANGSONG)
    paragraph = add_paragraph(document, text, face=face)
    paragraph.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))
    paragraph._p.get_or_add_pPr().insert_element_before(outline, *_AFTER_OUTLINE_LVL)
    return paragraph


def heading_level(paragraph: Paragraph) -> int | None:
    """The outline level (1 for "一、") ``add_heading`` gave a paragraph, None for body text."""
    ppr = paragraph._p.pPr
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    return None if outline is None else int(outline.get(qn("w:val"))) + 1


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals: 一, 十, 十一, 二十三."""
    if not 0 < n < 100:
        raise ValueError(f"no Chinese numeral for {n}")
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The numbering of GB/T 9704's four heading levels: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    return f"{n}." if level == 3 else f"（{n}）"


def add_picture(document: DocxDocument, image: bytes, width: Length = TEXT_WIDTH) -> Paragraph:
    """An image (a chart) centred in a paragraph of its own, off the line grid so that its height is
    its own and not one line's."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing = paragraph.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.SINGLE
    spacing.first_line_indent = Pt(0)
    _no_grid(paragraph)
    paragraph.add_run().add_picture(io.BytesIO(image), width=width)
    return paragraph


def _indent_two_characters(paragraph: Paragraph, size: Length) -> None:
    paragraph.paragraph_format.first_line_indent = Length(size * 2)
    # Word and WPS measure in characters of the paragraph's font when this is set; the length above
    # is for the others.
    paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")


# --- tables -----------------------------------------------------------------------------------

LEFT_ALIGN, CENTRE, RIGHT_ALIGN = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


class DocumentTable:
    """A bordered table whose header row repeats on every page and whose rows never break across
    pages; every cell in ``face`` at ``size``. ``widths`` should add up to the text block's width."""

    def __init__(
        self,
        document: DocxDocument,
        header: Sequence[str],
        *,
        widths: Sequence[Length] | None = None,
        aligns: Sequence[WD_ALIGN_PARAGRAPH] | None = None,
        face: Face = FANGSONG,
        size: Length = SIZE_SMALL_4,
    ) -> None:
        self.widths = list(widths) if widths else [Length(TEXT_WIDTH // len(header))] * len(header)
        self.aligns = list(aligns) if aligns else [LEFT_ALIGN] * len(header)
        self.face, self.size = face, size
        self._prototypes: dict[bool, CT_Row] = {}
        self.table: Table = document.add_table(rows=1, cols=len(header))
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        _borders(self.table)
        # LibreOffice takes the widths from the grid, Word from the cells: both are written.
        for column, width in zip(self.table.columns, self.widths, strict=True):
            column.width = width
        header_row = self.table.rows[0]
        _row_properties(header_row._tr, repeat=True)
        for cell_, text, width in zip(header_row.cells, header, self.widths, strict=True):
            self._write(cell_, text, width, CENTRE, bold=True)

    def add_row(self, values: Sequence[str], *, bold: bool = False) -> None:
        """A row of ``values``. The first row of each weight is written cell by cell; the later ones
        are copies of it with their own text, which is the same XML at a fraction of the cost (a
        national batch writes hundreds of thousands of cells)."""
        values = list(values)
        if len(values) != len(self.widths):
            raise ValueError(f"{len(values)} values for {len(self.widths)} columns")
        prototype = self._prototypes.get(bold)
        if prototype is None:
            row = self.table.add_row()
            _row_properties(row._tr)
            for cell_, width, align in zip(row.cells, self.widths, self.aligns, strict=True):
                self._write(cell_, "", width, align, bold=bold)
            prototype = self._prototypes[bold] = copy.deepcopy(row._tr)
            tr = row._tr
        else:
            tr = copy.deepcopy(prototype)
            self.table._tbl.append(tr)
        for r, text in zip(tr.iter(qn("w:r")), values, strict=True):
            r.text = text

    def add_band(self, text: str, *, bold: bool = True) -> None:
        """A row of one cell across the table, for a group's title."""
        row = self.table.add_row()
        _row_properties(row._tr)
        merged = row.cells[0].merge(row.cells[-1])
        self._write(merged, text, Length(sum(self.widths)), LEFT_ALIGN, bold=bold)

    def _write(
        self, cell_: _Cell, text: str, width: Length, align: WD_ALIGN_PARAGRAPH, *, bold: bool
    ) -> None:
        cell_.width = width
        cell_.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell_.paragraphs[0]
        paragraph.alignment = align
        spacing = paragraph.paragraph_format
        spacing.line_spacing_rule = WD_LINE_SPACING.SINGLE
        spacing.first_line_indent = Pt(0)
        _no_grid(paragraph)
        run(paragraph, text, self.face, self.size, bold=bold)


def _borders(table: Table) -> None:
    """Single 0.5 pt lines round and between every cell, written out rather than taken from a
    style the template may lack; narrow cell padding."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBL_BORDERS)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(CELL_PADDING.twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBL_CELL_MAR)


def _row_properties(tr: CT_Row, *, repeat: bool = False) -> None:
    properties = tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        properties.append(OxmlElement("w:tblHeader"))
