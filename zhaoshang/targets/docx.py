"""The responsibility agreement (目标责任书) as a Word document, in the usual official layout.

The text is Chinese whatever the interface language: it is an official document that the
government above and the unit sign and seal, so its wording is fixed here rather than translated
(layout: shared/reference/forms.md section 3). Fonts are named for East Asian text too (w:eastAsia),
without which Word sets Chinese in its default font whatever the style says.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import _Cell
from docx.text.run import Run

from zhaoshang.targets.grid import issuer_of
from zhaoshang.targets.models import Target
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = ("SimSun", "宋体")
HEADING_FONT = ("SimHei", "黑体")
BODY_SIZE, TITLE_SIZE, TABLE_SIZE = Pt(14), Pt(22), Pt(12)  # 四号, 二号, 小四
LINE = Pt(28)

# The measures as a Chinese document writes them, whatever the interface language.
MEASURE_ZH = {
    "wan_cny": "万元",
    "wan_usd": "万美元",
    "count": "个",
    "m2": "平方米",
    "person_times": "人次",
    "times": "次",
}
_GOVERNMENT_KINDS = {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP}
# A region's short word, for "全县" (the whole county) and the like.
_REGION_WORD = {UnitKind.PROVINCE: "省", UnitKind.CITY: "市", UnitKind.COUNTY: "县", UnitKind.TOWNSHIP: "镇"}


def format_amount(value: Decimal) -> str:
    """12,345.6789 — grouped, exact, without trailing zeros."""
    return f"{value.normalize():,f}"


def party_name(unit: Unit | None) -> str:
    """How a unit signs: a county or township as its people's government (示例县人民政府), a
    subdistrict as its office (街道办事处); departments, offices and parks by their own names."""
    if unit is None:
        return ""
    name = unit.name
    if unit.kind not in _GOVERNMENT_KINDS or name.endswith(("政府", "办事处")):
        return name
    if name.endswith("街道"):
        return f"{name}办事处"
    return f"{name}人民政府"


def file_stem(unit: Unit, year: int) -> str:
    """A file name for the unit's agreement, without characters file systems refuse."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{unit.code}-{unit.name}-{year}年度招商引资目标责任书")


@dataclass(frozen=True)
class Agreement:
    unit: Unit
    issuer: Unit | None
    year: int
    targets: Sequence[Target]

    @property
    def party_a(self) -> str:
        return party_name(self.issuer)

    @property
    def party_b(self) -> str:
        return party_name(self.unit)

    @property
    def region(self) -> str:
        word = _REGION_WORD.get(self.issuer.kind, "") if self.issuer is not None else ""
        return f"全{word}" if word else ""


def agreement_for(unit: Unit, year: int, targets: QuerySet[Target]) -> Agreement:
    """The agreement of ``unit`` for ``year``, from ``targets`` already limited to what the reader sees."""
    rows = targets.filter(unit=unit, year=year).select_related("indicator")
    return Agreement(
        unit=unit,
        issuer=issuer_of(unit),
        year=year,
        targets=list(rows.order_by("indicator__sort_order", "indicator__code")),
    )


# --- writing ----------------------------------------------------------------------------------


def _font(run: Run, font: tuple[str, str], size: Length | None = None, bold: bool = False) -> Run:
    run.font.name = font[0]
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font[1])
    if size is not None:
        run.font.size = size
    run.font.bold = bold
    return run


def _setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT[0]
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT[1])
    spacing = normal.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacing.line_spacing = LINE
    spacing.space_before = spacing.space_after = Pt(0)


def _paragraph(document: DocxDocument, text: str, *, indent: bool = True, heading: bool = False) -> None:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(28)  # two characters
    _font(paragraph.add_run(text), HEADING_FONT if heading else BODY_FONT, BODY_SIZE)


def _title(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(40)
    paragraph.paragraph_format.space_after = Pt(20)
    _font(paragraph.add_run(text), HEADING_FONT, TITLE_SIZE)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, align: int = WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE, bold=bold)


def _target_table(document: DocxDocument, targets: Sequence[Target]) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Cm(6.2), Cm(2.4), Cm(3.6), Cm(3.4))
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for cell, text, width in zip(
        table.rows[0].cells, ("指标", "单位", "目标值", "备注"), widths, strict=True
    ):
        _cell_text(cell, text, bold=True, align=center)
        cell.width = width
    for target in targets:
        cells = table.add_row().cells
        indicator = target.indicator
        _cell_text(cells[0], indicator.name_zh)
        _cell_text(cells[1], MEASURE_ZH.get(indicator.measure, indicator.get_measure_display()), align=center)
        _cell_text(cells[2], format_amount(target.value), align=right)
        _cell_text(cells[3], target.note)
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width


def _signatures(document: DocxDocument, agreement: Agreement) -> None:
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    for cell, side, name in zip(
        table.rows[0].cells, ("甲方", "乙方"), (agreement.party_a, agreement.party_b), strict=True
    ):
        lines = [f"{side}（盖章）：{name}", "", "负责人（签字）：", "", "年    月    日"]
        _cell_text(cell, lines[0])
        for line in lines[1:]:
            _font(cell.add_paragraph().add_run(line), BODY_FONT, BODY_SIZE)


def _sections(agreement: Agreement) -> list[tuple[str, list[str]]]:
    year, region = agreement.year, agreement.region
    return [
        ("一、责任期限", [f"自{year}年1月1日起至{year}年12月31日止。"]),
        ("二、目标任务", [f"乙方{year}年度招商引资目标任务如下："]),
        (
            "三、工作要求",
            [
                "（一）乙方成立招商引资工作领导小组，主要负责人亲自抓，明确分管负责人和专职人员。",
                "（二）乙方按调度日如实报送项目进展和到位资金情况，按时参加招商引资工作调度会。",
                "（三）乙方对签约项目落实项目保姆（责任人）制度，跟踪服务至项目投产。",
                "（四）目标完成情况以经甲方核实的招商引资台账数据为准，严禁弄虚作假、虚报数据。",
            ],
        ),
        (
            "四、考核与奖惩",
            [
                f"（一）甲方依据{year}年度招商引资考核办法，按季度和年度对乙方目标任务完成情况进行考核排名。",
                "（二）对全面完成或超额完成目标任务的，按照考核办法给予表彰奖励。",
                "（三）对考核排名后三位的单位给予通报批评；连续两次被通报批评的，约谈主要负责人并按规定问责。",
                "（四）对弄虚作假、虚报数据的，取消当年评先评优资格，并追究相关人员责任。",
            ],
        ),
        (
            "五、附则",
            [
                "（一）本责任书一式两份，甲乙双方各执一份。",
                "（二）本责任书自双方签字盖章之日起生效。",
                f"（三）本责任书未尽事宜，按{region}{year}年度招商引资考核办法执行。",
            ],
        ),
    ]


def agreement_document(agreement: Agreement) -> bytes:
    """The agreement as a .docx file."""
    document = Document()
    _setup(document)
    _title(document, f"{agreement.year}年度招商引资目标责任书")
    _paragraph(document, f"甲方：{agreement.party_a}", indent=False)
    _paragraph(document, f"乙方：{agreement.party_b}", indent=False)
    purpose = (
        f"为全面完成{agreement.region}{agreement.year}年度招商引资目标任务，压实招商引资工作责任，"
        f"根据{agreement.year}年度招商引资工作部署和考核办法，经甲乙双方协商，签订本责任书。"
    )
    _paragraph(document, purpose)
    for heading, paragraphs in _sections(agreement):
        _paragraph(document, heading, heading=True)
        for text in paragraphs:
            _paragraph(document, text)
        if heading.startswith("二"):
            _target_table(document, agreement.targets)
    _signatures(document, agreement)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def agreements_zip(agreements: Iterable[Agreement]) -> bytes:
    """Several agreements in one .zip, one .docx each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for agreement in agreements:
            name = f"{file_stem(agreement.unit, agreement.year)}.docx"
            archive.writestr(name, agreement_document(agreement))
    return buffer.getvalue()
