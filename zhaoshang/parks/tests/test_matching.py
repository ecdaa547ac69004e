"""Matchmaking: a project in talks is offered the idle sites and factories that fit, takes one, and
a taken factory is occupied once the project lands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.core.errors import ValidationError
from zhaoshang.enterprises import services as enterprises
from zhaoshang.parks import matching, services
from zhaoshang.projects import services as project_services


def talks(cast, land="40", area="3000"):
    return cast.project(
        cast.town_a,
        name="温州鞋业项目",
        stage="negotiating",
        land_mu=Decimal(land),
        construction_area=Decimal(area),
    )


def offers(cast):
    small = services.record_idle_asset(
        by=None,
        data={"unit": cast.town_a, "kind": "land", "name": "小地块", "area": Decimal(20), "owner": "村"},
    )
    big = services.record_idle_asset(
        by=None,
        data={"unit": cast.town_b, "kind": "land", "name": "大地块", "area": Decimal(50), "owner": "村"},
    )
    hall = services.record_idle_asset(
        by=None,
        data={
            "unit": cast.town_a,
            "kind": "building",
            "name": "老厂房",
            "area": Decimal(3500),
            "owner": "镇",
        },
    )
    foreign = services.record_idle_asset(
        by=None,
        data={"unit": cast.other_town, "kind": "land", "name": "邻县地块", "area": Decimal(90), "owner": "x"},
    )
    factory = services.add_factory(cast.park, by=None, name="1号标准厂房", floor_area=Decimal(4000))
    tiny = services.add_factory(cast.park, by=None, name="2号标准厂房", floor_area=Decimal(1000))
    return small, big, hall, foreign, factory, tiny


def test_a_project_in_talks_is_offered_what_fits_in_its_county(cast):
    project = talks(cast)
    _small, big, hall, _foreign, factory, _tiny = offers(cast)
    assert list(matching.fitting_assets(project)) == [big, hall]
    assert list(matching.fitting_factories(project)) == [factory]


def test_taking_a_site_links_it_and_it_is_offered_no_more(cast):
    project = talks(cast)
    _small, big, *_rest = offers(cast)
    matching.take_asset(project, big, by=cast.operator_a)
    big.refresh_from_db()
    assert (big.project, big.status) == (project, "taken")
    assert big not in matching.fitting_assets(project)
    with pytest.raises(ValidationError):
        matching.take_asset(project, big, by=cast.operator_a)


def test_a_taken_factory_is_occupied_once_the_project_lands(cast):
    project = talks(cast)
    *_rest, factory, _tiny = offers(cast)
    matching.take_factory(project, factory, by=cast.admin)
    year = dt.date.today().year
    assert services.summary(cast.park, year).occupied_area == 0
    for stage, on in [
        ("intent", dt.date(2025, 1, 2)),
        ("signed", dt.date(2025, 1, 5)),
        ("started", dt.date(2025, 3, 1)),
        ("completed", dt.date(2025, 9, 1)),
        ("operating", dt.date(2025, 10, 1)),
    ]:
        extra = {"contracted_amount": Decimal(100)} if stage == "signed" else {}
        project = project_services.change_stage(project, stage, by=None, on=on, **extra)
    landed = enterprises.register_from_project(project, by=None)
    factory.refresh_from_db()
    assert factory.occupant == landed
    assert services.summary(cast.park, year).occupied_area == Decimal(4000)


def test_the_matches_page_and_taking_by_page(client, cast):
    project = talks(cast)
    _small, big, *_rest = offers(cast)
    client.force_login(cast.leader)
    page = client.get(reverse("parks:matches", args=[project.pk])).content.decode()
    assert "大地块" in page and "邻县地块" not in page
    assert client.post(reverse("parks:take", args=[project.pk]), {"asset": big.pk}).status_code == 403
    client.force_login(cast.operator_a)
    assert (
        reverse("parks:matches", args=[project.pk]) in client.get(reverse("parks:idle_list")).content.decode()
    )
    assert client.post(reverse("parks:take", args=[project.pk]), {"asset": big.pk}).status_code == 302
    big.refresh_from_db()
    assert big.project == project
    client.force_login(cast.operator_b)
    assert client.get(reverse("parks:matches", args=[project.pk])).status_code == 404
