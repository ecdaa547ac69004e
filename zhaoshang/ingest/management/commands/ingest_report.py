"""Reads an old report file and prints what the reader extracted (nothing is written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhaoshang.ingest.reader.decode import MAX_BYTES
from zhaoshang.ingest.reader.documents import file_bytes
from zhaoshang.ingest.reader.pipeline import ReaderError, read_bytes


class Command(BaseCommand):
    help = "Reads an old report (.txt, .html, .docx, .pdf) and prints its reports, figures and projects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="print the extraction as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ReaderError(gettext_noop("The file is too large (more than 20 MB) to be a report."))
            reading = read_bytes(file_bytes(path.name, path.read_bytes()))
        except ReaderError as exc:
            raise CommandError(_(str(exc))) from None
        if options["json"]:
            self.stdout.write(reading.dumps())
            return
        for number, report in enumerate(reading.reports, start=1):
            self.stdout.write(
                f"[{number}] {report.title} ({report.line_start}-{report.line_end}) "
                f"{report.unit_level} {report.reporting_year or ''}"
            )
        for f in reading.figures:
            self.stdout.write(f"  L{f.line} {f.indicator}: {f.text} = {f.value} {f.unit} ({f.kind})")
        for p in reading.projects:
            total = p.total_investment
            self.stdout.write(
                f"  * {p.name} [{p.stage or '-'}] "
                f"{total.value if total else ''} {total.unit if total else ''}"
            )
