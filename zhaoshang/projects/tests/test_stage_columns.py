"""The summary of each project's stage history kept on the project (projects/stages.py): the furthest
stage reached and the date of the last stage change, on every path that records a stage change, in
the migration that fills them, and in ``rebuild_rollups --check``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from zhaoshang.overview.dashboard import funnel, stalled
from zhaoshang.projects import stages
from zhaoshang.projects.choices import PIPELINE, Stage
from zhaoshang.projects.models import Project, StageChange
from zhaoshang.projects.services import change_stage

pytestmark = pytest.mark.django_db
D = dt.date


def history_summary(project: Project) -> tuple[int, dt.date | None]:
    """The two columns restated from the stage history, independently of projects/stages.py."""
    moves = list(StageChange.objects.filter(project=project).values_list("to_stage", "changed_on"))
    reached = max((PIPELINE.index(s) + 1 for s, _on in moves if s in PIPELINE), default=0)
    return reached, max((on for _s, on in moves), default=None)


def columns(project: Project) -> tuple[int, dt.date | None]:
    project.refresh_from_db()
    return project.reached_stage, project.stage_changed_on


def test_ranks_follow_the_pipeline_and_dropped_reaches_nothing() -> None:
    assert [stages.rank(s) for s in PIPELINE] == list(range(1, 8))
    assert stages.rank(Stage.DROPPED) == 0
    assert stages.passed(4) == [Stage.LEAD, Stage.NEGOTIATING, Stage.INTENT, Stage.SIGNED]
    assert stages.reached_after(5, Stage.NEGOTIATING) == 5 and stages.reached_after(2, Stage.SIGNED) == 4


def test_a_recorded_project_has_reached_its_stage_on_its_date(cast: Any) -> None:
    lead = cast.project(first_contact_on=D(2026, 1, 5))
    assert columns(lead) == (1, D(2026, 1, 5)) == history_summary(lead)
    signed = cast.project(
        name="直接签约", stage=Stage.SIGNED, signed_on=D(2026, 2, 1), contracted_amount=Decimal(10)
    )
    assert columns(signed) == (4, D(2026, 2, 1)) == history_summary(signed)
    undated = cast.project(name="无日期")
    assert columns(undated) == (1, timezone.localdate())


def test_each_move_raises_the_reached_stage_and_a_drop_keeps_it(cast: Any) -> None:
    project = cast.project(first_contact_on=D(2026, 1, 1))
    change_stage(project, Stage.NEGOTIATING, by=None, on=D(2026, 1, 10))
    change_stage(project, Stage.SIGNED, by=None, on=D(2026, 2, 1), contracted_amount=Decimal(1))
    assert columns(project) == (4, D(2026, 2, 1))
    change_stage(project, Stage.DROPPED, by=None, on=D(2026, 3, 1), drop_reason="外迁")
    assert columns(project) == (4, D(2026, 3, 1))  # dropped later: keeps what it had reached
    change_stage(project, Stage.NEGOTIATING, by=None, on=D(2026, 4, 1))  # taken up again
    assert columns(project) == (4, D(2026, 4, 1)) == history_summary(project)


def test_the_last_change_is_the_latest_date_not_the_latest_move(cast: Any) -> None:
    """Recorded today without a first-contact date, then moved with an earlier date."""
    project = cast.project()
    earlier = timezone.localdate() - dt.timedelta(days=30)
    change_stage(project, Stage.NEGOTIATING, by=None, on=earlier)
    assert columns(project) == (2, timezone.localdate()) == history_summary(project)


def test_a_refused_move_changes_nothing(cast: Any) -> None:
    project = cast.project(first_contact_on=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        change_stage(project, Stage.STARTED, by=None, on=D(2026, 1, 2))
    assert columns(project) == (1, D(2026, 1, 1))


def test_the_funnel_and_the_stalled_list_read_the_columns(cast: Any) -> None:
    project = cast.project(first_contact_on=D(2026, 1, 1))
    change_stage(project, Stage.NEGOTIATING, by=None, on=D(2026, 1, 2))
    change_stage(project, Stage.SIGNED, by=None, on=D(2026, 1, 3), contracted_amount=Decimal(1))
    steps = {s.stage: s.reached for s in funnel(Project.objects.all())}
    assert steps["signed"] == 1 and steps["started"] == 0
    # The funnel counts the column, not the history: a column out of step shows (and is caught by
    # the check below), which proves the page no longer scans stage changes.
    Project.objects.filter(pk=project.pk).update(reached_stage=5)
    assert {s.stage: s.reached for s in funnel(Project.objects.all())}["started"] == 1
    other = cast.project(
        name="另一个", stage=Stage.SIGNED, signed_on=D(2026, 1, 2), contracted_amount=Decimal(1)
    )
    Project.objects.filter(pk=other.pk).update(stage_changed_on=D(2025, 1, 1))
    assert [p.pk for p in stalled(Project.objects.all())] == [other.pk, project.pk]


def test_the_check_reports_and_the_rebuild_repairs_a_summary_out_of_step(cast: Any) -> None:
    project = cast.project(first_contact_on=D(2026, 1, 1))
    change_stage(project, Stage.NEGOTIATING, by=None, on=D(2026, 1, 9))
    call_command("rebuild_rollups", check=True)  # in step: passes
    Project.objects.filter(pk=project.pk).update(reached_stage=6, stage_changed_on=None)
    assert len(stages.mismatches()) == 1
    with pytest.raises(CommandError, match="stage summaries"):
        call_command("rebuild_rollups", check=True)
    call_command("rebuild_rollups")
    assert columns(project) == (2, D(2026, 1, 9)) and stages.mismatches() == []


def test_the_migration_fills_the_columns_from_the_history(cast: Any) -> None:
    project = cast.project(first_contact_on=D(2026, 1, 1))
    change_stage(project, Stage.NEGOTIATING, by=None, on=D(2026, 1, 9))
    change_stage(project, Stage.DROPPED, by=None, on=D(2026, 1, 20), drop_reason="外迁")
    empty = Project.objects.create(
        code="XM-EMPTY", name="无历史", unit=cast.town_a, total_investment=Decimal(1)
    )  # no stage change at all
    Project.objects.update(reached_stage=0, stage_changed_on=None)
    backfill = import_module("zhaoshang.projects.migrations.0003_stage_columns").BACKFILL
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert columns(project) == (2, D(2026, 1, 20)) == history_summary(project)
    assert columns(empty) == (0, None)
    assert stages.mismatches() == []
