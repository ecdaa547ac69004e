"""What the probe sent the API (issue 25, findings 4 and 6): refused with a 422 naming the field,
never a 500, and nothing stored."""

from __future__ import annotations

import json

import pytest

from zhaoshang.activities.models import Activity
from zhaoshang.projects.models import Project

PROJECT = {"name": "新项目", "unit_id": None, "total_investment": "100"}


def post(client, url: str, body: dict) -> tuple[int, dict]:
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("新\x00项目", "U+0000"),
        ("新\x1b项目", "U+001B"),
        ("新\ud800项目", "U+D800"),
        ("新\x85项目", "U+0085"),
    ],
)
def test_control_characters_and_lone_surrogates_are_refused_by_field(admin_client, cast, name, char):
    status, body = post(admin_client, "/api/projects", {**PROJECT, "unit_id": cast.town_a.pk, "name": name})
    assert status == 422
    assert body["detail"] == [
        {"loc": ["body", "name"], "msg": body["detail"][0]["msg"], "type": "text_characters"}
    ]
    assert char in body["detail"][0]["msg"]
    assert not Project.objects.exists()


def test_a_bad_character_deep_in_a_list_is_located(admin_client, cast):
    body = {**PROJECT, "unit_id": cast.town_a.pk, "stewards": [{"name": "王\x07", "phone": ""}]}
    status, answer = post(admin_client, "/api/projects", body)
    assert status == 422 and answer["detail"][0]["loc"] == ["body", "stewards", 0, "name"]


def test_tabs_and_line_breaks_are_kept_inside_text(admin_client, cast):
    body = {**PROJECT, "unit_id": cast.town_a.pk, "remarks": "第一行\r\n\t第二行"}
    status, answer = post(admin_client, "/api/projects", body)
    assert status == 201, answer
    assert Project.objects.get().remarks == "第一行\r\n\t第二行"


def test_a_name_of_blanks_is_refused_as_the_form_refuses_it(admin_client, cast):
    status, body = post(admin_client, "/api/projects", {**PROJECT, "unit_id": cast.town_a.pk, "name": "   "})
    assert status == 422 and body["detail"][0]["loc"] == ["body", "name"]
    assert not Project.objects.exists()


def test_surrounding_blanks_are_stripped_as_forms_strip_them(admin_client, cast):
    status, body = post(
        admin_client, "/api/projects", {**PROJECT, "unit_id": cast.town_a.pk, "name": "  新项目 "}
    )
    assert status == 201, body
    assert Project.objects.get().name == "新项目"


def test_ids_beyond_the_database_range_are_a_422(admin_client, cast):
    # 10**25 in investor_ids / project_ids raised OverflowError when bound to the query (a 500).
    body = {"kind": "visit", "unit_id": cast.town_a.pk, "title": "考察", "starts_on": "2026-01-05"}
    for field in ("investor_ids", "project_ids"):
        status, answer = post(admin_client, "/api/activities", {**body, field: [10**25]})
        assert status == 422 and answer["detail"][0]["loc"] == ["body", field, 0]
    status, answer = post(
        admin_client, "/api/projects", {**PROJECT, "unit_id": cast.town_a.pk, "investor_ids": [10**25]}
    )
    assert status == 422 and answer["detail"][0]["loc"] == ["body", "investor_ids", 0]
    assert not Activity.objects.exists() and not Project.objects.exists()


def test_a_body_that_is_not_json_is_a_422_of_the_whole_body(admin_client, cast):
    # Undocumented 400s found by schemathesis: a body that is not JSON, or not UTF-8.
    for raw in (b"[\x0cm", b"\xff\xfe", b'{"name": '):
        response = admin_client.post("/api/projects", raw, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body"]
        assert response.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize("value", ["null", "maybe", "yes"])
def test_a_boolean_filter_refuses_a_word_that_is_not_a_boolean(admin_client, value):
    response = admin_client.get(f"/api/units?is_active={value}")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "is_active"]
    assert admin_client.get("/api/units?is_active=true").status_code == 200
