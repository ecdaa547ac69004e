"""The dispatch calendar: dispatch days around month ends and leap years, opening rounds, a calendar
changed mid-year, idempotent runs, and which stages owe a report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from zhaoshang.audit.models import Entry as AuditEntry
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.dispatch import calendar as dates
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Calendar, Entry, Round
from zhaoshang.dispatch.tests.conftest import signed
from zhaoshang.projects import services as project_services

D = dt.date


def test_a_thirtieth_falls_on_the_last_day_of_february_in_a_common_and_a_leap_year():
    assert dates.dispatch_dates(2026, 2, [12, 30]) == [D(2026, 2, 12), D(2026, 2, 28)]
    assert dates.dispatch_dates(2028, 2, [12, 30]) == [D(2028, 2, 12), D(2028, 2, 29)]
    assert dates.dispatch_dates(2026, 4, [31]) == [D(2026, 4, 30)]
    assert dates.dispatch_dates(2026, 2, [29, 30, 31]) == [D(2026, 2, 28)]  # three days fall together


def test_rounds_open_across_a_month_end_and_a_year_end():
    # The round of 3 January opens five days before, in the old year.
    assert dates.open_rounds(D(2025, 12, 29), [3, 20], 5) == [(D(2026, 1, 3), D(2025, 12, 29))]
    assert dates.open_rounds(D(2025, 12, 28), [3, 20], 5) == []
    assert dates.open_rounds(D(2026, 1, 3), [3, 20], 5) == [(D(2026, 1, 3), D(2025, 12, 29))]
    assert dates.open_rounds(D(2026, 1, 4), [3, 20], 5) == []  # past its dispatch day: not opened any more


def test_the_period_of_a_round_starts_after_the_previous_dispatch_day():
    assert dates.previous_dispatch_day(D(2026, 3, 12), [12, 27]) == D(2026, 2, 27)
    assert dates.previous_dispatch_day(D(2028, 3, 12), [12, 30]) == D(2028, 2, 29)
    assert dates.previous_dispatch_day(D(2026, 1, 12), [12, 27]) == D(2025, 12, 27)


def test_the_command_opens_a_round_listing_exactly_the_projects_that_owe_a_report(cast):
    owing = [
        signed(cast, cast.town_a, "签约"),
        signed(cast, cast.town_b, "开工", stage="started", started_on=D(2026, 2, 1)),
        signed(
            cast, cast.park, "竣工", stage="completed", started_on=D(2026, 1, 10), completed_on=D(2026, 2, 1)
        ),
    ]
    cast.project(cast.town_a, name="线索")
    cast.project(cast.town_a, name="在谈", stage="negotiating")
    signed(cast, cast.other_town, "邻县项目")
    call_command("open_dispatch_rounds", today="2026-03-07")
    round_ = Round.objects.get(county=cast.county)
    assert (round_.due_on, round_.opens_on, round_.period_start) == (
        D(2026, 3, 12),
        D(2026, 3, 7),
        D(2026, 2, 28),
    )
    assert set(Entry.objects.filter(round=round_).values_list("project_id", flat=True)) == {
        p.pk for p in owing
    }
    assert Round.objects.filter(county=cast.other_county).count() == 1  # every county has its rounds


def test_re_running_the_command_creates_nothing_twice(cast):
    signed(cast)
    for _run in range(3):
        call_command("open_dispatch_rounds", today="2026-03-10")
    assert Round.objects.count() == 2 and Entry.objects.count() == 1  # two counties, one project
    with pytest.raises(IntegrityError):
        Round.objects.create(
            county=cast.county, due_on=D(2026, 3, 12), opens_on=D(2026, 3, 7), period_start=D(2026, 2, 28)
        )


def test_a_list_stays_frozen_once_the_round_opened(cast):
    project = signed(cast)
    services.open_rounds(D(2026, 3, 8))
    late_comer = signed(cast, cast.town_b, "后签约")
    project_services.change_stage(project, "dropped", by=None, on=D(2026, 3, 9), drop_reason="外迁")
    services.open_rounds(D(2026, 3, 10))
    assert list(Entry.objects.values_list("project_id", flat=True)) == [project.pk]
    assert late_comer.pk not in Entry.objects.values_list("project_id", flat=True)


def test_before_the_opening_day_no_round_opens_and_defaults_apply_without_a_calendar(cast):
    signed(cast)
    assert services.open_rounds(D(2026, 3, 6)).rounds == 0
    calendar = services.calendar_for(cast.county)
    assert (calendar.pk, calendar.days, calendar.open_days_before, calendar.stalled_after) == (
        None,
        [12, 27],
        5,
        3,
    )


def test_a_calendar_changed_mid_year_applies_to_rounds_not_yet_opened(cast):
    signed(cast)
    services.open_rounds(D(2026, 6, 10))  # the round of 12 June, by the defaults
    services.save_calendar(cast.county, by=cast.admin, days=[15, 30], open_days_before=3, stages=["signed"])
    for day in (12, 22, 24, 28):  # the old 27th would have opened on the 22nd
        services.open_rounds(D(2026, 6, day))
    due = sorted(Round.objects.filter(county=cast.county).values_list("due_on", "opens_on"))
    assert due == [
        (D(2026, 6, 12), D(2026, 6, 7)),
        (D(2026, 6, 15), D(2026, 6, 12)),
        (D(2026, 6, 30), D(2026, 6, 27)),
    ]
    assert AuditEntry.objects.filter(object_type="dispatch.calendar").count() == 1


def test_a_missed_dispatch_day_is_not_back_filled(cast):
    signed(cast)
    services.save_calendar(cast.county, by=cast.admin, days=[15], open_days_before=3, stages=["signed"])
    services.open_rounds(D(2026, 6, 16))
    assert not Round.objects.filter(county=cast.county).exists()


def test_only_the_bureau_of_the_county_changes_its_calendar(cast):
    for user in (cast.operator_a, cast.leader, cast.stranger):
        with pytest.raises(OutOfScope):
            services.save_calendar(cast.county, by=user, days=[10])
    with pytest.raises(ValidationError):
        services.save_calendar(cast.county, by=cast.admin, days=[0, 32])
    with pytest.raises(ValidationError):
        services.save_calendar(cast.town_a, by=cast.admin, days=[10])
    assert not Calendar.objects.exists()


def test_an_operating_project_owes_exactly_one_round_after_it_began(cast):
    project = signed(cast, stage="completed", started_on=D(2026, 1, 10), completed_on=D(2026, 2, 1))
    services.open_rounds(D(2026, 3, 8))  # 12 March: listed as completed
    project_services.change_stage(project, "operating", by=None, on=D(2026, 3, 20))
    for day in (D(2026, 3, 23), D(2026, 4, 8), D(2026, 4, 23)):  # 27 March, 12 April, 27 April
        services.open_rounds(day)
    listed = list(
        Entry.objects.filter(project=project).order_by("round__due_on").values_list("round__due_on", "stage")
    )
    assert listed == [(D(2026, 3, 12), "completed"), (D(2026, 3, 27), "operating")]


def test_a_project_recorded_as_operating_within_the_period_reports_once(cast):
    project = signed(
        cast,
        stage="operating",
        started_on=D(2026, 1, 10),
        completed_on=D(2026, 2, 1),
        operating_on=D(2026, 3, 1),
    )
    old = signed(
        cast,
        cast.town_b,
        "老投产",
        stage="operating",
        signed_on=D(2024, 12, 1),
        started_on=D(2025, 1, 10),
        completed_on=D(2025, 2, 1),
        operating_on=D(2025, 3, 1),
    )
    services.open_rounds(D(2026, 3, 8))
    services.open_rounds(D(2026, 3, 23))
    assert list(Entry.objects.filter(project=project).values_list("round__due_on", flat=True)) == [
        D(2026, 3, 12)
    ]
    assert not Entry.objects.filter(project=old).exists()
