"""manage.py resync_ledger: bring every project's ledger events in line with the counting rules as
they are now (after an upgrade that counts more, e.g. the counts by date or the origin levels, or
the quarterly returns of landed enterprises)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhaoshang.ledger.services import sync, sync_returns
from zhaoshang.projects.models import Project


class Command(BaseCommand):
    help = (
        "Sync every project, and every landed enterprise's quarterly returns, with the ledger, one "
        "project or enterprise per transaction: the events its records "
        "imply under today's counting rules are appended where missing (and taken back where no "
        "longer implied), and the totals follow. Run once after an upgrade whose release notes say "
        "the counting rules changed; running it again appends nothing. --unit CODE limits it to a "
        "unit's subtree (projects and enterprises of its units). Prints progress and the number of "
        "events appended."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="code of the unit whose subtree's projects are synced")
        parser.add_argument("--every", type=int, default=1000, help="print progress every N projects")

    def handle(self, *args: Any, **options: Any) -> None:
        from zhaoshang.core.tree import subtree_q
        from zhaoshang.enterprises.models import Enterprise
        from zhaoshang.units.models import Unit

        projects, enterprises = Project.objects.all(), Enterprise.objects.all()
        if options["unit"]:
            unit = Unit.objects.get(code=options["unit"])
            projects = projects.filter(subtree_q(unit.path))
            enterprises = enterprises.filter(subtree_q(unit.path))
        ids = list(projects.order_by("pk").values_list("pk", flat=True))
        appended = 0
        for done, pk in enumerate(ids, start=1):
            appended += sync(Project(pk=pk))
            if done % options["every"] == 0:
                self.stdout.write(f"  {done}/{len(ids)} projects, {appended} events appended")
        self.stdout.write(f"synced {len(ids)} projects: {appended} events appended")
        appended = 0
        ids = list(enterprises.order_by("pk").values_list("pk", flat=True))
        for pk in ids:
            appended += sync_returns(Enterprise(pk=pk))
        self.stdout.write(f"synced the returns of {len(ids)} enterprises: {appended} events appended")
