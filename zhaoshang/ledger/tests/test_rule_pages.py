"""The pages of a county's counting rules and thresholds: its bureau administrator keeps them,
audited; another county's bureau, an operator and a leader are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from zhaoshang.audit.models import Entry
from zhaoshang.ledger import rules
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import mismatches, subtree_figures, totals_from_ledger
from zhaoshang.projects.models import Thresholds
from zhaoshang.projects.thresholds import for_county

YEAR = 2024
RULE = {
    "name_zh": "千万元以上签约项目",
    "name_en": "Signed projects of 10 million or more",
    "measure": "count",
    "kinds": ["signed"],
    "min_investment": "1000",
    "construction": "",
    "sort_order": "200",
    "is_active": "on",
}


def test_the_countys_bureau_defines_and_changes_a_rule_on_its_page(client, cast):
    cast.project(
        name="签约",
        stage="signed",
        signed_on=dt.date(YEAR, 4, 1),
        contracted_amount=Decimal(900),
        by=cast.admin,
    )
    client.force_login(cast.admin)
    url = reverse("ledger:county_rules", args=[cast.town_a.pk])  # any unit of the county
    assert client.get(url).status_code == 200
    response = client.post(url, RULE)
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger:county_rules", args=[cast.county.pk]
    )
    indicator = Indicator.objects.get(county=cast.county)
    assert indicator.rule.min_investment == 1000 and indicator.rule.kinds == ["signed"]
    assert subtree_figures(cast.county, YEAR, kinds=[indicator.kind])[indicator.kind][0] == 1  # 5000万元
    page = client.get(url, {"edit": indicator.pk}).content.decode()
    assert f'name="indicator" value="{indicator.pk}"' in page
    response = client.post(
        url, RULE | {"indicator": indicator.pk, "min_investment": "6000", "measure": "wan_cny"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.measure == "count" and indicator.rule.min_investment == 6000  # the measure is fixed
    assert subtree_figures(cast.county, YEAR, kinds=[indicator.kind]).get(indicator.kind, (0, 0))[0] == 0
    assert mismatches(totals_from_ledger()) == []
    assert Entry.objects.filter(object_type="ledger.indicator", object_id=str(indicator.pk)).count() == 2
    assert client.post(url, RULE | {"kinds": []}).status_code == 400


def test_another_countys_bureau_and_the_townships_are_refused_the_rules(client, cast):
    indicator = rules.define(
        by=cast.admin, county=cast.county, name_zh="甲", name_en="A", measure="count", kinds=["signed"]
    )
    theirs = reverse("ledger:county_rules", args=[cast.other_county.pk])
    ours = reverse("ledger:county_rules", args=[cast.county.pk])
    client.force_login(cast.stranger)
    assert client.get(ours).status_code == 404
    assert client.post(ours, RULE).status_code == 404
    assert client.get(theirs).status_code == 200
    assert client.get(theirs, {"edit": indicator.pk}).status_code == 404  # not their county's
    assert client.post(theirs, RULE | {"indicator": indicator.pk, "min_investment": "1"}).status_code == 404
    indicator.rule.refresh_from_db()
    assert indicator.rule.min_investment is None
    for user in (cast.operator_a, cast.leader):  # their own township's page: not the bureau
        client.force_login(user)
        town = reverse("ledger:county_rules", args=[cast.town_a.pk])
        assert client.get(town).status_code == 403
        assert client.post(town, RULE).status_code == 403
    assert Indicator.objects.filter(county__isnull=False).count() == 1


def test_the_countys_bureau_keeps_its_thresholds_audited(client, cast):
    url = reverse("projects:thresholds", args=[cast.town_b.pk])
    client.force_login(cast.admin)
    page = client.get(url).content.decode()
    assert 'value="10000' in page  # the defaults until a row is saved
    response = client.post(url, {"large": "5000", "industrial": "2000", "key": "8000"})
    assert response.status_code == 302
    row = Thresholds.objects.get(county=cast.county)
    assert (row.large, row.industrial, row.key) == (5000, 2000, 8000) and for_county(cast.county) == row
    client.post(url, {"large": "6000", "industrial": "2000", "key": "8000"})
    entries = Entry.objects.filter(object_type="projects.thresholds").order_by("seq")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["large"] != entries[1].after["large"]
    assert client.post(url, {"large": "-1", "industrial": "2000", "key": "8000"}).status_code == 400


def test_another_countys_bureau_and_the_townships_are_refused_the_thresholds(client, cast):
    client.force_login(cast.stranger)
    assert client.get(reverse("projects:thresholds", args=[cast.county.pk])).status_code == 404
    response = client.post(
        reverse("projects:thresholds", args=[cast.county.pk]), {"large": "1", "industrial": "1", "key": "1"}
    )
    assert response.status_code == 404
    assert client.get(reverse("projects:thresholds", args=[cast.other_county.pk])).status_code == 200
    for user in (cast.operator_a, cast.leader):
        client.force_login(user)
        url = reverse("projects:thresholds", args=[cast.town_a.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"large": "1", "industrial": "1", "key": "1"}).status_code == 403
    assert not Thresholds.objects.exists()
