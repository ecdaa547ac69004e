"""manage.py bench_export ROWS FILE: the project export of ``make bench``, run in its own process so
that its peak memory can be measured (the export view's code path: the table's columns, the same
relations loaded in chunks by ``projects.tables.export_rows``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhaoshang.core.xlsx import table_workbook
from zhaoshang.projects.models import Project
from zhaoshang.projects.tables import PROJECT_TABLE, export_rows


class Command(BaseCommand):
    help = "Write the first ROWS projects (newest first) as the project export .xlsx to FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rows", type=int)
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = Project.objects.order_by("-pk").values_list("pk", flat=True)[: options["rows"]]
        last = list(ids[options["rows"] - 1 : options["rows"]]) or [0]
        projects = Project.objects.filter(pk__gte=last[0]).order_by("-pk")
        content = table_workbook("Project ledger", PROJECT_TABLE.export_columns(), export_rows(projects))
        Path(options["file"]).write_bytes(content)
