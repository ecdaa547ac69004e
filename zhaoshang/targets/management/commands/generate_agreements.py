"""manage.py generate_agreements: the year's responsibility agreements of a unit's subordinates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.targets import docx
from zhaoshang.targets.grid import build_grid
from zhaoshang.targets.models import Target
from zhaoshang.targets.services import FIRST_YEAR, LAST_YEAR
from zhaoshang.units.models import Unit


class Command(BaseCommand):
    help = (
        "Write the responsibility agreement (目标责任书, .docx) of every direct subordinate unit of --unit "
        "for --year into --out, one file per unit named <code>-<name>-<year>年度招商引资目标责任书.docx; "
        "with --include-self also the agreement of the unit itself. Units without targets for the year "
        "are skipped and listed. Existing files of the same name are overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="code of the unit whose subordinates sign")
        parser.add_argument("--year", required=True, type=int, help="the target year, e.g. 2025")
        parser.add_argument(
            "--out", required=True, type=Path, help="folder to write into (created if needed)"
        )
        parser.add_argument("--include-self", action="store_true", help="also write the unit's own agreement")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit has the code {options['unit']}.")
        year = options["year"]
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"The year must be from {FIRST_YEAR} to {LAST_YEAR}.")
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        grid = build_grid(None, unit, year)
        rows = grid.rows if options["include_self"] else grid.children
        written, skipped = [], []
        for row in rows:
            if not row.targets:
                skipped.append(row.unit)
                continue
            agreement = docx.agreement_for(row.unit, year, Target.objects.all())
            path = out / f"{docx.file_stem(row.unit, year)}.docx"
            path.write_bytes(docx.agreement_document(agreement))
            written.append(path)
        for path in written:
            self.stdout.write(f"  {path}")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(written)} agreement(s) of {unit.name} for {year} to {out}.")
        )
        if skipped:
            names = "、".join(u.name for u in skipped)
            self.stdout.write(
                self.style.WARNING(f"Skipped {len(skipped)} unit(s) without targets for {year}: {names}")
            )
