"""Setting targets and carrying them forward: exact values, scope, audit, and last year's copy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import override

from zhaoshang.audit.models import Entry
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.ledger.models import Indicator
from zhaoshang.targets import services
from zhaoshang.targets.models import Target
from zhaoshang.targets.tests.conftest import YEAR, values_of


@pytest.fixture(autouse=True)
def english():
    """Messages in English, so that they compare with the English texts below."""
    with override("en"):
        yield


def test_targets_are_read_back_exactly_as_they_were_set(cast, ind):
    changes = services.set_targets(
        cast.admin,
        cast.town_a,
        YEAR,
        {ind["funds_domestic"]: Decimal("12345.6789"), ind["projects_signed"]: "12", ind["funds_foreign"]: 0},
    )
    assert (changes.created, changes.updated, changes.deleted) == (3, 0, 0)
    stored = values_of(cast.town_a)
    assert stored == {
        "funds_domestic": Decimal("12345.6789"),
        "projects_signed": Decimal(12),
        "funds_foreign": Decimal(0),
    }
    assert str(stored["funds_domestic"]) == "12345.6789"
    assert Target.objects.get(unit=cast.town_a, indicator=ind["funds_domestic"]).updated_by == cast.admin


def test_none_removes_a_target_and_other_indicators_keep_theirs(cast, ind, put):
    put(cast.town_a, funds_domestic="5000", projects_signed="3")
    changes = services.set_targets(cast.admin, cast.town_a, YEAR, {ind["funds_domestic"]: None})
    assert changes.deleted == 1
    assert values_of(cast.town_a) == {"projects_signed": Decimal(3)}


def test_setting_the_same_values_again_changes_nothing(cast, ind, put):
    put(cast.town_a, funds_domestic="5000")
    before = Entry.objects.count()
    changes = services.set_targets(cast.admin, cast.town_a, YEAR, {ind["funds_domestic"]: Decimal("5000.0")})
    assert (changes.written, changes.unchanged) == (0, 1)
    assert Entry.objects.count() == before


def test_every_created_changed_and_removed_target_is_audited(cast, ind):
    funds = ind["funds_domestic"]
    services.set_targets(cast.admin, cast.town_a, YEAR, {funds: Decimal(100)})
    services.set_targets(cast.admin, cast.town_a, YEAR, {funds: Decimal("150.5")})
    target_id = Target.objects.get().pk
    services.set_targets(cast.admin, cast.town_a, YEAR, {funds: None})
    entries = list(
        Entry.objects.filter(object_type="targets.target", object_id=str(target_id)).order_by("seq")
    )
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[1].before["value"] == "100.0000" and entries[1].after["value"] == "150.5000"
    assert all(e.user_name == str(cast.admin) for e in entries)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "negative"),
        ("1.23456", "4 decimal places"),
        (0.1, "exact number"),
        ("abc", "number"),
        ("1" + "0" * 14, "too large"),
    ],
)
def test_a_value_must_be_exact_not_negative_and_at_most_four_decimals(cast, ind, value, message):
    with pytest.raises(ValidationError) as caught:
        services.set_targets(cast.admin, cast.town_a, YEAR, {ind["projects_signed"]: value})
    assert message in " ".join(caught.value.message_dict["projects_signed"])
    assert not Target.objects.exists()


def test_one_bad_value_writes_none_of_the_others(cast, ind):
    with pytest.raises(ValidationError):
        services.set_targets(
            cast.admin, cast.town_a, YEAR, {ind["funds_domestic"]: "100", ind["projects_signed"]: "-2"}
        )
    assert not Target.objects.exists()


@pytest.mark.parametrize("who", ["operator_a", "leader", "stranger"])
def test_only_a_bureau_admin_of_the_unit_may_set_its_targets(cast, ind, who):
    with pytest.raises(OutOfScope):
        services.set_targets(getattr(cast, who), cast.town_a, YEAR, {ind["funds_domestic"]: "1"})
    with pytest.raises(OutOfScope):
        services.copy_from_last_year(getattr(cast, who), cast.county, YEAR)
    assert not Target.objects.exists()


def test_an_indicator_no_longer_in_use_takes_no_new_target(cast, ind):
    Indicator.objects.filter(code="outbound_trips").update(is_active=False)
    with pytest.raises(ValidationError):
        services.set_targets(
            cast.admin, cast.town_a, YEAR, {Indicator.objects.get(code="outbound_trips"): "3"}
        )


def test_a_year_out_of_range_is_refused(cast, ind):
    with pytest.raises(ValidationError):
        services.set_targets(cast.admin, cast.town_a, 3025, {ind["funds_domestic"]: "1"})


# --- copy from last year ------------------------------------------------------------------------


def test_last_years_targets_of_the_unit_and_its_children_are_copied(cast, put):
    put(cast.county, YEAR - 1, funds_domestic="80000", projects_signed="20")
    put(cast.town_a, YEAR - 1, funds_domestic="30000")
    put(cast.park, YEAR - 1, factory_area="12000.5")
    put(cast.other_town, YEAR - 1, funds_domestic="999")  # another county: never copied
    changes = services.copy_from_last_year(cast.admin, cast.county, YEAR)
    assert changes.created == 4
    assert values_of(cast.county) == {"funds_domestic": Decimal(80000), "projects_signed": Decimal(20)}
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(30000)}
    assert values_of(cast.park) == {"factory_area": Decimal("12000.5")}
    assert values_of(cast.other_town) == {}
    assert values_of(cast.town_a, YEAR - 1) == {"funds_domestic": Decimal(30000)}  # last year untouched


def test_copying_keeps_this_years_targets_unless_told_to_overwrite(cast, put):
    put(cast.town_a, YEAR - 1, funds_domestic="30000", projects_signed="5")
    put(cast.town_a, funds_domestic="45000")
    kept = services.copy_from_last_year(cast.admin, cast.county, YEAR)
    assert (kept.created, kept.updated, kept.unchanged) == (1, 0, 1)
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(45000), "projects_signed": Decimal(5)}
    overwritten = services.copy_from_last_year(cast.admin, cast.county, YEAR, overwrite=True)
    assert overwritten.updated == 1
    assert values_of(cast.town_a)["funds_domestic"] == Decimal(30000)


def test_copying_leaves_out_grandchildren_and_inactive_units(cast, put):
    from zhaoshang.units.services import create_unit

    village = create_unit(by=None, parent=cast.town_a, kind="village", name="城关村", code="990101001201")
    put(village, YEAR - 1, funds_domestic="100")
    put(cast.town_b, YEAR - 1, funds_domestic="200")
    type(cast.town_b).objects.filter(pk=cast.town_b.pk).update(is_active=False)
    assert services.copy_from_last_year(cast.admin, cast.county, YEAR).created == 0
    assert values_of(village) == {} and values_of(cast.town_b) == {}
