"""The responsibility agreement (目标责任书) as a Word document, in the usual official layout.

The text is Chinese whatever the interface language: it is an official document that the
government above and the unit sign and seal, so its wording is fixed here rather than translated
(outline: shared/reference/forms.md section 3). The page, fonts and page numbers are the official
layout of ``core.documents``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.shared import Cm

from zhaoshang.core import documents
from zhaoshang.core.documents import format_amount
from zhaoshang.targets.grid import issuer_of
from zhaoshang.targets.models import Target
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

# The measures as a Chinese document writes them, whatever the interface language.
MEASURE_ZH = {
    "wan_cny": "万元",
    "wan_usd": "万美元",
    "count": "个",
    "m2": "平方米",
    "person_times": "人次",
    "times": "次",
    "persons": "人",
    "articles": "篇",
}
_GOVERNMENT_KINDS = {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWNSHIP}
# A region's short word, for "全县" (the whole county) and the like.
_REGION_WORD: dict[str, str] = {
    UnitKind.PROVINCE: "省",
    UnitKind.CITY: "市",
    UnitKind.COUNTY: "县",
    UnitKind.TOWNSHIP: "镇",
}


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


def _target_table(document: DocxDocument, targets: Sequence[Target]) -> None:
    table = documents.DocumentTable(
        document,
        ("指标", "单位", "目标值", "备注"),
        widths=(Cm(6.2), Cm(2.4), Cm(3.6), Cm(3.4)),
        aligns=(documents.LEFT_ALIGN, documents.CENTRE, documents.RIGHT_ALIGN, documents.LEFT_ALIGN),
    )
    for target in targets:
        indicator = target.indicator
        table.add_row(
            (
                indicator.name_zh,
                MEASURE_ZH.get(indicator.measure, indicator.get_measure_display()),
                format_amount(target.value),
                target.note,
            )
        )


def _signatures(document: DocxDocument, agreement: Agreement) -> None:
    """Both parties side by side, kept on one page: seal, name, the head's signature and the date."""
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell, side, name in zip(
        table.rows[0].cells, ("甲方", "乙方"), (agreement.party_a, agreement.party_b), strict=True
    ):
        lines = [f"{side}（盖章）：", name, "", "负责人（签字）：", "", "年    月    日"]
        documents.run(cell.paragraphs[0], lines[0])
        for line in lines[1:]:
            documents.run(cell.add_paragraph(), line)


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
    document = documents.new_document()
    documents.add_title(document, f"{agreement.year}年度招商引资目标责任书")
    documents.add_paragraph(document, f"甲方：{agreement.party_a}", indent=False)
    documents.add_paragraph(document, f"乙方：{agreement.party_b}", indent=False)
    purpose = (
        f"为全面完成{agreement.region}{agreement.year}年度招商引资目标任务，压实招商引资工作责任，"
        f"根据{agreement.year}年度招商引资工作部署和考核办法，经甲乙双方协商，签订本责任书。"
    )
    documents.add_paragraph(document, purpose)
    for heading, paragraphs in _sections(agreement):
        documents.add_heading(document, heading)
        for text in paragraphs:
            documents.add_paragraph(document, text)
        if heading.startswith("二"):
            _target_table(document, agreement.targets)
    _signatures(document, agreement)
    return documents.to_bytes(document)


def agreements_zip(agreements: Iterable[Agreement]) -> bytes:
    """Several agreements in one .zip, one .docx each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for agreement in agreements:
            name = f"{file_stem(agreement.unit, agreement.year)}.docx"
            archive.writestr(name, agreement_document(agreement))
    return buffer.getvalue()
