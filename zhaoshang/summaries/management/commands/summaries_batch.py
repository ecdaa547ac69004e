"""manage.py summaries_batch: every subordinate unit's work summary or monthly bulletin in one .zip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhaoshang.accounts.models import User
from zhaoshang.summaries import generate
from zhaoshang.summaries.choices import Script
from zhaoshang.summaries.periods import Period
from zhaoshang.units.models import Unit


class Command(BaseCommand):
    help = (
        "Write into --out a .zip of the work summary (工作总结, --what summary, months --first to --last "
        "of --year) or of the monthly bulletin (工作情况通报, --what bulletin, month --last of --year) of "
        "every direct subordinate unit of --unit (a unit code; --counties: every county below it), "
        "one .docx each, as the pages make them "
        "for the user --as (a username): only what that user may see is read. --script traditional "
        "writes them in Traditional script. Prints one line per document and a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="code of the unit whose subordinates are written")
        parser.add_argument("--what", required=True, choices=[generate.SUMMARY, generate.BULLETIN])
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--first", type=int, default=1, help="first month of a summary (default 1)")
        parser.add_argument(
            "--last", type=int, default=12, help="last month; a bulletin's month (default 12)"
        )
        parser.add_argument("--as", dest="username", required=True, help="the user whose scope applies")
        parser.add_argument("--script", choices=Script.values, default=Script.SIMPLIFIED)
        parser.add_argument("--out", required=True, type=Path, help="the .zip to write (overwritten)")
        parser.add_argument(
            "--counties",
            action="store_true",
            help="every county below --unit rather than its direct subordinates (a national batch)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes drawing the documents (SUMMARIES_BATCH_WORKERS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {options['username']}.")
        unit = Unit.objects.visible_to(user).filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"{user.username} sees no unit with the code {options['unit']}.")
        try:
            period = Period(options["year"], options["first"], options["last"])
        except ValueError as wrong:
            raise CommandError(str(wrong)) from wrong
        out: Path = options["out"]
        out.parent.mkdir(parents=True, exist_ok=True)

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total}")

        with out.open("wb") as file:
            count = generate.batch_zip(
                user,
                unit,
                options["what"],
                file,
                period=period,
                today=timezone.localdate(),
                script=options["script"],
                progress=progress,
                reach=generate.COUNTIES if options["counties"] else generate.CHILDREN,
                workers=options["workers"],
            )
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {count} document(s) of {unit.name}'s subordinates to {out}.")
        )
