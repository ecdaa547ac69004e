"""Queues the reading of a folder (or a .zip) of old reports for a unit, as a background job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from zhaoshang.jobs.services import enqueue
from zhaoshang.units.models import Unit


class Command(BaseCommand):
    help = "Reads every report of a folder or .zip in the background, each an upload to review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--unit", required=True, help="the code of the unit the reports speak of")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"]).resolve()
        if not path.exists():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with the code %(code)s.") % {"code": options["unit"]})
        job = enqueue("ingest.batch", unit=unit, params={"path": str(path), "stored": False})
        self.stdout.write(_("Queued as job %(id)s.") % {"id": job.pk})
