"""The figures of landed enterprises: the ONE place their sums are made. The county's summary line
"全縣在冊外來企業22家，其中15家重點外來企業實現產值3.31億元，上交稅金2483萬元，安置就業1063人" is
``totals(...)`` of the county's enterprises for the year; the park page and the 畝均 evaluation read
these same rules. The ledger restates them for key enterprises as events, one per return
(``ledger.counting.return_figures``: jobs as the change of headcount within the year), and a test
holds the two together month by month (tests/test_figures.py).

Counting rules:
- output, sales, tax and energy of a period are the sums of the quarterly returns in it;
- jobs are people employed, not a flow: an enterprise's jobs in a period are those of its latest
  return in the period, and the total is the sum of that over the enterprises;
- only verified returns count (``status``); reported ones are summed apart, never mixed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from zhaoshang.enterprises.choices import ReturnStatus
from zhaoshang.enterprises.models import QuarterlyReturn

ZERO = Decimal(0)


@dataclass(frozen=True)
class Totals:
    """The figures of a set of enterprises over a period (amounts in 萬元, energy in tce)."""

    enterprises: int = 0
    key_enterprises: int = 0
    reporting: int = 0  # enterprises with at least one counted return in the period
    output: Decimal = ZERO
    sales: Decimal = ZERO
    tax: Decimal = ZERO
    jobs: int = 0
    energy: Decimal = ZERO
    per_enterprise: dict[int, dict[str, Decimal]] = field(default_factory=dict, compare=False)


def _returns(enterprises: QuerySet, year: int, quarters: tuple[int, ...], status: str) -> QuerySet:
    return QuarterlyReturn.objects.filter(
        enterprise__in=enterprises.values("pk"), year=year, quarter__in=quarters, status=status
    )


def totals(
    enterprises: QuerySet,
    year: int,
    *,
    up_to_quarter: int = 4,
    key_only: bool = False,
    status: str = ReturnStatus.VERIFIED,
) -> Totals:
    """The figures of ``enterprises`` (already scoped by the caller) for ``year`` up to the end of
    ``up_to_quarter``; ``key_only`` keeps the key enterprises (重點) for the figures, while the counts
    say how many are registered in all and how many of them are key."""
    counts = enterprises.aggregate(n=Count("pk"), key=Count("pk", filter=Q(key=True)))
    counted = enterprises.filter(key=True) if key_only else enterprises
    quarters = tuple(range(1, up_to_quarter + 1))
    rows = _returns(counted, year, quarters, status).values(
        "enterprise_id", "quarter", "output", "sales", "tax", "jobs", "energy"
    )
    per: dict[int, dict[str, Decimal]] = {}
    jobs: dict[int, tuple[int, int]] = {}  # enterprise -> (latest quarter, its headcount)
    for row in rows.order_by("enterprise_id", "quarter"):
        e = row["enterprise_id"]
        sums = per.setdefault(e, {"output": ZERO, "sales": ZERO, "tax": ZERO, "energy": ZERO})
        for name in ("output", "sales", "tax"):
            sums[name] += row[name]
        sums["energy"] += row["energy"] or ZERO
        if row["quarter"] >= jobs.get(e, (0, 0))[0]:  # jobs: the latest quarter's headcount
            jobs[e] = (row["quarter"], row["jobs"])

    def total(name: str) -> Decimal:
        return sum((s[name] for s in per.values()), ZERO)

    return Totals(
        enterprises=counts["n"],
        key_enterprises=counts["key"],
        reporting=len(per),
        output=total("output"),
        sales=total("sales"),
        tax=total("tax"),
        jobs=sum(headcount for _quarter, headcount in jobs.values()),
        energy=total("energy"),
        per_enterprise={e: {**sums, "jobs": Decimal(jobs[e][1])} for e, sums in per.items()},
    )


def yi(amount_wan: Decimal, places: int = 2) -> Decimal:
    """萬元 as 億元, rounded half up to ``places`` decimals (3.31億元)."""
    return (amount_wan / Decimal(10000)).quantize(Decimal(1).scaleb(-places))


def land_totals(enterprises: QuerySet) -> Decimal:
    """The land (畝) the enterprises occupy."""
    return enterprises.aggregate(s=Sum("land_mu"))["s"] or ZERO
