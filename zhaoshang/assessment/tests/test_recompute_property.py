"""Property: for random schemes and random ledger events, the scores read from the roll-ups equal
the scores recomputed from the raw events (summed here, by unit subtree and period); an item
counting the funds the bureau returned reads the lines counted here, by unit subtree and period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.assessment import scoring
from zhaoshang.assessment.models import Group, Item, Scheme
from zhaoshang.assessment.tests.conftest import YEAR, put, target
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.models import Indicator
from zhaoshang.units.services import create_unit

CODES = ("funds_domestic", "projects_signed", "investors_received")
amounts = st.decimals(min_value=Decimal("-50"), max_value=Decimal("5000"), places=4)
numbers = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("100"), places=1).map(str)

formula = st.one_of(
    st.tuples(st.just("ratio"), st.fixed_dictionaries({"weight": numbers}, optional={"floor": numbers})),
    st.tuples(
        st.just("tiers"),
        st.fixed_dictionaries({"bands": st.lists(st.tuples(numbers, numbers), min_size=1, max_size=4)}),
    ),
    st.tuples(
        st.just("per_item"),
        st.fixed_dictionaries({"each": numbers, "cap": numbers}, optional={"over": numbers}),
    ),
    st.tuples(st.just("bonus_over"), st.fixed_dictionaries({"per_point": numbers, "cap": numbers})),
    st.tuples(st.just("deduction"), st.fixed_dictionaries({"each": numbers, "floor": numbers})),
    st.tuples(
        st.just("rank"),
        st.fixed_dictionaries({"points": st.lists(numbers, min_size=1, max_size=3), "step": numbers}),
    ),
)
items = st.lists(
    st.tuples(st.sampled_from(CODES), st.sampled_from(["actual", "completion", "returned"]), formula),
    min_size=1,
    max_size=5,
)
events = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(CODES), st.integers(1, 12), amounts, st.booleans()),
    max_size=25,
)
targets = st.lists(
    st.tuples(st.integers(0, 1), st.sampled_from(CODES), st.decimals(0, 5000, places=2)), max_size=6
)
# funds lines of a project of each place: (place, month, day, returned?); the others stay reported
funds_lines = st.lists(
    st.tuples(st.integers(0, 2), st.integers(1, 11), st.integers(1, 28), st.booleans()), max_size=6
)
periods = st.sampled_from([("month", 2), ("quarter", 3), ("quarter", 6), ("year", 12), ("year", 9)])


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=items, happened=events, goals=targets, period=periods, lines=funds_lines)
def test_scores_from_roll_ups_equal_a_recomputation_from_raw_records(
    cast, spec, happened, goals, period, lines
):
    with transaction.atomic():
        village = create_unit(by=None, parent=cast.town_a, kind="village", name="城关村", code="990101001001")
        where = [cast.town_a, cast.town_b, village]
        scheme = Scheme.objects.create(county=cast.county, year=YEAR, name="随机办法")
        group = Group.objects.create(scheme=scheme, name="乡镇", unit_kinds=["township"], tie_item="i0")
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
        for n, (code, source, (kind, params)) in enumerate(spec):
            Item.objects.create(
                group=group,
                code=f"i{n}",
                name=code,
                max_points=10,
                source=source,
                indicator=indicators[code] if source != "returned" else None,
                formula=kind,
                params=params,
                sort_order=n,
            )
        raw: dict[tuple[int, str, int], Decimal] = defaultdict(Decimal)
        for place, code, month, amount, verified in happened:
            put(where[place], indicators[code].kind, month, amount, verified=verified)
            if verified:
                town = cast.town_a if place == 2 else where[place]  # a village counts for its township
                raw[(town.pk, indicators[code].kind, month)] += amount
        for place, code, value in goals:
            target(where[place], code, value)
        name, month = period
        months = scoring.months_of(name, month)
        returned: dict[int, Decimal] = defaultdict(Decimal)
        projects = {}
        for place, in_month, day, sent_back in lines:
            if place not in projects:
                projects[place] = cast.project(where[place], name=f"资金项目{place}")  # a lead: no figure
            line = funds_service.record_funds(
                projects[place],
                by=None,
                arrived_on=dt.date(YEAR, in_month, day),
                source="domestic",
                amount=D(1),
            )
            if sent_back:
                funds_service.return_funds(line, by=None, reason="不实")
                if in_month in months:
                    returned[cast.town_a.pk if place == 2 else where[place].pk] += 1
        figures = {
            u.pk: {
                kind: sum((raw[(u.pk, kind, m)] for m in months), Decimal(0))
                for kind in indicators_kinds(indicators)
            }
            for u in (cast.town_a, cast.town_b)
        }
        defn = scoring.definition(group)
        inputs = scoring.read_inputs(group, defn, YEAR, name, month)
        counts = {u: {"returned": n} for u, n in returned.items()}
        expected = scoring.score(
            defn, scoring.Inputs(inputs.units, figures, inputs.targets, {}, counts=counts)
        )
        got = scoring.draft(group, YEAR, name, month)
        assert [(s.unit, s.total, s.rank, [line.result for line in s.lines]) for s in got] == [
            (s.unit, s.total, s.rank, [line.result for line in s.lines]) for s in expected
        ]
        from_records = scoring.draft(group, YEAR, name, month, from_records=True)
        assert [(s.unit, s.total, s.rank) for s in from_records] == [(s.unit, s.total, s.rank) for s in got]
        transaction.set_rollback(True)


def indicators_kinds(indicators: dict[str, Indicator]) -> set[str]:
    return {i.kind for i in indicators.values()}
