"""Investor pages and API as scenarios on the fixed cast."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from zhaoshang.audit.models import Entry
from zhaoshang.investors import services
from zhaoshang.investors.models import Investor


@pytest.fixture
def wenzhou(cast):
    return services.create_investor(
        by=cast.operator_a,
        data={
            "name": "溫州XX集團有限公司",
            "unit": cast.town_a,
            "origin_province": "浙江",
            "origin_city": "温州",
        },
        contacts=[services.ContactData(name="王经理", phone="13800001111")],
    )


def form_data(**fields):
    data = {
        "name": "",
        "kind": "enterprise",
        "unit": "",
        "origin_country": "中国",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "2",
        "contacts-MAX_NUM_FORMS": "30",
    }
    return data | fields


def test_creating_a_likely_duplicate_shows_it_first_and_saves_only_when_confirmed(client, cast, wenzhou):
    client.force_login(cast.operator_a)
    data = form_data(name="温州XX集团", unit=cast.town_a.pk)
    response = client.post(reverse("investors:create"), data)
    assert response.status_code == 400
    assert "溫州XX集團有限公司" in response.content.decode()
    assert Investor.objects.count() == 1
    response = client.post(reverse("investors:create"), data | {"save_anyway": "on"})
    assert response.status_code == 302
    assert Investor.objects.count() == 2


def test_a_new_investor_with_the_phone_of_a_known_contact_is_flagged(client, cast, wenzhou):
    client.force_login(cast.operator_a)
    data = form_data(
        name="另一家公司",
        unit=cast.town_a.pk,
        **{"contacts-0-name": "王", "contacts-0-phone": "138 0000 1111"},
    )
    response = client.post(reverse("investors:create"), data)
    assert response.status_code == 400 and "溫州XX集團有限公司" in response.content.decode()


def test_a_broken_credit_code_is_refused_and_a_good_one_is_normalised(client, cast):
    client.force_login(cast.operator_a)
    bad = form_data(name="华为技术有限公司", unit=cast.town_a.pk, credit_code="914403001922038217")
    response = client.post(reverse("investors:create"), bad)
    assert response.status_code == 400 and not Investor.objects.exists()
    good = bad | {"credit_code": "９１４４０３００１９２２０３８２１６"}
    assert client.post(reverse("investors:create"), good).status_code == 302
    assert Investor.objects.get().credit_code == "914403001922038216"


def test_a_neighbours_credit_code_neither_blocks_nor_reveals_anything(cast):
    services.create_investor(
        by=cast.operator_b, data={"name": "华为", "credit_code": "914403001922038216", "unit": cast.town_b}
    )
    mine = services.create_investor(
        by=cast.operator_a,
        data={"name": "华为技术", "credit_code": "914403001922038216", "unit": cast.town_a},
    )
    assert mine.unit == cast.town_a and Investor.objects.filter(credit_code=mine.credit_code).count() == 2


def test_creating_and_changing_an_investor_are_in_the_audit_trail(cast, wenzhou):
    services.update_investor(
        wenzhou,
        by=cast.operator_a,
        data={"next_follow_up_on": dt.date(2025, 1, 2)},
        contacts=[services.ContactData(name="李总")],
    )
    entries = Entry.objects.filter(object_type="investors.investor", object_id=str(wenzhou.pk)).order_by(
        "seq"
    )
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["contacts"][0][0] == "王经理" and entries[1].after["contacts"][0][0] == "李总"


def test_a_township_operator_never_reaches_the_neighbours_investor(client, cast, wenzhou):
    client.force_login(cast.operator_b)
    for name in ("investors:detail", "investors:edit", "investors:merge"):
        assert client.get(reverse(name, args=[wenzhou.pk])).status_code == 404
    for name in ("investors:edit", "investors:merge"):  # the pages that take a POST
        assert client.post(reverse(name, args=[wenzhou.pk]), {"name": "x"}).status_code == 404
    assert "溫州XX" not in client.get(reverse("investors:list")).content.decode()
    assert client.get(f"/api/investors/{wenzhou.pk}").status_code == 404
    assert (
        client.patch(
            f"/api/investors/{wenzhou.pk}", {"name": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert json.loads(client.get("/api/investors").content)["count"] == 0
    assert Investor.objects.get(pk=wenzhou.pk).name == "溫州XX集團有限公司"


def test_a_stranger_never_reaches_the_investor_by_page_api_or_export(client, cast, wenzhou):
    client.force_login(cast.stranger)
    assert client.get(reverse("investors:detail", args=[wenzhou.pk])).status_code == 404
    assert client.get(f"/api/investors/{wenzhou.pk}").status_code == 404
    export = (
        b"".join(client.get(reverse("investors:export")).streaming_content)
        if False
        else client.get(reverse("investors:export")).content
    )
    assert "溫州".encode() not in export


def test_a_leader_reads_but_may_not_create(client, cast, wenzhou):
    client.force_login(cast.leader)
    assert client.get(reverse("investors:detail", args=[wenzhou.pk])).status_code == 200
    assert client.get(reverse("investors:create")).status_code == 403
    assert (
        client.post(
            "/api/investors", {"name": "x", "unit_id": cast.county.pk}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.get(reverse("investors:edit", args=[wenzhou.pk])).status_code == 404


def test_the_api_answers_likely_duplicates_with_409_and_records_when_allowed(client, cast, wenzhou):
    client.force_login(cast.operator_a)
    body = {
        "name": "温州XX集团",
        "unit_id": cast.town_a.pk,
        "contacts": [{"name": "钱", "email": "q@x.example"}],
    }
    response = client.post("/api/investors", body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["duplicates"][0]["id"] == wenzhou.pk
    response = client.post(
        "/api/investors", body | {"allow_duplicates": True}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["contacts"][0]["unit"]["id"] == cast.town_a.pk


def test_the_api_refuses_a_unit_outside_the_users_scope_like_a_missing_one(client, cast):
    client.force_login(cast.operator_a)
    body = {"name": "新公司", "unit_id": cast.town_b.pk}
    response = client.post("/api/investors", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "unit_id"]
    missing = client.post("/api/investors", body | {"unit_id": 99999999}, content_type="application/json")
    assert missing.json() == response.json()


def test_the_api_checks_the_credit_code(client, cast):
    client.force_login(cast.operator_a)
    body = {"name": "新公司", "unit_id": cast.town_a.pk, "credit_code": "91330100799655058A"}
    response = client.post("/api/investors", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "credit_code"]


def test_follow_ups_due_are_listed_for_the_owning_unit_only(client, cast, wenzhou):
    today = timezone.localdate()
    services.update_investor(wenzhou, by=cast.operator_a, data={"next_follow_up_on": today})
    later = services.create_investor(
        by=cast.operator_a,
        data={"name": "下月再联系公司", "unit": cast.town_a, "next_follow_up_on": today + dt.timedelta(30)},
    )
    client.force_login(cast.operator_a)
    text = client.get(reverse("investors:follow_ups")).content.decode()
    assert wenzhou.name in text and later.name not in text
    client.force_login(cast.operator_b)
    assert wenzhou.name not in client.get(reverse("investors:follow_ups")).content.decode()


def test_the_follow_up_command_lists_due_investors_by_unit(cast, wenzhou, capsys):
    from django.core.management import call_command

    services.update_investor(wenzhou, by=cast.operator_a, data={"next_follow_up_on": dt.date(2025, 3, 1)})
    call_command("follow_ups_due", "--date", "2025-03-01")
    out = capsys.readouterr().out
    assert "城关镇" in out and wenzhou.name in out and "1 follow-ups due" in out
    call_command("follow_ups_due", "--date", "2025-02-28")
    assert "0 follow-ups due" in capsys.readouterr().out


def test_double_claims_of_one_project_by_two_units_are_listed_for_the_bureau(client, cast, wenzhou):
    from zhaoshang.projects import services as projects

    projects.create_project(
        by=cast.operator_a,
        data={"name": "XX集团年产10万吨新材料项目", "unit": cast.town_a, "total_investment": 1},
        investors=[wenzhou],
    )
    projects.create_project(
        by=cast.admin,
        data={"name": "XX集团年产10万吨新材料", "unit": cast.town_b, "total_investment": 1},
        investors=[wenzhou],
    )
    projects.create_project(
        by=cast.admin,
        data={"name": "XX集团研发中心", "unit": cast.town_b, "total_investment": 1},
        investors=[wenzhou],
    )
    projects.create_project(  # the second phase is another project, not a double claim
        by=cast.admin,
        data={"name": "XX集团年产10万吨新材料项目（二期）", "unit": cast.park, "total_investment": 1},
        investors=[wenzhou],
    )
    client.force_login(cast.admin)
    text = client.get(reverse("investors:double_claims")).content.decode()
    assert "XX集团年产10万吨新材料项目" in text and "河口乡" in text and "研发中心" not in text
    assert "二期" not in text
    client.force_login(cast.operator_a)  # sees only its own side: no pair to show
    assert "年产10万吨" not in client.get(reverse("investors:double_claims")).content.decode()


def test_a_new_investor_from_the_project_api_goes_through_the_service(client, cast):
    client.force_login(cast.operator_a)
    body = {
        "name": "新项目",
        "unit_id": cast.town_a.pk,
        "total_investment": "100",
        "new_investors": [{"name": "新客商", "origin_province": "浙江", "origin_city": "温州"}],
    }
    assert client.post("/api/projects", body, content_type="application/json").status_code == 201
    investor = Investor.objects.get(name="新客商")
    assert Entry.objects.filter(
        object_type="investors.investor", object_id=str(investor.pk), action="create"
    ).exists()


def test_the_investor_list_filters_and_exports_the_same_rows(client, cast, wenzhou):
    services.create_investor(
        by=cast.operator_a, data={"name": "香港某某贸易", "unit": cast.town_a, "origin_country": "香港"}
    )
    client.force_login(cast.operator_a)
    page = client.get(reverse("investors:list"), {"origin": "温州"}).content.decode()
    assert "溫州XX集團有限公司" in page and "香港某某贸易" not in page
    export = client.get(reverse("investors:export"), {"origin": "香港"})
    from zhaoshang.core.tests.test_endpoint_permissions import text_of

    text = text_of(export)
    assert "香港某某贸易" in text and "溫州XX" not in text


def test_the_investor_page_shows_a_contact_change_on_its_timeline(client, cast, wenzhou):
    from django.utils.translation import override

    services.update_investor(wenzhou, by=cast.operator_a, data={}, contacts=[])
    client.force_login(cast.operator_a)
    with override("en"):
        response = client.get(reverse("investors:detail", args=[wenzhou.pk]), HTTP_ACCEPT_LANGUAGE="en")
    timeline = response.content.decode().split('data-testid="investor-timeline"')[1]
    assert "contacts" in timeline and "城关镇填报员" in timeline


def test_the_follow_up_command_reminds_the_owning_units_operators_once_a_day(cast, wenzhou, mailoutbox):
    from django.core.management import call_command

    from zhaoshang.jobs.testing import run_queued
    from zhaoshang.notifications.models import Notification

    cast.operator_a.email = "a@example.org"
    cast.operator_a.save()
    services.update_investor(wenzhou, by=cast.operator_a, data={"next_follow_up_on": dt.date(2025, 3, 1)})
    call_command("follow_ups_due", "--date", "2025-03-01")
    call_command("follow_ups_due", "--date", "2025-03-01")  # the same day again: nothing more
    run_queued()
    note = Notification.objects.get()
    assert (note.recipient, note.link) == (cast.operator_a, wenzhou.get_absolute_url())
    assert wenzhou.name in note.title and "2025-03-01" in note.body
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    # Still not followed up the next day: reminded again; the sibling township's operator never.
    call_command("follow_ups_due", "--date", "2025-03-02")
    assert Notification.objects.filter(recipient=cast.operator_a).count() == 2
    assert not Notification.objects.filter(recipient=cast.operator_b).exists()
