"""The kanban board of projects by stage (issue 18): columns of the user's subtree with counts, and
the move of a dropped card through the stage service: allowed (the stages between recorded),
refused with the reason on the card (the card stays in its stage), and refused for a project of
another unit as if it did not exist.

Assertions read ids, stages and data attributes; the refusal's text is the service's English msgid."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhaoshang.projects import board
from zhaoshang.projects.models import Project, StageChange

BOARD = reverse("projects:board")
HX = {"HTTP_HX_REQUEST": "true"}


def move(client: Any, project: Project, to_stage: str, **headers: Any) -> Any:
    return client.post(reverse("projects:move", args=[project.pk]), {"to_stage": to_stage}, **headers)


def test_the_board_shows_the_users_subtree_by_stage_with_counts(client, cast):
    mine = cast.project(cast.town_a, name="城关镇看板项目")
    other = cast.project(cast.town_b, name="河口乡看板项目")
    cast.project(cast.other_town, name="邻县看板项目")
    client.force_login(cast.operator_a)
    response = client.get(BOARD)
    assert response.status_code == 200
    columns = {c["stage"]: c for c in response.context["columns"]}
    assert [p.pk for p in columns["lead"]["cards"]] == [mine.pk] and columns["lead"]["count"] == 1
    page = response.content.decode()
    assert f'data-move-url="{reverse("projects:move", args=[mine.pk])}"' in page
    assert "河口乡看板项目" not in page and "邻县看板项目" not in page
    client.force_login(cast.admin)
    columns = {c["stage"]: c for c in client.get(BOARD).context["columns"]}
    assert {p.pk for p in columns["lead"]["cards"]} == {mine.pk, other.pk}


def test_the_board_filters_as_the_list_does_and_its_links_keep_the_filter(client, cast, monkeypatch):
    a = cast.project(cast.town_a, name="城关镇新能源项目")
    cast.project(cast.town_a, name="城关镇食品项目")
    cast.project(cast.town_b, name="河口乡新能源项目")
    client.force_login(cast.admin)

    def lead(query: dict[str, Any]) -> list[int]:
        response = client.get(BOARD, query)
        assert response.status_code == 200
        return [p.pk for p in next(c for c in response.context["columns"] if c["stage"] == "lead")["cards"]]

    assert lead({"q": "新能源", "unit": cast.town_a.pk}) == [a.pk]
    assert len(lead({"q": "新能源"})) == 2
    assert lead({"q": "新能源", "unit": cast.town_a.pk, "stage": "operating"}) == [a.pk]  # stage ignored
    monkeypatch.setattr(board, "CARDS_PER_STAGE", 1)
    page = client.get(BOARD, {"q": "新能源"}).content.decode()
    assert f"{reverse('projects:list')}?stage=lead&amp;q=" in page  # "all in the list" keeps the word
    # a township operator cannot filter by another township: the unit is not offered, and the refused
    # choice leaves the board of the operator's own subtree (as the list does)
    client.force_login(cast.operator_a)
    response = client.get(BOARD, {"unit": cast.town_b.pk})
    shown = {p.unit_id for c in response.context["columns"] for p in c["cards"]}
    assert shown == {cast.town_a.pk}
    page = response.content.decode()
    assert f'value="{cast.town_b.pk}"' not in page and "河口乡新能源项目" not in page


def test_a_leader_sees_the_cards_but_none_is_draggable(client, cast):
    project = cast.project(cast.town_a, name="领导看板项目")
    client.force_login(cast.leader)
    page = client.get(BOARD).content.decode()
    assert f'data-testid="card-{project.pk}"' in page and "data-move-url" not in page


def test_a_column_shows_the_most_recent_and_links_to_the_rest(client, cast, monkeypatch):
    monkeypatch.setattr(board, "CARDS_PER_STAGE", 2)
    projects = [cast.project(cast.town_a, name=f"项目{i}") for i in range(3)]
    client.force_login(cast.admin)
    response = client.get(BOARD)
    lead = next(c for c in response.context["columns"] if c["stage"] == "lead")
    assert lead["count"] == 3 and [p.pk for p in lead["cards"]] == [projects[2].pk, projects[1].pk]
    assert f"{reverse('projects:list')}?stage=lead" in response.content.decode()


def test_a_drop_on_a_later_stage_moves_the_project_through_the_stages_between(client, cast):
    project = cast.project(cast.town_a, name="拖动项目")
    client.force_login(cast.operator_a)
    response = move(client, project, "intent", **HX)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.stage == "intent" and project.intent_on is not None
    assert list(
        StageChange.objects.filter(project=project)
        .exclude(from_stage="")
        .values_list("from_stage", "to_stage")
    ) == [
        ("lead", "negotiating"),
        ("negotiating", "intent"),
    ]
    card = response.content.decode()
    assert f'id="board-card-{project.pk}"' in card and 'data-stage="intent"' in card
    assert 'data-testid="move-refused"' not in card


def test_a_refused_move_is_explained_on_the_card_which_stays_in_its_stage(client, cast):
    project = cast.project(cast.town_a, name="缺合同额项目")
    backwards = cast.project(cast.town_a, name="在谈项目", stage="negotiating")
    changes = StageChange.objects.count()
    client.force_login(cast.operator_a)
    response = move(client, project, "signed", **HX)  # a signed project needs its contracted amount
    assert response.status_code == 200
    card = response.content.decode()
    assert 'data-stage="lead"' in card and 'data-testid="move-refused"' in card
    assert "contracted amount" in card or "合同" in card
    card = move(client, backwards, "lead", **HX).content.decode()
    assert 'data-stage="negotiating"' in card and 'data-testid="move-refused"' in card
    project.refresh_from_db()
    backwards.refresh_from_db()
    assert (project.stage, backwards.stage) == ("lead", "negotiating")
    assert StageChange.objects.count() == changes


def test_another_units_project_cannot_be_moved(client, cast):
    neighbour = cast.project(cast.town_b, name="河口乡项目")
    foreign = cast.project(cast.other_town, name="邻县项目")
    client.force_login(cast.operator_a)
    assert move(client, neighbour, "negotiating", **HX).status_code == 404
    client.force_login(cast.stranger)
    assert move(client, cast.project(cast.town_a, name="城关镇项目"), "negotiating", **HX).status_code == 404
    client.force_login(cast.leader)  # sees the project, may not move it
    assert move(client, neighbour, "negotiating", **HX).status_code == 404
    assert Project.objects.get(pk=neighbour.pk).stage == "lead" and foreign.stage == "lead"


def test_without_script_the_move_goes_back_to_the_board_with_a_message(client, cast):
    project = cast.project(cast.town_a, name="无脚本项目")
    client.force_login(cast.operator_a)
    response = move(client, project, "negotiating")
    assert response.status_code == 302 and response["Location"] == BOARD
    assert Project.objects.get(pk=project.pk).stage == "negotiating"
