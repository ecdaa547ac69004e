"""A county's own indicators from counting rules (统计口径, ledger.rules): each filter counts the
projects it should, through the ledger's one counting module; a rule change re-counts that county
only, in line with what a fresh sync implies; only the county's bureau defines and changes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.ledger import funds, rules
from zhaoshang.ledger.completion import completion
from zhaoshang.ledger.drilldown import Period, records_behind
from zhaoshang.ledger.indicators import update_indicator
from zhaoshang.ledger.models import Event, ExchangeRate, Indicator, Total
from zhaoshang.ledger.services import implied, mismatches, recorded, subtree_figures, sync, totals_from_ledger
from zhaoshang.projects import services as projects
from zhaoshang.projects.models import Project
from zhaoshang.targets.models import Target
from zhaoshang.units.models import Unit

YEAR = 2024
ZERO = (Decimal(0), Decimal(0))


def figure(indicator, unit, year=YEAR):
    return indicator.figure(subtree_figures(unit, year, kinds=indicator.kinds))


def signed(
    cast, name, *, unit=None, on=dt.date(YEAR, 4, 1), amount=Decimal(4000), section="C", by=None, **data
):
    return cast.project(
        unit=unit,
        name=name,
        stage="signed",
        signed_on=on,
        contracted_amount=amount,
        total_investment=amount,
        industry_section=section,
        by=by or cast.admin,
        **data,
    )


def define(cast, county=None, by=None, **rule):
    return rules.define(
        by=by or cast.admin,
        county=county or cast.county,
        name_zh="3000万元以上工业项目",
        name_en="Industrial projects of 30 million or more",
        measure="count",
        **({"kinds": ["signed"]} | rule),
    )


def agrees():
    """The kept totals are the sums of the events, and every project's events are what it implies."""
    assert mismatches(totals_from_ledger()) == []
    for project in Project.objects.all():
        assert implied(project) == recorded(project), project


def test_a_county_rule_counts_the_projects_that_pass_every_filter(cast):
    big = signed(cast, "亿元工业", amount=Decimal(12000), introducer_type="investor")
    signed(cast, "中型商贸", section="F", introducer_type="investor")  # not industrial
    signed(cast, "小型工业", amount=Decimal(2000), introducer_type="investor")  # under the threshold
    signed(cast, "自办工业", introducer_type="own")  # not 以商引商
    indicator = define(
        cast, industry_sections=["B", "C", "D"], min_investment=Decimal(3000), introducer_types=["investor"]
    )
    assert indicator.kind == indicator.code == f"c_{indicator.pk}" and indicator.county == cast.county
    assert figure(indicator, cast.county) == (Decimal(1), Decimal(0))  # counted at once: 亿元工业
    later = signed(cast, "中型工业", introducer_type="investor")  # counted when it syncs
    assert figure(indicator, cast.county) == (Decimal(2), Decimal(0))
    behind = records_behind(indicator, cast.county, Period.of(YEAR))
    assert {line.project.pk for line in behind.lines} == {big.pk, later.pk} and behind.verified == 2
    agrees()


def test_a_rule_sums_its_base_kinds_and_an_origin_level(cast):
    Unit.objects.filter(pk=cast.county.pk).update(place_code="341525")  # 霍山县
    project = signed(cast, "工业项目")
    funds.record_funds(
        project,
        by=cast.admin,
        arrived_on=dt.date(YEAR, 5, 3),
        source="domestic",
        amount=Decimal(300),
        origin="330302",  # 浙江温州鹿城: another province
        verified=True,
    )
    indicator = define(cast, kinds=["funds_outprovince", "contracted_cny"], industry_sections=["C"])
    assert figure(indicator, cast.county) == (Decimal(4300), Decimal(0))
    agrees()


def test_new_or_continuing_key_and_foreign_projects_at_the_rules_rate(cast):
    cast.project(
        name="去年开工",
        stage="started",
        signed_on=dt.date(YEAR - 1, 3, 1),
        started_on=dt.date(YEAR - 1, 3, 1),
        contracted_amount=Decimal(100),
        by=cast.admin,
    )
    this_year = cast.project(
        name="今年开工",
        stage="started",
        signed_on=dt.date(YEAR, 3, 1),
        started_on=dt.date(YEAR, 3, 1),
        contracted_amount=Decimal(100),
        is_key=True,
        by=cast.admin,
    )
    new = define(cast, kinds=["started"], construction="new")
    key = define(cast, kinds=["signed", "started"], key_only=True)
    assert figure(new, cast.county) == (Decimal(1), Decimal(0))
    assert figure(new, cast.county, YEAR - 1) == (Decimal(1), Decimal(0))  # new in its own year
    assert figure(key, cast.county) == (Decimal(2), Decimal(0))  # 今年开工 signed and started
    assert {line.project.pk for line in records_behind(key, cast.county, Period.of(YEAR)).lines} == {
        this_year.pk
    }
    signed(cast, "外资", amount=Decimal(500), currency="USD")  # 万美元
    large = define(cast, min_investment=Decimal(3000))
    assert figure(large, cast.county)[0] == 1  # 今年开工 (5000万元); 外资 not compared without a rate
    ExchangeRate.objects.create(year=YEAR, cny_per_usd=Decimal("7.0000"))
    rules.update(large, by=cast.admin, min_investment=Decimal(3000))  # saved again: the rate now kept
    assert figure(large, cast.county)[0] == 2  # 外资: 500万美元 at 7 is 3500万元
    agrees()


def test_a_project_not_counted_keeps_its_rule_figures_apart(cast):
    project = signed(cast, "房地产")
    indicator = define(cast)
    projects.update_project(project, by=cast.admin, data={"exclusion": "real_estate"})
    assert figure(indicator, cast.county) == ZERO
    apart = subtree_figures(cast.county, YEAR, kinds=[f"x_{indicator.kind}"])
    assert apart[f"x_{indicator.kind}"] == (Decimal(1), Decimal(0))
    rules.update(indicator, by=cast.admin, industry_sections=["F"])  # the re-count keeps it apart too
    assert (
        subtree_figures(cast.county, YEAR, kinds=[f"x_{indicator.kind}"]).get(f"x_{indicator.kind}", ZERO)[0]
        == 0
    )
    agrees()


def test_changing_a_rule_recounts_that_county_only(cast):
    for name, amount in (("甲", 2000), ("乙", 4000), ("丙", 12000)):
        signed(cast, name, amount=Decimal(amount))
    neighbour = rules.define(
        by=cast.stranger,
        county=cast.other_county,
        name_zh="邻县工业项目",
        name_en="Neighbour's industrial projects",
        measure="count",
        kinds=["signed"],
        min_investment=Decimal(1000),
    )
    signed(cast, "邻县项目", unit=cast.other_town, amount=Decimal(2000), by=cast.stranger)
    indicator = define(cast, min_investment=Decimal(3000))
    Target.objects.create(unit=cast.county, year=YEAR, indicator=indicator, value=Decimal(4))
    assert figure(indicator, cast.county)[0] == 2
    theirs = list(Total.objects.filter(unit_path__startswith=cast.other_county.path).values_list())
    their_events = Event.objects.filter(unit__path__startswith=cast.other_county.path).count()
    assert rules.update(indicator, by=cast.admin, min_investment=Decimal(1000)) == 1
    assert figure(indicator, cast.county)[0] == 3
    row = next(
        r for r in completion(cast.county, YEAR, "ytd", 12, dt.date(YEAR, 12, 31)) if r.indicator == indicator
    )
    assert (row.actual, row.target, row.completion) == (Decimal(3), Decimal(4), Decimal("75.0"))
    assert rules.update(indicator, by=cast.admin, min_investment=Decimal(10000)) == 2  # 乙 and 甲 taken back
    assert figure(indicator, cast.county)[0] == 1
    assert list(Total.objects.filter(unit_path__startswith=cast.other_county.path).values_list()) == theirs
    assert Event.objects.filter(unit__path__startswith=cast.other_county.path).count() == their_events
    assert figure(neighbour, cast.other_county)[0] == 1
    assert rules.update(indicator, by=cast.admin, name_zh="亿元以上工业项目") == 0  # a name re-counts nothing
    agrees()
    for project in Project.objects.all():  # a sync after the re-count appends nothing
        assert sync(project) == 0


def test_a_county_indicator_is_read_in_its_county_only(cast):
    indicator = define(cast)
    assert indicator in Indicator.objects.for_unit(cast.town_a)
    assert indicator not in Indicator.objects.for_unit(cast.other_town)
    assert indicator not in Indicator.objects.for_unit(cast.city)  # above the counties: the shared set
    assert Indicator.objects.get(code="funds_domestic") in Indicator.objects.for_unit(cast.other_town)
    assert indicator in [r.indicator for r in completion(cast.town_a, YEAR, "ytd", 12, dt.date(YEAR, 12, 31))]
    assert indicator not in [
        r.indicator for r in completion(cast.city, YEAR, "ytd", 12, dt.date(YEAR, 12, 31))
    ]
    assert indicator not in [
        r.indicator for r in completion(cast.other_town, YEAR, "ytd", 12, dt.date(YEAR, 12, 31))
    ]


def test_only_the_countys_bureau_defines_and_changes_its_indicators(cast):
    with pytest.raises(OutOfScope):
        define(cast, by=cast.stranger)  # another county's bureau
    with pytest.raises(OutOfScope):
        define(cast, by=cast.operator_a)
    with pytest.raises(ValidationError):
        define(cast, county=cast.town_a)  # a township has no indicators of its own
    with pytest.raises(ValidationError):
        define(cast, kinds=["visitors"])  # no project behind it: no filter could apply
    with pytest.raises(ValidationError):
        define(cast, kinds=[])
    indicator = define(cast)
    with pytest.raises(OutOfScope):
        rules.update(indicator, by=cast.stranger, min_investment=Decimal(1))
    with pytest.raises(OutOfScope):
        update_indicator(indicator, by=cast.stranger, name_zh="改名")
    with pytest.raises(ValidationError):
        rules.update(indicator, by=cast.admin, measure="wan_cny")  # fixed once it exists
    update_indicator(indicator, by=cast.admin, name_zh="工业项目")  # its own county's bureau may
    shared = Indicator.objects.get(code="funds_domestic")
    with pytest.raises(OutOfScope):
        update_indicator(shared, by=cast.admin, name_zh="改名")  # the shared set is not the county's
    with pytest.raises(ValidationError):
        rules.update(shared, by=cast.admin, min_investment=Decimal(1))


def test_targets_are_set_on_a_county_indicator_in_that_county_only(cast):
    from zhaoshang.targets import services as targets
    from zhaoshang.targets.grid import build_grid

    indicator = define(cast)
    targets.set_targets(cast.admin, cast.town_a, YEAR, {indicator: Decimal(3)})
    assert Target.objects.get(unit=cast.town_a, indicator=indicator).value == 3
    with pytest.raises(ValidationError):
        targets.set_targets(cast.stranger, cast.other_town, YEAR, {indicator: Decimal(3)})
    assert indicator in build_grid(cast.admin, cast.county, YEAR).indicators
    assert indicator not in build_grid(cast.stranger, cast.other_county, YEAR).indicators
