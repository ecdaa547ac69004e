"""Merging two records of one investor: nothing of either side is lost, both audit trails show it."""

from __future__ import annotations

import datetime as dt

import pytest

from zhaoshang.activities import services as activities
from zhaoshang.audit.models import Entry
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.investors import services
from zhaoshang.investors.models import Contact, Investor
from zhaoshang.projects import services as projects

DAY = dt.date(2025, 3, 10)


@pytest.fixture
def pair(cast):
    keep = services.create_investor(
        by=cast.admin,
        data={"name": "温州XX集团", "unit": cast.town_a, "tags": "鞋业"},
        contacts=[services.ContactData(name="王经理", phone="13800001111")],
    )
    remove = services.create_investor(
        by=cast.admin,
        data={
            "name": "溫州XX集團有限公司",
            "unit": cast.town_a,
            "credit_code": "91330100799655058B",
            "website": "https://xx.example",
            "tags": "外贸",
        },
        contacts=[
            services.ContactData(name="李总", phone="13900002222"),
            services.ContactData(name="赵秘书", email="zhao@xx.example"),
        ],
    )
    shared = projects.create_project(
        by=cast.admin,
        data={"name": "共同项目", "unit": cast.town_a, "total_investment": 100},
        investors=[keep, remove],
    )
    own = projects.create_project(
        by=cast.admin,
        data={"name": "鞋材项目", "unit": cast.town_a, "total_investment": 200},
        investors=[remove],
    )
    trip = activities.create_activity(
        by=cast.admin,
        data={"kind": "trip", "unit": cast.town_a, "title": "赴温州招商", "starts_on": DAY},
        investors=[remove],
    )
    visit = activities.create_activity(
        by=cast.admin,
        data={"kind": "visit", "unit": cast.town_a, "title": "来访", "starts_on": DAY, "people": 3},
        investors=[keep, remove],
    )
    return keep, remove, {"shared": shared, "own": own, "trip": trip, "visit": visit}


def test_a_merge_keeps_every_contact_activity_and_project_of_both_sides(cast, pair):
    keep, remove, records = pair
    removed_pk = remove.pk
    merged = services.merge_investors(keep, remove, by=cast.admin)
    assert not Investor.objects.filter(pk=removed_pk).exists()
    assert sorted(Contact.objects.filter(investor=merged).values_list("name", flat=True)) == [
        "李总",
        "王经理",
        "赵秘书",
    ]
    assert set(merged.projects.values_list("name", flat=True)) == {"共同项目", "鞋材项目"}
    assert records["shared"].investors.count() == 1  # no double link where both sides were linked
    assert set(merged.activities.values_list("title", flat=True)) == {"赴温州招商", "来访"}
    assert records["visit"].investors.count() == 1
    # Empty fields of the kept record are filled, tags joined.
    assert merged.credit_code == "91330100799655058B" and merged.website == "https://xx.example"
    assert merged.tag_list == ["鞋业", "外贸"]


def test_the_audit_trail_of_both_investors_records_the_merge(cast, pair):
    keep, remove, _records = pair
    removed_pk = remove.pk
    services.merge_investors(keep, remove, by=cast.admin)
    gone = Entry.objects.get(
        object_type="investors.investor", object_id=str(removed_pk), action=Entry.Action.MERGE
    )
    assert gone.before["name"] == "溫州XX集團有限公司" and gone.before["credit_code"] == "91330100799655058B"
    assert len(gone.before["contacts"]) == 2 and gone.user_name == str(cast.admin)
    kept = Entry.objects.get(
        object_type="investors.investor", object_id=str(keep.pk), action=Entry.Action.MERGE
    )
    assert kept.after["merged"]["name"] == "溫州XX集團有限公司"
    assert str(removed_pk) in kept.note


def test_every_project_and_activity_whose_links_change_records_the_merge_in_its_trail(cast, pair):
    keep, remove, records = pair
    removed_pk = remove.pk
    services.merge_investors(keep, remove, by=cast.admin)
    for key, label in (
        ("shared", "projects.project"),
        ("own", "projects.project"),
        ("trip", "activities.activity"),
        ("visit", "activities.activity"),
    ):
        entry = Entry.objects.filter(object_type=label, object_id=str(records[key].pk)).order_by("seq").last()
        assert entry.action == Entry.Action.UPDATE and str(removed_pk) in entry.note, key
        assert removed_pk in entry.before["investors"] and entry.after["investors"] == [keep.pk], key


def test_a_merge_raises_the_version_of_each_project_it_relinks(cast, pair):
    keep, remove, records = pair
    versions = {key: records[key].version for key in ("shared", "own")}
    services.merge_investors(keep, remove, by=cast.admin)
    for key, version in versions.items():
        records[key].refresh_from_db()
        assert records[key].version == version + 1, key


def test_the_investor_page_shows_the_merge_on_the_timeline(client, cast, pair):
    keep, remove, _records = pair
    services.merge_investors(keep, remove, by=cast.admin)
    client.force_login(cast.admin)
    text = client.get(keep.get_absolute_url()).content.decode()
    assert "溫州XX集團有限公司" in text and "鞋材项目" in text and "赴温州招商" in text


def test_a_merge_is_refused_to_a_user_who_cannot_edit_both(cast):
    mine = services.create_investor(by=cast.operator_a, data={"name": "甲公司", "unit": cast.town_a})
    theirs = services.create_investor(
        by=cast.operator_b, data={"name": "甲公司有限公司", "unit": cast.town_b}
    )
    with pytest.raises(OutOfScope):
        services.merge_investors(mine, theirs, by=cast.operator_a)
    with pytest.raises(OutOfScope):
        services.merge_investors(mine, theirs, by=cast.leader)  # may see both, may edit neither
    assert Investor.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
    services.merge_investors(mine, theirs, by=cast.admin)  # the bureau may edit both
    assert not Investor.objects.filter(pk=theirs.pk).exists()


def test_two_different_credit_codes_are_never_merged(cast):
    a = services.create_investor(
        by=cast.admin, data={"name": "华为", "credit_code": "914403001922038216", "unit": cast.county}
    )
    b = services.create_investor(
        by=cast.admin, data={"name": "华为技术", "credit_code": "91440300708461136T", "unit": cast.county}
    )
    with pytest.raises(ValidationError):
        services.merge_investors(a, b, by=cast.admin)


def test_the_merge_page_refuses_an_operator_of_another_township(client, cast):
    mine = services.create_investor(by=cast.operator_a, data={"name": "甲公司", "unit": cast.town_a})
    theirs = services.create_investor(
        by=cast.operator_b, data={"name": "甲公司有限公司", "unit": cast.town_b}
    )
    client.force_login(cast.operator_b)
    assert client.post(f"/investors/{mine.pk}/merge/", {"other": theirs.pk}).status_code == 404
    client.force_login(cast.operator_a)
    response = client.post(f"/investors/{mine.pk}/merge/", {"other": theirs.pk})
    assert response.status_code == 400  # not among the choices: the neighbour's record is not offered
    assert Investor.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
