"""Sentences of a line (on the Simplified text), the unit both extractors work in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhaoshang.ingest.reader.text import Line

_END = re.compile(r"[。；;！？!?]")
CLAUSE_BREAK = "，,；;。：:、！？!?"


@dataclass
class Sentence:
    line: Line
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.line.match[self.start : self.end]

    def display(self, start: int, end: int) -> str:
        """Display text of sentence-relative span start..end."""
        return self.line.display[self.start + start : self.start + end]


def sentences(line: Line) -> list[Sentence]:
    out = []
    pos = 0
    for m in _END.finditer(line.match):
        if m.end() - pos > 1:
            out.append(Sentence(line, pos, m.end()))
        pos = m.end()
    if pos < len(line.match) and line.match[pos:].strip():
        out.append(Sentence(line, pos, len(line.match)))
    return out


def clause_bounds(text: str, start: int, end: int, breaks: str = CLAUSE_BREAK) -> tuple[int, int]:
    """The clause of ``text`` around start..end, bounded by punctuation."""
    a = start
    while a > 0 and text[a - 1] not in breaks:
        a -= 1
    b = end
    while b < len(text) and text[b] not in breaks:
        b += 1
    return a, b
