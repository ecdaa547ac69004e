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
from decimal import Decimal

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


def monthly_actuals(unit: Unit, year: int, kind: str, last: int) -> list[Decimal]:
    """The verified figure of each month 1..``last`` (one grouped read of the kept totals)."""
    figures = monthly_figures(unit, year, [kind])
    return [figures.get(m, {}).get(kind, (Decimal(0), Decimal(0)))[0] for m in range(1, last + 1)]


def target_chart(unit: Unit, figure: Figure, last: int) -> bytes:
    """Bars of each month's actual, the line of the cumulative actual and the line of the annual
    target spread evenly over the months, for months 1..``last``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    months = list(range(1, last + 1))
    actuals = monthly_actuals(unit, figure.year, figure.kind, last)
    cumulative, running = [], Decimal(0)
    for value in actuals:
        running += value
        cumulative.append(running)
    path = cjk_font_path()
    properties = font_manager.FontProperties(fname=path) if path else None
    word = sentences.measure_word(figure.measure)
    figure_, axes = plt.subplots(figsize=(6.4, 3.4), dpi=150)
    try:
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
    finally:
        plt.close(figure_)
    return buffer.getvalue()


def chart_for(unit: Unit, figures: list[Figure], last: int) -> bytes | None:
    """The chart of the key indicator (domestic funds, as on the dashboard), None without figures."""
    from zhaoshang.ledger.choices import Kind

    chosen = next((f for f in figures if f.kind == Kind.FUNDS_DOMESTIC), figures[0] if figures else None)
    return target_chart(unit, chosen, last) if chosen is not None else None
