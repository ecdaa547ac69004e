"""Step 4: a file into its reports, each with its title, lines, unit level and reporting year."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from zhaoshang.ingest.reader.text import Line, site_suffix_removed

_GENRE = re.compile(r"(总结|小结|述职|述职报告|讲话|讲话稿|发言|发言稿|汇报|报告|工作要点|工作计划|材料)\s*$")
_ENUMERATED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]|^\s*[(（][一二三四五六七八九十\d]+[)）]"
)
_PART = re.compile(r"[(（]([一二三四五六七八九十]+)[)）]\s*$")
_SENTENCE_END = re.compile(r"[。，,；;！？!?]")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# Evidence of the unit that reports: 我乡/全镇/本县/我局/辦事處.
_LEVEL = re.compile(r"(?:我|全|本|该)(乡|镇|县|局|处)|(乡|镇)人民政府|(县)(?:委|长|政府)|(办事处)")
LEVEL_NAMES = {"乡": "乡", "镇": "镇", "县": "县", "局": "局", "处": "办事处", "办事处": "办事处"}


@dataclass
class Report:
    title: str  # as displayed (original script); may be inferred
    title_line: int | None
    lines: list[Line] = field(default_factory=list)
    title_inferred: bool = False
    unit_level: str = ""
    heading_year: int | None = None
    reporting_year: int | None = None

    @property
    def line_start(self) -> int:
        return self.lines[0].number if self.lines else 0

    @property
    def line_end(self) -> int:
        return self.lines[-1].number if self.lines else 0


def is_title(line: Line) -> bool:
    text = line.match.strip()
    if not text or len(text) > 40 or _SENTENCE_END.search(text[:-1] if text.endswith(("。",)) else text):
        return False
    if text.endswith(("。", ":", "：")) or _ENUMERATED.match(text):
        return False
    return bool(_GENRE.search(text) or _PART.search(text))


def split_reports(lines: list[Line]) -> tuple[str, list[Report]]:
    """The page title and the reports. A file whose later headings are numbered parts (二)…(五)
    holds an untitled first report (一) before the first of them."""
    kept = [line for line in lines if line.display.strip() and not line.debris]
    if not kept:
        return "", []
    page_title = ""
    first = kept[0]
    if is_title(first) or (len(first.match.strip()) <= 40 and not _SENTENCE_END.search(first.match)):
        page_title = site_suffix_removed(first.display.strip())
    reports: list[Report] = []
    current: Report | None = None
    for line in kept:
        if line is first and page_title:
            current = Report(page_title, line.number)
            reports.append(current)
            continue
        if is_title(line) and (current is None or current.lines):
            current = Report(line.display.strip(), line.number)
            reports.append(current)
            continue
        if current is None:
            current = Report(page_title, None, title_inferred=True)
            reports.append(current)
        current.lines.append(line)
    # The page title over numbered parts names the collection, not the first report.
    numbered = [r for r in reports if _PART.search(r.title or "")]
    if (
        numbered
        and reports[0].title_line == (first.number if page_title else None)
        and reports[0] not in numbered
    ):
        head = reports[0]
        base = _PART.sub("", numbered[0].title).strip()
        head.title = f"{base}(一)"
        head.title_inferred = True
        head.title_line = None
    reports = [r for r in reports if r.lines]
    for report in reports:
        _describe(report)
    return page_title, reports


_PLANNED = re.compile(r"(计划|力争|预计|争取|将在|准备)[^,，。；;]{0,3}$")
_PLANS_AFTER = re.compile(r"^[^。；;]{0,8}(将|要|力争|计划|决心|打算)")


def reported_year(text: str) -> int | None:
    """The first year ``text`` names as one whose work it tells: not a year planned for ("计划在2004年",
    "2010年，我们决心…") nor one in the title of a document (《2009年重点项目表》)."""
    for m in _YEAR.finditer(text):
        before, after = text[: m.start()], text[m.end() :]
        if before.rfind("《") > before.rfind("》") or _PLANNED.search(before) or _PLANS_AFTER.match(after):
            continue
        return int(m.group(1))
    return None


def _describe(report: Report) -> None:
    from zhaoshang.core.chinese import to_simplified

    title = to_simplified(report.title or "")
    years = _YEAR.findall(title)
    if years and not report.title_inferred:
        report.heading_year = int(years[0])
    body = "".join(line.match for line in report.lines)
    levels: Counter[str] = Counter()
    for m in _LEVEL.finditer(title + body):
        word = next(g for g in m.groups() if g)
        levels[LEVEL_NAMES[word]] += 1
    if levels:
        report.unit_level = levels.most_common(1)[0][0]
    # The reporting year: the first year the opening lines name ("2009年，在…", "2009年是…").
    for line in report.lines[:3]:
        if year := reported_year(line.match):
            report.reporting_year = year
            break
    if report.reporting_year is None and report.heading_year and not _PART.search(title):
        report.reporting_year = report.heading_year
    if report.reporting_year is None:
        # Else the first year the report names as one whose work it tells ("2010年全县…取得了").
        for line in report.lines:
            if year := reported_year(line.match):
                report.reporting_year = year
                break
