"""Parks: the reference park (300亩 planned, 100亩 developed, 50万元 of infrastructure, 2 enterprises),
its page summing its enterprises' figures and 亩均, standard factories and idle assets, and scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.core.errors import ValidationError
from zhaoshang.enterprises import services as enterprises
from zhaoshang.parks import services
from zhaoshang.parks.models import IdleAsset

YEAR = dt.date.today().year - 1


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def reference_park(cast):
    """集中区规划总面积300亩，目前已开发面积100亩，基础设施建设已投资50万元，园区企业2家；道路硬化3500米，
    自来水管道铺设1600米，电力线路架设2000米，涵闸建设90处；凡进入园区的外商项目土地价格统一为每亩1万元."""
    park = cast.park
    services.save_profile(
        park,
        by=cast.admin,
        data={
            "planned_mu": Decimal(300),
            "developed_mu": Decimal(100),
            "land_price_per_mu": Decimal(1),
            "land_price_policy": "凡进入园区的外商项目土地价格统一为每亩1万元",
        },
    )
    for kind, quantity, amount in [
        ("road", 3500, 25),
        ("water", 1600, 8),
        ("power", 2000, 12),
        ("culvert", 90, 5),
    ]:
        services.add_infrastructure(
            park,
            by=cast.admin,
            kind=kind,
            quantity=Decimal(quantity),
            amount=Decimal(amount),
            built_on=dt.date(2025, 6, 1),
        )
    made = []
    for n, (land, output, tax, jobs) in enumerate([(60, 3000, 150, 80), (20, 1000, 30, 40)]):
        e = enterprises.register_enterprise(
            by=None,
            data={"name": f"园区企业{n}", "unit": cast.town_a, "park": park, "land_mu": Decimal(land)},
        )
        enterprises.record_return(
            e,
            by=None,
            year=YEAR,
            quarter=4,
            output=Decimal(output),
            sales=Decimal(output),
            tax=Decimal(tax),
            jobs=jobs,
            verified=True,
        )
        made.append(e)
    return park, made


def test_the_reference_park_of_300_mu_planned_100_developed_and_500_thousand_yuan_of_infrastructure(cast):
    park, _made = reference_park(cast)
    s = services.summary(park, YEAR)
    assert (s.profile.planned_mu, s.profile.developed_mu) == (Decimal(300), Decimal(100))
    assert s.infrastructure_amount == Decimal(50)
    assert s.infrastructure == {"culvert": 90, "power": 2000, "road": 3500, "water": 1600}
    assert (s.enterprises.enterprises, s.enterprises.output, s.enterprises.tax, s.enterprises.jobs) == (
        2,
        Decimal(4000),
        Decimal(180),
        120,
    )
    assert s.land_mu == Decimal(80) and s.tax_per_mu == Decimal("2.25") and s.output_per_mu == Decimal(50)


def test_the_list_line_of_each_park_equals_its_summary_in_a_few_queries(cast, django_assert_max_num_queries):
    from zhaoshang.units.choices import UnitKind
    from zhaoshang.units.services import create_unit

    park, _made = reference_park(cast)
    second = create_unit(by=None, parent=cast.county, kind=UnitKind.PARK, name="第二园区", code="990101P02")
    e = enterprises.register_enterprise(
        by=None, data={"name": "二园企业", "unit": cast.town_b, "park": second, "land_mu": Decimal(10)}
    )
    enterprises.record_return(
        e, by=None, year=YEAR, quarter=2, output=Decimal(90), sales=Decimal(90), tax=Decimal(9), jobs=7,
        verified=True,
    )  # fmt: skip
    empty = create_unit(by=None, parent=cast.county, kind=UnitKind.PARK, name="空园区", code="990101P03")
    with django_assert_max_num_queries(5):
        lines = services.rows([park, second, empty], YEAR)
    for unit in (park, second, empty):
        whole, line = services.summary(unit, YEAR), lines[unit.pk]
        assert line.profile == whole.profile and line.infrastructure_amount == whole.infrastructure_amount
        assert line.enterprises == whole.enterprises and line.tax_per_mu == whole.tax_per_mu, unit.name
    assert lines[second.pk].enterprises.jobs == 7 and lines[second.pk].tax_per_mu == Decimal("0.9")
    assert lines[empty.pk].enterprises.enterprises == 0 and lines[empty.pk].tax_per_mu is None


def test_the_developed_area_cannot_exceed_the_planned_one_and_a_township_is_not_a_park(cast):
    with pytest.raises(ValidationError):
        services.save_profile(
            cast.park, by=None, data={"planned_mu": Decimal(10), "developed_mu": Decimal(11)}
        )
    with pytest.raises(ValidationError):
        services.save_profile(cast.town_a, by=None, data={"planned_mu": Decimal(10)})


def test_a_factory_is_let_to_an_enterprise_of_the_county_and_counts_as_occupied(cast):
    park, made = reference_park(cast)
    services.add_factory(park, by=cast.admin, name="1号标准厂房", floor_area=Decimal(3000), tenant=made[0])
    services.add_factory(park, by=cast.admin, name="2号标准厂房", floor_area=Decimal(2000))
    s = services.summary(park, YEAR)
    assert (s.factories, s.floor_area, s.occupied_area) == (2, Decimal(5000), Decimal(3000))


def test_the_park_page_sums_its_enterprises_and_only_the_bureau_changes_it(client, cast):
    park, _made = reference_park(cast)
    client.force_login(cast.leader)
    page = client.get(reverse("parks:detail", args=[park.pk]), {"year": YEAR})
    text = page.content.decode()
    assert page.status_code == 200 and "园区企业0" in text and 'data-testid="infrastructure-form"' not in text
    assert client.post(reverse("parks:infrastructure_add", args=[park.pk]), {}).status_code == 403
    client.force_login(cast.operator_a)  # a township's operator does not see the county's park
    assert client.get(reverse("parks:detail", args=[park.pk])).status_code == 404
    client.force_login(cast.stranger)
    assert client.get(reverse("parks:detail", args=[park.pk])).status_code == 404
    client.force_login(cast.admin)
    data = {"kind": "gas", "quantity": "500", "amount": "6", "built_on": "2025-07-01", "note": ""}
    assert client.post(reverse("parks:infrastructure_add", args=[park.pk]), data).status_code == 302
    assert services.summary(park, YEAR).infrastructure_amount == Decimal(56)
    listing = client.get(reverse("parks:list"), {"year": YEAR}).content.decode()
    assert park.name in listing


def test_idle_assets_are_offered_by_their_unit_and_refused_to_the_neighbour(client, cast):
    data = {
        "unit": cast.town_a,
        "kind": "building",
        "name": "原农机厂厂房",
        "area": Decimal(2400),
        "owner": "城关镇集体",
    }
    with pytest.raises(PermissionDenied):
        services.record_idle_asset(by=cast.operator_b, data=data)
    asset = services.record_idle_asset(by=cast.operator_a, data=data)
    client.force_login(cast.operator_b)
    assert "原农机厂厂房" not in client.get(reverse("parks:idle_list")).content.decode()
    client.force_login(cast.operator_a)
    assert "原农机厂厂房" in client.get(reverse("parks:idle_list")).content.decode()
    response = client.post(
        reverse("parks:idle_create"),
        {"unit": cast.town_a.pk, "kind": "land", "name": "东片闲置地", "area": "30", "owner": "村集体"},
    )
    assert response.status_code == 302 and IdleAsset.objects.count() == 2
    assert asset.status == "available"
