"""The work summary (工作总结) as a Word document in the official layout of ``core.documents``.

一、工作成效 is written by ``sentences`` from the facts; 二、主要做法 三、存在问题 四、下步打算 print the
unit's saved text (each line a paragraph), or the facts it starts from while nothing is saved yet.
Every string passes through ``script`` last, so the whole document is in the script the user chose.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from zhaoshang.core import documents
from zhaoshang.core.chinese import to_traditional
from zhaoshang.summaries import sentences
from zhaoshang.summaries.choices import SECTION_HEADINGS_ZH, Script, Section
from zhaoshang.summaries.facts import SummaryFacts
from zhaoshang.summaries.periods import Period
from zhaoshang.units.models import Unit

Convert = Callable[[str], str]


def converter(script: str) -> Convert:
    return to_traditional if script == Script.TRADITIONAL else (lambda text: text)


def summary_title(unit: Unit, period: Period) -> str:
    return f"{unit.name}{period.name_zh}招商引资工作总结"


def file_stem(unit: Unit, period: Period, what: str) -> str:
    """A file name without characters file systems refuse: 990101-示例县-2026年招商引资工作总结."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{unit.code}-{unit.name}-{period.name_zh}{what}")


def prompts(facts: SummaryFacts) -> dict[str, str]:
    """What each written section starts from, before the unit writes it."""
    return {
        Section.PRACTICE: sentences.practice_prompt(facts),
        Section.PROBLEMS: sentences.problems_prompt(facts),
        Section.PLANS: sentences.plans_prompt(facts),
    }


def section_texts(facts: SummaryFacts, saved: dict[str, str]) -> dict[str, str]:
    """The text each section prints: the unit's saved draft, else its starting facts."""
    start = prompts(facts)
    return {section: saved.get(section) or start[section] for section in Section.values}


def summary_document(
    facts: SummaryFacts, saved: dict[str, str], *, script: str = Script.SIMPLIFIED, chart: bytes | None = None
) -> bytes:
    """The summary as a .docx file."""
    t = converter(script)
    document = documents.new_document()
    documents.add_title(document, t(summary_title(facts.unit, facts.period)))
    documents.add_heading(document, t(f"{documents.heading_number(1, 1)}工作成效"), 1)
    for paragraph in sentences.results(facts):
        documents.add_paragraph(document, t(paragraph))
    for heading, items in sentences.stage_paragraphs(facts.stage_lists):
        documents.add_heading(document, t(heading), 4)
        for item in items:
            documents.add_paragraph(document, t(item))
    if chart is not None:
        documents.add_picture(document, chart)
    texts = section_texts(facts, saved)
    for number, section in enumerate(Section.values, start=2):
        documents.add_heading(
            document, t(f"{documents.heading_number(1, number)}{SECTION_HEADINGS_ZH[section]}"), 1
        )
        for line in texts[section].splitlines():
            if line.strip():
                documents.add_paragraph(document, t(line.strip()))
    return documents.to_bytes(document)
