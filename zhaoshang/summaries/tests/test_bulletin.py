"""The monthly bulletin: its table by unit is the dashboard's, its files open."""

from __future__ import annotations

import io
from decimal import Decimal

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from zhaoshang.ledger.models import Indicator
from zhaoshang.overview.dashboard import children_bars
from zhaoshang.summaries import bulletin_files
from zhaoshang.summaries.bulletin import bulletin_of
from zhaoshang.summaries.tests.helpers import YEAR, township_2009
from zhaoshang.summaries.tests.test_summary import TODAY
from zhaoshang.targets.services import set_targets


def county_bulletin(cast, month=12):
    township_2009(cast)
    funds = Indicator.objects.get(code="funds_domestic")
    set_targets(None, cast.town_b, YEAR, {funds: Decimal(100)})
    set_targets(None, cast.county, YEAR, {funds: Decimal(30000)})
    return bulletin_of(cast.admin, cast.county, YEAR, month, TODAY)


def test_the_table_by_unit_equals_the_dashboards_children(cast):
    bulletin = county_bulletin(cast)
    funds = Indicator.objects.get(code="funds_domestic")
    bars = {b.unit.pk: b for b in children_bars(cast.admin, cast.county, YEAR, TODAY, funds)}
    assert {r.unit.pk for r in bulletin.table} == set(bars)
    for row in bulletin.table:
        bar = bars[row.unit.pk]
        assert (row.actual, row.target, row.completion) == (bar.actual, bar.target, bar.completion)
    # Sorted by completion: 城关镇 230%, 河口乡 0%, then those without a target.
    assert [r.unit.name for r in bulletin.table][:2] == ["城关镇", "河口乡"]
    assert [r.rank for r in bulletin.table] == list(range(1, len(bulletin.table) + 1))


def test_each_indicator_is_stated_against_progress_and_last_year(cast):
    bulletin = county_bulletin(cast, month=6)
    row = next(r for r in bulletin.rows if r.ytd.code == "funds_foreign")
    text = bulletin_files.indicator_sentence(bulletin, row)
    assert text == "1—6月，全县完成境外到位资金650万美元；本月完成650万美元。"
    row = next(r for r in bulletin.rows if r.ytd.code == "funds_domestic")
    assert bulletin.time_progress == Decimal("49.6")
    assert bulletin_files.indicator_sentence(bulletin, row) == (
        "1—6月，全县完成境内市外到位资金0万元，占全年任务的0%，欠序时进度49.6个百分点；本月完成0万元。"
    )
    headings = [(h, c) for h, _l, c in bulletin.new_projects]
    assert headings == [("新签约项目", 0), ("新开工项目", 0), ("新投产项目", 0)]
    may = bulletin_of(cast.admin, cast.county, YEAR, 5, TODAY)
    assert [(h, c) for h, _l, c in may.new_projects] == [
        ("新签约项目", 0),
        ("新开工项目", 8),
        ("新投产项目", 0),
    ]


def test_the_docx_and_xlsx_carry_the_table(client, cast):
    bulletin = county_bulletin(cast)
    doc = Document(io.BytesIO(bulletin_files.bulletin_document(bulletin)))
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[1][:2] == ["1", "城关镇"] and cells[1][4] == "230"
    workbook = load_workbook(io.BytesIO(bulletin_files.bulletin_workbook(bulletin)))
    units = list(workbook["各单位完成情况"].iter_rows(min_row=3, values_only=True))
    assert units[0][:5] == (1, "城关镇", 9000, 20700, 230)


def test_another_township_cannot_open_the_countys_or_its_neighbours_bulletin(client, cast):
    township_2009(cast)
    client.force_login(cast.operator_b)
    for name in ("summaries:bulletin", "summaries:bulletin_docx", "summaries:bulletin_xlsx"):
        assert client.get(reverse(name, args=[cast.town_a.pk, YEAR, 12])).status_code == 404
        assert client.get(reverse(name, args=[cast.county.pk, YEAR, 12])).status_code == 404
    client.force_login(cast.operator_a)
    page = client.get(reverse("summaries:bulletin", args=[cast.town_a.pk, YEAR, 12]))
    assert page.status_code == 200 and "境外到位资金650万美元" in page.content.decode()
    assert client.get(reverse("summaries:bulletin_xlsx", args=[cast.town_a.pk, YEAR, 12])).status_code == 200
