"""manage.py bench_catalogue: the public site's line of `make bench` (catalogue/bench.py)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from zhaoshang.catalogue.bench import run


class Command(BaseCommand):
    help = "Anonymous public list and detail pages under load, cached and uncached."

    def handle(self, *args: Any, **options: Any) -> None:
        for line in run(float(os.environ.get("BENCH_CATALOGUE_SECONDS", "20"))):
            self.stdout.write(line)
