"""Completion and progress against time, from the kept totals and the targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.completion import completion, percent, period_months, time_share
from zhaoshang.ledger.models import Indicator
from zhaoshang.targets.models import Target


def test_periods_cover_the_right_months():
    assert period_months("month", 5) == [5]
    assert period_months("quarter", 5) == [4, 5, 6]
    assert period_months("ytd", 5) == [1, 2, 3, 4, 5]


def test_time_share_is_the_part_of_the_year_gone():
    assert time_share(2025, [1, 2, 3, 4, 5, 6], dt.date(2026, 1, 1)) == Decimal("0.4959")  # 181 of 365 days
    assert time_share(2024, list(range(1, 13)), dt.date(2024, 7, 1)) == Decimal("0.5000")  # 183 of 366, leap
    assert time_share(2027, [1], dt.date(2026, 6, 1)) == Decimal(0)


def test_percentages_read_as_in_the_reports():
    assert percent(Decimal("11270"), Decimal("10000")) == Decimal("112.7")
    assert percent(Decimal("63"), Decimal("10000")) == Decimal("0.6")
    assert percent(Decimal("5"), None) is None and percent(Decimal("5"), Decimal(0)) is None


def test_a_unit_with_half_the_year_gone_and_a_third_done_is_behind(cast):
    indicator = Indicator.objects.get(code="funds_domestic")
    Target.objects.create(unit=cast.county, year=2024, indicator=indicator, value=Decimal(3000))
    funds_service.record_funds(
        cast.project(),
        by=cast.admin,
        arrived_on=dt.date(2024, 3, 1),
        source="domestic",
        amount=Decimal(1000),
        verified=True,
    )
    funds_service.record_funds(
        cast.project(), by=cast.admin, arrived_on=dt.date(2024, 4, 1), source="domestic", amount=Decimal(500)
    )
    row = next(
        r for r in completion(cast.county, 2024, "ytd", 6, dt.date(2024, 12, 31)) if r.indicator == indicator
    )
    assert (row.target, row.actual, row.reported) == (Decimal(3000), Decimal(1000), Decimal(500))
    assert row.completion == Decimal("33.3") and row.time_progress == Decimal("49.7") and row.behind
    month = next(
        r
        for r in completion(cast.county, 2024, "month", 4, dt.date(2024, 12, 31))
        if r.indicator == indicator
    )
    assert (month.actual, month.reported) == (Decimal(0), Decimal(500))


def test_an_indicator_without_a_target_has_no_completion(cast):
    rows = completion(cast.town_a, 2024, "ytd", 12, dt.date(2025, 1, 1))
    assert all(r.completion is None and not r.behind for r in rows)
    assert len(rows) == Indicator.objects.filter(is_active=True).count()
