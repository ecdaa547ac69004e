"""The 畝均效益 evaluation: output per mu of land, as the counties' "畝均論英雄" schemes score it.

Each evaluated enterprise gets, per indicator, ``points = weight × min(value / benchmark, CAP)``:
tax per mu (稅收/畝), sales per mu (銷售/畝) and, where energy use was reported, tax per tonne of
standard coal (稅收/噸標煤). Defaults of the weights come from a real scheme (45 / 35 / 20 %). An
enterprise without energy figures has the energy weight shared out over the other two in
proportion, so it is neither rewarded nor punished for the missing figure. The benchmark of an
indicator is the scheme's, or else the county's own average (sum of the enterprises' values'
numerators over the sum of their denominators). Enterprises are ranked by score (two decimals, so
that a tie is a tie on the page); the top ``share_a`` are class A, the bottom ``share_d`` class D,
the next ``share_b`` after A class B and the rest C. Class counts are the shares of the number
evaluated, rounded half up. **Ties at a class edge go to the better class**: an enterprise's class
is that of the first place its score holds (1, 2, 2, 4 ranking). An enterprise without land cannot
be measured per mu: it is listed as not evaluated, with the reason. Zero tax is a figure: it scores
zero on the tax indicators.

The figures are the verified returns of the year, summed by ``figures.totals`` (the one place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.enterprises.figures import ZERO, totals

CAP = Decimal("1.5")  # one indicator earns at most 1.5 × its weight: one strength cannot carry all
HUNDRED = Decimal(100)
POINTS = Decimal("0.01")
CLASSES = ("A", "B", "C", "D")

INDICATORS = {
    "tax_mu": gettext_lazy("Tax per mu (10k yuan)"),
    "sales_mu": gettext_lazy("Sales per mu (10k yuan)"),
    "tax_energy": gettext_lazy("Tax per tonne of standard coal (10k yuan)"),
}


@dataclass(frozen=True)
class Scheme:
    """Weights in per cent (summing to 100), benchmarks (None: the county's average), class shares
    in per cent (A from the top, D from the bottom, B after A; C is the rest)."""

    weight_tax_mu: Decimal = Decimal(45)
    weight_sales_mu: Decimal = Decimal(35)
    weight_tax_energy: Decimal = Decimal(20)
    benchmark_tax_mu: Decimal | None = None
    benchmark_sales_mu: Decimal | None = None
    benchmark_tax_energy: Decimal | None = None
    share_a: Decimal = Decimal(20)
    share_b: Decimal = Decimal(50)
    share_d: Decimal = Decimal(5)

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.weight_tax_mu + self.weight_sales_mu + self.weight_tax_energy != HUNDRED:
            errors["weight_tax_mu"] = _("The weights must add up to 100.")
        if self.share_a + self.share_b + self.share_d > HUNDRED:
            errors["share_a"] = _("The shares of classes A, B and D cannot exceed 100 together.")
        for name in ("benchmark_tax_mu", "benchmark_sales_mu", "benchmark_tax_energy"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                errors[name] = _("A benchmark must be greater than zero.")
        return errors


@dataclass
class Line:
    """One indicator of one enterprise: the value, its benchmark, the weight used and the points."""

    key: str
    value: Decimal | None
    benchmark: Decimal | None
    weight: Decimal
    points: Decimal

    @property
    def label(self) -> str:
        return str(INDICATORS[self.key])


@dataclass
class Result:
    enterprise_id: int
    name: str
    land_mu: Decimal | None
    tax: Decimal
    sales: Decimal
    energy: Decimal
    lines: list[Line] = field(default_factory=list)
    score: Decimal = ZERO
    rank: int = 0
    grade: str = ""
    reason: str = ""  # why not evaluated


@dataclass(frozen=True)
class Benchmark:
    """The benchmark of one indicator for the whole county: the scheme's, or the county's average
    over all its evaluated enterprises (the same for every reader, whatever part of the county they
    see: a township's enterprises are measured against the county, decision 41)."""

    key: str
    value: Decimal | None
    set_by_scheme: bool

    @property
    def label(self) -> str:
        return str(INDICATORS[self.key])


def _ratio(numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
    if denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _count(n: int, share: Decimal) -> int:
    return int((Decimal(n) * share / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _benchmarks(rated: list[Result], scheme: Scheme) -> dict[str, Decimal | None]:
    land = sum((r.land_mu or ZERO for r in rated), ZERO)
    with_energy = [r for r in rated if r.energy > 0]
    energy = sum((r.energy for r in with_energy), ZERO)
    return {
        "tax_mu": scheme.benchmark_tax_mu or _ratio(sum((r.tax for r in rated), ZERO), land),
        "sales_mu": scheme.benchmark_sales_mu or _ratio(sum((r.sales for r in rated), ZERO), land),
        "tax_energy": scheme.benchmark_tax_energy or _ratio(sum((r.tax for r in with_energy), ZERO), energy),
    }


def _score(result: Result, scheme: Scheme, benchmarks: dict[str, Decimal | None]) -> None:
    land = result.land_mu
    values = {
        "tax_mu": _ratio(result.tax, land),
        "sales_mu": _ratio(result.sales, land),
        "tax_energy": _ratio(result.tax, result.energy) if result.energy > 0 else None,
    }
    weights = {
        "tax_mu": scheme.weight_tax_mu,
        "sales_mu": scheme.weight_sales_mu,
        "tax_energy": scheme.weight_tax_energy,
    }
    if values["tax_energy"] is None or benchmarks["tax_energy"] is None:
        rest = weights["tax_mu"] + weights["sales_mu"]
        for key in ("tax_mu", "sales_mu"):
            weights[key] = weights[key] + weights["tax_energy"] * weights[key] / rest if rest else ZERO
        weights["tax_energy"] = ZERO
    for key, value in values.items():
        benchmark = benchmarks[key]
        ratio = min(value / benchmark, CAP) if value is not None and benchmark else ZERO
        points = (weights[key] * ratio).quantize(POINTS, rounding=ROUND_HALF_UP)
        result.lines.append(Line(key, value, benchmark, weights[key], points))
    result.score = sum((line.points for line in result.lines), ZERO)


def _grade(rated: list[Result], scheme: Scheme) -> None:
    n = len(rated)
    n_a, n_b, n_d = _count(n, scheme.share_a), _count(n, scheme.share_b), _count(n, scheme.share_d)
    rated.sort(key=lambda r: (-r.score, r.name, r.enterprise_id))
    first_place = 0
    for position, result in enumerate(rated):
        if position == 0 or result.score != rated[position - 1].score:
            first_place = position  # a tie keeps the place (and class) of the first of its score
        result.rank = first_place + 1
        if first_place < n_a:
            result.grade = "A"
        elif first_place < n_a + n_b:
            result.grade = "B"
        elif first_place < n - n_d:
            result.grade = "C"
        else:
            result.grade = "D"


def evaluate(enterprises: QuerySet, year: int, scheme: Scheme | None = None) -> list[Result]:
    """Every enterprise of ``enterprises`` with verified returns in ``year``: evaluated ones ranked
    and classed first, then those that could not be evaluated (no land), with the reason."""
    return evaluation(enterprises, year, scheme)[0]


def evaluation(
    enterprises: QuerySet, year: int, scheme: Scheme | None = None
) -> tuple[list[Result], list[Benchmark]]:
    """``evaluate``'s results and the benchmarks they were measured against."""
    scheme = scheme or Scheme()
    figures = totals(enterprises, year).per_enterprise
    rows = enterprises.filter(pk__in=list(figures)).values_list("pk", "name", "land_mu")
    rated: list[Result] = []
    unrated: list[Result] = []
    for pk, name, land in rows:
        sums = figures[pk]
        result = Result(pk, name, land, sums["tax"], sums["sales"], sums["energy"])
        if land is None or land <= 0:
            result.reason = _("No land recorded: output per mu cannot be measured.")
            unrated.append(result)
        else:
            rated.append(result)
    benchmarks = _benchmarks(rated, scheme)
    for result in rated:
        _score(result, scheme, benchmarks)
    _grade(rated, scheme)
    used = [
        Benchmark(key, benchmarks[key], getattr(scheme, f"benchmark_{key}") is not None) for key in INDICATORS
    ]
    return rated + sorted(unrated, key=lambda r: (r.name, r.enterprise_id)), used


SCHEME_FIELDS = tuple(Scheme.__dataclass_fields__)


def scheme_for(county: Any, year: int) -> Scheme:
    """The county's scheme of the year, or the defaults."""
    from zhaoshang.enterprises.models import EvaluationScheme

    row = EvaluationScheme.objects.filter(county=county, year=year).first()
    return Scheme(**{name: getattr(row, name) for name in SCHEME_FIELDS}) if row is not None else Scheme()


@transaction.atomic
def save_scheme(*, by: Any, county: Any, year: int, data: dict[str, Any]) -> Any:
    """The bureau sets its county's scheme of a year (those who may verify enterprise figures)."""
    from zhaoshang.enterprises.models import EvaluationScheme

    if by is not None and not user_can(by, Action.VERIFY, county, on=ObjectType.PROJECT):
        raise OutOfScope(_("Only the bureau of %(county)s sets its evaluation scheme.") % {"county": county})
    scheme = Scheme(**{name: data.get(name, getattr(Scheme(), name)) for name in SCHEME_FIELDS})
    if problems := scheme.problems():
        raise ValidationError(problems)
    row = for_update(EvaluationScheme.objects).filter(county=county, year=year).first()
    before = audit.snapshot(row) if row is not None else None
    row = row or EvaluationScheme(county=county, year=year)
    for name in SCHEME_FIELDS:
        setattr(row, name, getattr(scheme, name))
    row.save()
    action = audit.Entry.Action.UPDATE if before is not None else audit.Entry.Action.CREATE
    audit.record(action, row, by=by, unit=county, before=before, after=audit.snapshot(row))
    return row
