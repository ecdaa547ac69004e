"""Quarterly inspections: who records them, who reports rectification, who verifies; lights of
items; overdue items; scoping of pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.deadlines import Light
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Role
from zhaoshang.core.tests.endpoints import text_of
from zhaoshang.inspections import services
from zhaoshang.inspections.models import Inspection, RectificationItem


@pytest.fixture
def inspector(cast):
    user = User.objects.create_user(username="inspector", password="x", display_name="督查员")
    Membership.objects.create(user=user, unit=cast.county, role=Role.INSPECTOR)
    return user


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@pytest.fixture
def inspection(cast, inspector, today):
    return services.create_inspection(
        by=inspector,
        unit=cast.town_a,
        year=today.year,
        quarter=quarter_of(today),
        inspected_on=today,
        inspectors="张三、李四",
        findings="项目台账更新不及时",
        items=[services.ItemData("补齐台账", cast.town_a, today + dt.timedelta(days=10))],
    )


@pytest.fixture
def item(inspection):
    return inspection.items.get()


def test_an_inspector_records_an_inspection_with_items(inspection, cast):
    assert inspection.items.count() == 1 and inspection.unit == cast.town_a


def test_operators_and_leaders_do_not_record_inspections(cast, today):
    for user in (cast.operator_a, cast.leader, cast.stranger):
        with pytest.raises(OutOfScope):
            services.create_inspection(
                by=user,
                unit=cast.town_a,
                year=today.year,
                quarter=quarter_of(today),
                inspected_on=today,
                inspectors="x",
                findings="x",
            )


def test_the_date_must_fall_in_the_quarter(cast, inspector, today):
    with pytest.raises(ValidationError) as error:
        services.create_inspection(
            by=inspector,
            unit=cast.town_a,
            year=today.year - 1,
            quarter=quarter_of(today),
            inspected_on=today,
            inspectors="x",
            findings="x",
        )
    assert "inspected_on" in error.value.message_dict


def test_an_item_owner_must_be_in_the_county(inspection, inspector, cast, today):
    with pytest.raises(ValidationError):
        services.add_item(
            inspection, by=inspector, description="x", owner_unit=cast.other_town, deadline=today
        )


def test_the_owner_unit_reports_and_the_inspector_verifies(item, cast, inspector):
    with pytest.raises(OutOfScope):
        services.report_rectification(item, by=cast.operator_b, evidence="x")
    with pytest.raises(OutOfScope):
        services.report_rectification(item, by=cast.admin, evidence="x")  # the bureau is not the owner unit
    with pytest.raises(ValidationError):
        services.verify_rectification(item, by=inspector)  # nothing reported yet
    item = services.report_rectification(item, by=cast.operator_a, evidence="台账已补齐")
    assert item.status == "rectified" and item.light() == Light.DONE
    with pytest.raises(ValidationError):
        services.report_rectification(item, by=cast.operator_a, evidence="again")
    with pytest.raises(OutOfScope):
        services.verify_rectification(item, by=cast.operator_a)
    item = services.verify_rectification(item, by=inspector)
    assert item.status == "verified" and item.verified_by_name == str(inspector)
    with pytest.raises(ValidationError):
        services.return_rectification(item, by=inspector, reason="x")


def test_a_returned_rectification_is_open_again(item, cast):
    item = services.report_rectification(item, by=cast.operator_a, evidence="x")
    with pytest.raises(ValidationError):
        services.return_rectification(item, by=cast.admin, reason="")
    item = services.return_rectification(item, by=cast.admin, reason="证据不足")
    assert item.status == "open" and item.rectified_on is None and item.return_note == "证据不足"


def test_the_light_of_an_item(item):
    deadline = dt.date(2025, 6, 13)  # a Friday
    item.deadline = deadline
    assert item.light(today=dt.date(2025, 6, 9)) == Light.GREEN
    assert item.light(today=dt.date(2025, 6, 12)) == Light.YELLOW
    assert item.light(today=dt.date(2025, 6, 16)) == Light.RED
    item.rectified_on = dt.date(2025, 6, 16)
    assert item.light(today=dt.date(2025, 7, 1)) == Light.DONE_LATE


def test_overdue_items_oldest_first(inspection, inspector, cast, today):
    old = services.add_item(
        inspection, by=inspector, description="旧", owner_unit=cast.town_a, deadline=today
    )
    older = services.add_item(
        inspection, by=inspector, description="更旧", owner_unit=cast.town_b, deadline=today
    )
    RectificationItem.objects.filter(pk=old.pk).update(deadline=today - dt.timedelta(days=3))
    RectificationItem.objects.filter(pk=older.pk).update(deadline=today - dt.timedelta(days=9))
    assert list(services.overdue_items(RectificationItem.objects.all(), today)) == [older, old]


@pytest.mark.parametrize("user", ["stranger", "operator_b"])
def test_it_refuses_a_stranger_and_the_sibling_township(client, cast, item, user):
    client.force_login(getattr(cast, user))
    pk = item.inspection_id
    assert client.get(reverse("inspections:detail", args=[pk])).status_code == 404
    assert client.post(reverse("inspections:item_add", args=[pk]), {}).status_code == 404
    for name in ("rectify", "verify", "return"):
        assert client.post(reverse(f"inspections:{name}", args=[item.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("inspections:evidence", args=[item.pk])).status_code == 404
    for name in ("inspections:list", "inspections:items", "inspections:export", "inspections:items_export"):
        assert "补齐台账" not in text_of(client.get(reverse(name))) and "城关镇" not in text_of(
            client.get(reverse(name))
        )
    assert client.get(f"/api/inspections/{pk}").status_code == 404
    assert (
        client.post(
            f"/api/inspections/items/{item.pk}/rectify", {"evidence": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert "补齐台账" not in client.get("/api/inspections/items").content.decode()
    item.refresh_from_db()
    assert item.status == "open"


def test_an_owner_unit_outside_the_inspected_unit_sees_its_item(client, cast, inspection, inspector, today):
    services.add_item(
        inspection, by=inspector, description="河口乡配合整改", owner_unit=cast.town_b, deadline=today
    )
    client.force_login(cast.operator_b)
    page = client.get(reverse("inspections:detail", args=[inspection.pk]))
    assert page.status_code == 200
    forms = {i.description: f for i, _light, f, _checks in page.context["items"]}
    # Its own item, with the form to report it rectified; not the inspected township's items.
    assert list(forms) == ["河口乡配合整改"] and forms["河口乡配合整改"] is not None
    assert "补齐台账" not in page.content.decode()
    for url in (reverse("inspections:list"), reverse("inspections:export")):
        assert "补齐台账" not in text_of(client.get(url))
    api = client.get(f"/api/inspections/{inspection.pk}").json()
    assert [i["description"] for i in api["items"]] == ["河口乡配合整改"]
    listed = client.get("/api/inspections").json()["items"]
    assert [i["description"] for row in listed for i in row["items"]] == ["河口乡配合整改"]


def test_the_api_records_reports_and_verifies(client, cast, inspector, today):
    client.force_login(inspector)
    created = client.post(
        "/api/inspections",
        {
            "unit_id": cast.town_a.pk,
            "year": today.year,
            "quarter": quarter_of(today),
            "inspected_on": today.isoformat(),
            "inspectors": "督查组",
            "findings": "发现",
            "items": [
                {"description": "整改一", "owner_unit_id": cast.town_a.pk, "deadline": today.isoformat()}
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["items"][0]["id"]
    client.force_login(cast.operator_a)
    assert client.post("/api/inspections", {}, content_type="application/json").status_code in (403, 422)
    done = client.post(
        f"/api/inspections/items/{item_id}/rectify", {"evidence": "已整改"}, content_type="application/json"
    )
    assert done.json()["status"] == "rectified" and done.json()["light"] == "done"
    assert client.post(f"/api/inspections/items/{item_id}/verify").status_code == 403
    client.force_login(inspector)
    assert client.post(f"/api/inspections/items/{item_id}/verify").json()["status"] == "verified"


def test_the_pages_record_an_inspection_and_its_items(client, cast, inspector, today):
    client.force_login(cast.operator_a)
    assert client.get(reverse("inspections:create")).status_code == 403
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:create"),
        {
            "unit": cast.town_b.pk,
            "year": today.year,
            "quarter": quarter_of(today),
            "inspected_on": today.isoformat(),
            "inspectors": "督查组",
            "findings": "问题",
        },
    )
    inspection = Inspection.objects.get(unit=cast.town_b)
    assert response.status_code == 302
    client.post(
        reverse("inspections:item_add", args=[inspection.pk]),
        {
            "description": "整改",
            "owner_unit": cast.town_b.pk,
            "deadline": (today + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert inspection.items.count() == 1
    assert timezone.localdate() == today


def test_an_item_deadline_years_away_is_refused(inspection, inspector, cast, today):
    with pytest.raises(ValidationError) as refused:
        services.add_item(
            inspection, by=inspector, description="x", owner_unit=cast.town_a, deadline=dt.date(9999, 12, 31)
        )
    assert "deadline" in refused.value.message_dict
    assert inspection.items.count() == 1


def test_the_api_refuses_far_deadlines_and_dates_before_1949(client, cast, inspector, today):
    client.force_login(inspector)
    body = {
        "unit_id": cast.town_a.pk,
        "year": today.year,
        "quarter": quarter_of(today),
        "inspected_on": today.isoformat(),
        "inspectors": "督查组",
        "findings": "发现",
        "items": [{"description": "整改一", "owner_unit_id": cast.town_a.pk, "deadline": "9999-12-31"}],
    }
    far = client.post("/api/inspections", body, content_type="application/json")
    assert far.status_code == 422 and "9999" not in far.json()["detail"][0]["msg"]
    assert "10" in far.json()["detail"][0]["msg"]
    body["items"][0]["deadline"] = today.isoformat()
    body["inspected_on"] = "0001-01-01"
    early = client.post("/api/inspections", body, content_type="application/json")
    assert early.status_code == 422 and "1949-10-01" in early.json()["detail"][0]["msg"]
    assert not Inspection.objects.exists()
