"""The stage machine: every allowed move succeeds and records itself; every other move is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.projects import services
from zhaoshang.projects.choices import STAGE_DATE_FIELD, TRANSITIONS, Stage
from zhaoshang.projects.models import Project

ALL_PAIRS = [(a, b) for a in Stage.values for b in Stage.values if a != b]

# A project sitting at each stage, with the dates and amounts that stage requires.
_AT_STAGE = {
    "lead": {},
    "negotiating": {},
    "intent": {"intent_on": dt.date(2024, 1, 5)},
    "signed": {"signed_on": dt.date(2024, 1, 10), "contracted_amount": Decimal("3000")},
    "started": {
        "signed_on": dt.date(2024, 1, 10),
        "started_on": dt.date(2024, 2, 1),
        "contracted_amount": Decimal("3000"),
    },
    "completed": {
        "signed_on": dt.date(2024, 1, 10),
        "started_on": dt.date(2024, 2, 1),
        "completed_on": dt.date(2024, 3, 1),
        "contracted_amount": Decimal("3000"),
    },
    "operating": {
        "signed_on": dt.date(2024, 1, 10),
        "started_on": dt.date(2024, 2, 1),
        "completed_on": dt.date(2024, 3, 1),
        "operating_on": dt.date(2024, 4, 1),
        "contracted_amount": Decimal("3000"),
    },
    "dropped": {"dropped_on": dt.date(2024, 1, 20), "drop_reason": "落户外地"},
}


def at_stage(cast, stage: str) -> Project:
    return cast.project(stage=stage, **_AT_STAGE[stage])


@pytest.mark.parametrize(("from_stage", "to_stage"), ALL_PAIRS)
def test_each_move_is_allowed_exactly_when_the_machine_says_so(cast, from_stage, to_stage):
    project = at_stage(cast, from_stage)
    on = dt.date(2024, 6, 1)
    kwargs = {"contracted_amount": Decimal("3000"), "drop_reason": "投资方撤资"}
    if to_stage in TRANSITIONS[from_stage]:
        moved = services.change_stage(project, to_stage, by=cast.operator_a, on=on, note="推进", **kwargs)
        assert moved.stage == to_stage
        if to_stage in STAGE_DATE_FIELD:
            assert getattr(moved, STAGE_DATE_FIELD[to_stage]) == on
        last = moved.stage_changes.last()
        assert (last.from_stage, last.to_stage, last.changed_on) == (from_stage, to_stage, on)
        assert last.changed_by == cast.operator_a
        assert last.changed_by_name == "城关镇填报员"
        assert last.note == "推进"
    else:
        with pytest.raises(ValidationError) as excinfo:
            services.change_stage(project, to_stage, by=cast.operator_a, on=on, **kwargs)
        assert "stage" in excinfo.value.message_dict
        project.refresh_from_db()
        assert project.stage == from_stage
        assert project.stage_changes.count() == 1


def test_signing_needs_the_contracted_amount(cast):
    project = at_stage(cast, "negotiating")
    with pytest.raises(ValidationError) as excinfo:
        services.change_stage(project, Stage.SIGNED, by=cast.operator_a, on=dt.date(2024, 5, 1))
    assert "contracted_amount" in excinfo.value.message_dict
    assert Project.objects.get(pk=project.pk).stage == Stage.NEGOTIATING


def test_dropping_needs_a_reason(cast):
    project = at_stage(cast, "negotiating")
    with pytest.raises(ValidationError) as excinfo:
        services.change_stage(project, Stage.DROPPED, by=cast.operator_a, on=dt.date(2024, 5, 1))
    assert "drop_reason" in excinfo.value.message_dict


def test_a_move_cannot_be_dated_before_the_current_stage(cast):
    project = at_stage(cast, "negotiating")
    services.change_stage(
        project, Stage.SIGNED, by=cast.operator_a, on=dt.date(2024, 5, 1), contracted_amount=Decimal(100)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.change_stage(project, Stage.STARTED, by=cast.operator_a, on=dt.date(2024, 4, 1))
    assert "on" in excinfo.value.message_dict
    assert Project.objects.get(pk=project.pk).stage == Stage.SIGNED


def test_a_move_cannot_be_dated_in_the_future(cast, today):
    project = at_stage(cast, "lead")
    with pytest.raises(ValidationError):
        services.change_stage(project, Stage.NEGOTIATING, by=cast.operator_a, on=today + dt.timedelta(days=1))


def test_a_revived_project_forgets_why_it_was_dropped(cast):
    project = at_stage(cast, "dropped")
    revived = services.change_stage(project, Stage.NEGOTIATING, by=cast.operator_a, on=dt.date(2024, 6, 1))
    assert (revived.dropped_on, revived.drop_reason) == (None, "")


def test_an_operator_cannot_move_another_townships_project(cast):
    project = at_stage(cast, "lead")
    with pytest.raises(OutOfScope):
        services.change_stage(project, Stage.NEGOTIATING, by=cast.operator_b, on=dt.date(2024, 6, 1))


def test_a_leader_cannot_move_a_project(cast):
    project = at_stage(cast, "lead")
    with pytest.raises(OutOfScope):
        services.change_stage(project, Stage.NEGOTIATING, by=cast.leader, on=dt.date(2024, 6, 1))


def test_the_date_of_a_stage_not_reached_is_refused(cast):
    """Typing a signing date into a lead would count it as signed without the stage machine."""
    project = at_stage(cast, "lead")
    with pytest.raises(ValidationError) as excinfo:
        services.update_project(
            project, by=cast.admin, data={"signed_on": dt.date(2024, 5, 1), "contracted_amount": Decimal(900)}
        )
    assert "signed_on" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        cast.project(stage="negotiating", started_on=dt.date(2024, 5, 1))


def test_a_dropped_project_keeps_the_dates_it_had_reached_until_talks_resume(cast):
    project = at_stage(cast, "signed")
    dropped = services.change_stage(
        project, Stage.DROPPED, by=cast.admin, on=dt.date(2024, 6, 1), drop_reason="撤资"
    )
    assert dropped.signed_on == dt.date(2024, 1, 10)
    revived = services.change_stage(dropped, Stage.NEGOTIATING, by=cast.admin, on=dt.date(2024, 7, 1))
    assert (revived.signed_on, revived.dropped_on) == (None, None)
