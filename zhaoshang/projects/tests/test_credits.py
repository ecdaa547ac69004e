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


def own_flags(project):
    return dict(project.credits.values_list("unit__name", "own_unit"))


def operator_of(unit, name):
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role

    user = User.objects.create_user(username=name, password="x-Long-pass-1")
    Membership.objects.create(user=user, unit=unit, role=Role.OPERATOR)
    return user


def test_only_the_share_of_the_projects_own_unit_is_marked_own(cast):
    project = create(cast, [(cast.town_a, Decimal(60)), (cast.department, Decimal(40))])
    assert own_flags(project) == {"城关镇": True, "县商务局": False}
    wholly_elsewhere = create(cast, [(cast.department, Decimal(100))], name="部门分成")
    assert own_flags(wholly_elsewhere) == {"县商务局": False}


def test_moving_a_project_keeps_its_credits_but_marks_the_new_units_share_own(cast):
    """The scope skips own shares: a share left marked own after a move would hide the project from
    its old unit, which is still credited."""
    project = create(cast, [(cast.town_a, Decimal(50)), (cast.town_b, Decimal(50))])
    clerk_a = operator_of(cast.town_a, "clerk_a")
    services.update_project(project, by=cast.admin, data={"unit": cast.town_b})
    assert own_flags(project) == {"城关镇": False, "河口乡": True}
    assert list(Project.objects.visible_to(clerk_a)) == [project]
    assert not Project.objects.visible_to(clerk_a, "edit").exists()


def test_a_share_whose_flag_is_unknown_still_gives_sight(cast):
    """``own_unit`` defaults to False, the safe answer: a share written without it is looked up."""
    project = create(cast, None)
    CreditShare.objects.create(project=project, unit=cast.department, share=Decimal("0.01"))
    clerk = operator_of(cast.department, "dept_clerk")
    assert list(Project.objects.visible_to(clerk)) == [project]


def test_the_scope_of_a_subtree_finds_own_and_credited_projects_and_nothing_else(cast):
    """Every pairing of where a project is recorded and where it is credited, against every unit's
    scope, compared with the rule written out in Python."""
    from zhaoshang.units.models import Unit

    units = [cast.town_a, cast.town_b, cast.department, cast.park]
    projects = []
    for n, owner in enumerate(units):
        for other in [None, *[u for u in units if u != owner]]:
            credits = (
                [(owner, Decimal(100))] if other is None else [(owner, Decimal(70)), (other, Decimal(30))]
            )
            projects.append(create(cast, credits, name=f"项目{len(projects)}", unit=owner))
        projects.append(create(cast, [(units[(n + 1) % 4], Decimal(100))], name=f"外记{n}", unit=owner))
    projects.append(
        services.create_project(
            by=None, data={"name": "邻县项目", "unit": cast.other_town, "total_investment": Decimal(1)}
        )
    )
    for root in Unit.objects.all():
        viewer = operator_of(root, f"viewer{root.pk}")
        low, high = root.subtree_range
        expected = {
            p.pk
            for p in projects
            if low <= p.unit.path < high or any(low <= c.unit.path < high for c in p.credits.all())
        }
        assert set(Project.objects.visible_to(viewer).values_list("pk", flat=True)) == expected, root.name
        editable = {p.pk for p in projects if low <= p.unit.path < high}
        assert set(Project.objects.visible_to(viewer, "edit").values_list("pk", flat=True)) == editable
