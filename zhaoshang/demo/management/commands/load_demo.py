"""``manage.py load_demo``: fill an empty database with the demo county (see demo/demo.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from zhaoshang.accounts.models import User
from zhaoshang.demo import demo
from zhaoshang.projects.choices import Stage
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit


class Command(BaseCommand):
    # Help texts stay plain English: argparse cannot format lazy translations.
    help = (
        "Fill an empty database with the fictional demo county 示例县 (code 990101): its townships, "
        "departments, resident offices and parks, four demo accounts, about 150 investors and "
        "projects in every stage over the current year and the two before. The same seed gives the "
        "same data; no date lies in the future. Refuses to run when any unit exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="When the database already has units, do nothing and exit successfully.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Seed of the random draws (default %(default)s).",
        )
        parser.add_argument(
            "--projects",
            type=int,
            default=demo.DEFAULT_PROJECTS,
            help="Number of projects (default %(default)s, at least one per stage).",
        )

    def handle(self, *args: Any, if_empty: bool, seed: int, projects: int, **options: Any) -> None:
        if not demo.is_empty():
            if if_empty:
                self.stdout.write(
                    _("Demo data not loaded: the database already has %(count)d units.")
                    % {"count": Unit.objects.count()}
                )
                # `make run` calls this on every start: say again how to log in, where the demo is there.
                present = set(
                    User.objects.filter(username__in=[a.username for a in demo.ACCOUNTS]).values_list(
                        "username", flat=True
                    )
                )
                self._accounts([a for a in demo.ACCOUNTS if a.username in present])
                return
            raise CommandError(
                _(
                    "The database already has units; load_demo only fills an empty database. "
                    "Use --if-empty to skip quietly, or start from a new database."
                )
            )
        if projects < demo.MIN_PROJECTS:
            raise CommandError(
                _("--projects must be at least %(min)d, one project per stage.") % {"min": demo.MIN_PROJECTS}
            )
        started = time.monotonic()
        summary = demo.load_demo(seed=seed, projects=projects)
        self._report(summary, seed, time.monotonic() - started)

    def _report(self, summary: demo.Summary, seed: int, seconds: float) -> None:
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                _("Demo county loaded in %(seconds).1f s (seed %(seed)d).")
                % {"seconds": seconds, "seed": seed}
            )
        )
        units = ", ".join(f"{UnitKind(kind).label} {n}" for kind, n in summary.units.items())
        write(_("Units: %(total)d (%(detail)s)") % {"total": sum(summary.units.values()), "detail": units})
        write(
            _("Users: %(users)d  Investors: %(investors)d")
            % {"users": summary.users, "investors": summary.investors}
        )
        stages = ", ".join(f"{Stage(stage).label} {n}" for stage, n in summary.projects.items())
        write(
            _("Projects: %(total)d (%(detail)s)")
            % {"total": sum(summary.projects.values()), "detail": stages}
        )
        self._accounts(summary.accounts)

    def _accounts(self, accounts: list[demo.DemoAccount]) -> None:
        if not accounts:
            return
        write = self.stdout.write
        write(_("Demo accounts (user name / password):"))
        for account in accounts:
            # The role's code stays in English beside the Chinese name, whatever the interface language.
            role = account.role.replace("_", " ")
            unit = Unit.objects.get(code=account.unit_code).name
            write(f"  {account.username:<7} / {account.password}  {account.display_name} ({role}) {unit}")
