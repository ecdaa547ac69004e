"""The project ledger through the JSON API: same scope, rules, filters and sort keys as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.permissions import Role
from zhaoshang.investors.models import Investor
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

SIGNED = {"stage": "signed", "signed_on": dt.date(2024, 3, 1), "contracted_amount": Decimal("3000")}


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language} if language else {})
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def new_project(cast: Any, **fields: Any) -> dict[str, Any]:
    return {"name": "光伏组件项目", "unit_id": cast.town_a.pk, "total_investment": "8000", **fields}


def locs(response: Any) -> list[list[Any]]:
    return [e["loc"] for e in response.json()["detail"]]


# --- scope ----------------------------------------------------------------------------------


def test_the_list_never_contains_another_townships_projects(cast):
    own = cast.project(unit=cast.town_a, name="城关项目")
    other = cast.project(unit=cast.town_b, name="河口项目")
    assert ids(client_for(cast.operator_a).get("/api/projects")) == [own.pk]
    assert ids(client_for(cast.operator_b).get("/api/projects")) == [other.pk]
    assert ids(client_for(cast.stranger).get("/api/projects")) == []
    assert set(ids(client_for(cast.admin).get("/api/projects"))) == {own.pk, other.pk}


def test_a_unit_credited_with_a_share_sees_the_project_but_may_not_change_it(cast):
    project = cast.project(unit=cast.town_a)
    ok = patch(
        client_for(cast.admin),
        f"/api/projects/{project.pk}",
        {"credits": [{"unit_id": cast.town_a.pk, "share": "70"}, {"unit_id": cast.town_b.pk, "share": 30}]},
    )
    assert ok.status_code == 200, ok.content
    client = client_for(cast.operator_b)
    assert ids(client.get("/api/projects")) == [project.pk]
    assert client.get(f"/api/projects/{project.pk}").status_code == 200
    assert patch(client, f"/api/projects/{project.pk}", {"name": "改名"}).status_code == 403
    move = post(client, f"/api/projects/{project.pk}/stage", {"to_stage": "negotiating", "on": "2024-05-01"})
    assert move.status_code == 403
    assert Project.objects.get(pk=project.pk).name == "测试项目"


@pytest.mark.parametrize("outsider", ["operator_b", "stranger"])
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"name": "改名"}),
        ("post", "/stage", {"to_stage": "negotiating", "on": "2024-05-01"}),
        ("get", "/transitions", None),
    ],
)
def test_an_outsider_gets_the_same_404_as_for_a_missing_project(cast, outsider, method, suffix, body):
    project = cast.project(unit=cast.town_a)
    client = client_for(getattr(cast, outsider))
    kwargs = {"content_type": "application/json"} if body is not None else {}

    def call(pk: int) -> Any:
        return getattr(client, method)(f"/api/projects/{pk}{suffix}", body, **kwargs)

    foreign, missing = call(project.pk), call(project.pk + 1000)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    project.refresh_from_db()
    assert (project.name, project.stage) == ("测试项目", Stage.LEAD)


def test_a_leader_reads_but_every_write_is_forbidden(cast):
    project = cast.project(unit=cast.town_a)
    client = client_for(cast.leader)
    assert client.get(f"/api/projects/{project.pk}").status_code == 200
    assert post(client, "/api/projects", new_project(cast)).status_code == 403
    assert patch(client, f"/api/projects/{project.pk}", {"name": "改名"}).status_code == 403
    move = post(client, f"/api/projects/{project.pk}/stage", {"to_stage": "negotiating", "on": "2024-05-01"})
    assert move.status_code == 403
    transitions = client.get(f"/api/projects/{project.pk}/transitions").json()
    assert (transitions["can_change_stage"], transitions["transitions"]) == (False, [])
    assert Project.objects.count() == 1
    assert Project.objects.get(pk=project.pk).stage == Stage.LEAD


# --- creating -------------------------------------------------------------------------------


def test_an_operator_records_a_project_in_the_own_township(cast):
    investor = Investor.objects.create(name="温州华夏集团", origin_province="浙江省", unit=cast.town_a)
    body = new_project(
        cast,
        investor_ids=[investor.pk],
        new_investors=[{"name": "香港宏达", "origin_country": "香港"}],
        stewards=[{"name": "李明", "position": "副镇长", "phone": "13800000000"}],
        first_contact_on="2024-02-01",
    )
    response = post(client_for(cast.operator_a), "/api/projects", body)
    assert response.status_code == 201, response.content
    data = response.json()
    project = Project.objects.get(pk=data["id"])
    assert (project.unit, project.created_by, project.stage) == (cast.town_a, cast.operator_a, Stage.LEAD)
    assert data["code"] == project.code == f"XM{timezone.localdate().year}-0001"  # projects/codes.py
    assert sorted(i["name"] for i in data["investors"]) == ["温州华夏集团", "香港宏达"]
    assert Investor.objects.get(name="香港宏达").unit == cast.town_a
    assert data["credits"] == [{"unit": {"id": cast.town_a.pk, "name": "城关镇"}, "share": "100.00"}]
    assert data["stewards"] == [{"name": "李明", "position": "副镇长", "phone": "13800000000"}]
    assert data["first_contact_on"] == "2024-02-01"
    assert [c["to_stage"] for c in data["stage_changes"]] == ["lead"]
    assert len(data["approvals"]) == 6


def test_another_townships_unit_is_as_unknown_as_a_missing_one(cast):
    client = client_for(cast.operator_a)
    foreign = post(client, "/api/projects", new_project(cast, unit_id=cast.town_b.pk))
    missing = post(client, "/api/projects", new_project(cast, unit_id=cast.town_b.pk + 1000))
    assert foreign.status_code == missing.status_code == 422
    assert foreign.json() == missing.json()
    assert locs(foreign) == [["body", "unit_id"]]
    assert Project.objects.count() == 0


def test_a_service_refusal_of_scope_is_a_403_with_its_message(cast):
    # Sees the whole county as a leader, but may record projects only in town A.
    user = User.objects.create_user(username="both", password="x", display_name="镇长")
    Membership.objects.create(user=user, unit=cast.county, role=Role.LEADER)
    Membership.objects.create(user=user, unit=cast.town_a, role=Role.OPERATOR)
    response = post(client_for(user), "/api/projects", new_project(cast, unit_id=cast.town_b.pk))
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not record projects for 河口乡."}
    assert post(client_for(user), "/api/projects", new_project(cast)).status_code == 201


def test_credit_shares_must_sum_to_a_hundred(cast):
    credits = [{"unit_id": cast.town_a.pk, "share": "60"}, {"unit_id": cast.department.pk, "share": "30"}]
    body = new_project(cast, credits=credits, new_investors=[{"name": "不应留下的客商"}])
    response = post(client_for(cast.operator_a), "/api/projects", body)
    assert response.status_code == 422
    assert locs(response) == [["body", "credits"]]
    assert "sum to 100%" in response.json()["detail"][0]["msg"]
    assert Project.objects.count() == 0
    assert not Investor.objects.filter(name="不应留下的客商").exists()


def test_a_department_of_the_county_may_share_the_credit(cast):
    credits = [{"unit_id": cast.town_a.pk, "share": "60.5"}, {"unit_id": cast.department.pk, "share": "39.5"}]
    response = post(client_for(cast.operator_a), "/api/projects", new_project(cast, credits=credits))
    assert response.status_code == 201, response.content
    shares = {c["unit"]["name"]: c["share"] for c in response.json()["credits"]}
    assert shares == {"城关镇": "60.50", "县商务局": "39.50"}


def test_a_unit_outside_the_county_cannot_be_credited_and_is_not_revealed(cast):
    credits = [{"unit_id": cast.other_town.pk, "share": "100"}]
    response = post(client_for(cast.operator_a), "/api/projects", new_project(cast, credits=credits))
    assert response.status_code == 422
    assert locs(response) == [["body", "credits", 0, "unit_id"]]


def test_an_investor_of_another_township_cannot_be_linked(cast):
    investor = Investor.objects.create(name="河口客商", unit=cast.town_b)
    response = post(
        client_for(cast.operator_a), "/api/projects", new_project(cast, investor_ids=[investor.pk])
    )
    assert response.status_code == 422
    assert locs(response) == [["body", "investor_ids"]]


def test_a_project_can_be_entered_at_its_current_stage_with_the_dates_it_needs(cast):
    client = client_for(cast.operator_a)
    incomplete = post(client, "/api/projects", new_project(cast, stage="signed"))
    assert incomplete.status_code == 422
    assert {"signed_on", "contracted_amount"} <= {loc[-1] for loc in locs(incomplete)}
    body = new_project(cast, stage="signed", signed_on="2024-03-01", contracted_amount="7000")
    response = post(client, "/api/projects", body)
    assert response.status_code == 201, response.content
    assert (response.json()["stage"], response.json()["contracted_amount"]) == ("signed", "7000.0000")


# --- amounts and dates ----------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["12345678901.2345", "0.0001", "12345.6789"])
def test_amounts_travel_as_exact_decimal_strings(cast, amount):
    client = client_for(cast.operator_a)
    created = post(client, "/api/projects", new_project(cast, total_investment=amount))
    assert created.status_code == 201, created.content
    assert created.json()["total_investment"] == amount
    pk = created.json()["id"]
    assert client.get(f"/api/projects/{pk}").json()["total_investment"] == amount
    listed = client.get("/api/projects").json()["items"]
    assert [p["total_investment"] for p in listed] == [amount]
    assert Project.objects.get(pk=pk).total_investment == Decimal(amount)


def test_an_integer_amount_is_accepted_and_returned_with_four_decimals(cast):
    response = post(client_for(cast.operator_a), "/api/projects", new_project(cast, total_investment=5000))
    assert response.status_code == 201, response.content
    assert response.json()["total_investment"] == "5000.0000"


@pytest.mark.parametrize(
    "amount", [1234.5, 0.1, "1.23456", "-5", "1e3", "123456789012", "12,000", "１２３", True, "", None]
)
def test_floats_and_malformed_amounts_are_refused(cast, amount):
    response = post(client_for(cast.operator_a), "/api/projects", new_project(cast, total_investment=amount))
    assert response.status_code == 422, response.content
    assert locs(response) == [["body", "total_investment"]]
    assert Project.objects.count() == 0


def test_a_negative_amount_is_refused_with_the_usual_message(cast):
    body = {"to_stage": "signed", "on": "2024-05-01", "contracted_amount": "-1"}
    project = cast.project(unit=cast.town_a, stage="negotiating")
    response = post(client_for(cast.operator_a), f"/api/projects/{project.pk}/stage", body)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "contracted_amount"],
            "msg": "Ensure this value is greater than or equal to 0.",
            "type": "decimal_negative",
        }
    ]


@pytest.mark.parametrize("date", ["2024/02/01", "20240201", "2024-02-30", 1706745600, "2024-02-01T00:00:00"])
def test_dates_must_be_iso_calendar_dates(cast, date):
    response = post(client_for(cast.operator_a), "/api/projects", new_project(cast, first_contact_on=date))
    assert response.status_code == 422
    assert locs(response) == [["body", "first_contact_on"]]


# --- changing -------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(cast):
    project = cast.project(unit=cast.town_a, remarks="原备注", land_mu=Decimal("52.5"), jobs=80)
    client = client_for(cast.operator_a)
    response = patch(client, f"/api/projects/{project.pk}", {"name": "新名称", "land_mu": None})
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert (project.name, project.land_mu, project.remarks, project.jobs) == ("新名称", None, "原备注", 80)
    assert project.total_investment == Decimal("5000")
    assert [i.name for i in project.investors.all()] == ["测试项目投资方"]
    assert response.json()["land_mu"] is None


def test_patch_refuses_null_for_a_required_field_and_a_move_out_of_scope(cast):
    project = cast.project(unit=cast.town_a)
    client = client_for(cast.operator_a)
    response = patch(client, f"/api/projects/{project.pk}", {"total_investment": None})
    assert response.status_code == 422
    assert locs(response) == [["body", "total_investment"]]
    moved = patch(client, f"/api/projects/{project.pk}", {"unit_id": cast.town_b.pk})
    assert moved.status_code == 422
    assert locs(moved) == [["body", "unit_id"]]
    project.refresh_from_db()
    assert (project.unit, project.total_investment) == (cast.town_a, Decimal("5000"))


def test_patch_replaces_the_stewards_and_adds_new_investors(cast):
    project = cast.project(unit=cast.town_a)
    body = {
        "stewards": [{"name": "王芳"}],
        "new_investors": [{"name": "新客商", "origin_province": "江苏省"}],
    }
    response = patch(client_for(cast.operator_a), f"/api/projects/{project.pk}", body)
    assert response.status_code == 200, response.content
    assert [s.name for s in project.stewards.all()] == ["王芳"]
    assert sorted(i.name for i in project.investors.all()) == ["新客商", "测试项目投资方"]


# --- stages ---------------------------------------------------------------------------------


def test_an_operator_moves_a_project_along_the_allowed_transitions(cast):
    project = cast.project(unit=cast.town_a)
    client = client_for(cast.operator_a)
    before = client.get(f"/api/projects/{project.pk}/transitions").json()
    assert before["stage"] == "lead"
    assert before["can_change_stage"] is True
    assert [t["stage"] for t in before["transitions"]] == [
        "negotiating",
        "intent",
        "signed",
        "started",
        "completed",
        "operating",
        "dropped",
    ]
    body = {"to_stage": "negotiating", "on": "2024-05-01", "note": "首次洽谈"}
    moved = post(client, f"/api/projects/{project.pk}/stage", body)
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "negotiating"
    last = moved.json()["stage_changes"][-1]
    assert (last["from_stage"], last["to_stage"], last["changed_on"], last["note"]) == (
        "lead",
        "negotiating",
        "2024-05-01",
        "首次洽谈",
    )
    after = client.get(f"/api/projects/{project.pk}/transitions").json()
    assert [t["stage"] for t in after["transitions"]] == [
        "intent",
        "signed",
        "started",
        "completed",
        "operating",
        "dropped",
    ]


def test_signing_through_the_api_stores_the_contracted_amount_exactly(cast):
    project = cast.project(unit=cast.town_a, stage="negotiating")
    body = {"to_stage": "signed", "on": "2024-05-01", "contracted_amount": "9876543210.1234"}
    response = post(client_for(cast.operator_a), f"/api/projects/{project.pk}/stage", body)
    assert response.status_code == 200, response.content
    assert response.json()["contracted_amount"] == "9876543210.1234"
    assert response.json()["signed_on"] == "2024-05-01"


def test_a_refused_transition_says_why_and_leaves_the_stage_alone(cast):
    project = cast.project(unit=cast.town_a, stage="negotiating")
    body = {"to_stage": "lead", "on": "2024-05-01"}
    response = post(client_for(cast.operator_a), f"/api/projects/{project.pk}/stage", body)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "to_stage"],
            "msg": "A project cannot move from Negotiating to Lead.",
            "type": "invalid",
        }
    ]
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    assert project.stage_changes.count() == 1


def test_signing_without_the_contracted_amount_is_refused(cast):
    project = cast.project(unit=cast.town_a, stage="negotiating")
    body = {"to_stage": "signed", "on": "2024-05-01"}
    response = post(client_for(cast.operator_a), f"/api/projects/{project.pk}/stage", body)
    assert response.status_code == 422
    assert locs(response) == [["body", "contracted_amount"]]
    assert Project.objects.get(pk=project.pk).stage == Stage.NEGOTIATING


# --- errors in the caller's language ---------------------------------------------------------


def test_messages_follow_the_accept_language_header(cast):
    body = {"unit_id": cast.town_a.pk, "total_investment": "1"}
    english = post(client_for(cast.operator_a, language="en"), "/api/projects", body)
    chinese = post(client_for(cast.operator_a, language=""), "/api/projects", body)
    assert english.json()["detail"] == [
        {"loc": ["body", "name"], "msg": "This field is required.", "type": "missing"}
    ]
    assert chinese.json()["detail"][0]["msg"] == "这个字段是必填项。"


# --- list: filters, sort, pagination, queries -------------------------------------------------


@pytest.fixture
def ledger(cast):
    """Projects spread over the county, with names, amounts and stages to filter and sort on."""
    return [
        cast.project(unit=cast.town_a, name="风电项目", total_investment=Decimal("12000")),
        cast.project(unit=cast.town_a, name="食品加工", total_investment=Decimal("800"), **SIGNED),
        cast.project(unit=cast.town_b, name="风机叶片", total_investment=Decimal("30000"), **SIGNED),
        cast.project(
            unit=cast.department, name="物流园", total_investment=Decimal("4500"), stage="negotiating"
        ),
        cast.project(unit=cast.park, name="芯片封装", total_investment=Decimal("99000")),
        cast.project(unit=cast.other_town, name="邻县风电", total_investment=Decimal("7000")),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "stage=signed",
        "stage=signed&stage=negotiating",
        "q=风",
        "sort=total_investment",
        "sort=-total_investment",
        "sort=name&stage=lead",
        "sort=unit",
        "investment_min=1000&investment_max=20000",
        "sort=not_a_column",
    ],
)
def test_the_list_matches_the_list_page_for_the_same_query(cast, ledger, query):
    client = client_for(cast.admin)
    page = client.get(f"/projects/?{query}")
    assert page.status_code == 200
    expected = [p.pk for p in page.context["page_obj"].object_list]
    assert ids(client.get(f"/api/projects?{query}")) == expected


def test_the_unit_filter_takes_the_whole_subtree(cast, ledger):
    client = client_for(cast.admin)
    town_a_rows = ids(client.get(f"/api/projects?unit={cast.town_a.pk}"))
    assert sorted(town_a_rows) == sorted([ledger[0].pk, ledger[1].pk])
    county = ids(client.get(f"/api/projects?unit={cast.county.pk}"))
    assert sorted(county) == sorted(p.pk for p in ledger[:5])


def test_filters_and_sort_give_the_expected_rows(cast, ledger):
    client = client_for(cast.admin)
    assert ids(client.get("/api/projects?q=风&sort=name")) == sorted(
        [ledger[0].pk, ledger[2].pk], key=lambda pk: Project.objects.get(pk=pk).name
    )
    assert ids(client.get("/api/projects?stage=signed&sort=-total_investment")) == [
        ledger[2].pk,
        ledger[1].pk,
    ]
    assert ids(client.get("/api/projects?sort=total_investment"))[0] == ledger[1].pk


def test_a_unit_filter_outside_the_scope_is_refused_like_a_missing_one(cast, ledger):
    client = client_for(cast.operator_a)
    foreign = client.get(f"/api/projects?unit={cast.town_b.pk}")
    missing = client.get(f"/api/projects?unit={cast.town_b.pk + 1000}")
    assert foreign.status_code == missing.status_code == 422
    assert foreign.json() == missing.json()
    assert locs(foreign) == [["query", "unit"]]


def test_the_list_is_paginated_with_a_maximum_page_size(cast, ledger):
    client = client_for(cast.admin)
    first = client.get("/api/projects?limit=2&offset=0&sort=name").json()
    second = client.get("/api/projects?limit=2&offset=2&sort=name").json()
    everything = ids(client.get("/api/projects?sort=name"))
    assert first["count"] == second["count"] == 5
    assert [p["id"] for p in first["items"] + second["items"]] == everything[:4]
    assert client.get("/api/projects?limit=201").status_code == 422
    assert client.get("/api/projects?limit=0").status_code == 422
    assert client.get("/api/projects?offset=-1").status_code == 422


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/projects?limit=200")
    assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_page(cast, django_assert_max_num_queries):
    client = client_for(cast.admin)
    client.get("/api/projects")  # the first request after logging in may touch the session
    for n in range(3):
        cast.project(unit=cast.town_a, name=f"项目{n}")
    few = _list_queries(client)
    for n in range(3, 15):
        project = cast.project(unit=cast.town_b if n % 2 else cast.town_a, name=f"项目{n}", **SIGNED)
        project.stewards.create(name=f"保姆{n}")
    assert _list_queries(client) == few
    # session, user, memberships, credited projects, count, rows, investors, credits, stewards,
    # unit names
    with django_assert_max_num_queries(10):
        client.get("/api/projects?limit=200")


# --- the list read as value records ---------------------------------------------------------


@pytest.fixture
def rich_ledger(cast):
    """Projects with everything the list shows: investors, split credits, stewards, a park, a
    foreign currency, empty and filled amounts and dates."""
    from zhaoshang.projects import services

    wenzhou = Investor.objects.create(
        name="温州客商", origin_province="浙江省", origin_city="温州市", unit=cast.county
    )
    foreign = Investor.objects.create(
        name="Acme <Ltd>", kind="person", origin_country="新加坡", unit=cast.county
    )
    made = [
        services.create_project(
            by=cast.admin,
            data={
                "name": "外资 <项目> & 二期",
                "unit": cast.town_b,
                "park": cast.park,
                "currency": "USD",
                "total_investment": Decimal("1234.5678"),
                "contracted_amount": Decimal("0.0001"),
                "sector": "secondary",
                "industry_section": "C",
                "signed_on": dt.date(2024, 2, 29),
            },
            stage="signed",
            investors=[foreign, wenzhou],
            credits=[(cast.town_b, Decimal("33.33")), (cast.town_a, Decimal("66.67"))],
            stewards=[
                services.StewardData(name="张三", position="副镇长", phone="138"),
                services.StewardData("李四"),
            ],
        ),
        cast.project(unit=cast.town_a, name="空项目", total_investment=0),
    ]
    return [*made, *(cast.project(unit=cast.department, name=f"项目{n}") for n in range(3))]


@pytest.mark.parametrize("language", ["en", ""])
def test_the_list_writes_exactly_what_the_schema_writes_for_model_instances(cast, rich_ledger, language):
    """The page is read as value records and written by the schema's plain twin; django-ninja
    validating model instances against ProjectSummary must give the same bytes."""
    from django.utils import translation

    from zhaoshang.api import api
    from zhaoshang.core.paging import LIST_COUNT_CAP, Page, PageParams, page_of
    from zhaoshang.projects.schemas import ProjectSummary
    from zhaoshang.projects.tables import PREFETCH, SELECT

    response = client_for(cast.admin, language).get("/api/projects?limit=3&offset=1&sort=-total_investment")
    assert response.status_code == 200
    queryset = Project.objects.order_by("-total_investment", "-pk").select_related(*SELECT)
    page = page_of(queryset.prefetch_related(*PREFETCH), PageParams(limit=3, offset=1), LIST_COUNT_CAP)
    with translation.override(language or "zh-hans"):
        data = Page[ProjectSummary].model_validate(page).model_dump()
    assert response.content == api.renderer.render(None, data, response_status=200).encode()
    rows = {r["id"]: r for r in client_for(cast.admin, language).get("/api/projects").json()["items"]}
    rich = rows[rich_ledger[0].pk]
    acme = Investor.objects.get(name="Acme <Ltd>").pk
    assert {"id": acme, "name": "Acme <Ltd>", "kind": "person", "origin": "新加坡"} in rich["investors"]
    assert [c["share"] for c in rich["credits"]] == ["33.33", "66.67"]
    assert rich["park"]["name"] == "示例经济开发区" and rows[rich_ledger[1].pk]["park"] is None
    assert rich["stewards"][0] == {"name": "张三", "position": "副镇长", "phone": "138"}


def test_the_value_records_of_the_list_keep_to_the_scope(cast, rich_ledger):
    """Rows come from the scoped, filtered queryset only: a township's operator reads nothing of
    another township through the list, even by name or by asking for that township."""
    foreign = rich_ledger[1]  # 空项目, in town_a, credited to nobody else
    for client in (client_for(cast.operator_b), client_for(cast.stranger)):
        assert foreign.pk not in ids(client.get("/api/projects?limit=200"))
        assert ids(client.get("/api/projects?q=空项目")) == []
        assert client.get(f"/api/projects?unit={cast.town_a.pk}").status_code == 422
    assert ids(client_for(cast.stranger).get("/api/projects")) == []
    # town_a holds a credit share of the first project: its operator sees that row, whole
    rows = client_for(cast.operator_a).get("/api/projects").json()["items"]
    assert {r["id"] for r in rows} == {rich_ledger[0].pk, foreign.pk}
    assert len(next(r for r in rows if r["id"] == rich_ledger[0].pk)["credits"]) == 2


def test_the_list_costs_the_same_queries_for_one_or_fifty_projects(cast, rich_ledger):
    client = client_for(cast.admin)
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get("/api/projects?limit=1"))) == 1
    for n in range(50):
        cast.project(unit=cast.town_b, name=f"多{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get("/api/projects?limit=50"))) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
