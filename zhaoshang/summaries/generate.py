"""One document, or every subordinate unit's in one .zip: what the pages, the batch job and the
command all call, so that a document is made one way whatever asks for it."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from zhaoshang.summaries import bulletin_files, chart, document, services
from zhaoshang.summaries.bulletin import bulletin_of
from zhaoshang.summaries.choices import Script
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.models import SectionText
from zhaoshang.summaries.periods import Period
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

SUMMARY, BULLETIN = "summary", "bulletin"
Progress = Callable[[int, int], None]


def summary_file(
    user: User | None, unit: Unit, period: Period, today: dt.date, script: str = Script.SIMPLIFIED
) -> tuple[bytes, str]:
    """The summary's .docx and its file stem."""
    facts = summary_facts(user, unit, period, today)
    saved = {
        k: v.text
        for k, v in services.current_texts(unit, period, SectionText.objects.visible_to(user)).items()
    }
    drawn = chart.chart_for(unit, facts.figures, period.last)
    content = document.summary_document(facts, saved, script=script, chart=drawn)
    return content, document.file_stem(unit, period, "招商引资工作总结")


def bulletin_file(
    user: User | None, unit: Unit, year: int, month: int, today: dt.date, script: str = Script.SIMPLIFIED
) -> tuple[bytes, str]:
    """The bulletin's .docx and its file stem."""
    bulletin = bulletin_of(user, unit, year, month, today)
    key = next(
        (r.ytd for r in bulletin.rows if bulletin.indicator and r.ytd.code == bulletin.indicator.code), None
    )
    drawn = chart.target_chart(unit, key, month) if key is not None else None
    content = bulletin_files.bulletin_document(bulletin, script=script, chart=drawn)
    return content, bulletin_files.file_stem(bulletin)


def subordinates(user: User | None, unit: Unit) -> list[Unit]:
    """The unit's direct children the user may see, in the tree's order."""
    return list(
        Unit.objects.visible_to(user).filter(parent=unit, is_active=True).order_by("sort_order", "path")
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
) -> int:
    """Every subordinate unit's summary (for ``period``) or bulletin (for its last month) written
    into ``out`` as a .zip, one document at a time, so memory stays flat; returns the count."""
    units = subordinates(user, unit)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, child in enumerate(units, start=1):
            if what == SUMMARY:
                content, stem = summary_file(user, child, period, today, script)
            else:
                content, stem = bulletin_file(user, child, period.year, period.last, today, script)
            archive.writestr(f"{stem}.docx", content)
            if progress is not None:
                progress(done, len(units))
    return len(units)


def batch_name(unit: Unit, what: str, period: Period) -> str:
    word = "招商引资工作总结" if what == SUMMARY else f"{period.last}月招商引资工作情况通报"
    return f"{document.file_stem(unit, period if what == SUMMARY else Period(period.year), '')}{word}.zip"


def spooled() -> IO[bytes]:
    """A temporary file for a .zip being written (on disk past a few megabytes)."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
