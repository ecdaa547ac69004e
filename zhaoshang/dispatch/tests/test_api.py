"""The dispatch API: scoped like the pages, written through the same services, amounts as strings."""

from __future__ import annotations

import datetime as dt

from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Report
from zhaoshang.dispatch.tests.conftest import worded


def post(client, url, body=None):
    return client.post(url, data=body or {}, content_type="application/json")


def test_an_operator_creates_and_submits_a_report_and_the_bureau_verifies_it(client, cast, opened):
    client.force_login(cast.operator_a)
    body = {
        "round_id": opened["round"].pk,
        "project_id": opened["a"].pk,
        "investment": "250.5",
        "progress_percent": 30,
    }
    created = post(client, "/api/dispatch/reports", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["investment"], data["status"], data["progress_percent"]) == ("250.5000", "draft", 30)
    assert post(client, "/api/dispatch/reports", body).status_code == 422  # one report per project and round
    submitted = post(client, f"/api/dispatch/reports/{data['id']}/submit")
    assert submitted.json()["status"] == "submitted"
    again = post(client, f"/api/dispatch/reports/{data['id']}/submit")
    assert again.status_code == 422
    assert post(client, f"/api/dispatch/reports/{data['id']}/verify").status_code == 403
    client.force_login(cast.admin)
    assert post(client, f"/api/dispatch/reports/{data['id']}/verify").json()["status"] == "verified"


def test_an_operator_cannot_report_on_a_project_outside_the_units_subtree_by_api(client, cast, opened):
    client.force_login(cast.operator_a)
    body = {"round_id": opened["round"].pk, "project_id": opened["b"].pk}
    assert post(client, "/api/dispatch/reports", body).status_code == 422
    report = services.create_report(opened["round"], opened["b"], by=cast.operator_b)
    for url in (f"/api/dispatch/reports/{report.pk}", f"/api/dispatch/reports/{report.pk}/submit"):
        response = client.get(url) if url.endswith(str(report.pk)) else post(client, url)
        assert response.status_code == 404
    assert (
        client.patch(
            f"/api/dispatch/reports/{report.pk}", data={"investment": "9"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Report.objects.get(pk=report.pk).status == "draft"
    listed = client.get("/api/dispatch/reports").json()
    assert listed["count"] == 0


def test_rounds_are_listed_for_the_county_only(client, cast, opened):
    client.force_login(cast.operator_b)
    rounds = client.get("/api/dispatch/rounds").json()["items"]
    assert [(r["county_id"], r["due_on"]) for r in rounds] == [(cast.county.pk, "2026-03-12")]


def test_the_bureau_returns_a_report_with_its_reason_by_api(client, cast, opened):
    report = worded(services.create_report(opened["round"], opened["a"], by=cast.operator_a), cast.operator_a)
    services.submit_report(report, by=cast.operator_a, today=dt.date(2026, 3, 12))
    client.force_login(cast.admin)
    assert post(client, f"/api/dispatch/reports/{report.pk}/return", {"reason": ""}).status_code == 422
    returned = post(client, f"/api/dispatch/reports/{report.pk}/return", {"reason": "数据有误"}).json()
    assert (returned["status"], returned["return_reason"]) == ("returned", "数据有误")
