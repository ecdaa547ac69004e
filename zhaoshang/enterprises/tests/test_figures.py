"""The reference report's figures of landed enterprises come out of ``figures.totals``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhaoshang.enterprises import services
from zhaoshang.enterprises.figures import totals, yi
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.helpers import enterprise, reference_county

LAST_YEAR = dt.date.today().year - 1


def test_22_registered_and_15_key_enterprises_make_331_million_2483_tax_and_1063_jobs(cast):
    reference_county(cast, LAST_YEAR)
    county = Enterprise.objects.visible_to(cast.admin)
    figures = totals(county, LAST_YEAR, key_only=True)
    assert (figures.enterprises, figures.key_enterprises, figures.reporting) == (22, 15, 15)
    assert f"{yi(figures.output)}亿元" == "3.31亿元"
    assert figures.tax == Decimal(2483)
    assert figures.jobs == 1063


def test_a_reported_but_unverified_return_is_summed_apart(cast):
    reference_county(cast, LAST_YEAR)
    late = enterprise(cast, 99, key=True)
    services.record_return(
        late,
        by=cast.operator_a,
        year=LAST_YEAR,
        quarter=4,
        output=Decimal(500),
        sales=0,
        tax=Decimal(7),
        jobs=9,
    )
    county = Enterprise.objects.visible_to(cast.admin)
    assert totals(county, LAST_YEAR, key_only=True).tax == Decimal(2483)
    reported = totals(county, LAST_YEAR, key_only=True, status="reported")
    assert (reported.tax, reported.jobs, reported.output) == (Decimal(7), 9, Decimal(500))


def test_a_township_sees_the_figures_of_its_own_enterprises_only(cast):
    reference_county(cast, LAST_YEAR)
    own = totals(Enterprise.objects.visible_to(cast.operator_a), LAST_YEAR, key_only=True)
    # Township A holds the odd-numbered ones: 7 of the 15 key enterprises (all of the smaller kind).
    assert (own.enterprises, own.key_enterprises, own.jobs, own.tax) == (11, 7, 7 * 70, Decimal(7 * 165))
    assert totals(Enterprise.objects.visible_to(cast.stranger), LAST_YEAR).enterprises == 0


def test_the_first_three_quarters_count_up_to_the_third(cast):
    reference_county(cast, LAST_YEAR)
    county = Enterprise.objects.visible_to(cast.admin)
    three = totals(county, LAST_YEAR, up_to_quarter=3, key_only=True)
    assert three.tax == Decimal(2483) * 3 / 4
    assert three.jobs == 1063 - 15 * 5  # the third quarter's headcount
