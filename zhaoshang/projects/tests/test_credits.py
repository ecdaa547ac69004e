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


def project_units(project):
    return dict(project.credits.values_list("unit__name", "project_unit__name"))


def operator_of(unit, name):
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role

    user = User.objects.create_user(username=name, password="x-Long-pass-1")
    Membership.objects.create(user=user, unit=unit, role=Role.OPERATOR)
    return user


def test_every_share_names_the_projects_own_unit(cast):
    project = create(cast, [(cast.town_a, Decimal(60)), (cast.department, Decimal(40))])
    assert project_units(project) == {"城关镇": "城关镇", "县商务局": "城关镇"}
    wholly_elsewhere = create(cast, [(cast.department, Decimal(100))], name="部门分成")
    assert project_units(wholly_elsewhere) == {"县商务局": "城关镇"}


def test_moving_a_project_keeps_its_credits_but_names_the_new_unit_on_them(cast):
    """The scope skips the shares of projects recorded inside the subtree: a share still naming the
    old unit after a move would hide the project from that unit, which is still credited."""
    project = create(cast, [(cast.town_a, Decimal(50)), (cast.town_b, Decimal(50))])
    clerk_a = operator_of(cast.town_a, "clerk_a")
    services.update_project(project, by=cast.admin, data={"unit": cast.town_b})
    assert project_units(project) == {"城关镇": "河口乡", "河口乡": "河口乡"}
    assert list(Project.objects.visible_to(clerk_a)) == [project]
    assert not Project.objects.visible_to(clerk_a, "edit").exists()


def test_a_township_moved_to_another_county_still_sees_the_projects_credited_to_it(cast):
    """Credits stay within a county when written, but a unit can move: the share then joins two
    counties, and the new county's scope finds the project through it."""
    from zhaoshang.units.services import update_unit

    project = create(cast, [(cast.town_a, Decimal(50)), (cast.town_b, Decimal(50))])
    update_unit(cast.town_b, by=None, parent=cast.other_town.parent)
    neighbour = operator_of(cast.other_town.parent, "neighbour")
    home = operator_of(cast.town_a.parent, "home")
    assert list(Project.objects.visible_to(neighbour)) == [project]
    assert not Project.objects.visible_to(neighbour, "edit").exists()
    assert project in Project.objects.visible_to(home, "edit")


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


def test_a_scope_tests_credits_only_where_a_project_from_outside_is_credited_inside(cast):
    """Credits stay within a county, so a county's scope is its units alone: an OR of a second test
    would make PostgreSQL read the subtree's projects from the table rather than from the index."""
    project = create(cast, [(cast.town_a, Decimal(50)), (cast.town_b, Decimal(50))])
    county = str(Project.objects.visible_to(cast.admin).query)
    assert " OR " not in county and list(Project.objects.visible_to(cast.admin)) == [project]
    clerk_b = operator_of(cast.town_b, "clerk_b")
    assert " OR " in str(Project.objects.visible_to(clerk_b).query)
    assert list(Project.objects.visible_to(clerk_b)) == [project]
