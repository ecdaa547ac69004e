"""The dispatch table of a round: grouped by stage with subtotals, this period, year to date and
since start, in .xlsx and .docx (opened again and its figures checked)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Round
from zhaoshang.dispatch.tests.conftest import evidence


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
    assert "审核人：局管理员" in text and "1-3月完成投资167万元" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    by_name = {r[1]: r for r in rows}
    a = by_name["城关镇新材料项目"]
    # this period, year to date, since start: investment, then domestic funds
    assert a[4:10] == ["60", "160", "160", "25", "65", "65"]
    assert by_name["河口乡食品项目"][4] == "7" and by_name["河口乡食品项目"][13] == "已报待审"
    assert rows[1][0].startswith("一、签约待建项目（项目共计2个")
    assert by_name["小计"][4:10] == ["67", "167", "167", "25", "65", "65"]
    assert by_name["总合计"][4] == "67"


def test_the_xlsx_table_of_a_township_holds_only_its_projects(client, cast, opened):
    report(cast, opened["round"], opened["a"], cast.operator_a, "100", funds="40")
    client.force_login(cast.operator_b)
    response = client.get(reverse("dispatch:table_xlsx", kwargs={"pk": opened["round"].pk}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "河口乡食品项目" in flat and "城关镇新材料项目" not in flat
    assert any("填报单位（盖章）：河口乡" in str(v) for v in flat)
