"""The demo's manual indicator: 劳务输出 (labour export, persons), a figure from no project that the
townships enter each month with their roster and the bureau verifies (``ledger.manual``), with the
county's and the townships' targets. Called once from the demo loader."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile

from zhaoshang.ledger import manual
from zhaoshang.ledger.choices import Evidence, Measure
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

TOWNSHIPS = 4  # the first townships enter figures; the rest have a target and nothing yet


def load(rng: random.Random, county: Unit, today: dt.date) -> None:
    from zhaoshang.ledger.models import Indicator
    from zhaoshang.targets.services import set_targets

    # Defined once per database: a demo loaded again (after its units were emptied) finds it.
    labour = Indicator.objects.filter(code="m_labour").first() or manual.define(
        by=None,
        slug="labour",
        name_zh="劳务输出",
        name_en="Labour export",
        measure=Measure.PERSONS,
        evidence=[Evidence.VOUCHER],
    )
    townships = list(county.children.filter(kind=UnitKind.TOWNSHIP).order_by("sort_order", "pk"))
    year, total = today.year, Decimal(0)
    for township in townships[:TOWNSHIPS]:
        for month in range(1, today.month + 1):
            people = Decimal(rng.randint(2, 15))
            last = month == today.month  # this month's figure waits for the bureau, one without a roster
            roster = None if last and township == townships[0] else ContentFile(b"roster", name="roster.txt")
            entry = manual.record_entry(
                labour, township, by=None, year=year, month=month, amount=people, evidence=roster, today=today
            )
            if not last:
                manual.verify_entry(entry, by=None)
                total += people
    set_targets(
        None,
        county,
        year,
        {
            labour: max(
                Decimal(12), (total * Decimal("1.1") * 12 / max(today.month - 1, 1)).quantize(Decimal(1))
            )
        },
    )
    for township in townships:
        set_targets(None, township, year, {labour: Decimal(rng.choice((20, 30, 40, 50)))})
