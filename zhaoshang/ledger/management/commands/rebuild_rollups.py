"""manage.py rebuild_rollups: recompute the monthly totals from the ledger, check or repair them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.ledger.models import Event, Total
from zhaoshang.ledger.services import (
    activity_mismatches,
    manual_mismatches,
    mismatches,
    rebuild_totals,
    return_mismatches,
    totals_from_ledger,
)
from zhaoshang.projects import stages


class Command(BaseCommand):
    help = (
        "Recompute every per-unit monthly total from the append-only ledger. With --check, change "
        "nothing and report every total that differs from the recomputation, and every promotion "
        "activity, manual figure or quarterly return whose ledger events differ from what it counts "
        "for, and every project whose summary of its stage history (furthest stage reached, last "
        "stage change) differs from the history (exit status 1 if any); without it, replace the "
        "totals by the recomputation and rewrite the stage summaries that differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="only compare and report")

    def handle(self, *args: Any, **options: Any) -> None:
        events = Event.objects.count()
        if options["check"]:
            problems = (
                mismatches(totals_from_ledger())
                + activity_mismatches()
                + manual_mismatches()
                + return_mismatches()
                + stages.mismatches()
            )
            for line in problems:
                self.stderr.write(f"MISMATCH {line}")
            if problems:
                raise CommandError(
                    f"{len(problems)} totals, activities or stage summaries differ from the ledger "
                    f"({events} events) or the stage history"
                )
            self.stdout.write(f"OK: {Total.objects.count()} totals agree with {events} ledger events")
            return
        rows = rebuild_totals()
        self.stdout.write(f"rebuilt {rows} totals from {events} ledger events")
        self.stdout.write(f"rewrote the stage summary of {stages.repair()} projects")
