"""The grouped roll-ups the dashboard uses give exactly the figures of one ``subtree_figures`` per
unit and per month, at every level of a generated national tree; and they equal the plain GROUP BY
over the raw tables that ``make bench`` compares them with."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.services import children_figures, monthly_figures, subtree_figures
from zhaoshang.scale.bench import levels, postgres_raw, rollup
from zhaoshang.scale.generate import NATION_CODE, generate
from zhaoshang.units.models import Unit

KINDS = [k.value for k in Kind]


@pytest.fixture
def nation(db: Any) -> Unit:
    generate(600, seed=5, provinces=3)
    return Unit.objects.get(code=NATION_CODE)


def parents(nation: Unit) -> list[Unit]:
    """The nation, a province, a city and a county (a municipality's districts sit under its province)."""
    county = Unit.objects.filter(kind="county", parent__kind="city").order_by("pk").first()
    return [nation, county.parent.parent, county.parent, county]


@pytest.mark.parametrize("months", [range(1, 13), [3], [1, 2, 3, 4, 5, 6]])
def test_childrens_figures_equal_one_subtree_figures_per_child(nation: Unit, months: Any) -> None:
    year = timezone.localdate().year
    checked = 0
    for parent in parents(nation):
        children = list(Unit.objects.filter(parent=parent))
        grouped = children_figures(parent, children, year, months, KINDS)
        for child in children:
            assert grouped[child.pk] == subtree_figures(child, year, months, KINDS), child
            checked += bool(grouped[child.pk])
    assert checked > 10  # the comparison saw real figures, not only empty ones


def test_monthly_figures_equal_one_subtree_figures_per_month(nation: Unit) -> None:
    year = timezone.localdate().year
    for unit in [*parents(nation), Unit.objects.filter(kind="township").order_by("pk").first()]:
        grouped = monthly_figures(unit, year, KINDS)
        for month in range(1, 13):
            assert grouped.get(month, {}) == subtree_figures(unit, year, [month], KINDS), (unit, month)
    assert monthly_figures(nation, year, KINDS)


def test_the_rollups_equal_the_raw_group_by_at_every_level(nation: Unit) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the raw GROUP BY of the benchmark is PostgreSQL and DuckDB SQL")
    year = timezone.localdate().year
    for _level, unit in levels():
        figures = rollup(unit, year)
        assert figures
        assert figures == postgres_raw(unit, year)


def test_the_raw_group_by_leaves_out_projects_not_counted_and_counts_of_capital_increases(
    nation: Unit,
) -> None:
    """The benchmark's SQL restates the ledger's 不予認定, 增資 and later-phase rules (ledger/counting.py)."""
    from django.db import connection

    from zhaoshang.projects import services as projects
    from zhaoshang.projects.models import Project

    if connection.vendor != "postgresql":
        pytest.skip("the raw GROUP BY of the benchmark is PostgreSQL and DuckDB SQL")
    year = timezone.localdate().year
    signed = Project.objects.filter(signed_on__year=year).exclude(funds=None).order_by("pk")
    projects.update_project(signed[0], by=None, data={"exclusion": "real_estate"})  # type: ignore[arg-type]
    projects.update_project(signed[1], by=None, data={"capital_increase": True})  # type: ignore[arg-type]
    # a later phase (issue 19): its amounts count, its lead, talks, intent and signing do not
    later = {"phase_of": signed[3], "phase": 2}
    projects.update_project(signed[2], by=None, data=later)  # type: ignore[arg-type]
    for _level, unit in levels():
        assert rollup(unit, year) == postgres_raw(unit, year)


def test_the_raw_group_by_restates_the_counties_counting_rules(nation: Unit) -> None:
    """The generated counties' rules (a threshold rule, an origin-level rule of industrial projects)
    count in the roll-ups and the raw GROUP BY alike; a rule changed behind the ledger's back (no
    re-count) makes them differ, and the re-count of ``rules.update`` makes them agree again."""
    from decimal import Decimal

    from django.db import connection

    from zhaoshang.ledger import rules
    from zhaoshang.ledger.models import CountingRule

    if connection.vendor != "postgresql":
        pytest.skip("the raw GROUP BY of the benchmark is PostgreSQL and DuckDB SQL")
    year = timezone.localdate().year
    threshold = CountingRule.objects.filter(min_investment__isnull=False).select_related("indicator")
    origin = CountingRule.objects.filter(kinds__contains=["funds_outprovince"]).select_related("indicator")
    assert threshold.exists() and origin.exists()
    figures = rollup(nation, year)
    for sort in (threshold, origin):  # each sort of rule counts in some county this year
        assert any(figures.get(r.indicator.kind) for r in sort)
    # the county of a threshold rule with the most projects passing it
    rule = max(threshold, key=lambda r: rollup(r.indicator.county, year).get(r.indicator.kind, (0, 0))[0])
    county = rule.indicator.county
    assert rollup(county, year) == postgres_raw(county, year)
    assert rollup(county, year).get(rule.indicator.kind)
    beyond = Decimal(10**9)  # no project passes
    CountingRule.objects.filter(pk=rule.pk).update(min_investment=beyond)  # no re-count
    assert rollup(county, year) != postgres_raw(county, year)
    rules.update(rule.indicator, by=None, min_investment=beyond)  # the re-count
    assert rollup(county, year) == postgres_raw(county, year)
    for _level, unit in levels():
        assert rollup(unit, year) == postgres_raw(unit, year)
