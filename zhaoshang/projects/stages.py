"""What a project's stage history amounts to, kept on the project so that no report reads the history.

Two columns of ``Project`` summarise its ``StageChange`` rows:

``reached_stage``
    the furthest stage of the pipeline the history ever moved the project into, as a rank
    (``lead`` 1 … ``operating`` 7; 0 before any move). A project recorded directly as signed, or one
    that skipped the intent agreement, passed the earlier stages too; a project dropped later, or
    taken up again in talks, keeps what it had reached. The funnel counts "reached stage S" as
    ``reached_stage >= rank(S)``.
``stage_changed_on``
    the latest date of a stage change (the stalled list sorts by it).

Both only grow with each move, so every path that records a stage change calls ``note_move`` on the
project before saving it (``projects.services``, ``projects.bulk_import``, the scale generator);
``mismatches`` recomputes them from the history for ``rebuild_rollups --check``, ``repair`` rewrites
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import islice

from django.db.models import Case, IntegerField, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from zhaoshang.projects.choices import PIPELINE
from zhaoshang.projects.models import Project, StageChange

RANK: dict[str, int] = {stage: index + 1 for index, stage in enumerate(PIPELINE)}


def rank(stage: str) -> int:
    """The rank of a stage in the pipeline (1 for ``lead``), 0 for ``dropped``."""
    return RANK.get(stage, 0)


def passed(reached: int) -> list[str]:
    """The pipeline stages a project of reached rank ``reached`` has passed, in order."""
    return PIPELINE[:reached]


def reached_after(reached: int, to_stage: str) -> int:
    """The reached rank after a move into ``to_stage``."""
    return max(reached, rank(to_stage))


def note_move(project: Project, to_stage: str, on: dt.date) -> None:
    """Bring the project's summary columns up to date with a move into ``to_stage`` on ``on`` (unsaved)."""
    project.reached_stage = reached_after(project.reached_stage or 0, to_stage)
    last = project.stage_changed_on
    project.stage_changed_on = on if last is None or on > last else last


def _from_history() -> dict[str, Subquery | Coalesce]:
    """The two columns as subqueries over each project's stage changes."""
    changes = StageChange.objects.filter(project=OuterRef("pk")).order_by().values("project")
    ranks = Case(
        *(When(to_stage=stage, then=Value(r)) for stage, r in RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return {
        "history_reached": Coalesce(Subquery(changes.annotate(r=Max(ranks)).values("r")), Value(0)),
        "history_changed_on": Subquery(changes.annotate(d=Max("changed_on")).values("d")),
    }


def _stale() -> Iterator[tuple[int, int, dt.date | None, int, dt.date | None]]:
    """(pk, reached_stage, stage_changed_on, and both as the history gives them) of every project
    whose columns differ from its history."""
    history = _from_history()
    rows = (
        Project.objects.order_by("pk")
        .annotate(
            history_reached=history["history_reached"], history_changed_on=history["history_changed_on"]
        )
        .values_list("pk", "reached_stage", "stage_changed_on", "history_reached", "history_changed_on")
    )
    for row in rows.iterator(chunk_size=5000):
        if row[1] != row[3] or row[2] != row[4]:
            yield row


def mismatches(limit: int = 20) -> list[str]:
    """Projects whose summary columns differ from their stage history (at most ``limit`` listed)."""
    return [
        f"project {pk}: reached_stage {reached} and stage_changed_on {changed_on}, "
        f"the stage history gives {want_reached} and {want_changed_on}"
        for pk, reached, changed_on, want_reached, want_changed_on in islice(_stale(), limit)
    ]


def repair() -> int:
    """Rewrite both columns of every project that differs from its stage history; return how many."""
    ids = [row[0] for row in _stale()]
    history = _from_history()
    for start in range(0, len(ids), 5000):
        Project.objects.filter(pk__in=ids[start : start + 5000]).update(
            reached_stage=history["history_reached"], stage_changed_on=history["history_changed_on"]
        )
    return len(ids)
