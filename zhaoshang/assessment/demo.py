"""The demo county's assessment: a scheme modelled on the 2023 city scheme of forms.md §4.1 (signed
investment ≤50 by completion, capped; 对接龙头企业 30 in tiers; 其他 20 of leaders' points and
information work), with the 漯河 over-target bonus scaled by target size, the monthly-return
deduction (−1 each, at most −12) and a grade jump for a very large quarter; and a published
first-quarter ranking of each group. Written through the services by the system."""

from __future__ import annotations

import copy
import datetime as dt
import random
from decimal import Decimal
from typing import Any

from zhaoshang.accounts.models import User
from zhaoshang.assessment import persons, services
from zhaoshang.assessment.models import GradeJump, Group, Item, Ranking, Scheme
from zhaoshang.ledger.models import Indicator
from zhaoshang.units.models import Unit

GROUPS = [("乡镇（街道）", ["township"], 3, 6), ("县直部门", ["department"], 1, 4), ("园区", ["park"], 1, 3)]
GRADES = [["一等", "85"], ["二等", "70"], ["三等", "0"]]


# The items scored on the ledger's figures against targets (code, name, points, indicator, formula,
# params, method): signed investment by completion, capped; signed projects in tiers; the
# over-target bonus scaled by target size.
COMPLETION_ITEMS = (
    (
        "funds",
        "省外到位资金",
        50,
        "funds_domestic",
        "ratio",
        {"weight": "50", "floor": "30"},
        "完成率×50分，最高50分；完成率低于30%不得分",
    ),
    (
        "signed",
        "新引进（签约）项目",
        30,
        "projects_signed",
        "tiers",
        {"bands": [["100", "30"], ["80", "22.5"], ["50", "15"]]},
        "完成100%得30分，80%得22.5分，50%得15分，低于50%不得分",
    ),
    (
        "bonus",
        "超额完成奖励",
        5,
        "funds_domestic",
        "bonus_over",
        {"per_point": "0.1", "cap": "5", "scales": [["10000", "0.6"], ["5000", "0.3"], ["0", "0.1"]]},
        "到位资金每超1个百分点，按任务量大小加0.6/0.3/0.1分，最高5分",
    ),
)
# The items the bureau enters, after those above (the same columns; no indicator).
MANUAL_ITEMS = (
    ("leaders", "领导打分", 10, None, "manual", {"max": "10"}, "县领导评分，最高10分"),
    ("information", "信息报送", 10, None, "manual", {"max": "10"}, "按报送信息数量与质量评分"),
    (
        "returns",
        "月报报送",
        0,
        None,
        "deduction",
        {"each": "1", "floor": "12"},
        "每缺报一次月报扣1分，最多扣12分",
    ),
)


def _table_items(
    group: Group, rows: tuple[Any, ...], source: str, codes: dict[str, Indicator], first: int
) -> list[Item]:
    """The items (unsaved) of the rows of a table above, numbered from ``first``."""
    return [
        Item(
            group=group,
            code=code,
            name=name,
            max_points=Decimal(points),
            source=source,
            indicator=codes[indicator] if indicator else None,
            formula=formula,
            params=copy.deepcopy(params),
            method=method,
            sort_order=order,
        )
        for order, (code, name, points, indicator, formula, params, method) in enumerate(rows, first)
    ]


def completion_items(group: Group, codes: dict[str, Indicator]) -> list[Item]:
    """The items scored on the ledger's figures against targets (unsaved; ``COMPLETION_ITEMS``).
    ``codes``: the indicators by code. The bench scores them too (``bench_assessment``)."""
    return _table_items(group, COMPLETION_ITEMS, "completion", codes, 1)


def _items(group: Group, codes: dict[str, Indicator]) -> list[Item]:
    first = completion_items(group, codes)
    return first + _table_items(group, MANUAL_ITEMS, "manual", codes, len(first) + 1)


def load(rng: random.Random, county: Unit, today: dt.date) -> int:
    """Write the scheme of ``county`` for this year and publish each group's first quarter; returns
    the number of rankings published."""
    year = today.year
    scheme = services.create_scheme(by=None, county=county, year=year, name=f"{year}年度招商引资工作考核办法")
    codes = {i.code: i for i in Indicator.objects.filter(code__in=["funds_domestic", "projects_signed"])}
    for order, (name, kinds, bottom, least) in enumerate(GROUPS):
        group = Group.objects.create(
            scheme=scheme,
            name=name,
            unit_kinds=kinds,
            sort_order=order,
            tie_item="funds",
            grades=GRADES,
            bottom_n=bottom,
            least_units=least,
            top_n=bottom,
        )
        for item in _items(group, codes):
            services.save_item(item, by=None)
        GradeJump.objects.create(
            group=group,
            name="单季到位资金超2亿元直接晋档",
            indicator=codes["funds_domestic"],
            threshold=Decimal(20000),
        )
        units = Unit.objects.filter(parent=county, kind__in=kinds, is_active=True).order_by(
            "sort_order", "path"
        )
        leaders, information, returns = (
            group.items.get(code=c) for c in ("leaders", "information", "returns")
        )
        for unit in units:
            points = [
                (leaders, Decimal(rng.choice(["7", "8", "8.5", "9", "9.5"])), "县领导季度评分"),
                (information, Decimal(rng.randint(5, 10)), "一季度报送招商信息情况"),
            ]
            missed = rng.choice([0, 0, 0, 1, 2])
            if missed:  # a unit that missed no return has no deduction entered
                points.append((returns, Decimal(missed), f"一季度缺报月报{missed}次"))
            for item, value, reason in points:
                services.enter_manual(
                    item, unit, by=None, period="quarter", month=3, value=value, reason=reason
                )
    staff_group(scheme, len(GROUPS))
    for group in scheme.groups.all():  # once every group has its items: publishing freezes the scheme
        services.publish(group, by=None, year=year, period="quarter", month=3)
    return Ranking.objects.filter(scheme=scheme).count()


# 人人頭上有指標 (forms.md §4.1, 招商員月度績效比拼表): the townships' staff ranked on what the records
# credit to each of them; (code, name, points, formula, params, method).
STAFF_ITEMS = (
    ("introduced", "引进项目", 40, "ratio", {"weight": "40"}, "引进签约项目数÷个人任务×40分，最高40分"),
    (
        "stewarded",
        "项目保姆服务",
        30,
        "per_item",
        {"each": "10", "cap": "30"},
        "所包项目签约、开工、投产每个10分",
    ),
    ("visits", "走访企业", 30, "per_item", {"each": "5", "cap": "30"}, "每走访企业一次5分，最高30分"),
)


def staff_group(scheme: Scheme, order: int) -> Group:
    """The group of the townships' staff, each with a target of two projects introduced a quarter."""
    group = Group.objects.create(
        scheme=scheme,
        name="招商人员",
        subjects="persons",
        unit_kinds=["township"],
        sort_order=order,
        tie_item="introduced",
    )
    for n, (code, name, points, formula, params, method) in enumerate(STAFF_ITEMS, 1):
        item = Item(
            group=group, code=code, name=name, max_points=Decimal(points), source=code, formula=formula
        )
        item.params, item.method, item.sort_order = params, method, n
        services.save_item(item, by=None)
    introduced = group.items.get(code="introduced")
    for person in persons.members(group):
        services.set_person_target(introduced, User.objects.get(pk=person.user), Decimal(2), by=None)
    return group
