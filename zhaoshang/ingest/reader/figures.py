"""Step 5: the unit's figures: indicator words, value, unit, qualifier, kind, period, span.

Amounts that belong to one project (its investment, land, output, jobs) stay with the project; a
quantity that is part of a name ("10万亩有机蔬菜基地建设") is not a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.ingest.reader.projects import amount_label, has_project_count
from zhaoshang.ingest.reader.quantities import MEASURE, Quantity, find_quantities
from zhaoshang.ingest.reader.sentences import Sentence, sentences
from zhaoshang.ingest.reader.split import Report

_BREAK = "，,；;。：:、！？!?(（)）“”"
_LEAD = re.compile(
    r"^(全[县镇乡区市处局]|我[县镇乡区市处局]|本[县镇乡区市处]|其中|另外|此外|同时|并且|并|共|累计|全年|今年|当年|实现|完成了?|共计|合计|总共|先后|已|还|又|和|及|达)+"
)
# Labels only a single project's amount carries (an event total names the count of projects).
_PROJECT_ONLY = re.compile(
    r"(总投资|拟投资|计划投资|[一二三]期(?:工程)?投资|总占地|占地(?:面积)?)[^，,。；;]{0,3}$"
)
_NAME_HEAD = re.compile(r"(项目|基地|建设|开发|工程|加工|生产|园区|园|企业|公司|厂|线|区)$")
_TARGET = re.compile(r"任务(?:是|为|数)|目标|下达|力争|确保|争取|计划|要求")
_PLAN = re.compile(r"计划|拟|预计|将")
_RATE = re.compile(r"占|完成|达到|为")
_PERIOD = re.compile(
    r"(?:(?:19|20)\d\d年)?(?:全年|上半年|下半年|一季度|前三季度|\d+[~～—\-至]\d+月|[止截至]+\d+月(?:底|末)|今年以来|\d+月份?)"
)


@dataclass
class Figure:
    indicator: str  # display script
    value: Decimal
    unit: str
    qualifier: str
    kind: str  # actual, target, completion_rate, plan
    period: str
    line: int
    source: str  # raw text of the clause, at most 80 characters
    span: tuple[int, int]  # raw span of the quantity on the line
    report_index: int
    text: str  # the quantity as written (display)


def _indicator(sentence: Sentence, q: Quantity) -> str:
    text = sentence.text
    a = q.start
    while a > 0 and text[a - 1] not in _BREAK:
        a -= 1
    before = text[a : q.start]
    lead = _LEAD.match(before)
    offset = lead.end() if lead else 0
    words = sentence.display(a + offset, q.start).strip()
    if len(re.sub(r"\W", "", words)) >= 2:
        return words
    # "其中4个养殖业": the words after the count name it.
    b = q.end
    while b < len(text) and text[b] not in _BREAK:
        b += 1
    after = sentence.display(q.end, b).strip()
    return (words + after).strip() or words


def _is_name_part(text: str, q: Quantity) -> bool:
    """A measure that introduces a name: "10万亩有机蔬菜基地建设、…"."""
    if q.unit not in MEASURE:
        return False
    m = re.match(r"[\u4e00-\u9fff]+", text[q.end :])
    return bool(m and not m.group(0).startswith(("的", "以", "左右")) and _NAME_HEAD.search(m.group(0)))


# A sentence that sets out to do something: every figure in it is a target.
_AIM = re.compile(r"力争|确保|目标是|目标为|奋斗目标")
# A heading of the part of a report that plans the next year ("四、下一步工作打算", "2014年工作计划").
_PLAN_HEADING = re.compile(r"打算|计划|目标|思路|安排|设想")


def _kind(sentence: Sentence, q: Quantity, in_plan: bool) -> str:
    text = sentence.text
    a = max(0, q.start - 16)
    before = text[a : q.start]
    clause_start = max(text.rfind(c, 0, q.start) for c in "，,；;：:") + 1
    clause = text[clause_start : q.start]
    if q.unit == "%" and _RATE.search(clause):
        return "completion_rate"
    if _TARGET.search(clause) or _TARGET.search(before) or re.search(r"任务\s*$", clause):
        return "plan" if _PLAN.search(clause) and not re.search(r"任务|目标", clause) else "target"
    if _AIM.search(text[: q.start]) or in_plan:
        return "target"
    return "actual"


def _is_plan_heading(text: str) -> bool:
    text = text.strip()
    return len(text) <= 30 and bool(_PLAN_HEADING.search(text)) and not re.search(r"[,，。；;]", text[:-1])


def extract_figures(reports: list[Report], project_sentences: set[tuple[int, int, int]]) -> list[Figure]:
    figures: list[Figure] = []
    for index, report in enumerate(reports):
        in_plan = False
        for line in report.lines:
            if _is_plan_heading(line.match):
                in_plan = True
                continue
            if (
                re.match(r"^\s*[一二三四五六七八九十]+\s*[、.．]", line.match)
                and len(line.match.strip()) <= 30
            ):
                in_plan = False  # the next numbered part of the report
            for sentence in sentences(line):
                about_project = (line.number, sentence.start, sentence.end) in project_sentences
                text = sentence.text
                period_m = _PERIOD.search(text)
                has_count = has_project_count(text)
                for q in find_quantities(text):
                    if _is_name_part(text, q):
                        continue
                    label = amount_label(text[max(0, q.start - 12) : q.start])
                    if about_project and (q.unit in MEASURE or label in {"output", "tax", "jobs"}):
                        continue
                    if (
                        q.unit in MEASURE
                        and not has_count
                        and _PROJECT_ONLY.search(text[max(0, q.start - 10) : q.start])
                    ):
                        continue  # "3、总投资2亿元的项目已开工": one project's amount, named or not
                    ca = max(text.rfind(c, 0, q.start) for c in "，,；;。") + 1
                    cb = min([x for x in (text.find(c, q.end) for c in "，,；;。") if x >= 0] or [len(text)])
                    rs, re_ = line.raw_span(sentence.start + ca, sentence.start + cb)
                    qs, qe = line.raw_span(sentence.start + q.start, sentence.start + q.end)
                    figures.append(
                        Figure(
                            indicator=_indicator(sentence, q),
                            value=q.value,
                            unit=q.unit,
                            qualifier=q.qualifier,
                            kind=_kind(sentence, q, in_plan),
                            period=sentence.display(period_m.start(), period_m.end()) if period_m else "",
                            line=line.number,
                            source=line.raw[rs:re_][:80],
                            span=(qs, qe),
                            report_index=index,
                            text=sentence.display(q.start, q.end),
                        )
                    )
    return figures
