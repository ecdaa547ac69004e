"""Deductions fed by the dispatch records (issue 20): reports missing and filed late in the period,
counted in one grouped query, equal to a recomputation from the raw rows, shown behind the points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from zhaoshang.assessment import lapses, scoring, services
from zhaoshang.assessment.models import Item
from zhaoshang.assessment.tests.conftest import YEAR
from zhaoshang.dispatch import services as dispatch
from zhaoshang.dispatch.models import Round
from zhaoshang.dispatch.tests.conftest import signed, worded
from zhaoshang.inspections import services as inspections
from zhaoshang.inspections.models import RectificationItem

FEB, MAR, APR = dt.date(2026, 2, 27), dt.date(2026, 3, 12), dt.date(2026, 4, 12)


def file(round_, project, on):
    report = dispatch.create_report(round_, project, by=None)
    worded(report, None)
    return dispatch.submit_report(report, by=None, today=on)


@pytest.fixture
def rounds(cast, scheme, settings, tmp_path):
    """Three rounds (27 Feb, 12 Mar, 12 Apr) of two projects in town A and two in town B:
    town A files one late and misses one in the first quarter, town B misses three and files one late;
    April (another quarter) misses everything."""
    settings.MEDIA_ROOT = tmp_path
    group = scheme.groups.get()
    for source, each in (("missed", "1"), ("late", "0.5"), ("overdue", "2")):
        services.save_item(
            Item(
                group=group,
                code=source,
                name=source,
                max_points=0,
                source=source,
                formula="deduction",
                params={"each": each, "floor": "12"},
                sort_order=9,
            ),
            by=cast.admin,
        )
    a1, a2 = signed(cast, cast.town_a, "城关镇甲项目"), signed(cast, cast.town_a, "城关镇乙项目")
    b1, b2 = signed(cast, cast.town_b, "河口乡甲项目"), signed(cast, cast.town_b, "河口乡乙项目")
    for day in (dt.date(2026, 2, 23), dt.date(2026, 3, 8), dt.date(2026, 4, 8)):
        dispatch.open_rounds(day)
    feb, mar, _april = (Round.objects.get(county=cast.county, due_on=d) for d in (FEB, MAR, APR))
    file(feb, a1, dt.date(2026, 2, 26))  # on time
    file(feb, a2, dt.date(2026, 3, 2))  # late
    file(mar, a2, MAR)  # on the dispatch day: on time; a1 misses March
    file(mar, b1, dt.date(2026, 3, 20))  # late; b1 misses February, b2 misses both
    # rectification items of town A due in the first quarter: one never done, one done late, one in time;
    # town B's is due in May
    inspection = inspections.create_inspection(
        by=None,
        unit=cast.town_a,
        year=YEAR,
        quarter=1,
        inspected_on=dt.date(2026, 1, 20),
        inspectors="督查组",
        findings="台账不全",
        items=[
            inspections.ItemData("补齐台账", cast.town_a, dt.date(2026, 2, 10)),
            inspections.ItemData("完善资料", cast.town_a, dt.date(2026, 3, 5)),
            inspections.ItemData("按时整改", cast.town_a, dt.date(2026, 3, 1)),
            inspections.ItemData("五月整改", cast.town_b, dt.date(2026, 5, 1)),
        ],
    )
    done = {"完善资料": dt.date(2026, 3, 10), "按时整改": dt.date(2026, 2, 28)}
    for item in inspection.items.all():
        if item.description in done:
            RectificationItem.objects.filter(pk=item.pk).update(
                status="rectified", rectified_on=done[item.description]
            )
    return group, {"a1": a1, "a2": a2, "b1": b1, "b2": b2}


def test_missing_and_late_reports_are_counted_from_the_records(cast, rounds, django_assert_num_queries):
    group, _ = rounds
    units = scoring.members(group)
    months = [1, 2, 3]
    # every township at once: the reports, the rectification items, the funds returned
    with django_assert_num_queries(3):
        found = lapses.counts(cast.county, units, YEAR, months, dt.date(2026, 12, 1))
    assert found == {
        cast.town_a.pk: {"missed": 1, "late": 1, "overdue": 2},
        cast.town_b.pk: {"missed": 3, "late": 1},
    }
    with django_assert_num_queries(1):
        lapses.counts(cast.county, units, YEAR, months, dt.date(2026, 12, 1), ("missed",))
    for as_of in (dt.date(2026, 3, 12), dt.date(2026, 3, 13), dt.date(2026, 12, 1), dt.date(2026, 1, 1)):
        assert lapses.counts(cast.county, units, YEAR, months, as_of) == lapses.counts_from_records(
            units, YEAR, months, as_of
        ), as_of
    # a round whose dispatch day is today or ahead has nothing missing yet
    assert lapses.counts(cast.county, units, YEAR, months, MAR)[cast.town_a.pk] == {"late": 1, "overdue": 2}
    assert lapses.counts(cast.county, units, YEAR, months, dt.date(2026, 3, 5))[cast.town_a.pk] == {
        "late": 1,
        "overdue": 1,  # the item due on 5 March is not overdue on its own deadline
    }
    assert lapses.counts(cast.county, units, YEAR, [4, 5, 6], dt.date(2026, 12, 1)) == {
        cast.town_a.pk: {"missed": 2},
        cast.town_b.pk: {"missed": 2, "overdue": 1},
    }


def test_the_deductions_read_the_counts_and_the_published_points_name_the_reports(client, cast, rounds):
    group, _ = rounds
    a, b = sorted(scoring.draft(group, YEAR, "quarter", 3, as_of=dt.date(2026, 12, 1)), key=lambda s: s.unit)
    assert (a.unit, b.unit) == (cast.town_a.pk, cast.town_b.pk)
    points = {s.unit: {line.item.code: line.result.points for line in s.lines} for s in (a, b)}
    assert points[cast.town_a.pk]["missed"] == D("-1.00") and points[cast.town_a.pk]["late"] == D("-0.50")
    assert points[cast.town_b.pk]["missed"] == D("-3.00") and points[cast.town_b.pk]["late"] == D("-0.50")
    assert points[cast.town_a.pk]["overdue"] == D("-4.00") and points[cast.town_b.pk]["overdue"] == 0
    slow = scoring.draft(group, YEAR, "quarter", 3, as_of=dt.date(2026, 12, 1), from_records=True)
    assert [(s.unit, s.total) for s in slow] == [
        (s.unit, s.total) for s in scoring.draft(group, YEAR, "quarter", 3, as_of=dt.date(2026, 12, 1))
    ]
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert [(s.unit, s.total) for s in services.recompute(ranking)] == [
        (s.unit_id, s.total) for s in ranking.scores.order_by("rank", "unit__path")
    ]
    line = next(p for p in ranking.scores.get(unit=cast.town_b).points if p["code"] == "missed")
    assert len(line["records"]) == 3
    client.force_login(cast.operator_b)
    page = client.get(reverse("assessment:unit", args=[cast.town_b.pk])).content.decode()
    assert page.count('data-testid="lapses"') == 2
    assert "河口乡乙项目" in page and "2026-02-27" in page and "2026-03-12" in page
    assert "城关镇甲项目" not in page
    client.force_login(cast.operator_a)
    assert client.get(reverse("assessment:unit", args=[cast.town_b.pk])).status_code == 404
    page = client.get(reverse("assessment:unit", args=[cast.town_a.pk])).content.decode()
    assert "城关镇甲项目" in page and "河口乡乙项目" not in page
    assert "补齐台账" in page and "完善资料" in page and "按时整改" not in page
