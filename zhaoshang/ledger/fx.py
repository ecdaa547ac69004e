"""Exchange rates (年度汇率) and CNY totals that include foreign money converted, said as such.

Foreign funds (境外, incl. Hong Kong, Macau and Taiwan) are counted in 万美元 and never mixed into a
CNY figure silently: a CNY total that includes them names the rate it used ("含境外资金按X折算"), and
when the year has no rate it says so and gives no total rather than guess. One rate per year for the
deployment (CNY per USD, the yearly rate the statistics communiqué uses), kept by a bureau
administrator (whoever may configure targets) on ``ledger:rates``; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import scope_roots
from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.counting import FOUR_PLACES
from zhaoshang.ledger.models import ExchangeRate

if TYPE_CHECKING:
    from collections.abc import Iterable

    from zhaoshang.accounts.models import User
    from zhaoshang.units.models import Unit

LOWEST, HIGHEST = Decimal("0.0001"), Decimal("1000")


def may_keep_rates(user: User | None) -> bool:
    """Bureau administrators (and system administrators): whoever may configure targets somewhere."""
    return bool(scope_roots(user, Action.CONFIGURE, on=ObjectType.TARGET))


def rate_of(year: int) -> Decimal | None:
    return ExchangeRate.objects.filter(year=year).values_list("cny_per_usd", flat=True).first()


@transaction.atomic
def set_rate(*, by: User | None, year: int, cny_per_usd: Decimal) -> ExchangeRate:
    """Keep the rate of a year (create or change it), audited."""
    if by is not None and not may_keep_rates(by):
        raise OutOfScope(_("Only a bureau administrator may keep the exchange rates."))
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 1990 and 2100.")})
    if not LOWEST <= cny_per_usd <= HIGHEST:
        raise ValidationError({"cny_per_usd": _("Give the rate as CNY per USD, e.g. 7.1884.")})
    rate = for_update(ExchangeRate.objects).filter(year=year).first()
    before = audit.snapshot(rate) if rate else None
    if rate is None:
        rate = ExchangeRate(year=year)
    rate.cny_per_usd = cny_per_usd
    rate.full_clean()
    rate.save()
    after = audit.snapshot(rate)
    if before is None:
        audit.record(audit.Entry.Action.CREATE, rate, by=by, unit=None, after=after)
    elif before != after:
        audit.record(audit.Entry.Action.UPDATE, rate, by=by, unit=None, before=before, after=after)
    return rate


@dataclass(frozen=True)
class CnyTotal:
    """Domestic funds (万元) and foreign funds (万美元) of one year, and their sum in 万元 at the
    year's rate; ``total`` is None when there are foreign funds and no rate to convert them."""

    year: int
    domestic: Decimal
    foreign: Decimal
    rate: Decimal | None

    @property
    def converted(self) -> Decimal | None:
        """The foreign funds in 万元, or None without a rate."""
        if self.rate is None:
            return None
        return (self.foreign * self.rate).quantize(FOUR_PLACES, ROUND_HALF_UP)

    @property
    def total(self) -> Decimal | None:
        if not self.foreign:
            return self.domestic
        converted = self.converted
        return None if converted is None else self.domestic + converted


def cny_total(year: int, domestic: Decimal, foreign: Decimal) -> CnyTotal:
    return CnyTotal(year, domestic, foreign, rate_of(year))


def funds_in_cny(unit: Unit, year: int, months: Iterable[int]) -> CnyTotal:
    """The verified funds arrived of ``unit``'s subtree in ``months`` of ``year``, in 万元, foreign
    funds converted at the year's rate (one grouped read of the kept totals)."""
    from zhaoshang.ledger.services import subtree_figures

    zero = (Decimal(0), Decimal(0))
    figures = subtree_figures(unit, year, months, [Kind.FUNDS_DOMESTIC, Kind.FUNDS_FOREIGN])
    return cny_total(
        year, figures.get(Kind.FUNDS_DOMESTIC, zero)[0], figures.get(Kind.FUNDS_FOREIGN, zero)[0]
    )
