"""No lost updates: a save based on an older version of a project is refused, never applied."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from zhaoshang.core.errors import StaleWrite
from zhaoshang.projects import services
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.test_pages import form_data


def test_the_second_of_two_edits_from_the_same_version_is_refused(cast):
    project = cast.project()
    opened = project.version
    services.update_project(project, by=cast.admin, data={"remarks": "甲的修改"}, expected_version=opened)
    with pytest.raises(StaleWrite) as excinfo:
        services.update_project(
            project, by=cast.operator_a, data={"remarks": "乙的修改"}, expected_version=opened
        )
    assert "局管理员" in excinfo.value.message
    assert Project.objects.get(pk=project.pk).remarks == "甲的修改"


def test_a_stage_change_makes_an_open_edit_form_stale(cast):
    project = cast.project()
    opened = project.version
    services.change_stage(project, "negotiating", by=cast.admin, on=dt.date(2024, 5, 1))
    with pytest.raises(StaleWrite):
        services.update_project(project, by=cast.operator_a, data={"name": "新名"}, expected_version=opened)


def test_edits_from_the_current_version_go_through_one_after_another(cast):
    project = cast.project()
    project = services.update_project(project, by=cast.admin, data={"remarks": "一"}, expected_version=1)
    project = services.update_project(project, by=cast.admin, data={"remarks": "二"}, expected_version=2)
    assert (project.version, project.remarks) == (3, "二")


def test_the_edit_page_refuses_a_stale_form_and_links_to_the_other_change(client, cast):
    project = cast.project(name="原名")
    client.force_login(cast.operator_a)
    page = client.get(reverse("projects:edit", args=[project.pk]))
    assert page.context["form"]["version"].value() == 1
    services.update_project(project, by=cast.admin, data={"name": "局里改的名"})
    response = client.post(
        reverse("projects:edit", args=[project.pk]), form_data(cast, name="镇里改的名", version="1")
    )
    assert response.status_code == 409
    assert project.get_absolute_url() in response.content.decode()
    assert Project.objects.get(pk=project.pk).name == "局里改的名"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_leave_exactly_one_change(cast):
    """Two threads, two database connections, one version: one save wins, the other is refused."""
    project = cast.project()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(remarks: str) -> None:
        try:
            barrier.wait()
            services.update_project(
                project, by=cast.admin, data={"total_investment": Decimal(remarks)}, expected_version=1
            )
            outcomes.append("saved")
        except StaleWrite:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in ("7000", "8000")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    project.refresh_from_db()
    assert project.version == 2 and project.total_investment in (Decimal(7000), Decimal(8000))


def test_the_api_refuses_a_change_based_on_an_older_version_with_409(client, cast):
    project = cast.project(name="原名")
    client.force_login(cast.operator_a)
    read = client.get(f"/api/projects/{project.pk}").json()
    assert read["version"] == 1
    services.update_project(project, by=cast.admin, data={"name": "局里改的名"})
    response = client.patch(
        f"/api/projects/{project.pk}", {"name": "镇里改的名", "version": 1}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["current_version"] == 2
    assert Project.objects.get(pk=project.pk).name == "局里改的名"
    response = client.patch(
        f"/api/projects/{project.pk}", {"name": "镇里改的名", "version": 2}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["version"] == 3


def test_the_api_stage_change_checks_the_version_too(client, cast):
    project = cast.project()
    client.force_login(cast.operator_a)
    services.update_project(project, by=cast.admin, data={"remarks": "改过"})
    response = client.post(
        f"/api/projects/{project.pk}/stage",
        {"to_stage": "negotiating", "on": "2024-05-01", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert Project.objects.get(pk=project.pk).stage == "lead"
