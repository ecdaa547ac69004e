"""The API as a whole: its OpenAPI schema, its docs page, and the rules every operation shares."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from zhaoshang.projects.models import Project

OPERATIONS = {
    ("get", "/api/units"),
    ("post", "/api/units"),
    ("get", "/api/units/{unit_id}"),
    ("patch", "/api/units/{unit_id}"),
    ("get", "/api/projects"),
    ("post", "/api/projects"),
    ("get", "/api/projects/{project_id}"),
    ("patch", "/api/projects/{project_id}"),
    ("post", "/api/projects/{project_id}/stage"),
    ("get", "/api/projects/{project_id}/transitions"),
    ("get", "/api/requests"),
    ("post", "/api/requests"),
    ("get", "/api/requests/overdue"),
    ("get", "/api/requests/{request_id}"),
    ("post", "/api/requests/{request_id}/accept"),
    ("post", "/api/requests/{request_id}/reject"),
    ("post", "/api/requests/{request_id}/reply"),
    ("post", "/api/requests/{request_id}/close"),
    ("post", "/api/requests/{request_id}/reopen"),
    ("post", "/api/requests/{request_id}/comment"),
    ("get", "/api/assessment/schemes"),
    ("get", "/api/assessment/rankings"),
    ("get", "/api/assessment/rankings/{ranking_id}"),
    ("get", "/api/enterprises"),
    ("get", "/api/parks"),
    ("get", "/api/parks/idle"),
    ("get", "/api/parks/{park_id}"),
    ("post", "/api/enterprises"),
    ("get", "/api/enterprises/returns"),
    ("get", "/api/enterprises/visits"),
    ("post", "/api/enterprises/{enterprise_id}/visits"),
    ("get", "/api/enterprises/{enterprise_id}"),
    ("post", "/api/enterprises/{enterprise_id}/returns"),
    ("post", "/api/enterprises/returns/{return_id}/verify"),
    ("post", "/api/enterprises/returns/{return_id}/return"),
    ("post", "/api/enterprises/returns/{return_id}/correct"),
    ("post", "/api/enterprises/returns/{return_id}/withdraw"),
    ("get", "/api/inspections"),
    ("post", "/api/inspections"),
    ("get", "/api/inspections/items"),
    ("get", "/api/inspections/{inspection_id}"),
    ("post", "/api/inspections/{inspection_id}/items"),
    ("post", "/api/inspections/items/{item_id}/rectify"),
    ("post", "/api/inspections/items/{item_id}/verify"),
    ("post", "/api/inspections/items/{item_id}/return"),
    ("get", "/api/dispatch/rounds"),
    ("get", "/api/dispatch/reports"),
    ("post", "/api/dispatch/reports"),
    ("get", "/api/dispatch/reports/{report_id}"),
    ("patch", "/api/dispatch/reports/{report_id}"),
    ("post", "/api/dispatch/reports/{report_id}/submit"),
    ("post", "/api/dispatch/reports/{report_id}/verify"),
    ("post", "/api/dispatch/reports/{report_id}/return"),
    ("get", "/api/investors"),
    ("post", "/api/investors"),
    ("get", "/api/investors/{investor_id}"),
    ("patch", "/api/investors/{investor_id}"),
    ("get", "/api/activities"),
    ("post", "/api/activities"),
    ("get", "/api/activities/{activity_id}"),
    ("delete", "/api/activities/{activity_id}"),
    ("patch", "/api/activities/{activity_id}"),
    ("post", "/api/activities/{activity_id}/steps"),
    ("get", "/api/summaries/{unit_id}"),
    ("get", "/api/ledger/indicators"),
    ("get", "/api/ledger/units/{unit_id}/drilldown"),
    ("get", "/api/ledger/funds"),
    ("post", "/api/ledger/funds"),
    ("post", "/api/ledger/funds/{funds_id}/verify"),
    ("post", "/api/ledger/funds/{funds_id}/return"),
    ("get", "/api/targets/units/{unit_id}/completion"),
}
WRITES = {(m, p) for m, p in OPERATIONS if m != "get"}


def client_for(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def schema(cast) -> dict[str, Any]:
    response = client_for(cast.operator_a).get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method, path) for path, item in schema["paths"].items() for method in item}


def test_the_schema_lists_every_operation(schema):
    assert operations(schema) == OPERATIONS


def test_every_operation_documents_its_errors(schema):
    for method, path in OPERATIONS:
        responses = schema["paths"][path][method]["responses"]
        assert {"401", "422"} <= set(responses), (method, path)
        if (method, path) in WRITES:
            assert "403" in responses, (method, path)
        assert schema["paths"][path][method].get("summary"), (method, path)
    assert "422" in schema["info"]["description"]


def test_every_operation_refuses_an_anonymous_caller(cast, schema):
    project = cast.project()
    anonymous = Client()
    for method, path in operations(schema):
        url = path.replace("{unit_id}", str(cast.town_a.pk)).replace("{project_id}", str(project.pk))
        for key in (
            "{request_id}",
            "{inspection_id}",
            "{item_id}",
            "{report_id}",
            "{investor_id}",
            "{activity_id}",
        ):
            url = url.replace(key, "1")
        response = getattr(anonymous, method)(url, {}, content_type="application/json")
        assert response.status_code == 401, (method, path)
        assert response.json() == {"detail": response.json()["detail"]}
    assert Project.objects.count() == 1


def test_amounts_are_strings_in_both_directions(schema):
    components = schema["components"]["schemas"]
    out = components["ProjectDetail"]["properties"]["total_investment"]
    assert out["type"] == "string"
    incoming = components["ProjectIn"]["properties"]["total_investment"]
    assert {alt["type"] for alt in incoming["anyOf"]} == {"string", "integer"}
    assert '"type": "number"' not in json.dumps(incoming)


def test_the_list_documents_the_filters_of_the_list_page(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/projects"]["get"]["parameters"]}
    assert {"limit", "offset", "sort", "q", "unit", "stage", "steward", "origin"} <= parameters
    unit_parameters = {p["name"] for p in schema["paths"]["/api/units"]["get"]["parameters"]}
    assert {"q", "kind", "under", "is_active"} <= unit_parameters


def test_the_docs_load_for_a_logged_in_user(cast):
    response = client_for(cast.leader).get("/api/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/api/openapi.json" in response.content
    assert b"cdn." not in response.content  # Swagger UI is served from our static files


@pytest.mark.parametrize("url", ["/api/docs", "/api/openapi.json"])
def test_the_docs_and_schema_send_an_anonymous_visitor_to_log_in(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_writes_need_the_csrf_token_of_the_session(cast):
    client = client_for(cast.operator_a, enforce_csrf_checks=True)
    body = {"name": "光伏项目", "unit_id": cast.town_a.pk, "total_investment": "100"}
    refused = client.post("/api/projects", body, content_type="application/json")
    assert refused.status_code == 403
    assert Project.objects.count() == 0
    page = client.get("/api/docs")
    token = re.search(rb'data-csrf-token="([^"]+)"', page.content)
    token = token.group(1).decode() if token else client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/projects", body, content_type="application/json", headers={"x-csrftoken": token}
    )
    assert accepted.status_code == 201, accepted.content


def test_no_two_schemas_share_a_name():
    # OpenAPI names a component by its class name: two classes named ActivityOut (a promotion
    # activity, and an entry of a request's history) made GET /api/requests/{id} answer with fields
    # its published schema did not have.
    from ninja import Schema

    from zhaoshang.api import api

    assert api.urls  # every router is mounted, so every schema class is defined
    names: dict[str, set[str]] = {}
    pending = [Schema]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub.__module__.startswith("zhaoshang."):
                names.setdefault(sub.__name__, set()).add(f"{sub.__module__}.{sub.__qualname__}")
            pending.append(sub)
    assert {name: where for name, where in names.items() if len(where) > 1} == {}


def test_a_request_answers_with_the_fields_of_its_published_schema(cast, schema):
    from zhaoshang.coordination import services

    raised = services.raise_request(
        kind="staff_problem", title="用地", description="需协调", unit=cast.town_a, by=cast.operator_a
    )
    body = client_for(cast.operator_a).get(f"/api/requests/{raised.pk}").json()
    components = schema["components"]["schemas"]
    history = components["RequestDetail"]["properties"]["activities"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert body["activities"] and set(body["activities"][0]) == set(components[history]["properties"])
