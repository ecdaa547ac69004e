"""The bulletin as a Word document (official layout) and as a workbook of its two tables."""

from __future__ import annotations

import io
import re

from docx.shared import Cm
from openpyxl import Workbook

from zhaoshang.core import documents
from zhaoshang.core.xlsx import cell, print_ready
from zhaoshang.summaries import sentences
from zhaoshang.summaries.bulletin import Bulletin, IndicatorRow
from zhaoshang.summaries.choices import Script
from zhaoshang.summaries.document import converter


def bulletin_title(bulletin: Bulletin) -> str:
    return f"{bulletin.unit.name}{bulletin.year}年{bulletin.month}月招商引资工作情况通报"


def file_stem(bulletin: Bulletin) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{bulletin.unit.code}-{bulletin_title(bulletin)}")


def gap_text(gap: object) -> str:
    """超序时进度X个百分点 / 欠序时进度X个百分点 / 与序时进度持平."""
    from decimal import Decimal

    if not isinstance(gap, Decimal):
        return ""
    if gap > 0:
        return f"超序时进度{sentences.number(gap, 1)}个百分点"
    if gap < 0:
        return f"欠序时进度{sentences.number(-gap, 1)}个百分点"
    return "与序时进度持平"


def indicator_sentence(bulletin: Bulletin, row: IndicatorRow) -> str:
    """1—N月，全县完成境内市外到位资金2.07亿元，占全年任务的230%，超序时进度X个百分点，同比增长X%；本月完成X。"""
    f = row.ytd
    text = f"1—{bulletin.month}月，{bulletin.region_zh}完成{f.name_zh}{sentences.amount(f.actual, f.measure)}"
    text += sentences.completion_clause(f)
    gap = gap_text(row.gap)
    text += f"，{gap}" if gap else ""
    text += sentences.change_clause(f)
    return text + f"；本月完成{sentences.amount(row.month, f.measure)}。"


TABLE_HEADER = ("排名", "单位", "目标", "完成", "完成率(%)", "较序时进度")


def table_values(bulletin: Bulletin) -> list[tuple[str, ...]]:
    return [
        (
            str(r.rank),
            r.unit.name,
            sentences.number(r.target) if r.target is not None else "—",
            sentences.number(r.actual),
            sentences.number(r.completion, 1) if r.completion is not None else "—",
            sentences.number(r.gap, 1) if r.gap is not None else "—",
        )
        for r in bulletin.table
    ]


def bulletin_document(
    bulletin: Bulletin, *, script: str = Script.SIMPLIFIED, chart: bytes | None = None
) -> bytes:
    t = converter(script)
    document = documents.new_document()
    documents.add_title(document, t(bulletin_title(bulletin)))
    documents.add_paragraph(
        document,
        t(
            f"截至{bulletin.year}年{bulletin.month}月底，时间进度为{sentences.percent_text(bulletin.time_progress)}。"
        ),
    )
    documents.add_heading(document, t(f"{documents.heading_number(1, 1)}目标任务进展情况"), 1)
    for n, row in enumerate(bulletin.rows, start=1):
        documents.add_heading(document, t(f"{documents.heading_number(2, n)}{row.ytd.name_zh}"), 2)
        documents.add_paragraph(document, t(indicator_sentence(bulletin, row)))
    if chart is not None:
        documents.add_picture(document, chart)
    if bulletin.table and bulletin.indicator is not None:
        documents.add_heading(
            document, t(f"{documents.heading_number(1, 2)}各单位{bulletin.indicator.name_zh}完成情况"), 1
        )
        table = documents.DocumentTable(
            document,
            [t(h) for h in TABLE_HEADER],
            widths=(Cm(1.4), Cm(4.6), Cm(2.5), Cm(2.5), Cm(2.2), Cm(2.4)),
            aligns=(documents.CENTRE, documents.LEFT_ALIGN, *[documents.RIGHT_ALIGN] * 4),
        )
        for values in table_values(bulletin):
            table.add_row([t(v) for v in values])
    number = 3 if bulletin.table else 2
    documents.add_heading(document, t(f"{documents.heading_number(1, number)}新签约、开工、投产项目"), 1)
    for n, (heading, items, count) in enumerate(bulletin.new_projects, start=1):
        documents.add_heading(document, t(f"{documents.heading_number(2, n)}{heading}{count}个"), 2)
        for i, line in enumerate(items, start=1):
            documents.add_paragraph(document, t(sentences.project_item(i, line, "signed")))
    if bulletin.red_black:
        documents.add_heading(document, t(f"{documents.heading_number(1, number + 1)}红黑榜"), 1)
        for n, found in enumerate(bulletin.red_black, start=1):
            documents.add_heading(
                document, t(f"{documents.heading_number(2, n)}{found.ranking.group.name}"), 2
            )
            for label, standings in (("红榜", found.red), ("黑榜", found.black)):
                named = "、".join(f"{s.unit.name}（{gap_text(s.gap) or '未下达任务'}）" for s in standings)
                documents.add_paragraph(document, t(f"{label}：{named or '无'}。"))
    return documents.to_bytes(document)


def bulletin_workbook(bulletin: Bulletin) -> bytes:
    """Two sheets: the indicators (指标完成情况) and the units ranked (各单位完成情况)."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("指标完成情况")
    labels = [
        "指标",
        "计量单位",
        "本月完成",
        "1至本月完成",
        "全年目标",
        "完成率(%)",
        "序时进度(%)",
        "上年同期",
        "同比(%)",
    ]
    ws.append([cell(ws, bulletin_title(bulletin))])
    print_ready(ws, header_row=2, labels=labels)
    ws.append([cell(ws, label, header=True) for label in labels])
    for row in bulletin.rows:
        f = row.ytd
        ws.append(
            [
                cell(ws, f.name_zh),
                cell(ws, sentences.measure_word(f.measure)),
                cell(ws, row.month),
                cell(ws, f.actual),
                cell(ws, f.target),
                cell(ws, f.completion),
                cell(ws, row.time_progress),
                cell(ws, f.last_year),
                cell(ws, f.change),
            ]
        )
    ws = workbook.create_sheet("各单位完成情况")
    ws.append([cell(ws, bulletin.indicator.name_zh if bulletin.indicator else "")])
    units = ["排名", "单位", "全年目标", "1至本月完成", "完成率(%)", "较序时进度(百分点)"]
    print_ready(ws, header_row=2, labels=units)
    ws.append([cell(ws, label, header=True) for label in units])
    for r in bulletin.table:
        ws.append(
            [
                cell(ws, r.rank),
                cell(ws, r.unit.name),
                cell(ws, r.target),
                cell(ws, r.actual),
                cell(ws, r.completion),
                cell(ws, r.gap),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
