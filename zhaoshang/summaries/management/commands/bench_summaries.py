"""manage.py bench_summaries: the time of one county's yearly work summary (.docx and PDF) and of
its monthly bulletin, for ``make bench`` (on the generated national data set)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Sum
from django.utils import timezone

from zhaoshang.ledger.models import Total
from zhaoshang.projects.models import Project
from zhaoshang.scale.bench import bench_user, levels, ms, timed
from zhaoshang.summaries import generate
from zhaoshang.summaries.periods import Period


class Command(BaseCommand):
    help = (
        "Time the yearly work summary (.docx, median of --reps; PDF once) and the December bulletin "
        "(.docx) of the county with the most generated projects, for the year in which it counts the "
        "most signed projects, as a bureau administrator of the nation reads them. Prints one line each."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reps", type=int, default=5)
        parser.add_argument("--pdf", action="store_true", help="also time the PDF (needs LibreOffice)")
        parser.add_argument(
            "--batch",
            type=int,
            default=0,
            help="also make the December bulletins of up to N counties as the national batch does",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        county = dict(levels())["county"]
        busiest = (
            Total.objects.filter(unit=county, month=Total.YEAR, kind="signed")
            .values("year")
            .annotate(n=Sum("verified"))
            .order_by("-n", "-year")
            .first()
        )
        year = busiest["year"] if busiest else timezone.localdate().year
        user, today = bench_user(), timezone.localdate()
        period = Period(year)
        projects = Project.objects.filter(unit__path__startswith=county.path).count()
        times, (content, _stem) = timed(
            lambda: generate.summary_file(user, county, period, today), options["reps"]
        )
        self.stdout.write(
            f"summary .docx, one county's year ({county.name}, {projects} projects, {year}): "
            f"{ms(times)}, {len(content) // 1024} KB (goal 3000 ms at 1,000,000 projects)"
        )
        times, _result = timed(lambda: generate.bulletin_file(user, county, year, 12, today), options["reps"])
        self.stdout.write(f"bulletin .docx, one county's December: {ms(times)}")
        if options["batch"]:
            self.batch(user, year, today, options["batch"])
        if options["pdf"]:
            from zhaoshang.core.documents import to_pdf

            start = time.perf_counter()
            to_pdf(content)
            self.stdout.write(
                f"summary PDF (LibreOffice): {(time.perf_counter() - start) * 1000:.0f} ms (goal 10000 ms)"
            )

    def batch(self, user: Any, year: int, today: Any, most: int) -> None:
        """The national batch of county bulletins, on the first ``most`` counties: the time per
        document, the estimate for 2,800 counties and the peak memory of this process and of the
        drawing processes."""
        import io
        import resource

        from django.conf import settings

        nation = dict(levels())["nation"]
        counties = generate.counties_below(user, nation)[:most]
        workers = settings.SUMMARIES_BATCH_WORKERS
        out = io.BytesIO()
        start = time.perf_counter()
        count = generate.batch_zip(
            user, nation, generate.BULLETIN, out, period=Period(year), today=today, units=counties
        )
        seconds = time.perf_counter() - start
        each = seconds / max(count, 1)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        drawing = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        self.stdout.write(
            f"national bulletin batch, {count} counties with {workers} drawing processes: "
            f"{seconds:.1f} s, {each * 1000:.0f} ms per county, 2,800 counties ≈ {2800 * each / 60:.0f} min "
            f"(goal 30 min); .zip {len(out.getvalue()) // 1024} KB; peak memory {peak} MB here, "
            f"{drawing} MB per drawing process"
        )
