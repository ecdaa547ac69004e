"""The dispatch table (调度表) of a round, as .xlsx and .docx (landscape pages in the official layout
of ``core.documents``), in the usual layout (shared/reference/forms.md section 2): a header block
with the reporting unit, preparer, reviewer and cut-off date; rows grouped by stage with a subtotal
each and a grand total; this period, year to date and since start; progress against time. Like the
responsibility agreement, its fixed wording is Chinese whatever the interface language (an official
form); the stage names are the projects' Stage labels in the active language, so there is one naming
of the stages."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from docx.shared import Mm
from openpyxl import Workbook

from zhaoshang.core import documents
from zhaoshang.core.documents import format_amount
from zhaoshang.core.tree import subtree_q
from zhaoshang.core.xlsx import cell, print_ready, xlsx_response
from zhaoshang.dispatch.choices import ReportStatus
from zhaoshang.dispatch.models import Round
from zhaoshang.dispatch.overview import Group, table_groups
from zhaoshang.ledger.completion import progress_against_time
from zhaoshang.projects.choices import Currency
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

COLUMNS = [
    "序号",
    "项目名称",
    "所属单位",
    "总投资（万元）",
    "总投资（万美元）",
    "本期完成投资",
    "本年累计完成投资",
    "开工以来累计完成投资",
    "已报待审完成投资",
    "本期到位资金",
    "本年累计到位资金",
    "累计到位资金",
    "已报待审到位资金",
    "本期境外到位资金（万美元）",
    "已报待审境外到位资金（万美元）",
    "形象进度",
    "存在问题",
    "报告状态",
]
# Figures are verified only; each "已报待审" column carries what was reported and is not yet verified,
# beside the verified ones and never added to them. Projects in USD are totalled in their own column.
NUMERIC = range(3, 15)
# Millimetres of each column, filling the 225 mm of the text block turned landscape (GB/T 9704 keeps
# the block for a landscape table): twelve columns of figures leave the words little room, so the
# table is set in 六号 (7.5 pt), where 12.5 mm holds "12,345.6789".
WIDTHS = [Mm(w) for w in (7, 22, 13, *([12.5] * 12), 13, 11, 9)]
SECTION_NUMBERS = "一二三四五六七八九十"
STATUS_ZH: dict[str | None, str] = {
    None: "未报",
    ReportStatus.DRAFT: "未报（草稿）",
    ReportStatus.SUBMITTED: "已报待审",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.VERIFIED: "已审核",
}


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[tuple[str, list[Any]]] = field(
        default_factory=list
    )  # (kind, values): section/row/subtotal/total
    filename: str = ""


def _figures(group_or_rows: Any) -> list[Decimal]:
    rows = group_or_rows.rows if isinstance(group_or_rows, Group) else group_or_rows
    zero = Decimal(0)
    return [
        sum((r.total_investment_in(Currency.CNY) for r in rows), zero),
        sum((r.total_investment_in(Currency.USD) for r in rows), zero),
        *(sum((r.investment[i] for r in rows), zero) for i in range(3)),
        sum((r.investment_pending for r in rows), zero),
        *(sum((r.funds[i] for r in rows), zero) for i in range(3)),
        sum((r.funds_pending for r in rows), zero),
        sum((r.foreign for r in rows), zero),
        sum((r.foreign_pending for r in rows), zero),
    ]


def _amounts(cny: Decimal, usd: Decimal) -> str:
    """A total investment in words, 万元 and 万美元 apart."""
    words = f"{format_amount(cny)}万元"
    return f"{words}、{format_amount(usd)}万美元" if usd else words


def reporting_unit(user: User, round_: Round) -> Unit:
    """The highest unit of the round's county the user sees (the county for the bureau, the township
    for its operator)."""
    units = Unit.objects.visible_to(user).filter(subtree_q(round_.county.path, "path"))
    return units.order_by("depth", "path").first() or round_.county


def dispatch_table(user: User, round_: Round) -> Sheet:
    """The table of a round for the user's part of the county."""
    unit = reporting_unit(user, round_)
    groups = table_groups(user, round_, unit)
    everything = [r for g in groups for r in g.rows]
    due = round_.due_on
    reviewers = sorted(
        {
            str(r.report.decided_by)
            for r in everything
            if r.report and r.report.status == ReportStatus.VERIFIED and r.report.decided_by
        }
    )
    totals = _figures(everything)
    progress = progress_against_time(due.year, due.month, due)
    header = [
        f"填报单位（盖章）：{unit.name}",
        f"填报人：{user}",
        f"审核人：{'、'.join(reviewers)}",
        f"此表统计时间截止{due.year}年{due.month}月{due.day}日",
        f"1-{due.month}月完成投资{format_amount(totals[3])}万元，序时进度{progress}%",
        "单位：万元（注明万美元者除外）",
    ]
    sheet = Sheet(
        f"{unit.name}项目调度表（{due:%Y-%m-%d}）", header, filename=f"调度表-{unit.name}-{due:%Y%m%d}"
    )
    number = 0
    for index, group in enumerate(groups):
        figures = _figures(group)
        title = (
            f"{SECTION_NUMBERS[index]}、{group.label}项目"
            f"（项目共计{len(group.rows)}个；总投资{_amounts(figures[0], figures[1])}）"
        )
        sheet.rows.append(("section", [title]))
        for row in group.rows:
            number += 1
            report = row.report
            filed = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
            progress_words = (
                f"{report.progress_percent}%；{report.progress_text}".strip("；") if filed and report else ""
            )
            status = STATUS_ZH[report.status if report else None] + (
                "（迟报）" if report and report.is_late else ""
            )
            sheet.rows.append(
                (
                    "row",
                    [
                        number,
                        row.project.name,
                        row.project.unit.name,
                        *(
                            row.total_investment_in(currency) if row.project.currency == currency else ""
                            for currency in (Currency.CNY, Currency.USD)
                        ),
                        *row.investment,
                        row.investment_pending,
                        *row.funds,
                        row.funds_pending,
                        row.foreign,
                        row.foreign_pending,
                        progress_words,
                        "；".join(report.problem_lines) if filed and report else "",
                        status,
                    ],
                )
            )
        sheet.rows.append(("subtotal", ["", "小计", "", *figures, "", "", ""]))
    sheet.rows.append(("total", ["", "总合计", "", *totals, "", "", ""]))
    return sheet


def xlsx_bytes(sheet: Sheet) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="调度表")
    sample = [values for _kind, values in sheet.rows[:200]]
    print_ready(ws, header_row=3, labels=COLUMNS, rows=sample, last_row=3 + len(sheet.rows))
    ws.append([cell(ws, sheet.title)])
    ws.append([cell(ws, "　".join(sheet.header))])
    ws.append([cell(ws, c, header=True) for c in COLUMNS])
    for kind, values in sheet.rows:
        ws.append(
            [
                cell(
                    ws,
                    v,
                    "#,##0.0000" if isinstance(v, Decimal) else None,
                    header=kind in ("section", "total"),
                )
                for v in values
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_download(sheet: Sheet) -> HttpResponse:
    return xlsx_response(xlsx_bytes(sheet), f"{sheet.filename}.xlsx")


def docx_bytes(sheet: Sheet) -> bytes:
    """The table on landscape pages in the official layout, its header row on every page."""
    document = documents.new_document(landscape=True)
    documents.add_title(document, sheet.title)
    documents.add_paragraph(document, "　　".join(sheet.header), indent=False, size=documents.SIZE_SMALL_4)
    aligns = [documents.RIGHT_ALIGN if i in NUMERIC else documents.LEFT_ALIGN for i in range(len(COLUMNS))]
    aligns[0] = documents.CENTRE
    table = documents.DocumentTable(document, COLUMNS, widths=WIDTHS, aligns=aligns, size=documents.SIZE_6)
    for kind, values in sheet.rows:
        if kind == "section":
            table.add_band(values[0])
            continue
        texts = [format_amount(v) if isinstance(v, Decimal) else str(v) for v in values]
        table.add_row(texts, bold=kind in ("subtotal", "total"))
    return documents.to_bytes(document)


def docx_response(sheet: Sheet) -> HttpResponse:
    return documents.docx_response(docx_bytes(sheet), f"{sheet.filename}.docx")
