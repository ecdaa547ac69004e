"""Credit shares (引進單位): each project is credited to units whose shares sum to exactly 100."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.core.errors import ValidationError
from zhaoshang.projects import services
from zhaoshang.projects.models import CreditShare, Project


def create(cast, credits, **data):
    values = {"name": "分成项目", "unit": cast.town_a, "total_investment": Decimal(8000), **data}
    return services.create_project(by=cast.admin, data=values, credits=credits)


def test_a_project_without_explicit_credits_is_credited_wholly_to_its_unit(cast):
    project = create(cast, None)
    assert list(project.credits.values_list("unit__name", "share")) == [("城关镇", Decimal("100.00"))]


def test_shares_that_sum_to_100_are_kept(cast):
    project = create(cast, [(cast.town_a, Decimal("60")), (cast.department, Decimal("40"))])
    assert dict(project.credits.values_list("unit__name", "share")) == {
        "城关镇": Decimal("60.00"),
        "县商务局": Decimal("40.00"),
    }


@pytest.mark.parametrize(
    "shares",
    [
        ["60", "30"],
        ["60", "40.01"],
        ["99.99"],
        ["100", "0"],
    ],
)
def test_shares_that_do_not_sum_to_100_are_refused_and_nothing_is_written(cast, shares):
    units = [cast.town_a, cast.department]
    credits = [(units[i], Decimal(s)) for i, s in enumerate(shares)]
    before = Project.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        create(cast, credits)
    assert "credits" in excinfo.value.message_dict
    assert Project.objects.count() == before
    assert CreditShare.objects.count() == 0


def test_fractional_shares_summing_exactly_to_100_are_accepted(cast):
    thirds = [
        (cast.town_a, Decimal("33.33")),
        (cast.town_b, Decimal("33.33")),
        (cast.department, Decimal("33.34")),
    ]
    assert create(cast, thirds).credits.count() == 3


def test_a_unit_cannot_be_credited_twice(cast):
    with pytest.raises(ValidationError):
        create(cast, [(cast.town_a, Decimal(50)), (cast.town_a, Decimal(50))])


def test_units_of_another_county_cannot_be_credited(cast):
    with pytest.raises(ValidationError):
        create(cast, [(cast.town_a, Decimal(50)), (cast.other_town, Decimal(50))])


def test_updating_credits_replaces_them_and_keeps_the_rule(cast):
    project = create(cast, None)
    services.update_project(
        project, by=cast.admin, data={}, credits=[(cast.town_a, Decimal(70)), (cast.department, Decimal(30))]
    )
    assert project.credits.count() == 2
    with pytest.raises(ValidationError):
        services.update_project(project, by=cast.admin, data={}, credits=[(cast.town_a, Decimal(70))])
    assert project.credits.count() == 2


def test_a_credited_department_can_read_but_not_change_the_project(cast):
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.errors import OutOfScope
    from zhaoshang.core.permissions import Role

    clerk = User.objects.create_user(username="dept", password="x-Long-pass-1")
    Membership.objects.create(user=clerk, unit=cast.department, role=Role.OPERATOR)
    shared = create(cast, [(cast.town_a, Decimal(60)), (cast.department, Decimal(40))])
    alone = create(cast, None, name="独立项目")
    assert list(Project.objects.visible_to(clerk)) == [shared]
    assert not Project.objects.visible_to(clerk, "edit").exists()
    with pytest.raises(OutOfScope):
        services.update_project(shared, by=clerk, data={"name": "改名"})
    assert alone not in Project.objects.visible_to(clerk)
