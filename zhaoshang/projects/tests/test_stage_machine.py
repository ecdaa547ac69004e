"""The stage machine: every allowed move succeeds and records itself (a later stage in one step,
through the stages between); every other move is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.projects import services
from zhaoshang.projects.choices import REACHABLE, STAGE_DATE_FIELD, TRANSITIONS, Stage, stage_path
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
    if to_stage in REACHABLE[from_stage]:
        moved = services.change_stage(project, to_stage, by=cast.operator_a, on=on, note="推进", **kwargs)
        assert moved.stage == to_stage
        path = stage_path(from_stage, to_stage)
        for stage in path:  # each stage passed is stamped with the day of the move
            if stage in STAGE_DATE_FIELD:
                assert getattr(moved, STAGE_DATE_FIELD[stage]) == on
        steps = list(moved.stage_changes.order_by("pk"))[1:]
        assert [(s.from_stage, s.to_stage, s.changed_on) for s in steps] == list(
            zip([from_stage, *path], path, [on] * len(path), strict=False)
        )
        assert {(s.changed_by, s.changed_by_name) for s in steps} == {(cast.operator_a, "城关镇填报员")}
        assert steps[-1].note == "推进"
        assert all(s.note.startswith("途经") for s in steps[:-1])
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


def test_the_shortest_way_skips_the_optional_intent_and_only_moves_forward():
    assert stage_path("lead", "started") == ["negotiating", "signed", "started"]
    assert stage_path("lead", "intent") == ["negotiating", "intent"]
    assert stage_path("dropped", "signed") == ["negotiating", "signed"]
    assert stage_path("signed", "lead") == stage_path("operating", "dropped") == []
    assert stage_path("intent", "negotiating") == []  # not through dropped and taken up again
    assert REACHABLE["negotiating"] == {"intent", "signed", "started", "completed", "operating", "dropped"}
    assert all(TRANSITIONS[s] <= REACHABLE[s] for s in TRANSITIONS)


def test_a_lead_signed_and_started_in_one_move_counts_as_both(cast):
    from zhaoshang.ledger.services import implied, recorded
    from zhaoshang.projects import stages

    project = at_stage(cast, "lead")
    on = dt.date(2024, 6, 1)
    moved = services.change_stage(
        project, Stage.STARTED, by=cast.operator_a, on=on, contracted_amount=Decimal("5000")
    )
    assert (moved.signed_on, moved.started_on, moved.intent_on) == (on, on, None)
    assert moved.reached_stage == stages.rank(Stage.STARTED)
    assert stages.mismatches() == []  # the summary columns agree with the recorded history
    counted = recorded(moved)
    assert counted == {k: v for k, v in implied(moved).items() if v}
    # counted as signed and as started, both in the month of the move, and as in talks (passed)
    assert {(cell.kind, cell.year, cell.month) for _source, cell in counted} == {
        ("contacted", 2024, 6),
        ("signed", 2024, 6),
        ("contracted_cny", 2024, 6),
        ("started", 2024, 6),
    }
