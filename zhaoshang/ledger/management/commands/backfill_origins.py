"""manage.py backfill_origins: give funds recorded before origin levels existed the origin a new
record of their project would start with (its first investor's), where that origin agrees with the
money's source, and bring the ledger in line (issue 19, decisions section 51).

Funds with no origin count in "funds from outside the county" only, never in 市外 / 省外: a county
reporting 市外资金 to its city would otherwise have to re-enter years of records by hand. The rule is
the one a new record follows (``funds.default_origin``, checked by ``funds.check_origin``); a line
whose investor has no origin, or whose investor's origin disagrees with the source (a foreign
investor's domestic money), is left as it is and counted in the summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from zhaoshang.audit import services as audit
from zhaoshang.core.queries import for_update
from zhaoshang.core.tree import subtree_q
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.choices import FundsSource
from zhaoshang.ledger.funds import check_origin, default_origin, snapshot
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit


def backfill(project_id: int, *, apply: bool) -> Counter[str]:
    """The funds of one project without an origin: filled (when ``apply``, audited and synced in one
    transaction) or left, with the reason, as counts."""
    counts: Counter[str] = Counter()
    with transaction.atomic():
        project = for_update(Project.objects).select_related("unit").get(pk=project_id)
        lines = list(
            for_update(FundsArrival.objects).filter(
                project=project,
                origin="",
                is_deleted=False,
                source__in=[FundsSource.DOMESTIC, FundsSource.FOREIGN],
            )
        )
        origin = default_origin(project) if lines else ""
        county = ledger.county_code_at(project.unit) if origin else ""
        for funds in lines:
            if not origin:
                counts["no investor origin"] += 1
                continue
            try:
                check_origin(origin, funds.source, county)
            except ValidationError:
                counts["origin disagrees with the source"] += 1
                continue
            counts["filled"] += 1
            if apply:
                before = snapshot(funds)
                funds.origin = origin
                funds.save(update_fields=["origin"])
                after = snapshot(funds)
                audit.record(
                    audit.Entry.Action.UPDATE,
                    funds,
                    by=None,
                    unit=project.unit,
                    before=before,
                    after=after,
                    note="backfill_origins",
                )
        if apply and counts["filled"]:
            ledger.sync(project)
    return counts


class Command(BaseCommand):
    help = (
        "Give funds recorded without an origin their project's first investor's origin, where it "
        "agrees with the source, so that they count in 市外/省外 indicators; then sync each project "
        "with the ledger. Without --apply nothing is written: the counts say what would be filled "
        "and what is left (and why). One project per transaction; every change is audited. --unit "
        "CODE limits it to a unit's subtree."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="code of the unit whose subtree's projects are looked at")
        parser.add_argument("--apply", action="store_true", help="write the origins (default: a dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        projects = Project.objects.all()
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit with code {options['unit']!r}.")
            projects = projects.filter(subtree_q(unit.path))
        waiting = FundsArrival.objects.filter(origin="", is_deleted=False, project__in=projects.values("pk"))
        ids = sorted(set(waiting.values_list("project_id", flat=True)))
        total: Counter[str] = Counter()
        for pk in ids:
            total += backfill(pk, apply=options["apply"])
        verb = "filled" if options["apply"] else "would fill"
        self.stdout.write(
            f"{len(ids)} projects with funds of no origin: {verb} {total['filled']} lines; "
            f"left {total['no investor origin']} (no investor origin) and "
            f"{total['origin disagrees with the source']} (origin disagrees with the source)"
        )
