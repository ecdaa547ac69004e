"""Registering landed enterprises (directly and from a project in production), their returns and
the bureau's verification, through the services, the pages and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.core.errors import ValidationError
from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn
from zhaoshang.enterprises.tests.helpers import credit_code, enterprise

LAST_YEAR = dt.date.today().year - 1


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def operating(cast, name="光伏组件项目"):
    return cast.project(
        cast.town_a,
        name=name,
        stage="operating",
        signed_on=dt.date(2024, 1, 5),
        started_on=dt.date(2024, 3, 1),
        completed_on=dt.date(2024, 9, 1),
        operating_on=dt.date(2024, 10, 8),
        contracted_amount=Decimal(8000),
        land_mu=Decimal("85.5"),
        park=cast.park,
    )


def test_a_project_in_production_becomes_an_enterprise_keeping_the_link(cast):
    project = operating(cast)
    version = project.version
    made = services.register_from_project(project, by=cast.operator_a, credit_code=credit_code(7), key=True)
    assert made.project == project and made.unit == cast.town_a and made.park == cast.park
    assert made.land_mu == Decimal("85.5") and made.operating_on == dt.date(2024, 10, 8)
    assert made.name == "光伏组件项目投资方"  # the investor's name
    project.refresh_from_db()
    assert project.version == version  # the project itself is left as it was
    assert not services.operating_unregistered(cast.admin).exists()


def test_a_project_not_yet_in_production_is_refused_and_a_project_registers_once(cast):
    signed = cast.project(
        cast.town_a,
        name="签约项目",
        stage="signed",
        signed_on=dt.date(2025, 1, 5),
        contracted_amount=Decimal(9),
    )
    with pytest.raises(ValidationError) as caught:
        services.register_from_project(signed, by=cast.admin)
    assert "project" in caught.value.message_dict
    project = operating(cast)
    services.register_from_project(project, by=cast.admin)
    with pytest.raises(ValidationError):
        services.register_from_project(project, by=cast.admin)


@pytest.mark.parametrize(
    ("code", "fault"),
    [("91990101000000007", "length"), ("91990101000000007X", "check"), ("91990101O00000007X", "alphabet")],
)
def test_a_credit_code_must_have_18_characters_and_its_check_character(cast, code, fault):
    with pytest.raises(ValidationError) as caught:
        enterprise(cast, 1, credit_code=code)
    assert "credit_code" in caught.value.message_dict


def test_a_credit_code_is_forgiven_its_spaces_and_lower_case_and_registered_once(cast):
    code = credit_code(3)
    made = enterprise(cast, 3, credit_code=f" {code[:6].lower()} {code[6:]} ")
    assert made.credit_code == code
    with pytest.raises(ValidationError):
        enterprise(cast, 4, credit_code=code)


def test_a_park_of_another_county_and_a_steward_of_another_county_are_refused(cast):
    with pytest.raises(ValidationError) as caught:
        enterprise(cast, 1, park=cast.other_town)
    assert "park" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.register_enterprise(
            by=None, data={"name": "x", "unit": cast.town_a}, stewards=[cast.stranger]
        )
    made = services.register_enterprise(
        by=None, data={"name": "y", "unit": cast.town_a}, stewards=[cast.operator_a]
    )
    assert list(made.stewards.all()) == [cast.operator_a]


def test_a_township_operator_registers_only_in_the_own_township(cast):
    with pytest.raises(PermissionDenied):
        services.register_enterprise(by=cast.operator_a, data={"name": "x", "unit": cast.town_b})
    with pytest.raises(PermissionDenied):
        services.register_enterprise(by=cast.leader, data={"name": "x", "unit": cast.town_a})


def test_a_return_is_verified_or_returned_by_the_bureau_only_and_verified_stays(cast):
    made = enterprise(cast, 1)
    record, outcome = services.record_return(
        made,
        by=cast.operator_a,
        year=LAST_YEAR,
        quarter=2,
        output=Decimal(100),
        sales=Decimal(90),
        tax=Decimal(0),
        jobs=12,
    )
    assert outcome == "created" and record.status == "reported"
    with pytest.raises(PermissionDenied):
        services.verify_return(record, by=cast.operator_a)
    services.return_return(record, by=cast.admin, reason="税金与税务数据不符")
    record, outcome = services.record_return(
        made,
        by=cast.operator_a,
        year=LAST_YEAR,
        quarter=2,
        output=Decimal(100),
        sales=Decimal(90),
        tax=Decimal(3),
        jobs=12,
    )
    assert (outcome, record.status, record.return_reason) == ("updated", "reported", "")
    services.verify_return(record, by=cast.admin)
    with pytest.raises(ValidationError):
        services.record_return(
            made,
            by=cast.admin,
            year=LAST_YEAR,
            quarter=2,
            output=Decimal(1),
            sales=Decimal(1),
            tax=Decimal(1),
            jobs=1,
        )
    with pytest.raises(ValidationError):
        services.verify_return(record, by=cast.admin)


def test_a_return_for_a_future_quarter_is_refused(cast):
    with pytest.raises(ValidationError):
        services.record_return(
            enterprise(cast, 1),
            by=None,
            year=dt.date.today().year + 1,
            quarter=1,
            output=Decimal(1),
            sales=Decimal(1),
            tax=Decimal(1),
            jobs=1,
        )


def test_the_pages_register_record_and_verify(client, cast):
    project = operating(cast)
    client.force_login(cast.operator_a)
    listing = client.get(reverse("enterprises:list"))
    assert listing.status_code == 200 and "光伏组件项目" in listing.content.decode()  # waiting to register
    response = client.post(
        reverse("enterprises:create"),
        {"project": project.pk, "credit_code": credit_code(5), "key": "on", "stewards": [cast.operator_a.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Enterprise.objects.get(project=project)
    assert made.key and made.credit_code == credit_code(5)
    data = {"year": LAST_YEAR, "quarter": 4, "output": "1200.5", "sales": "1100", "tax": "88", "jobs": "40"}
    assert client.post(reverse("enterprises:return_add", args=[made.pk]), data).status_code == 302
    record = QuarterlyReturn.objects.get(enterprise=made)
    assert client.post(reverse("enterprises:return_verify", args=[record.pk])).status_code == 403
    client.force_login(cast.admin)
    client.post(reverse("enterprises:return_verify", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "verified"
    page = client.get(reverse("enterprises:list"), {"year": LAST_YEAR}).content.decode()
    assert "1,200.5" in page or "1200.5" in page


def test_the_edit_page_assigns_the_stewards_and_the_key_flag(client, cast):
    made = enterprise(cast, 1)
    client.force_login(cast.leader)
    assert client.get(reverse("enterprises:edit", args=[made.pk])).status_code == 404
    client.force_login(cast.operator_a)
    assert client.get(reverse("enterprises:edit", args=[made.pk])).status_code == 200
    data = {
        "name": "外来企业1",
        "credit_code": made.credit_code,
        "key": "on",
        "stewards": [cast.operator_a.pk],
    }
    data["above_scale_on"] = "2025-01-01"
    assert client.post(reverse("enterprises:edit", args=[made.pk]), data).status_code == 302
    made.refresh_from_db()
    assert made.key and made.above_scale and list(made.stewards.all()) == [cast.operator_a]
    assert made.unit == cast.town_a


def test_the_operator_of_the_other_township_is_refused_everything(client, cast):
    made = enterprise(cast, 1)
    record, _ = services.record_return(
        made, by=None, year=LAST_YEAR, quarter=1, output=Decimal(1), sales=Decimal(1), tax=Decimal(1), jobs=1
    )
    client.force_login(cast.operator_b)
    assert client.get(reverse("enterprises:detail", args=[made.pk])).status_code == 404
    assert client.post(reverse("enterprises:return_add", args=[made.pk]), {}).status_code == 404
    assert "外来企业1" not in client.get(reverse("enterprises:list")).content.decode()
    assert "外来企业1" not in client.get(reverse("enterprises:returns")).content.decode()
    assert client.get(f"/api/enterprises/{made.pk}").status_code == 404
    assert client.post(f"/api/enterprises/returns/{record.pk}/verify").status_code == 404


def test_the_api_registers_and_records(client, cast):
    client.force_login(cast.operator_a)
    response = client.post(
        "/api/enterprises",
        {"name": "温州鞋业", "unit_id": cast.town_a.pk, "credit_code": credit_code(9), "land_mu": "30"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(
        f"/api/enterprises/{pk}/returns",
        {"year": LAST_YEAR, "quarter": 1, "output": "10.5", "sales": "9", "tax": "0", "jobs": 20},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["tax"] == "0.0000"
    listed = client.get("/api/enterprises/returns").json()
    assert [r["enterprise_id"] for r in listed["items"]] == [pk]
