"""Activity pages and API as scenarios: recording each kind, and refusing other units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhaoshang.activities import services
from zhaoshang.activities.models import Activity
from zhaoshang.investors import services as investors
from zhaoshang.ledger.models import Event

DAY = dt.date(2025, 4, 8)


@pytest.fixture
def trip(cast):
    investor = investors.create_investor(
        by=cast.operator_a, data={"name": "温州华峰集团", "unit": cast.town_a}
    )
    return services.create_activity(
        by=cast.operator_a,
        data={
            "kind": "trip",
            "unit": cast.town_a,
            "title": "城关镇赴温州招商",
            "starts_on": DAY,
            "ends_on": DAY + dt.timedelta(days=2),
            "team": "张镇长、李主任",
            "place": "温州、宁波",
            "outcome": "达成初步意向",
        },
        investors=[investor],
    )


def test_a_trip_knows_its_days_away_and_shows_its_team(client, cast, trip):
    assert trip.days_away == 3
    client.force_login(cast.operator_a)
    text = client.get(trip.get_absolute_url()).content.decode()
    assert "张镇长、李主任" in text and "温州华峰集团" in text


@pytest.mark.parametrize("who", ["operator_b", "stranger"])
def test_another_unit_never_reaches_the_activity_by_page_or_api(client, cast, trip, who):
    client.force_login(getattr(cast, who))
    for name in ("activities:detail", "activities:edit"):
        assert client.get(reverse(name, args=[trip.pk])).status_code == 404
    for name in ("activities:edit", "activities:delete", "activities:step"):
        assert client.post(reverse(name, args=[trip.pk]), {}).status_code == 404
    assert client.get(f"/api/activities/{trip.pk}").status_code == 404
    assert client.delete(f"/api/activities/{trip.pk}").status_code == 404
    assert client.get("/api/activities").json()["count"] == 0
    assert "城关镇赴温州招商" not in client.get(reverse("activities:list")).content.decode()
    assert Activity.objects.filter(pk=trip.pk).exists()


def test_a_leader_reads_but_may_not_delete(client, cast, trip):
    client.force_login(cast.leader)
    assert client.get(trip.get_absolute_url()).status_code == 200
    assert client.post(reverse("activities:delete", args=[trip.pk])).status_code == 404
    assert client.delete(f"/api/activities/{trip.pk}").status_code == 403
    assert Activity.objects.filter(pk=trip.pk).exists()


def test_the_visit_form_records_a_visit_that_counts(client, cast):
    client.force_login(cast.operator_a)
    url = reverse("activities:create") + "?kind=visit"
    page = client.get(url).content.decode()
    assert 'name="people"' in page and 'name="team"' not in page  # only the visit's own fields
    data = {
        "kind": "visit",
        "unit": cast.town_a.pk,
        "title": "宁波客商来访",
        "starts_on": "2025-04-09",
        "people": "6",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    visit = Activity.objects.get(title="宁波客商来访")
    assert visit.people == 6 and Event.objects.filter(source=f"activity:{visit.pk}").get().amount == 6


def test_an_operator_cannot_record_for_the_neighbouring_township(client, cast):
    client.force_login(cast.operator_a)
    data = {"kind": "trip", "unit": cast.town_b.pk, "title": "冒名外出", "starts_on": "2025-04-09"}
    assert client.post(reverse("activities:create") + "?kind=trip", data).status_code == 400
    body = {"kind": "trip", "unit_id": cast.town_b.pk, "title": "冒名外出", "starts_on": "2025-04-09"}
    response = client.post("/api/activities", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "unit_id"]
    assert not Activity.objects.exists()


def test_the_api_cannot_link_an_investor_or_project_of_another_unit(client, cast):
    theirs = investors.create_investor(by=cast.operator_b, data={"name": "河口乡的客商", "unit": cast.town_b})
    project = cast.project(cast.town_b, name="河口乡项目")
    client.force_login(cast.operator_a)
    body = {
        "kind": "visit",
        "unit_id": cast.town_a.pk,
        "title": "来访",
        "starts_on": "2025-04-09",
        "people": 2,
        "investor_ids": [theirs.pk],
        "project_ids": [project.pk],
    }
    response = client.post("/api/activities", body, content_type="application/json")
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {
        ("body", "investor_ids"),
        ("body", "project_ids"),
    }


def test_the_api_records_lists_and_deletes_an_activity(client, cast):
    client.force_login(cast.operator_a)
    body = {
        "kind": "inquiry",
        "unit_id": cast.town_a.pk,
        "title": "网站咨询",
        "starts_on": "2025-04-09",
        "channel": "website",
    }
    created = client.post("/api/activities", body, content_type="application/json")
    assert created.status_code == 201
    detail = created.json()
    assert [s["step"] for s in detail["clock"]] == ["response", "assessment", "feedback"]
    listed = client.get("/api/activities?kind=inquiry").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "网站咨询"
    assert client.delete(f"/api/activities/{detail['id']}").status_code == 204
    assert not Activity.objects.exists()


def test_a_resident_office_lists_its_activities(client, cast):
    office = services.create_activity(
        by=cast.admin,
        data={
            "kind": "office",
            "unit": cast.county,
            "title": "驻杭州招商办事处",
            "starts_on": DAY,
            "place": "杭州",
            "team": "陈主任",
        },
    )
    services.create_activity(
        by=cast.admin,
        data={
            "kind": "fair",
            "unit": cast.county,
            "title": "杭州推介会",
            "starts_on": DAY,
            "office": office,
            "intents": 4,
        },
    )
    client.force_login(cast.admin)
    assert "杭州推介会" in client.get(office.get_absolute_url()).content.decode()


def test_the_api_changes_an_activity_and_records_inquiry_steps(client, cast, trip):
    client.force_login(cast.operator_a)
    response = client.patch(
        f"/api/activities/{trip.pk}", {"title": "赴温州、宁波招商"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["title"] == "赴温州、宁波招商"
    assert response.json()["investors"][0]["name"] == "温州华峰集团"  # links not sent stay
    inquiry = services.create_activity(
        by=cast.operator_a, data={"kind": "inquiry", "unit": cast.town_a, "title": "咨询", "starts_on": DAY}
    )
    url = f"/api/activities/{inquiry.pk}/steps"
    done = client.post(url, {"step": "response", "note": "已回复"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["clock"][0]["done_by"] == str(cast.operator_a)
    again = client.post(url, {"step": "response"}, content_type="application/json")
    assert again.status_code == 422
    client.force_login(cast.operator_b)
    assert client.post(url, {"step": "assessment"}, content_type="application/json").status_code == 404
    assert inquiry.steps.count() == 1


def test_the_list_filters_by_investor_among_those_the_user_may_see(client, cast, trip):
    investor = trip.investors.get()
    other = services.create_activity(
        by=cast.operator_a,
        data={"kind": "trip", "unit": cast.town_a, "title": "赴深圳招商", "starts_on": DAY},
    )
    client.force_login(cast.operator_a)
    page = client.get(reverse("activities:list"), {"investor": investor.pk}).content.decode()
    assert trip.title in page and other.title not in page
    api = client.get("/api/activities", {"investor": investor.pk}).json()
    assert [a["title"] for a in api["items"]] == [trip.title]
    client.force_login(cast.operator_b)  # the neighbour's investor is not a valid choice
    assert client.get("/api/activities", {"investor": investor.pk}).status_code == 422
