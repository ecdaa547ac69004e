"""The summary as a .docx, opened with python-docx: the official layout and the figures."""

from __future__ import annotations

import io

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from zhaoshang.core.documents import heading_level
from zhaoshang.summaries import document, sentences
from zhaoshang.summaries.choices import Script
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.periods import Period
from zhaoshang.summaries.tests.helpers import YEAR, township_2009
from zhaoshang.summaries.tests.test_summary import TODAY


def docx_of(cast, script=Script.SIMPLIFIED):
    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    content = document.summary_document(facts, {"problems": "资金到位慢。\n用地指标紧张。"}, script=script)
    return facts, Document(io.BytesIO(content))


def test_the_page_is_a4_with_the_official_margins(cast):
    _facts, doc = docx_of(cast)
    section = doc.sections[0]

    # Word stores twentieths of a point: compare to a tenth of a millimetre.
    def mm(length):
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(mm(m) for m in margins) == (37, 35, 28, 26)


def test_every_run_names_its_east_asian_font(cast):
    _facts, doc = docx_of(cast)
    runs = [r for p in doc.paragraphs for r in p.runs if r.text]
    assert runs
    for r in runs:
        assert r._element.rPr.rFonts.get(qn("w:eastAsia")) in {
            "仿宋_GB2312",
            "方正小标宋简体",
            "黑体",
            "楷体_GB2312",
        }
    title = doc.paragraphs[0].runs[0]
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_the_headings_carry_their_levels(cast):
    _facts, doc = docx_of(cast)
    headings = [(heading_level(p), p.text) for p in doc.paragraphs if heading_level(p)]
    assert [h for h in headings if h[0] == 1] == [
        (1, "一、工作成效"),
        (1, "二、主要做法"),
        (1, "三、存在问题"),
        (1, "四、下步打算"),
    ]
    assert (4, "（1）已开工建设项目8个：") in headings
    for p in doc.paragraphs:
        if heading_level(p) == 1:
            assert p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_the_pages_are_numbered(cast):
    _facts, doc = docx_of(cast)
    for footer in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "—" in footer.paragraphs[0].text


def test_every_figure_of_the_ledger_is_in_the_document(cast):
    facts, doc = docx_of(cast)
    text = "\n".join(p.text for p in doc.paragraphs)
    for figure in facts.figures:
        if figure.kind in set(sentences.FUNDS_LINES):
            assert sentences.amount(figure.actual, figure.measure) in text
            assert sentences.percent_text(figure.completion) in text
        elif figure.kind not in ("signed", "started", "operating") and (figure.actual or figure.target):
            assert f"{figure.name_zh}{sentences.amount(figure.actual, figure.measure)}" in text
        elif figure.kind not in ("signed", "started", "operating"):
            assert figure.name_zh not in text  # nothing to say: no figure, no target
    assert "全镇共引进项目9个" in text and "650万美元，占全年任务的140%" in text
    assert "资金到位慢。" in text and "用地指标紧张。" in text


def test_traditional_script_when_asked(cast):
    _facts, doc = docx_of(cast, Script.TRADITIONAL)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "招商引資工作總結" in text and "650萬美元" in text and "資金到位慢" in text
    assert "总结" not in text


def test_the_download_is_refused_to_another_township(client, cast):
    unit = township_2009(cast)
    url = reverse("summaries:summary_docx", args=[unit.pk, YEAR, 1, 12])
    client.force_login(cast.operator_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.operator_a)
    response = client.get(url, {"script": "traditional"})
    assert response.status_code == 200
    assert "工作總結" in "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
