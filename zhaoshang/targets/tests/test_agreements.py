"""The responsibility agreement (目标责任书): its content, its layout, the zip and the command."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import docx as python_docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Cm

from zhaoshang.core import documents
from zhaoshang.core.documents import pdf
from zhaoshang.targets import docx
from zhaoshang.targets.models import Target
from zhaoshang.targets.tests.conftest import YEAR


@pytest.fixture
def decomposed(cast, put):
    put(cast.county, funds_domestic="100000")
    put(
        cast.town_a,
        funds_domestic="12345.6789",
        funds_foreign="500",
        projects_signed="8",
        factory_area="30000",
    )
    put(cast.town_b, funds_domestic="8000")
    put(cast.department, investors_received="120")
    Target.objects.filter(unit=cast.town_a, indicator__code="projects_signed").update(
        note="其中亿元以上项目2个"
    )
    return cast


def opened(content: bytes) -> python_docx.document.Document:
    return python_docx.Document(io.BytesIO(content))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def target_rows(document) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "指标")
    return [[c.text for c in row.cells] for row in table.rows]


def agreement_of(unit) -> bytes:
    return docx.agreement_document(docx.agreement_for(unit, YEAR, Target.objects.all()))


def test_the_agreement_lists_every_target_of_the_unit_and_names_both_parties(decomposed):
    document = opened(agreement_of(decomposed.town_a))
    text = all_text(document)
    assert f"{YEAR}年度招商引资目标责任书" in document.paragraphs[0].text
    assert "甲方：示例县人民政府" in text and "乙方：城关镇人民政府" in text
    assert target_rows(document) == [
        ["指标", "单位", "目标值", "备注"],
        ["境内市外到位资金", "万元", "12,345.6789", ""],
        ["境外到位资金", "万美元", "500", ""],
        ["新引进（签约）项目", "个", "8", "其中亿元以上项目2个"],
        ["标准厂房建设", "平方米", "30,000", ""],
    ]
    for part in (
        "责任期限",
        f"{YEAR}年1月1日",
        f"{YEAR}年12月31日",
        "考核办法",
        "通报批评",
        "一式两份",
        "生效",
    ):
        assert part in text, part
    for part in ("甲方（盖章）", "乙方（盖章）", "负责人（签字）", "年    月    日"):
        assert part in text, part
    assert "8,000" not in text and "100,000" not in text  # nobody else's targets


def test_a_department_signs_by_its_own_name_and_the_county_with_its_city(decomposed):
    assert "乙方：县商务局" in all_text(opened(agreement_of(decomposed.department)))
    county = all_text(opened(agreement_of(decomposed.county)))
    assert "甲方：示例市人民政府" in county and "乙方：示例县人民政府" in county


def test_the_layout_is_the_official_one_with_chinese_fonts_and_page_numbers(decomposed):
    """GB/T 9704-2012 (issue 17): A4, the margins, 三号仿宋 body, 二号小标宋 title, 黑体 headings,
    and "— 1 —" page numbers in the odd and the even footer."""
    document = opened(agreement_of(decomposed.town_a))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert abs(section.left_margin - Cm(2.8)) < Cm(0.01) and abs(section.top_margin - Cm(3.7)) < Cm(0.01)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = document.paragraphs[0].runs[0]
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体" and title.font.size.pt == 22
    heading = next(p for p in document.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    for footer in (section.footer, section.even_page_footer):
        assert "PAGE" in footer._element.xml and footer.paragraphs[0].text.startswith("— ")


@pytest.mark.skipif(
    pdf.soffice() is None, reason="LibreOffice is not installed (scripts/install_office.sh installs it)"
)
def test_the_agreement_converts_to_a_pdf_of_several_a4_pages(decomposed):
    content = pdf.to_pdf(agreement_of(decomposed.town_a))
    assert content.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", content)
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 (\d+)[.\d]* (\d+)", content))
    assert len(pages) >= 2 and boxes == {(b"595", b"841")}  # A4 in points


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("12345.6789", "12,345.6789"),
        ("5000.0000", "5,000"),
        ("0.5000", "0.5"),
        ("0", "0"),
        ("1234567", "1,234,567"),
    ],
)
def test_amounts_are_grouped_exact_and_without_trailing_zeros(value, shown):
    assert documents.format_amount(Decimal(value)) == shown


def test_the_agreement_is_always_chinese_even_for_an_english_reader(client, decomposed, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(decomposed.admin)
    response = client.get(reverse("targets:agreement", args=[decomposed.town_a.pk, YEAR]))
    assert response.status_code == 200 and response["Content-Type"] == documents.DOCX_TYPE
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert target_rows(opened(response.content))[1][:2] == ["境内市外到位资金", "万元"]


def test_the_zip_holds_one_agreement_per_subordinate_unit_with_targets(client, decomposed):
    client.force_login(decomposed.admin)
    response = client.get(reverse("targets:agreements", args=[decomposed.county.pk, YEAR]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(
            f"{u.code}-{u.name}-{YEAR}年度招商引资目标责任书.docx"
            for u in (decomposed.town_a, decomposed.town_b, decomposed.department)
        )  # the park has no targets: no agreement
        town_b = opened(archive.read(f"990101002-河口乡-{YEAR}年度招商引资目标责任书.docx"))
    assert "乙方：河口乡人民政府" in all_text(town_b)
    assert target_rows(town_b)[1:] == [["境内市外到位资金", "万元", "8,000", ""]]


def test_a_unit_without_targets_gets_no_agreement_but_a_message(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("targets:agreement", args=[cast.park.pk, YEAR]))
    assert response.status_code == 302
    assert client.get(reverse("targets:agreements", args=[cast.county.pk, YEAR])).status_code == 302


def test_an_operator_downloads_only_their_own_agreement(client, decomposed):
    client.force_login(decomposed.operator_a)
    assert client.get(reverse("targets:agreement", args=[decomposed.town_a.pk, YEAR])).status_code == 200
    for unit in (decomposed.town_b, decomposed.county):
        assert client.get(reverse("targets:agreement", args=[unit.pk, YEAR])).status_code == 404
        assert client.get(reverse("targets:agreements", args=[unit.pk, YEAR])).status_code == 404


def test_the_command_writes_one_file_per_subordinate_unit(decomposed, tmp_path, capsys):
    call_command("generate_agreements", unit="990101", year=YEAR, out=tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [
        f"990101001-城关镇-{YEAR}年度招商引资目标责任书.docx",
        f"990101002-河口乡-{YEAR}年度招商引资目标责任书.docx",
        f"990101D01-县商务局-{YEAR}年度招商引资目标责任书.docx",
    ]
    written = opened((tmp_path / "out" / files[2]).read_bytes())
    assert target_rows(written)[1:] == [["接待客商", "人次", "120", ""]]
    output = capsys.readouterr().out
    assert "Wrote 3 agreement(s)" in output and "Skipped 1 unit(s)" in output and "示例经济开发区" in output


def test_the_command_includes_the_unit_itself_when_asked(decomposed, tmp_path):
    call_command("generate_agreements", unit="990101", year=YEAR, out=tmp_path, include_self=True)
    assert (tmp_path / f"990101-示例县-{YEAR}年度招商引资目标责任书.docx").exists()
    assert len(list(tmp_path.iterdir())) == 4


def test_the_command_refuses_an_unknown_unit(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_agreements", unit="000000", year=YEAR, out=tmp_path)
