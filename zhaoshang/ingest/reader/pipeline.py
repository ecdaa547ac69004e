"""The reader: a report file (bytes) to reports, figures and projects, each step on its own."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhaoshang.ingest.reader.decode import Decoded, ReaderError, decode
from zhaoshang.ingest.reader.figures import Figure, extract_figures
from zhaoshang.ingest.reader.projects import Project, extract_projects
from zhaoshang.ingest.reader.split import Report, split_reports
from zhaoshang.ingest.reader.text import Line, make_lines, pinyin_count

__all__ = ["ReaderError", "Reading", "read_bytes", "read_text"]

# Units as the output names them (the reports' and the ledger forms' own spelling).
JSON_UNITS = {"万元": "萬元", "万美元": "萬美元", "亩": "畝", "万元/亩": "萬元/畝", "%": "%"}


@dataclass
class Reading:
    decoded: Decoded
    lines: list[Line]
    page_title: str
    reports: list[Report]
    figures: list[Figure]
    projects: list[Project]
    catalog: list[Project] = field(default_factory=list)
    pinyin_annotations: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "figures": [
                {
                    "indicator": f.indicator,
                    "value": _number(f.value),
                    "unit": JSON_UNITS.get(f.unit, f.unit),
                    "line": f.line,
                    "source": f.source,
                    "qualifier": f.qualifier,
                    "kind": f.kind,
                    "period": f.period,
                    "report": f.report_index + 1,
                    "span": list(f.span),
                    "text": f.text,
                }
                for f in self.figures
            ],
            "projects": [_project_json(p) for p in self.projects],
            "catalog": [_project_json(p) for p in self.catalog],
            "reports": [
                {
                    "title": r.title,
                    "title_inferred": r.title_inferred,
                    "line_start": r.line_start,
                    "line_end": r.line_end,
                    "unit_level": r.unit_level,
                    "heading_year": r.heading_year,
                    "reporting_year": r.reporting_year,
                }
                for r in self.reports
            ],
            "page_title": self.page_title,
            "encoding": self.decoded.encoding,
            "repaired_lines": self.decoded.repaired_lines,
            "pinyin_annotations": self.pinyin_annotations,
            "debris_lines": [
                {"line": line.number, "type": line.debris} for line in self.lines if line.debris
            ],
        }

    def dumps(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=1)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(str(value))


def _amount(a: Any) -> dict[str, Any] | None:
    return {"value": _number(a.value), "unit": JSON_UNITS.get(a.unit, a.unit)} if a else None


def _project_json(p: Project) -> dict[str, Any]:
    return {
        "name": p.name,
        "stage": p.stage,
        "stage_word": p.stage_word,
        "total_investment": _amount(p.total_investment),
        "funds_in_place": _amount(p.amount("funds_in_place")),
        "land_mu": _number(p.land_mu) if p.land_mu is not None else None,
        "investor_origin": p.investor_origin or None,
        "name_is_description": p.described,
        "other_amounts": [
            {"label": a.kind, **(_amount(a) or {})} for a in p.amounts if a.kind not in {"total"}
        ],
        "line": p.line,
        "source": p.source,
        "report": p.report_index + 1,
        "span": list(p.span),
    }


def read_text(decoded: Decoded) -> Reading:
    lines = make_lines(decoded.text)
    page_title, reports = split_reports(lines)
    projects, project_sentences = extract_projects(reports)
    figures = extract_figures(reports, project_sentences)
    return Reading(
        decoded=decoded,
        lines=lines,
        page_title=page_title,
        reports=reports,
        figures=figures,
        projects=[p for p in projects if p.kind == "investment"],
        catalog=[p for p in projects if p.kind == "catalog"],
        pinyin_annotations=pinyin_count(decoded.text),
    )


def read_bytes(data: bytes) -> Reading:
    return read_text(decode(data))
