"""The dispatch table of a round: grouped by stage with subtotals, this period, year to date and
since start, in .xlsx and .docx (opened again and its figures checked)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from zhaoshang.core import documents
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Round
from zhaoshang.dispatch.tests.conftest import DUE, evidence, signed
from zhaoshang.dispatch.tests.test_reports import filled
from zhaoshang.projects.choices import Stage


def report(cast, round_, project, by, investment, funds=None, verify=True, today=None):
    r = services.create_report(round_, project, by=by)
    services.update_report(
        r,
        by=by,
        data={
            "investment": Decimal(investment),
            "progress_percent": 50,
            "progress_text": "厂房建设",
            "problems": "缺电",
        },
    )
    if funds:
        services.add_funds_line(
            r,
            by=by,
            source="domestic",
            amount=Decimal(funds),
            arrived_on=round_.due_on - dt.timedelta(days=3),
            evidence=evidence(),
        )
    services.submit_report(r, by=by, today=today or round_.due_on)
    if verify:
        services.verify_report(r, by=cast.admin)
    return r


def test_the_docx_table_carries_the_periods_subtotals_and_header(client, cast, opened):
    first = opened["round"]
    report(cast, first, opened["a"], cast.operator_a, "100", funds="40")
    services.open_rounds(dt.date(2026, 3, 23))
    second = Round.objects.get(county=cast.county, due_on=dt.date(2026, 3, 27))
    report(cast, second, opened["a"], cast.operator_a, "60", funds="25")
    report(cast, second, opened["b"], cast.operator_b, "7", verify=False)
    client.force_login(cast.admin)
    response = client.get(reverse("dispatch:table_docx", kwargs={"pk": second.pk}))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "填报单位（盖章）：示例县" in text and "此表统计时间截止2026年3月27日" in text
    # only verified investment counts (160); the 7 reported and not yet verified stands apart
    assert "审核人：局管理员" in text and "1-3月完成投资160万元" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    by_name = {r[1]: r for r in rows}
    a = by_name["城关镇新材料项目"]
    # this period, year to date, since start, reported not verified: investment, then domestic funds
    assert a[5:13] == ["60", "160", "160", "0", "25", "65", "65", "0"]
    b = by_name["河口乡食品项目"]
    assert (b[5], b[8], b[17]) == ("0", "7", "已报待审")
    assert rows[1][0].startswith("一、签约项目（项目共计2个")
    assert by_name["小计"][5:13] == ["60", "160", "160", "7", "25", "65", "65", "0"]
    assert (by_name["总合计"][5], by_name["总合计"][8]) == ("60", "7")


def test_the_docx_table_is_landscape_in_the_official_layout_its_header_on_every_page(client, cast, opened):
    report(cast, opened["round"], opened["a"], cast.operator_a, "100", funds="40")
    client.force_login(cast.admin)
    response = client.get(reverse("dispatch:table_docx", kwargs={"pk": opened["round"].pk}))
    assert response["Content-Type"] == documents.DOCX_TYPE
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and round(section.page_width.mm) == 297
    title = document.paragraphs[0]
    assert title.text == "示例县项目调度表（2026-03-12）"
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    table = document.tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert round(sum(c.width.mm for c in table.columns)) == 225  # the text block turned landscape
    cell = table.rows[2].cells[1].paragraphs[0].runs[0]
    assert cell.text == "城关镇新材料项目" and cell._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    for footer in (section.footer, section.even_page_footer):
        assert " PAGE " in footer._element.xml


def test_the_xlsx_table_of_a_township_holds_only_its_projects(client, cast, opened):
    report(cast, opened["round"], opened["a"], cast.operator_a, "100", funds="40")
    client.force_login(cast.operator_b)
    response = client.get(reverse("dispatch:table_xlsx", kwargs={"pk": opened["round"].pk}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "河口乡食品项目" in flat and "城关镇新材料项目" not in flat
    assert any("填报单位（盖章）：河口乡" in str(v) for v in flat)


# --- verified figures apart from reported ones, 万美元 apart from 万元 (review items 7, 8, 14) ---


def _table(client, user, round_):
    client.force_login(user)
    response = client.get(reverse("dispatch:table_docx", kwargs={"pk": round_.pk}))
    rows = [[c.text for c in row.cells] for row in Document(io.BytesIO(response.content)).tables[0].rows]
    return rows, {r[1]: r for r in rows}


def test_the_table_counts_verified_figures_and_shows_reported_ones_beside_them(client, cast, opened):
    a = services.submit_report(filled(cast, opened, amount="40"), by=cast.operator_a, today=DUE)
    services.verify_report(a, by=cast.admin)
    b = services.create_report(opened["round"], opened["b"], by=cast.operator_b)
    services.update_report(b, by=cast.operator_b, data={"investment": Decimal(7), "progress_percent": 10})
    services.add_funds_line(
        b,
        by=cast.operator_b,
        source="domestic",
        amount=Decimal(3),
        arrived_on=dt.date(2026, 3, 5),
        evidence=evidence(),
    )
    services.submit_report(b, by=cast.operator_b, today=DUE)
    rows, by_name = _table(client, cast.admin, opened["round"])
    header = rows[0]
    column = {name: header.index(name) for name in header}
    verified_b = by_name["河口乡食品项目"]
    assert verified_b[column["本期完成投资"]] == "0" and verified_b[column["已报待审完成投资"]] == "7"
    assert verified_b[column["本期到位资金"]] == "0" and verified_b[column["已报待审到位资金"]] == "3"
    verified_a = by_name["城关镇新材料项目"]
    assert verified_a[column["本期完成投资"]] == "300" and verified_a[column["已报待审完成投资"]] == "0"
    total = by_name["总合计"]
    assert (total[column["本期完成投资"]], total[column["已报待审完成投资"]]) == ("300", "7")
    assert (total[column["累计到位资金"]], total[column["已报待审到位资金"]]) == ("40", "3")


def test_the_table_totals_projects_in_usd_apart_from_those_in_cny(client, cast, opened, media):
    for project, amount in ((opened["a"], 1000), (opened["b"], 2000)):
        project.total_investment = Decimal(amount)
        project.save(update_fields=["total_investment"])
    dollars = signed(cast, cast.town_a, "美元外资项目", currency="USD", total_investment=Decimal(500))
    services.open_rounds(dt.date(2026, 3, 23))
    second = Round.objects.get(county=cast.county, due_on=dt.date(2026, 3, 27))
    assert second.entries.filter(project=dollars).exists()
    rows, by_name = _table(client, cast.admin, second)
    header = rows[0]
    cny, usd = header.index("总投资（万元）"), header.index("总投资（万美元）")
    assert (by_name["美元外资项目"][cny], by_name["美元外资项目"][usd]) == ("", "500")
    assert (by_name["城关镇新材料项目"][cny], by_name["城关镇新材料项目"][usd]) == ("1,000", "")
    total = by_name["总合计"]
    assert (total[cny], total[usd]) == ("3,000", "500")  # not 3,500: 万美元 are never added to 万元
    assert "总投资3,000万元、500万美元" in rows[1][0]


def test_the_tables_stage_names_are_the_projects_stage_labels(client, cast, opened):
    with translation.override("zh-hans"):
        rows, _by_name = _table(client, cast.admin, opened["round"])
        assert rows[1][0].startswith(f"一、{Stage.SIGNED.label}项目")
