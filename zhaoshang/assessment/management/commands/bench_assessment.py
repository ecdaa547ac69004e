"""manage.py bench_assessment: the assessment's line of ``make bench``. A township scheme of the
usual items is set up (in a transaction rolled back at the end, so the database is left as it was)
for the counties with the most townships; each county's quarterly scores are computed from the
roll-ups (timed) and again from the raw ledger events, and the two are compared."""

from __future__ import annotations

import statistics
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from zhaoshang.assessment import scoring
from zhaoshang.assessment.demo import completion_items
from zhaoshang.assessment.models import Group, Item, Scheme
from zhaoshang.ledger.models import Indicator
from zhaoshang.units.models import Unit


class Rollback(Exception):
    pass


def township_scheme(county: Unit, year: int, indicators: dict[str, Indicator]) -> Group:
    """The demo's items scored on completion (``assessment.demo``), a rank on contracted investment
    and the deductions counted from the dispatch records."""
    scheme = Scheme.objects.create(county=county, year=year, name="bench", version=32000)
    group = Group.objects.create(scheme=scheme, name="乡镇", unit_kinds=["township"], tie_item="funds")
    Item.objects.bulk_create(
        [
            *completion_items(group, indicators),
            Item(
                group=group,
                code="rank",
                name="rank",
                max_points=Decimal(10),
                source="actual",
                indicator=indicators["contracted_cny"],
                formula="rank",
                params={"points": ["10", "9", "8"], "step": "1"},
            ),
            *[
                Item(
                    group=group,
                    code=source,
                    name=source,
                    max_points=Decimal(0),
                    source=source,
                    formula="deduction",
                    params={"each": each, "floor": "12"},
                )
                for source, each in (("missed", "1"), ("late", "0.5"), ("overdue", "2"))
            ],
        ]
    )
    return group


def key(scores: list[scoring.UnitScore]) -> list[tuple[Any, ...]]:
    return [
        (s.unit, s.total, s.rank, [(line.given.figure, line.result.points) for line in s.lines])
        for s in scores
    ]


class Command(BaseCommand):
    help = (
        "Score the townships of the COUNTIES counties with most townships for the current quarter "
        "from the roll-ups (and the dispatch records' grouped counts of missing and late reports) and "
        "from the raw records, print the per-county timing, the national estimate (every county at the "
        "median) and the raw timing, and fail when the scores differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--counties", type=int, default=1, help="how many counties (default 1)")
        parser.add_argument("--reps", type=int, default=20, help="requests of each ranking page")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        month = (today.month - 1) // 3 * 3 + 3
        counties = list(
            Unit.objects.filter(kind="county")
            .annotate(n=Count("children"))
            .order_by("-n", "path")[: options["counties"]]
        )
        if not counties:
            raise CommandError("no county to score")
        indicators = {i.code: i for i in Indicator.objects.all()}
        rollup_ms: list[float] = []
        raw_ms: list[float] = []
        units = 0
        equal = True
        groups: list[Group] = []
        pages: list[str] = []
        try:
            with transaction.atomic():
                for county in counties:
                    group = township_scheme(county, today.year, indicators)
                    groups.append(group)
                    start = time.perf_counter()
                    fast = scoring.draft(group, today.year, "quarter", month)
                    rollup_ms.append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    slow = scoring.draft(group, today.year, "quarter", month, from_records=True)
                    raw_ms.append((time.perf_counter() - start) * 1000)
                    units += len(fast)
                    equal &= key(fast) == key(slow)
                pages = ranking_pages(groups[0], today.year, month, options["reps"])
                raise Rollback
        except Rollback:
            pass
        verdict = "equal" if equal else "DIFFERENT"
        nation = Unit.objects.filter(kind="county").count()
        median = statistics.median(rollup_ms)
        self.stdout.write(
            f"assessment: {units} townships of {len(counties)} counties scored from roll-ups "
            f"and grouped counts of lapses in {sum(rollup_ms):.0f} ms (per county: median "
            f"{median:.1f} ms, max {max(rollup_ms):.1f} ms, bar 1000 ms); "
            f"national estimate {nation} counties x median = "
            f"{nation * median / 1000:.1f} s (bar 120 s); raw recomputation {sum(raw_ms):.0f} ms; {verdict}"
        )
        for line in pages:
            self.stdout.write(line)
        if not equal:
            raise CommandError("scores from the roll-ups differ from the raw recomputation")


def ranking_pages(group: Group, year: int, month: int, reps: int) -> list[str]:
    """The ranking page (``assessment:ranking``) with the first county's quarter published, as a
    bureau administrator of the nation, the province, the county and one of its townships (each
    sees the published ranking), and the county's draft of the quarter (scored on each request):
    p95 and p50 of ``reps`` requests, against the bar of 100 ms."""
    from django.urls import reverse

    from zhaoshang.assessment.services import publish
    from zhaoshang.scale.bench import bench_user, get_latency, p50, p95
    from zhaoshang.units.choices import UnitKind

    county = group.scheme.county
    publish(group, by=None, year=year, period="quarter", month=month)
    township = Unit.objects.filter(parent=county, kind=UnitKind.TOWNSHIP).order_by("pk").first()
    above = {u.kind: u for u in Unit.objects.ancestors_of(county)}
    chain = [("nation", above.get(UnitKind.NATION)), ("province", above.get(UnitKind.PROVINCE))]
    chain += [("county", county), ("township", township)]
    page = reverse("assessment:ranking")
    lines = []
    for level, unit in chain:
        if unit is None:
            continue
        (times,) = get_latency(bench_user(unit), [page], reps)
        lines.append(
            f"ranking page, published quarter, {level} user: p95 {p95(times):.1f} ms, "
            f"p50 {p50(times):.1f} ms (bar p95 100 ms)"
        )
    draft = f"{page}?group={group.pk}&period=quarter&month={month}"
    (times,) = get_latency(bench_user(county), [draft], reps)
    lines.append(
        f"ranking page, the county's draft of the quarter scored on request: p95 {p95(times):.1f} ms, "
        f"p50 {p50(times):.1f} ms (bar p95 100 ms)"
    )
    return lines
