"""Visits received (人次) and outbound trips (次) reach the ledger and count toward targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhaoshang.activities import services
from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.models import Event
from zhaoshang.ledger.services import subtree_figures

MAY = dt.date(2025, 5, 12)


def counted(unit, kind, months=range(1, 13), year=2025):
    return subtree_figures(unit, year, months, [kind]).get(kind, (Decimal(0), Decimal(0)))[0]


def visit(cast, people=5, on=MAY, unit=None, by=None):
    return services.create_activity(
        by=by or cast.operator_a,
        data={
            "kind": "visit",
            "unit": unit or cast.town_a,
            "title": "温州客商来访",
            "starts_on": on,
            "people": people,
        },
    )


def trip(cast, on=MAY, unit=None, by=None):
    return services.create_activity(
        by=by or cast.operator_a,
        data={
            "kind": "trip",
            "unit": unit or cast.town_a,
            "title": "赴温州招商",
            "starts_on": on,
            "ends_on": on,
        },
    )


def check_rollups():
    call_command("rebuild_rollups", "--check")


def test_a_visit_of_five_and_a_trip_count_at_the_county_and_deleting_takes_them_back(cast):
    v, t = visit(cast), trip(cast)
    assert counted(cast.county, Kind.VISITORS) == 5
    assert counted(cast.county, Kind.TRIPS) == 1
    assert counted(cast.town_a, Kind.VISITORS, months=[5]) == 5  # in the month of the activity
    assert counted(cast.town_a, Kind.VISITORS, months=[4, 6]) == 0
    check_rollups()
    services.delete_activity(v, by=cast.operator_a)
    services.delete_activity(t, by=cast.operator_a)
    assert counted(cast.county, Kind.VISITORS) == 0
    assert counted(cast.county, Kind.TRIPS) == 0
    assert Event.objects.filter(source__startswith="activity:").count() == 4  # appended, never removed
    check_rollups()


def test_changing_the_number_of_people_or_the_month_moves_the_figure(cast):
    v = visit(cast)
    services.update_activity(v, by=cast.operator_a, data={"people": 8, "starts_on": dt.date(2025, 6, 2)})
    assert counted(cast.county, Kind.VISITORS, months=[5]) == 0
    assert counted(cast.county, Kind.VISITORS, months=[6]) == 8
    check_rollups()


def test_it_counts_for_the_activitys_unit_not_the_neighbour(cast):
    visit(cast, people=3)
    visit(cast, people=4, unit=cast.town_b, by=cast.operator_b)
    assert counted(cast.town_a, Kind.VISITORS) == 3
    assert counted(cast.town_b, Kind.VISITORS) == 4
    assert counted(cast.county, Kind.VISITORS) == 7
    assert counted(cast.other_county, Kind.VISITORS) == 0


def test_other_kinds_count_nothing(cast):
    services.create_activity(
        by=cast.admin,
        data={"kind": "fair", "unit": cast.county, "title": "投洽会", "starts_on": MAY, "intents": 3},
    )
    services.create_activity(
        by=cast.admin, data={"kind": "inquiry", "unit": cast.county, "title": "电话咨询", "starts_on": MAY}
    )
    assert not Event.objects.exists()


def test_changing_a_trip_into_a_visit_swaps_the_indicator(cast):
    t = trip(cast)
    services.update_activity(t, by=cast.operator_a, data={"kind": "visit", "people": 2})
    assert counted(cast.county, Kind.TRIPS) == 0
    assert counted(cast.county, Kind.VISITORS) == 2
    check_rollups()


def test_rebuild_rollups_check_names_an_activity_whose_events_were_lost(cast, capsys):
    v = visit(cast)
    Event.objects.filter(source=f"activity:{v.pk}").delete()  # tampering
    call_command("rebuild_rollups")  # the totals now agree with the (tampered) events ...
    with pytest.raises(CommandError):
        check_rollups()  # ... but not with the activity
    assert f"activity:{v.pk}" in capsys.readouterr().err


def test_a_visit_needs_its_number_of_people_and_cannot_lie_in_the_future(cast):
    from zhaoshang.core.errors import ValidationError

    with pytest.raises(ValidationError):
        visit(cast, people=0)
    with pytest.raises(ValidationError):
        trip(cast, on=dt.date.today() + dt.timedelta(days=40))
    assert not Event.objects.exists()
