"""manage.py bench_export ROWS FILE: the project export of ``make bench``, run in its own process so
that its peak memory can be measured (the export view's code path: the table's columns, the same
relations loaded in chunks by ``projects.tables.export_rows``). It prints its own peak memory last."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhaoshang.core.xlsx import table_workbook
from zhaoshang.projects.models import Project
from zhaoshang.projects.tables import PROJECT_TABLE, export_rows


def own_peak_mb() -> float:
    """This process's peak resident memory in MB: the high-water mark of its own address space.

    Not ``ru_maxrss`` (from ``wait4`` or ``getrusage``): Linux carries the parent's high-water mark
    over fork and exec into it, so a child started by a bench that holds 470 MB "peaks" at 470 MB
    whatever it does (the export's figure at 1,000,000 projects was the bench's own memory)."""
    import resource

    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = (
        "Write the first ROWS projects (newest first) as the project export .xlsx to FILE, "
        "then print this process's peak memory (peak_mb N)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rows", type=int)
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = Project.objects.order_by("-pk").values_list("pk", flat=True)[: options["rows"]]
        last = list(ids[options["rows"] - 1 : options["rows"]]) or [0]
        projects = Project.objects.filter(pk__gte=last[0]).order_by("-pk")
        content = table_workbook("Project ledger", PROJECT_TABLE.export_columns(), export_rows(projects))
        Path(options["file"]).write_bytes(content)
        self.stdout.write(f"peak_mb {own_peak_mb():.1f}")
