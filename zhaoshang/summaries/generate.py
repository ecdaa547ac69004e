"""One document, or every subordinate unit's in one .zip: what the pages, the batch job and the
command all call, so that a document is made one way whatever asks for it."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections

from zhaoshang.core.scoping import path_q
from zhaoshang.summaries import bulletin_files, chart, document, services
from zhaoshang.summaries.bulletin import Bulletin, bulletin_of
from zhaoshang.summaries.choices import Script
from zhaoshang.summaries.facts import SummaryFacts, summary_facts
from zhaoshang.summaries.models import SectionText
from zhaoshang.summaries.periods import Period
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

SUMMARY, BULLETIN = "summary", "bulletin"
CHILDREN, COUNTIES = "children", "counties"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SummaryParts:
    """What a summary is made of, read from the database: the document is drawn from these alone."""

    facts: SummaryFacts
    saved: dict[str, str]
    chart: chart.ChartData | None


@dataclass(frozen=True)
class BulletinParts:
    bulletin: Bulletin
    chart: chart.ChartData | None


def summary_parts(user: User | None, unit: Unit, period: Period, today: dt.date) -> SummaryParts:
    facts = summary_facts(user, unit, period, today)
    saved = {
        k: v.text
        for k, v in services.current_texts(unit, period, SectionText.objects.visible_to(user)).items()
    }
    return SummaryParts(facts, saved, chart.data_for(unit, facts.figures, period.last))


def bulletin_parts(user: User | None, unit: Unit, year: int, month: int, today: dt.date) -> BulletinParts:
    bulletin = bulletin_of(user, unit, year, month, today)
    key = next(
        (r.ytd for r in bulletin.rows if bulletin.indicator and r.ytd.code == bulletin.indicator.code), None
    )
    return BulletinParts(bulletin, chart.data(unit, key, month) if key is not None else None)


def draw_summary(parts: SummaryParts, script: str = Script.SIMPLIFIED) -> tuple[bytes, str]:
    """The summary's .docx and its file stem, drawn without reading the database."""
    drawn = chart.draw(parts.chart) if parts.chart is not None else None
    content = document.summary_document(parts.facts, parts.saved, script=script, chart=drawn)
    return content, document.file_stem(parts.facts.unit, parts.facts.period, "招商引资工作总结")


def draw_bulletin(parts: BulletinParts, script: str = Script.SIMPLIFIED) -> tuple[bytes, str]:
    """The bulletin's .docx and its file stem, drawn without reading the database."""
    drawn = chart.draw(parts.chart) if parts.chart is not None else None
    content = bulletin_files.bulletin_document(parts.bulletin, script=script, chart=drawn)
    return content, bulletin_files.file_stem(parts.bulletin)


def summary_file(
    user: User | None, unit: Unit, period: Period, today: dt.date, script: str = Script.SIMPLIFIED
) -> tuple[bytes, str]:
    """The summary's .docx and its file stem."""
    return draw_summary(summary_parts(user, unit, period, today), script)


def bulletin_file(
    user: User | None, unit: Unit, year: int, month: int, today: dt.date, script: str = Script.SIMPLIFIED
) -> tuple[bytes, str]:
    """The bulletin's .docx and its file stem."""
    return draw_bulletin(bulletin_parts(user, unit, year, month, today), script)


def subordinates(user: User | None, unit: Unit) -> list[Unit]:
    """The unit's direct children the user may see, in the tree's order."""
    return list(
        Unit.objects.visible_to(user).filter(parent=unit, is_active=True).order_by("sort_order", "path")
    )


def counties_below(user: User | None, unit: Unit) -> list[Unit]:
    """Every active county in the unit's subtree that the user may see, in the tree's order: the
    national (or a province's) batch of county bulletins."""
    return list(
        Unit.objects.visible_to(user)
        .filter(path_q("path", [unit.path]), kind=UnitKind.COUNTY, is_active=True)
        .order_by("path")
    )


def batch_zip(
    user: User | None,
    unit: Unit,
    what: str,
    out: IO[bytes],
    *,
    period: Period,
    today: dt.date,
    script: str = Script.SIMPLIFIED,
    progress: Progress | None = None,
    reach: str = CHILDREN,
    workers: int | None = None,
    units: list[Unit] | None = None,
) -> int:
    """Every subordinate unit's (``reach`` CHILDREN) or every county's below (COUNTIES) summary
    (for ``period``) or bulletin (for its last month) written into ``out`` as a .zip; returns the
    count. This process reads the database, one unit at a time; ``workers`` processes (default
    ``SUMMARIES_BATCH_WORKERS``) draw the charts and documents, which is most of the time. At most a
    few documents are in memory at once, so memory stays flat however many units there are. ``units``
    (already chosen within the user's scope) replaces the reach: the benchmark takes a sample."""
    if units is None:
        units = counties_below(user, unit) if reach == COUNTIES else subordinates(user, unit)
    if what == SUMMARY:
        parts: Iterator[Any] = (summary_parts(user, child, period, today) for child in units)
        draw: Callable[[Any, str], tuple[bytes, str]] = draw_summary
    else:
        parts = (bulletin_parts(user, child, period.year, period.last, today) for child in units)
        draw = draw_bulletin
    count = settings.SUMMARIES_BATCH_WORKERS if workers is None else workers
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (content, stem) in enumerate(in_order(draw, parts, script, count), start=1):
            archive.writestr(f"{stem}.docx", content)
            if progress is not None:
                progress(done, len(units))
    return len(units)


def _forget_connections() -> None:
    """In a drawing process: the database connections copied from the parent are the parent's; drop
    them unclosed (closing would end the parent's session), so that a read, should one happen, opens
    its own."""
    for connection in connections.all(initialized_only=True):
        connection.connection = None


def in_order(
    draw: Callable[[Any, str], tuple[bytes, str]], parts: Iterable[Any], script: str, workers: int
) -> Iterator[tuple[bytes, str]]:
    """``draw(part, script)`` of each part, in order; in ``workers`` forked processes when more than
    one, with at most two parts per process waiting, so the parts are read as they are drawn."""
    if workers <= 1:
        for part in parts:
            yield draw(part, script)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_forget_connections) as pool:
        waiting: deque[Future[tuple[bytes, str]]] = deque()
        for part in parts:
            waiting.append(pool.submit(draw, part, script))
            if len(waiting) >= 2 * workers:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


def batch_name(unit: Unit, what: str, period: Period) -> str:
    word = "招商引资工作总结" if what == SUMMARY else f"{period.last}月招商引资工作情况通报"
    return f"{document.file_stem(unit, period if what == SUMMARY else Period(period.year), '')}{word}.zip"


def spooled() -> IO[bytes]:
    """A temporary file for a .zip being written (on disk past a few megabytes)."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
