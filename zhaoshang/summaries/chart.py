"""The chart of a summary or bulletin, drawn on the server (no browser): an indicator's actual by
month against the annual target spread over the months (序时目标), as a PNG for the Word document.

matplotlib draws with a CJK font found through fontconfig (Noto Sans CJK SC, installed with the
office fonts); without one it draws with its default font rather than failing, and the tests that
check the glyphs say so.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhaoshang.ledger.services import monthly_figures
from zhaoshang.summaries import sentences
from zhaoshang.summaries.facts import Figure
from zhaoshang.units.models import Unit

CJK_FAMILY = "Noto Sans CJK SC"


@functools.cache
def cjk_font_path() -> str | None:
    """The file of the CJK font the chart draws with, as fontconfig finds it (None without one)."""
    program = shutil.which("fc-match")
    if program is None:
        return None
    found = subprocess.run(  # noqa: S603 - a fixed program and argument
        [program, "-f", "%{file}", f"{CJK_FAMILY}:lang=zh-cn"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return found or None


@functools.cache
def cjk_font() -> Any:
    """The font properties of the CJK font (read once per process), None without one."""
    from matplotlib import font_manager

    path = cjk_font_path()
    return font_manager.FontProperties(fname=path) if path else None


def monthly_actuals(unit: Unit, year: int, kind: str, last: int) -> list[Decimal]:
    """The verified figure of each month 1..``last`` (one grouped read of the kept totals)."""
    figures = monthly_figures(unit, year, [kind])
    return [figures.get(m, {}).get(kind, (Decimal(0), Decimal(0)))[0] for m in range(1, last + 1)]


@dataclass(frozen=True)
class ChartData:
    """What the chart shows, read from the database; drawing it needs nothing else (so that another
    process may draw it)."""

    figure: Figure
    actuals: list[Decimal]


def data(unit: Unit, figure: Figure, last: int) -> ChartData:
    return ChartData(figure, monthly_actuals(unit, figure.year, figure.kind, last))


def draw(chart: ChartData) -> bytes:
    """Bars of each month's actual, the line of the cumulative actual and the line of the annual
    target spread evenly over the months, for the months read."""
    from matplotlib.figure import Figure as Drawing

    figure, actuals = chart.figure, chart.actuals
    months = list(range(1, len(actuals) + 1))
    cumulative, running = [], Decimal(0)
    for value in actuals:
        running += value
        cumulative.append(running)
    properties = cjk_font()
    word = sentences.measure_word(figure.measure)
    # A Figure of its own, not pyplot's: no global state kept between documents or shared by threads.
    figure_ = Drawing(figsize=(6.4, 3.4), dpi=150)
    axes = figure_.subplots()
    # Decimal to float only for drawing: the figures printed in the text stay exact.
    axes.bar(months, [float(v) for v in actuals], color="#9bb7d4", label="当月完成")
    axes.plot(months, [float(v) for v in cumulative], color="#1f4e79", marker="o", label="累计完成")
    if figure.target:
        axes.plot(
            months,
            [float(figure.target * m / 12) for m in months],
            color="#c00000",
            linestyle="--",
            label="序时目标",
        )
    axes.set_xticks(months, [f"{m}月" for m in months], fontproperties=properties)
    axes.set_ylabel(word, fontproperties=properties)
    axes.set_title(f"{figure.name_zh}：目标与完成（{figure.year}年）", fontproperties=properties)
    axes.legend(prop=properties, loc="upper left")
    axes.grid(axis="y", alpha=0.3)
    figure_.subplots_adjust(left=0.12, right=0.98, top=0.9, bottom=0.12)  # tight_layout draws twice
    buffer = io.BytesIO()
    figure_.savefig(buffer, format="png")
    return buffer.getvalue()


def data_for(unit: Unit, figures: list[Figure], last: int) -> ChartData | None:
    """The chart of the key indicator (domestic funds, as on the dashboard), None without figures."""
    from zhaoshang.ledger.choices import Kind

    chosen = next((f for f in figures if f.kind == Kind.FUNDS_DOMESTIC), figures[0] if figures else None)
    return data(unit, chosen, last) if chosen is not None else None


def chart_for(unit: Unit, figures: list[Figure], last: int) -> bytes | None:
    """The key indicator's chart drawn (see ``data_for``), None without figures."""
    chosen = data_for(unit, figures, last)
    return draw(chosen) if chosen is not None else None
