"""A credit code is unique within the owning unit; the check looks only at what the user may see,
and a concurrent save of the same code is refused with a message, not a 500."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from zhaoshang.core.errors import ValidationError
from zhaoshang.investors import services
from zhaoshang.investors.models import Investor

HUAWEI = "914403001922038216"


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def huawei(by, unit, name="华为技术有限公司"):
    return services.create_investor(by=by, data={"name": name, "unit": unit, "credit_code": HUAWEI})


def test_another_county_records_a_firm_this_county_already_courts(cast):
    huawei(cast.admin, cast.county)
    theirs = huawei(cast.stranger, cast.other_county)
    assert theirs.credit_code == HUAWEI and Investor.objects.filter(credit_code=HUAWEI).count() == 2


def test_a_sibling_township_records_the_firm_without_learning_the_neighbour_has_it(cast):
    huawei(cast.operator_a, cast.town_a)
    mine = huawei(cast.operator_b, cast.town_b)
    assert mine.unit == cast.town_b


def test_the_same_code_twice_in_one_unit_is_refused_with_a_message(cast):
    huawei(cast.operator_a, cast.town_a)
    with pytest.raises(ValidationError) as caught:
        huawei(cast.operator_a, cast.town_a, name="华为")
    assert caught.value.message_dict["credit_code"] == [
        "This unit already has an investor with this credit code."
    ]


def test_moving_an_investor_into_a_unit_holding_its_code_is_refused(cast):
    huawei(cast.admin, cast.town_a)
    other = huawei(cast.admin, cast.town_b, name="华为")
    with pytest.raises(ValidationError):
        services.update_investor(other, by=cast.admin, data={"unit": cast.town_a})


def test_a_concurrent_save_of_the_same_code_is_refused_with_a_message_not_an_error(cast, monkeypatch):
    huawei(cast.operator_a, cast.town_a)
    # The other transaction commits between this one's check and its save: the check sees nothing.
    monkeypatch.setattr(services, "_check_code", lambda investor, by: None)
    with pytest.raises(ValidationError) as caught:
        huawei(cast.operator_a, cast.town_a, name="华为")
    assert "credit_code" in caught.value.message_dict
    other = services.create_investor(by=cast.operator_a, data={"name": "华为", "unit": cast.town_a})
    with pytest.raises(ValidationError):
        services.update_investor(other, by=cast.operator_a, data={"credit_code": HUAWEI})
    assert Investor.objects.filter(credit_code=HUAWEI).count() == 1
