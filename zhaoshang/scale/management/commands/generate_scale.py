"""manage.py generate_scale: the national division tree and N generated projects, for benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.scale.generate import generate


class Command(BaseCommand):
    help = (
        "Generate a deterministic national tree (GB/T 2260 provinces, cities and counties; synthesised "
        "townships, departments and parks) and N projects with credits, stage history, funds arrived, "
        "targets, ledger events and monthly totals, through bulk paths (COPY on PostgreSQL). Generated "
        "rows get no audit entries. Ends with the rebuild_rollups --check comparison."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--provinces", type=int, help="only the first N provinces (small runs)")
        parser.add_argument("--database-url", help="write into this database instead of DATABASE_URL")
        parser.add_argument("--no-check", action="store_true", help="skip the totals check at the end")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"]
        if url and url != os.environ.get("DATABASE_URL"):  # settings read the variable at start-up
            argv = ["generate_scale", "--projects", str(options["projects"]), "--seed", str(options["seed"])]
            argv += ["--provinces", str(options["provinces"])] if options["provinces"] else []
            argv += ["--no-check"] if options["no_check"] else []
            manage = Path(settings.PROJECT_DIR) / "manage.py"
            env = {**os.environ, "DATABASE_URL": url}
            done = subprocess.run([sys.executable, str(manage), *argv], env=env, check=False)  # noqa: S603
            if done.returncode:
                raise CommandError(f"generation failed (exit status {done.returncode})")
            return
        call_command("migrate", verbosity=0, interactive=False)
        try:
            result = generate(options["projects"], options["seed"], options["provinces"], self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for table, rows in sorted(result["rows"].items()):
            self.stdout.write(f"{table}: {rows} rows")
        self.stdout.write(f"foreign keys: {result['foreign_keys']}")
        if not options["no_check"]:
            call_command("rebuild_rollups", check=True, stdout=self.stdout, stderr=self.stderr)
