"""Pages and API of requests: each side sees and does only its own part; strangers and the
sibling township are refused everywhere."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhaoshang.coordination import services
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.tests.endpoints import text_of

ACTIONS = ["accept", "reject", "reply", "close", "reopen", "comment"]


@pytest.mark.parametrize("user", ["stranger", "operator_b"])
def test_it_refuses_a_stranger_and_the_sibling_township_on_every_page(client, cast, assigned, user):
    client.force_login(getattr(cast, user))
    assert client.get(reverse("coordination:detail", args=[assigned.pk])).status_code == 404
    for action in ACTIONS:
        assert (
            client.post(
                reverse(f"coordination:{action}", args=[assigned.pk]), {"text": "x", "reason": "x"}
            ).status_code
            == 404
        )
    file = assigned.activities.first()
    assert client.get(reverse("coordination:file", args=[file.pk])).status_code == 404
    for name in ("coordination:list", "coordination:overdue", "coordination:export"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert assigned.title not in text_of(response)  # an .xlsx is unzipped first
    assigned.refresh_from_db()
    assert assigned.activities.count() == 2


@pytest.mark.parametrize("user", ["stranger", "operator_b"])
def test_it_refuses_a_stranger_and_the_sibling_township_on_every_api_operation(client, cast, assigned, user):
    client.force_login(getattr(cast, user))
    assert client.get(f"/api/requests/{assigned.pk}").status_code == 404
    bodies = {
        "accept": {"owner_unit_id": cast.department.pk},
        "reject": {"reason": "x"},
        "reply": {"text": "x"},
        "close": {"rating": 5},
        "reopen": {"reason": "x"},
        "comment": {"text": "x"},
    }
    for action, body in bodies.items():
        response = client.post(f"/api/requests/{assigned.pk}/{action}", body, content_type="application/json")
        assert response.status_code == 404, action
    assert assigned.title not in client.get("/api/requests").content.decode()
    assert assigned.title not in client.get("/api/requests/overdue").content.decode()


def test_the_owner_unit_sees_the_request_it_must_answer(client, cast, assigned, department_operator):
    client.force_login(department_operator)
    page = client.get(reverse("coordination:detail", args=[assigned.pk]))
    assert page.status_code == 200
    assert page.context["reply_form"] is not None and page.context["close_form"] is None
    assert page.context["accept_form"] is None
    assert assigned.title in client.get(reverse("coordination:list")).content.decode()
    assert client.get(f"/api/requests/{assigned.pk}").json()["owner_unit_id"] == cast.department.pk


def test_the_whole_flow_through_the_pages(client, cast, raised, department_operator):
    client.force_login(cast.admin)
    page = client.get(reverse("coordination:detail", args=[raised.pk]))
    assert page.context["accept_form"] is not None and page.context["reply_form"] is None
    client.post(reverse("coordination:accept", args=[raised.pk]), {"owner_unit": cast.department.pk})
    client.force_login(department_operator)
    client.post(reverse("coordination:reply", args=[raised.pk]), {"text": "已解决", "final": "on"})
    client.force_login(cast.operator_a)
    assert client.get(reverse("coordination:detail", args=[raised.pk])).context["close_form"] is not None
    client.post(reverse("coordination:close", args=[raised.pk]), {"rating": "5", "comment": "满意"})
    raised.refresh_from_db()
    assert (raised.status, raised.owner_unit, raised.rating) == ("closed", cast.department, 5)


def test_a_refused_action_answers_403_and_changes_nothing(client, cast, raised):
    client.force_login(cast.operator_a)  # may see it, may not accept it
    response = client.post(
        reverse("coordination:accept", args=[raised.pk]), {"owner_unit": cast.department.pk}
    )
    assert response.status_code == 403
    raised.refresh_from_db()
    assert raised.status == "submitted"


def test_a_refused_transition_is_explained(client, cast, raised):
    client.force_login(cast.operator_a)
    response = client.post(
        reverse("coordination:close", args=[raised.pk]),
        {"rating": "5"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert [str(m) for m in response.context["messages"]] == [
        "This request is Submitted: it cannot become Closed."
    ]
    raised.refresh_from_db()
    assert raised.status == "submitted" and raised.rating is None


def test_an_operator_raises_a_request_by_page_and_the_leader_may_not(client, cast):
    client.force_login(cast.leader)
    assert client.get(reverse("coordination:create")).status_code == 403
    client.force_login(cast.operator_a)
    form = client.get(reverse("coordination:create")).context["form"]
    assert list(form.fields["unit"].queryset) == [cast.town_a]
    response = client.post(
        reverse("coordination:create"),
        {"kind": "staff_problem", "unit": cast.town_a.pk, "title": "道路", "description": "进场道路"},
    )
    request = CoordinationRequest.objects.get(title="道路")
    assert response.status_code == 302 and request.unit == cast.town_a
    refused = client.post(
        reverse("coordination:create"),
        {"kind": "staff_problem", "unit": cast.town_b.pk, "title": "越界", "description": "x"},
    )
    assert refused.status_code == 400 and not CoordinationRequest.objects.filter(title="越界").exists()


def test_the_api_runs_the_flow_and_refuses_the_wrong_side(client, cast, department_operator):
    client.force_login(cast.operator_a)
    created = client.post(
        "/api/requests",
        {"kind": "inquiry", "title": "政策咨询", "description": "税收政策", "unit_id": cast.town_a.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        client.post(
            f"/api/requests/{pk}/accept",
            {"owner_unit_id": cast.department.pk},
            content_type="application/json",
        ).status_code
        == 403
    )
    client.force_login(cast.admin)
    accepted = client.post(
        f"/api/requests/{pk}/accept", {"owner_unit_id": cast.department.pk}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["light"] in ("green", "yellow")
    assert (
        client.post(f"/api/requests/{pk}/reply", {"text": "x"}, content_type="application/json").status_code
        == 403
    )
    client.force_login(department_operator)
    assert (
        client.post(f"/api/requests/{pk}/reply", {"text": "已答复"}, content_type="application/json").json()[
            "status"
        ]
        == "answered"
    )
    client.force_login(cast.operator_a)
    closed = client.post(f"/api/requests/{pk}/close", {"rating": 3}, content_type="application/json").json()
    assert closed["status"] == "closed" and closed["rating"] == 3 and closed["light"] == "done"
    again = client.post(f"/api/requests/{pk}/close", {"rating": 3}, content_type="application/json")
    assert again.status_code == 422


def test_the_export_holds_the_filtered_requests(client, cast, assigned, raised):
    services.raise_request(kind="inquiry", title="另一事项", description="x", unit=cast.town_a, by=None)
    client.force_login(cast.admin)
    response = client.get(reverse("coordination:export") + "?status=accepted")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == assigned.title


def test_the_overdue_page_lists_red_requests(client, cast, assigned):
    import datetime as dt

    CoordinationRequest.objects.filter(pk=assigned.pk).update(
        deadline=dt.date(2020, 1, 3), accepted_on=dt.date(2020, 1, 2)
    )
    client.force_login(cast.admin)
    page = client.get(reverse("coordination:overdue"))
    assert list(page.context["overdue"]) == [assigned]
    assert page.context["counts"] == [(cast.department, [0, 0, 1, 0, 0])]


def test_the_list_pages_cost_the_same_queries_for_one_row_or_many(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.inspections import services as inspections

    def count(name):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    def add_rows():
        project = cast.project()
        request = services.raise_request(
            kind="staff_problem", title="x", description="x", unit=cast.town_a, by=None, project=project
        )
        services.accept_request(request, by=None, owner_unit=cast.department)
        inspections.create_inspection(
            by=None,
            unit=cast.town_a,
            year=today.year,
            quarter=(today.month - 1) // 3 + 1,
            inspected_on=today,
            inspectors="x",
            findings="x",
            items=[inspections.ItemData("x", cast.town_b, today)],
        )

    from django.utils import timezone

    today = timezone.localdate()
    client.force_login(cast.admin)
    names = ["coordination:list", "coordination:overdue", "inspections:list", "inspections:items"]
    add_rows()
    one = {name: count(name) for name in names}
    for _ in range(4):
        add_rows()
    assert {name: count(name) for name in names} == one


def test_a_leader_reads_a_request_but_gets_no_form_and_403_on_every_action(client, cast, assigned):
    client.force_login(cast.leader)
    page = client.get(reverse("coordination:detail", args=[assigned.pk]))
    assert page.status_code == 200
    forms = ("accept_form", "reject_form", "reply_form", "close_form", "reopen_form", "comment_form")
    assert [page.context[f] for f in forms] == [None] * len(forms)
    data = {"owner_unit": cast.department.pk, "text": "x", "reason": "x", "rating": "5"}
    for action in ACTIONS:
        assert client.post(reverse(f"coordination:{action}", args=[assigned.pk]), data).status_code == 403, (
            action
        )
    assert assigned.activities.count() == 2


def test_the_project_page_lists_the_requests_the_user_may_see(client, cast):
    from decimal import Decimal

    from zhaoshang.projects import services as projects

    # A town A project with a share credited to town B: B reads the project, not A's requests.
    project = projects.create_project(
        by=cast.admin,
        data={"name": "共建项目", "unit": cast.town_a, "total_investment": 100},
        credits=[(cast.town_a, Decimal(60)), (cast.town_b, Decimal(40))],
    )
    services.raise_request(
        kind="staff_problem",
        title="城关镇内部协调事项",
        description="x",
        unit=cast.town_a,
        by=cast.operator_a,
        project=project,
    )
    for user, sees in ((cast.admin, True), (cast.operator_a, True), (cast.operator_b, False)):
        client.force_login(user)
        page = client.get(project.get_absolute_url())
        assert page.status_code == 200
        assert ("城关镇内部协调事项" in page.content.decode()) is sees, user
