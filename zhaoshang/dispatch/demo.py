"""The demo county's dispatch: its calendar, the rounds of the last two months, and reports in every
state (verified, submitted, returned, late, missing, draft), all written through the services."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile

from zhaoshang.dispatch import calendar as dates
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Round
from zhaoshang.units.models import Unit

PROGRESS_WORDS = ("场地平整完成", "桩基施工中", "主体结构施工", "主体封顶", "设备安装调试", "试生产")
PROBLEMS = ("用电增容待落实", "施工便道未贯通", "环评批复待办", "用工短缺", "土地报批进度慢")
# Of the reports of a closed round: (state, weight). "missing" files nothing.
OUTCOMES = (("verified", 55), ("late", 10), ("submitted", 12), ("returned", 8), ("missing", 15))
# Reports per round at most, so that the demo loads fast; the other listed projects are missing.
PER_ROUND = 12


def write_dispatch(rng: random.Random, county: Unit, today: dt.date) -> None:
    calendar = services.save_calendar(
        county, by=None, days=[12, 27], open_days_before=5, stages=["signed", "started", "completed"]
    )
    start = today - dt.timedelta(days=61)
    for due in dates.dates_around(today, calendar.days, before=2, after=1):
        opens = due - dt.timedelta(days=calendar.open_days_before)
        if start <= due and opens <= today:
            services.open_rounds(opens)
    for round_ in Round.objects.filter(county=county).order_by("due_on"):
        _reports(rng, round_, today)


def _reports(rng: random.Random, round_: Round, today: dt.date) -> None:
    closed = round_.due_on < today
    entries = list(round_.entries.select_related("project", "project__unit").order_by("pk"))
    for index, entry in enumerate(entries):
        if index >= PER_ROUND:
            return
        outcome = rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]
        if not closed:
            outcome = rng.choice(("draft", "submitted", "missing"))
        if outcome == "missing":
            continue
        report = services.create_report(round_, entry.project, by=None)
        services.update_report(
            report,
            by=None,
            data={
                "investment": Decimal(rng.choice((0, 50, 120, 300, 800))),
                "progress_percent": rng.randint(5, 95),
                "progress_text": rng.choice(PROGRESS_WORDS),
                "problems": rng.choice(("", *PROBLEMS)),
            },
        )
        if rng.random() < 0.2:
            foreign = entry.project.currency == "USD"
            arrived = max(
                round_.period_start, min(round_.due_on, today) - dt.timedelta(days=rng.randint(0, 10))
            )
            services.add_funds_line(
                report,
                by=None,
                source="foreign" if foreign else "domestic",
                amount=Decimal(rng.choice((20, 50, 100, 200))),
                arrived_on=min(arrived, today),
                evidence=ContentFile(b"%PDF-1.4 demo bank slip", name="进账单.pdf"),
            )
        if outcome == "draft":
            continue
        late = outcome == "late"
        submitted_on = (
            min(today, round_.due_on + dt.timedelta(days=rng.randint(1, 4)))
            if late
            else min(today, round_.due_on)
        )
        services.submit_report(report, by=None, today=submitted_on)
        if outcome in ("verified", "late"):
            services.verify_report(report, by=None)
        elif outcome == "returned":
            services.return_report(
                report, by=None, reason=rng.choice(("凭证不清晰，请重新上传", "投资额与进度不符"))
            )
