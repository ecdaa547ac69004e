"""The edit page of an idle asset (闲置资产): its unit's operator changes its terms, the neighbour
does not find it, the leader reads it without a form; the unit and the taken status stay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.audit.models import Entry
from zhaoshang.parks import services
from zhaoshang.parks.models import IdleAsset


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def asset(cast):
    data = {
        "unit": cast.town_a,
        "kind": "building",
        "name": "原农机厂厂房",
        "area": Decimal(2400),
        "owner": "城关镇集体",
    }
    return services.record_idle_asset(by=None, data=data)


FORM = {
    "kind": "building",
    "name": "原农机厂厂房",
    "area": "2600",
    "owner": "城关镇集体",
    "asking_terms": "每月每平方米6元",
}


def test_the_units_operator_changes_the_terms_and_it_is_audited(client, cast, asset):
    client.force_login(cast.operator_a)
    page = client.get(reverse("parks:idle_edit", args=[asset.pk])).content.decode()
    assert 'data-testid="idle-edit-form"' in page and "2400" in page
    response = client.post(reverse("parks:idle_edit", args=[asset.pk]), FORM | {"unit": cast.town_b.pk})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.area, asset.asking_terms, asset.unit, asset.status) == (
        Decimal(2600),
        "每月每平方米6元",
        cast.town_a,  # the unit is not a field of the edit
        "available",
    )
    entry = Entry.objects.filter(action=Entry.Action.UPDATE).latest("pk")
    assert entry.object_id == str(asset.pk) and entry.before["area"] != entry.after["area"]


def test_a_bad_area_is_refused_on_the_form(client, cast, asset):
    client.force_login(cast.operator_a)
    response = client.post(reverse("parks:idle_edit", args=[asset.pk]), FORM | {"area": "-1"})
    assert response.status_code == 400
    assert IdleAsset.objects.get(pk=asset.pk).area == Decimal(2400)


def test_the_neighbour_does_not_find_it_and_the_leader_only_reads_it(client, cast, asset):
    url = reverse("parks:idle_edit", args=[asset.pk])
    client.force_login(cast.operator_b)
    assert client.get(url).status_code == 404 and client.post(url, FORM).status_code == 404
    client.force_login(cast.stranger)
    assert client.get(url).status_code == 404
    client.force_login(cast.leader)
    page = client.get(url).content.decode()
    assert 'data-testid="idle-read"' in page and "idle-edit-form" not in page
    assert client.post(url, FORM).status_code == 403
    assert IdleAsset.objects.get(pk=asset.pk).area == Decimal(2400)


def test_the_list_links_each_asset_to_its_page(client, cast, asset):
    client.force_login(cast.operator_a)
    assert (
        reverse("parks:idle_edit", args=[asset.pk]) in client.get(reverse("parks:idle_list")).content.decode()
    )
