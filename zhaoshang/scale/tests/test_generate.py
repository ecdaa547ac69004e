"""generate_scale: the tree is the real one, and what it writes counts exactly as the application would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.models import Event, FundsArrival, Total
from zhaoshang.projects import stages
from zhaoshang.projects.models import CreditShare, Project, StageChange
from zhaoshang.projects.services import check_project
from zhaoshang.scale.generate import generate
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit


@pytest.fixture
def generated(db: Any) -> dict[str, Any]:
    return generate(400, seed=3, provinces=2)


def test_the_tree_has_the_real_divisions_with_their_codes(generated: dict[str, Any]) -> None:
    dongcheng = Unit.objects.get(code="110101")
    assert dongcheng.name == "东城区"
    assert dongcheng.kind == UnitKind.COUNTY
    assert dongcheng.parent.name == "北京市"  # a municipality's districts sit under the province
    assert Unit.objects.filter(parent=dongcheng, kind=UnitKind.TOWNSHIP).count() >= 10
    assert all(u.path.startswith(u.parent.path) for u in Unit.objects.exclude(parent=None)[:200])


def test_the_kept_totals_equal_a_rebuild_from_the_ledger(generated: dict[str, Any]) -> None:
    assert Total.objects.exists()
    assert ledger.mismatches(ledger.totals_from_ledger()) == []
    assert stages.mismatches() == []  # the furthest stage and last change match each history
    assert Project.objects.filter(reached_stage__gte=4).exists()


def test_syncing_a_generated_project_appends_nothing(generated: dict[str, Any]) -> None:
    """The generated events are exactly those ``sync(project)`` would have written."""
    sample = list(Project.objects.order_by("pk")[::20])
    assert any(FundsArrival.objects.filter(project=p).exists() for p in sample)
    assert any(CreditShare.objects.filter(project=p).count() > 1 for p in Project.objects.all())
    for project in sample:
        assert ledger.implied(project) == ledger.recorded(project)
        assert ledger.sync(project) == 0
    assert ledger.mismatches(ledger.totals_from_ledger()) == []


def test_generated_projects_pass_the_project_rules(generated: dict[str, Any]) -> None:
    for project in Project.objects.order_by("pk")[::10]:
        check_project(project)  # raises on any rule a generated project would break
        shares = CreditShare.objects.filter(project=project).values_list("share", flat=True)
        assert sum(shares, Decimal(0)) == 100
        history = list(StageChange.objects.filter(project=project).order_by("pk"))
        assert history[0].from_stage == ""
        assert history[-1].to_stage == project.stage


def test_every_share_names_its_projects_unit(generated: dict[str, Any]) -> None:
    shares = list(CreditShare.objects.values_list("unit_id", "project__unit_id", "project_unit_id"))
    assert [recorded for _unit, owner, recorded in shares] == [owner for _unit, owner, _recorded in shares]
    assert {unit == owner for unit, owner, _recorded in shares} == {True, False}


def test_the_stage_mix_is_realistic(generated: dict[str, Any]) -> None:
    stages = set(Project.objects.values_list("stage", flat=True))
    assert {"lead", "signed", "started", "operating", "dropped"} <= stages
    assert Event.objects.filter(kind="funds_domestic", verified=False).exists()
    assert FundsArrival.objects.filter(status="returned").exists()


def test_the_same_seed_gives_the_same_data(db: Any) -> None:
    def run(seed: int) -> tuple[list[Any], list[Any]]:
        with transaction.atomic():
            generate(60, seed=seed, provinces=1)
            projects = list(
                Project.objects.order_by("pk").values_list("unit__code", "stage", "total_investment")
            )
            events = sorted(
                Event.objects.values_list("kind", "unit__code", "year", "month", "amount", "source")
            )
            transaction.set_rollback(True)
        return projects, events

    first = run(11)
    assert len(first[0]) == 60
    assert run(11) == first
    assert run(12) != first


def test_it_refuses_to_generate_twice_into_one_database(generated: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="already"):
        call_command("generate_scale", "--projects", "1", "--no-check")


def test_it_writes_into_the_database_given_by_url(db: Any, tmp_path: Any) -> None:
    import sqlite3

    target = tmp_path / "scale.sqlite3"
    call_command(
        "generate_scale", "--projects", "20", "--provinces", "1", "--database-url", f"sqlite:///{target}"
    )
    with sqlite3.connect(target) as other:
        assert other.execute("SELECT count(*) FROM projects_project").fetchone() == (20,)
        assert other.execute("SELECT name FROM units_unit WHERE code = '110101'").fetchone() == ("东城区",)
    assert not Project.objects.exists()  # nothing in the database of the test itself
