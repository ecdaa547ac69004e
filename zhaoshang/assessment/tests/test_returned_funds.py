"""Funds the bureau returned as a deduction source (issue 20, 弄虛作假-like): counted per line for the
unit whose subtree holds the project, in one grouped query equal to the raw recomputation, and
named behind the published points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from zhaoshang.assessment import lapses, scoring, services
from zhaoshang.assessment.models import Item
from zhaoshang.assessment.tests.conftest import YEAR
from zhaoshang.dispatch.tests.conftest import signed
from zhaoshang.ledger import funds as funds_service
from zhaoshang.units.services import create_unit

AS_OF = dt.date(2026, 12, 1)


def funds(project, on, *, returned=True, amount="100"):
    line = funds_service.record_funds(
        project, by=None, arrived_on=on, source="domestic", amount=D(amount), note="到位资金"
    )
    if returned:
        line = funds_service.return_funds(line, by=None, reason="进账单与项目不符")
    return line


@pytest.fixture
def returned(cast, scheme, settings, tmp_path):
    """Town A: two lines returned in the first quarter (one of a village's project), one returned in
    April, one returned then withdrawn, one verified, one still reported; town B: one returned in the
    quarter; the next county: one returned (never counted here)."""
    settings.MEDIA_ROOT = tmp_path
    group = scheme.groups.get()
    services.save_item(
        Item(
            group=group,
            code="returned",
            name="弄虚作假",
            max_points=0,
            source="returned",
            formula="deduction",
            params={"each": "0.2", "floor": "2"},
            sort_order=9,
        ),
        by=cast.admin,
    )
    village = create_unit(by=None, parent=cast.town_a, kind="village", name="城关村", code="990101001001")
    a, v = signed(cast, cast.town_a, "城关镇甲项目"), signed(cast, village, "城关村项目")
    b, far = signed(cast, cast.town_b, "河口乡甲项目"), signed(cast, cast.other_town, "邻县项目")
    found = {
        "a1": funds(a, dt.date(2026, 2, 3)),
        "v1": funds(v, dt.date(2026, 3, 20)),
        "a_april": funds(a, dt.date(2026, 4, 2)),
        "a_withdrawn": funds(a, dt.date(2026, 2, 10)),
        "a_verified": funds_service.verify_funds(funds(a, dt.date(2026, 1, 9), returned=False), by=None),
        "a_reported": funds(a, dt.date(2026, 1, 10), returned=False),
        "b1": funds(b, dt.date(2026, 1, 15)),
        "far": funds(far, dt.date(2026, 2, 3)),
    }
    funds_service.delete_funds(found["a_withdrawn"], by=cast.admin)
    return group, found


def test_returned_funds_are_counted_per_line_for_the_unit_holding_the_project(
    cast, returned, django_assert_num_queries
):
    group, _ = returned
    units = scoring.members(group)
    with django_assert_num_queries(1):  # every township at once
        found = lapses.counts(cast.county, units, YEAR, [1, 2, 3], AS_OF, ("returned",))
    assert found == {cast.town_a.pk: {"returned": 2}, cast.town_b.pk: {"returned": 1}}
    for months, as_of in (([1, 2, 3], AS_OF), ([4, 5, 6], AS_OF), ([1, 2, 3], dt.date(2026, 2, 4))):
        assert lapses.counts(cast.county, units, YEAR, months, as_of) == lapses.counts_from_records(
            units, YEAR, months, as_of
        ), (months, as_of)
    assert lapses.counts(cast.county, units, YEAR, [4, 5, 6], AS_OF)[cast.town_a.pk] == {"returned": 1}
    # before 3 February nothing of town A had arrived and been returned yet
    assert lapses.counts(cast.county, units, YEAR, [1, 2, 3], dt.date(2026, 2, 3))[cast.town_a.pk] == {}


def test_the_deduction_reads_the_returned_funds_and_the_published_points_name_them(client, cast, returned):
    group, found = returned
    drafted = {s.unit: s for s in scoring.draft(group, YEAR, "quarter", 3, as_of=AS_OF)}
    points = {u: {line.item.code: line.result.points for line in s.lines} for u, s in drafted.items()}
    assert points[cast.town_a.pk]["returned"] == D("-0.40")
    assert points[cast.town_b.pk]["returned"] == D("-0.20")
    slow = scoring.draft(group, YEAR, "quarter", 3, as_of=AS_OF, from_records=True)
    assert [(s.unit, s.total) for s in slow] == [
        (s.unit, s.total) for s in scoring.draft(group, YEAR, "quarter", 3, as_of=AS_OF)
    ]
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    line = next(p for p in ranking.scores.get(unit=cast.town_a).points if p["code"] == "returned")
    assert line["records"] == [found["a1"].pk, found["v1"].pk]  # in the order of their dates
    assert [(s.unit, s.total) for s in services.recompute(ranking)] == [
        (s.unit_id, s.total) for s in ranking.scores.order_by("rank", "unit__path")
    ]
    client.force_login(cast.operator_a)
    page = client.get(reverse("assessment:unit", args=[cast.town_a.pk])).content.decode()
    assert "城关镇甲项目" in page and "城关村项目" in page and "进账单与项目不符" in page
    assert "河口乡甲项目" not in page
    client.force_login(cast.operator_b)
    assert client.get(reverse("assessment:unit", args=[cast.town_a.pk])).status_code == 404
