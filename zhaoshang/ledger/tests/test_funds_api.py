"""The funds arrived in the JSON API: listed within one's subtree, recorded as reported, verified or
returned by the bureau with the same rules as the pages (evidence rules included), another unit's
refused like a missing one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client

from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.models import FundsArrival, Total


def api(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_records_funds_the_bureau_verifies_and_the_county_counts_them(cast):
    project = cast.project(stage="signed", signed_on=dt.date(2024, 1, 5), contracted_amount=Decimal(5000))
    body = {"project_id": project.pk, "arrived_on": "2024-03-01", "source": "domestic", "amount": "120.5"}
    response = api(cast.operator_a).post("/api/ledger/funds", body, content_type="application/json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["status"], made["amount"], made["unit_id"], made["has_evidence"]) == (
        "reported",
        "120.5000",
        cast.town_a.pk,
        False,
    )
    listed = api(cast.admin).get("/api/ledger/funds", {"status": "reported"}).json()
    assert [item["id"] for item in listed["items"]] == [made["id"]] and listed["count"] == 1
    # the operator may not verify; the bureau may
    assert api(cast.operator_a).post(f"/api/ledger/funds/{made['id']}/verify").status_code == 403
    verified = api(cast.admin).post(f"/api/ledger/funds/{made['id']}/verify")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    county = Total.objects.get(unit=cast.county, kind="funds_domestic", year=2024, month=Total.YEAR)
    assert county.verified == Decimal("120.5")


def test_returning_needs_a_reason_and_a_verified_line_is_not_returned(cast):
    project = cast.project(stage="signed", signed_on=dt.date(2024, 1, 5), contracted_amount=Decimal(5000))
    funds = funds_service.record_funds(
        project, by=cast.admin, arrived_on=dt.date(2024, 3, 1), source="domestic", amount=Decimal(80)
    )
    url = f"/api/ledger/funds/{funds.pk}/return"
    assert api(cast.admin).post(url, {}, content_type="application/json").status_code == 422
    returned = api(cast.admin).post(url, {"reason": "进账单不符"}, content_type="application/json")
    assert returned.status_code == 200 and returned.json()["return_reason"] == "进账单不符"
    again = api(cast.admin).post(f"/api/ledger/funds/{funds.pk}/verify")
    assert again.status_code == 422  # only reported funds are verified


def test_verifying_without_the_documents_an_indicator_asks_for_is_refused_naming_them(cast):
    from zhaoshang.ledger.models import Indicator

    Indicator.objects.filter(kind="funds_domestic").update(evidence=["bank_slip"])
    project = cast.project(stage="signed", signed_on=dt.date(2024, 1, 5), contracted_amount=Decimal(5000))
    funds = funds_service.record_funds(
        project, by=cast.admin, arrived_on=dt.date(2024, 3, 1), source="domestic", amount=Decimal(80)
    )
    refused = api(cast.admin).post(f"/api/ledger/funds/{funds.pk}/verify")
    assert refused.status_code == 422
    assert FundsArrival.objects.get(pk=funds.pk).status == "reported"


def test_another_units_funds_are_neither_listed_nor_reachable_nor_recordable(cast):
    project = cast.project(stage="signed", signed_on=dt.date(2024, 1, 5), contracted_amount=Decimal(5000))
    funds = funds_service.record_funds(
        project, by=cast.admin, arrived_on=dt.date(2024, 3, 1), source="domestic", amount=Decimal(80)
    )
    for user in (cast.operator_b, cast.stranger):
        client = api(user)
        assert client.get("/api/ledger/funds").json()["count"] == 0
        assert client.post(f"/api/ledger/funds/{funds.pk}/verify").status_code == 404
        body = {"reason": "x"}
        assert (
            client.post(
                f"/api/ledger/funds/{funds.pk}/return", body, content_type="application/json"
            ).status_code
            == 404
        )
        body = {"project_id": project.pk, "arrived_on": "2024-03-01", "source": "domestic", "amount": "1"}
        assert client.post("/api/ledger/funds", body, content_type="application/json").status_code == 422
    assert FundsArrival.objects.count() == 1
