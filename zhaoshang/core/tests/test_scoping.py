"""The scoping choke point: visible_to, the log-in page and the home page."""

from __future__ import annotations

from django.urls import reverse

from zhaoshang.accounts.models import Membership, User
from zhaoshang.conftest import PASSWORD
from zhaoshang.core.permissions import Role
from zhaoshang.core.scoping import scope_roots, user_can
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit


def test_a_user_without_membership_sees_nothing(cast):
    cast.project()
    nobody = User.objects.create_user(username="nobody", password=PASSWORD)
    assert not Unit.objects.visible_to(nobody).exists()
    assert not Project.objects.visible_to(nobody).exists()


def test_an_anonymous_user_sees_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    cast.project()
    assert not Project.objects.visible_to(AnonymousUser()).exists()


def test_a_deactivated_user_sees_nothing(cast):
    cast.project()
    cast.operator_a.is_active = False
    assert not Project.objects.visible_to(cast.operator_a).exists()


def test_roles_in_two_units_give_the_union_of_both_subtrees(cast):
    Membership.objects.create(user=cast.operator_a, unit=cast.town_b, role=Role.LEADER)
    user = User.objects.get(pk=cast.operator_a.pk)
    cast.project(cast.town_a, name="甲")
    cast.project(cast.town_b, name="乙")
    assert set(Project.objects.visible_to(user).values_list("name", flat=True)) == {"甲", "乙"}
    assert set(Project.objects.visible_to(user, "edit").values_list("name", flat=True)) == {"甲"}
    assert user_can(user, "edit", cast.town_a, on="project") and not user_can(
        user, "edit", cast.town_b, on="project"
    )


def test_nested_memberships_collapse_to_the_outer_subtree(cast):
    Membership.objects.create(user=cast.admin, unit=cast.town_a, role=Role.OPERATOR)
    user = User.objects.get(pk=cast.admin.pk)
    assert scope_roots(user, "view", on="project") == [cast.county.path]


def test_roots_keep_each_outer_subtree_once_whatever_the_order_of_the_memberships(cast):
    """A village nested in a township, that township, a sibling township and the other county:
    each outer root once, in path order; the edit scope keeps only what the roles may edit."""
    from zhaoshang.units.choices import UnitKind
    from zhaoshang.units.services import create_unit

    village = create_unit(
        by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="甲村", code="990101001001"
    )
    user = User.objects.create_user(username="many", password=PASSWORD)
    for unit, role in (
        (village, Role.OPERATOR),
        (cast.other_county, Role.LEADER),
        (cast.town_b, Role.LEADER),
        (cast.town_a, Role.LEADER),
    ):
        Membership.objects.create(user=user, unit=unit, role=role)
    user = User.objects.get(pk=user.pk)
    want = sorted([cast.town_a.path, cast.town_b.path, cast.other_county.path])
    assert scope_roots(user, "view", on="project") == want
    assert scope_roots(user, "edit", on="project") == [village.path]  # a leader edits nothing


def test_the_roots_found_are_kept_per_user_object_until_the_memberships_change(cast):
    from zhaoshang.core.scoping import forget_grants

    user = User.objects.get(pk=cast.operator_a.pk)
    assert scope_roots(user, "view", on="project") == [cast.town_a.path]
    Membership.objects.create(user=user, unit=cast.town_b, role=Role.LEADER)
    assert scope_roots(user, "view", on="project") == [cast.town_a.path]  # one request's view
    forget_grants(user)
    assert scope_roots(user, "view", on="project") == sorted([cast.town_a.path, cast.town_b.path])
    roots = scope_roots(user, "view", on="project")
    roots.clear()  # a caller changing the list it got does not change the kept one
    assert scope_roots(user, "view", on="project") == sorted([cast.town_a.path, cast.town_b.path])


def test_an_inactive_unit_grants_nothing(cast):
    Unit.objects.filter(pk=cast.town_a.pk).update(is_active=False)
    user = User.objects.get(pk=cast.operator_a.pk)
    assert scope_roots(user, "view", on="project") == []


def test_the_login_page_logs_in_and_the_home_page_counts_only_the_subtree(client, cast):
    cast.project(cast.town_a, name="甲")
    cast.project(cast.town_b, name="乙", stage="negotiating")
    response = client.post(reverse("accounts:login"), {"username": "town_a", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    counts = {stage: n for stage, _label, n in home.context["stages"]}
    assert counts["lead"] == 1 and counts["negotiating"] == 0 and home.context["total"] == 1


def test_a_wrong_password_is_refused(client, cast):
    response = client.post(reverse("accounts:login"), {"username": "town_a", "password": "wrong"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_the_matrix_distinguishes_object_types(cast):
    """An operator records projects but may not configure units or manage users in the same subtree."""
    assert user_can(cast.operator_a, "create", cast.town_a, on="project")
    assert not user_can(cast.operator_a, "configure", cast.town_a, on="unit")
    assert not user_can(cast.operator_a, "view", cast.town_a, on="user")
    assert user_can(cast.admin, "configure", cast.town_a, on="unit")
    assert not user_can(cast.admin, "configure", cast.town_a, on="project")


def test_every_role_has_a_row_for_every_object_type():
    from zhaoshang.core.permissions import MATRIX, ObjectType, Role

    assert set(MATRIX) == set(Role.values)
    assert all(set(row) == set(ObjectType.values) for row in MATRIX.values())


def test_a_queryset_without_an_object_type_refuses_to_scope():
    import pytest

    from zhaoshang.core.scoping import ScopedQuerySet
    from zhaoshang.units.models import Unit

    class Unnamed(ScopedQuerySet):
        pass

    with pytest.raises(TypeError):
        Unnamed(model=Unit).visible_to(None)


def test_docs_permissions_carries_the_matrix_as_defined_in_code():
    from pathlib import Path

    from django.conf import settings

    from zhaoshang.core.permissions import matrix_markdown

    doc = (Path(settings.PROJECT_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert matrix_markdown() in doc, "regenerate docs/permissions.md: python -c '...matrix_markdown()'"


def test_no_role_is_granted_an_action_that_means_nothing_for_the_object_type():
    from zhaoshang.core.permissions import APPLICABLE, MATRIX

    for role, row in MATRIX.items():
        for object_type, actions in row.items():
            assert actions <= APPLICABLE[object_type], (role, object_type, actions - APPLICABLE[object_type])


def test_visible_in_is_the_users_scope_within_the_units_subtree(cast):
    """For every user and unit: the subtree's rows the user may see, whether or not the unit lies in
    the user's scope (the shortcut inside it must not widen anything)."""
    from decimal import Decimal

    from zhaoshang.projects.services import update_project

    cast.project(cast.town_a, name="甲")
    cast.project(cast.town_b, name="乙")
    shared = cast.project(cast.town_b, name="丙")
    update_project(shared, by=None, data={}, credits=[(cast.town_b, Decimal(60)), (cast.town_a, Decimal(40))])
    cast.project(cast.other_town, name="丁")
    users = [cast.admin, cast.leader, cast.operator_a, cast.operator_b, cast.stranger]
    units = [cast.province, cast.county, cast.town_a, cast.town_b, cast.other_county, cast.other_town]
    for user in users:
        for unit in units:
            for action in ("view", "edit"):
                expected = Project.objects.visible_to(user, action).filter(
                    Project.objects.all().scope_q([unit.path], action)
                )
                got = Project.objects.visible_in(user, unit, action)
                assert set(got.values_list("name", flat=True)) == set(
                    expected.values_list("name", flat=True)
                ), (user, unit, action)
    # Inside the scope of town A's operator the credited project counts; the county is outside it.
    assert set(Project.objects.visible_in(cast.operator_a, cast.town_a).values_list("name", flat=True)) == {
        "甲",
        "丙",
    }
    assert set(Project.objects.visible_in(cast.operator_a, cast.county).values_list("name", flat=True)) == {
        "甲",
        "丙",
    }


def test_a_scope_over_the_whole_tree_filters_nothing_and_another_top_unit_restores_the_filter(cast):
    """A bureau of the only top-level unit sees every project without a per-project test; once a
    second top-level unit exists, its projects are hidden again."""
    from zhaoshang.core.scoping import covers_the_tree
    from zhaoshang.units.choices import UnitKind
    from zhaoshang.units.services import create_unit

    national = User.objects.create_user(username="national", password=PASSWORD)
    Membership.objects.create(user=national, unit=cast.province, role=Role.BUREAU_ADMIN)
    cast.project(cast.town_a, name="甲")
    cast.project(cast.other_town, name="丁")
    assert covers_the_tree([cast.province.path]) and not covers_the_tree([cast.county.path])
    everything = Project.objects.visible_to(national)
    assert not everything.query.where and everything.count() == Project.objects.count() == 2

    elsewhere = create_unit(by=None, name="另省", kind=UnitKind.PROVINCE, parent=None, code="880000")
    outside = cast.project(elsewhere, name="戊")
    assert not covers_the_tree([cast.province.path])
    assert not covers_the_tree([cast.province.path, cast.county.path])
    assert covers_the_tree([cast.province.path, elsewhere.path])
    seen = set(Project.objects.visible_to(national).values_list("name", flat=True))
    assert seen == {"甲", "丁"} and outside.name not in seen


def test_a_national_scope_skips_the_path_test_only_where_every_row_reaches_a_unit(cast):
    """The shortcut of a scope over the whole tree holds for records that always belong to a unit;
    a record whose link to its unit may be empty belongs to no subtree and stays hidden."""
    from zhaoshang.activities.models import Activity
    from zhaoshang.core.permissions import ObjectType
    from zhaoshang.core.scoping import ScopedQuerySet, always_reaches_a_unit

    national = User.objects.create_user(username="national", password=PASSWORD)
    Membership.objects.create(user=national, unit=cast.province, role=Role.BUREAU_ADMIN)
    assert always_reaches_a_unit(Activity, "unit__path") and always_reaches_a_unit(Project, "unit__path")
    assert not always_reaches_a_unit(Project, "park__path")
    assert not Activity.objects.visible_to(national).query.where
    assert Activity.objects.visible_to(cast.operator_a).query.where

    in_park = cast.project(cast.town_a, name="园区项目", park=cast.park)
    cast.project(cast.town_a, name="园外项目")
    by_park = type(
        "ByPark", (ScopedQuerySet,), {"permission_type": ObjectType.PROJECT, "scope_path_field": "park__path"}
    )(model=Project)
    assert list(by_park.visible_to(national)) == [in_park]
