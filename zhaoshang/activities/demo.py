"""Demo data of promotion activities: a year of trips, visits, inquiries (with their response
steps), fairs and the resident offices, written through the activity services, so the visits and
trips reach the ledger. Deterministic from the demo's random stream."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from zhaoshang.activities import services
from zhaoshang.activities.choices import Channel, Step
from zhaoshang.core.deadlines import add_working_days
from zhaoshang.investors.models import Investor
from zhaoshang.projects.models import Project

CITIES = ("温州", "深圳", "苏州", "上海", "杭州", "宁波", "东莞", "合肥", "厦门", "武汉")
FAIRS = ("中国国际投资贸易洽谈会", "长三角招商推介会", "中国国际进口博览会", "粤港澳大湾区产业对接会")
QUESTIONS = (
    "标准厂房租金与面积",
    "工业用地价格与指标",
    "招商引资优惠政策",
    "人才公寓与用工保障",
    "电价与天然气供应",
)


def build_activities(rng: random.Random, demo: Any, names: Any, today: dt.date) -> int:
    """About twenty activities a month over the last twelve months; returns how many."""
    units = [*demo.townships, *demo.parks, *demo.departments]
    investors = list(Investor.objects.order_by("pk"))
    projects = list(Project.objects.order_by("pk").only("pk", "unit_id"))
    offices = [
        services.create_activity(
            by=None,
            data={
                "kind": "office",
                "unit": office,
                "title": office.name,
                "starts_on": today.replace(month=1, day=1),
                "place": office.name[:2],
                "team": "、".join(names.person() for _ in range(rng.randint(2, 3))),
            },
        )
        for office in demo.offices
    ]
    count = len(offices)
    start = today - dt.timedelta(days=365)
    for day_number in range(0, 365, 3):
        on = start + dt.timedelta(days=day_number)
        for _ in range(rng.randint(0, 2)):
            kind = rng.choices(("trip", "visit", "inquiry", "fair"), (3, 5, 3, 1))[0]
            _one(rng, kind, on, rng.choice(units), investors, projects, offices, names, today)
            count += 1
    return count


def _one(
    rng: random.Random,
    kind: str,
    on: dt.date,
    unit: Any,
    investors: list[Investor],
    projects: list[Project],
    offices: list[Any],
    names: Any,
    today: dt.date,
) -> None:
    met = rng.sample(investors, k=min(len(investors), rng.randint(1, 3)))
    city = rng.choice(CITIES)
    data: dict[str, Any] = {"kind": kind, "unit": unit, "starts_on": on}
    linked = [p for p in projects if p.unit_id == unit.pk][:1] if rng.random() < 0.3 else []
    if kind == "trip":
        days = rng.randint(1, 4)
        data |= {
            "title": f"赴{city}招商考察",
            "ends_on": min(on + dt.timedelta(days=days - 1), today),
            "place": city,
            "team": "、".join(names.person() for _ in range(rng.randint(2, 4))),
            "outcome": rng.choice(
                ("洽谈项目合作", "达成初步投资意向", "回访落地企业", "对接产业链上下游企业")
            ),
        }
    elif kind == "visit":
        data |= {
            "title": f"{met[0].name}来访考察",
            "people": rng.randint(2, 12),
            "hosts": names.person(),
            "outcome": rng.choice(("实地考察园区", "座谈交流", "察看标准厂房")),
        }
    elif kind == "inquiry":
        received = timezone.make_aware(
            dt.datetime.combine(on, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
        )
        question = rng.choice(QUESTIONS)
        data |= {
            "title": f"咨询{question}",
            "channel": rng.choice(Channel.values),
            "content": f"客商咨询{question}。",
            "received_at": received,
        }
        met = met[:1]
    else:
        data |= {
            "title": rng.choice(FAIRS),
            "ends_on": min(on + dt.timedelta(days=2), today),
            "place": city,
            "intents": rng.randint(0, 5),
            "amount": rng.choice((0, 5000, 20000, 80000)),
            "materials": "招商手册、项目册",
        }
    if offices and kind in ("trip", "fair") and rng.random() < 0.3:
        data["office"] = rng.choice(offices)
    activity = services.create_activity(by=None, data=data, investors=met, projects=linked)
    if kind == "inquiry":
        _answer(rng, activity, on, today)


def _answer(rng: random.Random, activity: Any, received: dt.date, today: dt.date) -> None:
    """Most inquiries are answered on time, some late, a few of the latest not yet."""
    previous = received
    for step, days in services.step_days().items():
        late = rng.random() < 0.15
        done = add_working_days(received, days + (rng.randint(1, 3) if late else 0))
        done = max(done - dt.timedelta(days=rng.randint(0, 1)), previous)
        if done > today or rng.random() < 0.03:
            return
        services.record_step(activity, step, by=None, on=done, note=str(Step(step).label))
        previous = done
