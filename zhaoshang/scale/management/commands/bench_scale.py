"""manage.py bench_scale: the figures of ``make bench`` on a database filled by generate_scale."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.scale.bench import run, table


class Command(BaseCommand):
    help = (
        "Measure roll-ups (beside a raw GROUP BY in PostgreSQL and DuckDB), the project list, the list "
        "under load, export, import and a burst of funds writes; print one table. Exits non-zero when a "
        "roll-up differs from the raw GROUP BY, or the burst errs or leaves wrong totals."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        lines, good = run(lambda text: self.stderr.write(text))
        self.stdout.write(table(lines))
        if not good:
            raise CommandError("wrong roll-up results or burst errors: see above")
