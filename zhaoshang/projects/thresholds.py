"""A county's amount thresholds (統計口徑的金額門檻, forms.md section 4.2: 亿元以上项目, 3000万元以上工业项目,
重点项目): which projects are large, large industrial, or key. Each is one ``Q`` over projects, so the
project list, the drill-down of signed projects and the counting functions filter with the same rule.

Thresholds are in 万元 of total investment. A foreign project (万美元) is compared at the latest
yearly exchange rate kept (``ledger.ExchangeRate``); without one, foreign projects are not compared.
A county without a ``Thresholds`` row uses the defaults.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.db.models import Q

from zhaoshang.core import tree
from zhaoshang.projects.choices import Currency
from zhaoshang.projects.models import Project, Thresholds
from zhaoshang.units.models import Unit

Size = Literal["large", "industrial", "key"]
SIZES: tuple[Size, ...] = ("large", "industrial", "key")
DEFAULTS: dict[str, Decimal] = {"large": Decimal(10000), "industrial": Decimal(3000), "key": Decimal(10000)}
# 工业 in the statistics: mining, manufacturing, electricity/heat/gas/water (GB/T 4754 B, C, D).
INDUSTRIAL_SECTIONS = ("B", "C", "D")


def for_county(county: Unit | None) -> Thresholds:
    """The county's thresholds, or the defaults (unsaved) when it has none."""
    found = Thresholds.objects.filter(county=county).first() if county is not None else None
    return found or Thresholds(county=county, **DEFAULTS)


def _usd_rate() -> Decimal | None:
    from zhaoshang.ledger.models import ExchangeRate

    latest = ExchangeRate.objects.order_by("-year").first()
    return latest.cny_per_usd if latest else None


def _at_least(amount: Decimal, rate: Decimal | None, prefix: str) -> Q:
    """Total investment of at least ``amount`` 万元 (a foreign project converted at ``rate``)."""
    q = Q(**{f"{prefix}currency": Currency.CNY, f"{prefix}total_investment__gte": amount})
    if rate:
        usd = (amount / rate).quantize(Decimal("0.0001"))
        q |= Q(**{f"{prefix}currency": Currency.USD, f"{prefix}total_investment__gte": usd})
    return q


def size_q(size: str, prefix: str = "") -> Q:
    """Projects of ``size`` by their county's thresholds: ``large`` (亿元以上), ``industrial``
    (3000万元以上 industrial: sections B, C, D) or ``key`` (重点: marked by hand, or of at least the
    key threshold). ``prefix`` names the project from another model (``"project__"`` for events)."""
    rate = _usd_rate()
    path = f"{prefix}unit__path"
    rows = list(Thresholds.objects.select_related("county"))
    # Every county without a row: the default, outside the subtrees of the counties that have one.
    q = _at_least(DEFAULTS[size], rate, prefix)
    for row in rows:
        q &= ~tree.subtree_q(row.county.path, path)
    for row in rows:
        q |= tree.subtree_q(row.county.path, path) & _at_least(getattr(row, size), rate, prefix)
    if size == "industrial":
        q &= Q(**{f"{prefix}industry_section__in": INDUSTRIAL_SECTIONS})
    if size == "key":
        q |= Q(**{f"{prefix}is_key": True})
    return q


def is_key(project: Project) -> bool:
    """Whether one project is key: marked by hand, or of at least its county's key threshold."""
    return Project.objects.filter(size_q("key"), pk=project.pk).exists()
