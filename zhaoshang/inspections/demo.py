"""Demo inspections: the last two completed quarters, a few townships each, with rectification
items open, rectified and verified; written through the services by the system."""

from __future__ import annotations

import datetime as dt
import random

from zhaoshang.enterprises.services import past_quarters
from zhaoshang.inspections import services
from zhaoshang.units.models import Unit

FINDINGS = [
    ("项目台账更新不及时，部分项目进度与实际不符。", "按月更新项目台账，核实形象进度"),
    ("到位资金佐证材料不全。", "补齐到位资金银行回单等佐证材料"),
    ("项目保姆制度落实不到位，个别项目无人跟进。", "为每个在建项目明确责任人"),
    ("签约项目开工率偏低。", "制定签约未开工项目推进计划"),
]


def load(rng: random.Random, county: Unit, today: dt.date) -> int:
    """Write the demo inspections of ``county``; returns how many."""
    townships = list(Unit.objects.subtree(county).filter(kind="township").order_by("path"))[:4]
    count = 0
    for year, quarter in past_quarters(2, today):
        last_month = quarter * 3
        inspected_on = dt.date(year, last_month, 15)
        for unit in townships:
            finding, action = FINDINGS[count % len(FINDINGS)]
            deadline = inspected_on + dt.timedelta(days=rng.choice([20, 30, 45, 120]))
            inspection = services.create_inspection(
                by=None,
                unit=unit,
                year=year,
                quarter=quarter,
                inspected_on=inspected_on,
                inspectors="县委督查室 王磊、县招商局 陈静",
                findings=finding,
                items=[services.ItemData(action, unit, deadline)],
            )
            item = inspection.items.get()
            fate = rng.random()
            if fate < 0.65:
                on = min(deadline - dt.timedelta(days=rng.choice([-5, 3, 10])), today)
                item = services.report_rectification(item, by=None, evidence="已按要求整改到位。", on=on)
                if fate < 0.4:
                    services.verify_rectification(item, by=None)
            count += 1
    return count
