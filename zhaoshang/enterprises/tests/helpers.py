"""Helpers of the enterprise tests: valid credit codes, and the county's 22 registered enterprises
of which 15 are key, with the returns of the reference report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.investors.creditcode import check_character


def credit_code(n: int) -> str:
    first17 = f"91990101{n:09d}"
    return first17 + check_character(first17)


def enterprise(cast: Any, n: int, unit: Any = None, **data: Any) -> Enterprise:
    values = {"name": f"外来企业{n}", "credit_code": credit_code(n), "unit": unit or cast.town_a, **data}
    return services.register_enterprise(by=None, data=values)


# Per key enterprise and year (万元 and people): 14 alike and one bigger, so that the county sums
# to 产值3.31亿元, 税金2483万元, 就业1063人.
KEY_YEAR = [(Decimal(2200), Decimal(165), 70)] * 14 + [(Decimal(2300), Decimal(173), 83)]


def reference_county(cast: Any, year: int) -> list[Enterprise]:
    """22 registered enterprises in the county, 15 of them key with four verified returns each; the
    7 others report too (they are not in the key figures). Jobs grow through the year: the year's
    jobs are the last quarter's headcount, never the sum of the quarters."""
    made = []
    for n in range(22):
        unit = cast.town_a if n % 2 else cast.town_b
        made.append(enterprise(cast, n + 1, unit=unit, key=n < 15, land_mu=Decimal(50)))
    for n, e in enumerate(made):
        output, tax, jobs = KEY_YEAR[n] if n < 15 else (Decimal(999), Decimal(99), 99)
        for quarter in (1, 2, 3, 4):
            services.record_return(
                e,
                by=cast.admin,
                year=year,
                quarter=quarter,
                output=output / 4,
                sales=output / 4,
                tax=tax / 4,
                jobs=jobs - (4 - quarter) * 5,
                verified=True,
            )
    return made
