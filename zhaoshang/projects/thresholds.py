"""A county's amount thresholds (統計口徑的金額門檻, forms.md section 4.2: 亿元以上项目, 3000万元以上工业项目,
重点项目): which projects are large, large industrial, or key. Each is one ``Q`` over projects, so the
project list, the drill-down of signed projects and the counting functions filter with the same rule.

Thresholds are in 万元 of total investment. A foreign project (万美元) is compared at the latest
yearly exchange rate kept (``ledger.ExchangeRate``); without one, foreign projects are not compared.
A county without a ``Thresholds`` row uses the defaults.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
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


def may_set(user: Any, county: Unit) -> bool:
    """The county's bureau administrator (who configures its targets) keeps its thresholds."""
    from zhaoshang.core.permissions import Action, ObjectType
    from zhaoshang.core.scoping import user_can

    return user_can(user, Action.CONFIGURE, county, on=ObjectType.TARGET)


@transaction.atomic
def set_thresholds(county: Unit, *, by: Any, large: Decimal, industrial: Decimal, key: Decimal) -> Thresholds:
    """Keep a county's thresholds (create its row or change it), audited like the other settings.
    Nothing is re-counted: the thresholds filter projects and events where they are read
    (``size_q``), they are not ledger kinds (decision 52)."""
    from django.utils.translation import gettext as _

    from zhaoshang.audit import services as audit
    from zhaoshang.core.errors import OutOfScope, ValidationError
    from zhaoshang.core.queries import for_update
    from zhaoshang.units.choices import UnitKind

    if county.kind != UnitKind.COUNTY:
        raise ValidationError({"county": _("Thresholds are kept by counties.")})
    if by is not None and not may_set(by, county):
        raise OutOfScope(_("Only the bureau of %(county)s may change its thresholds.") % {"county": county})
    values = {"large": large, "industrial": industrial, "key": key}
    for name, value in values.items():
        if value is None or value < 0:
            raise ValidationError({name: _("Enter an amount of at least 0.")})
    row = for_update(Thresholds.objects).filter(county=county).first()
    before = audit.snapshot(row) if row else None
    if row is None:
        row = Thresholds(county=county)
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean(exclude=["county"])
    row.save()
    after = audit.snapshot(row)
    if after != before:
        action = audit.Entry.Action.UPDATE if before else audit.Entry.Action.CREATE
        audit.record(action, row, by=by, unit=county, before=before, after=after)
    return row
