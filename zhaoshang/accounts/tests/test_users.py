"""User management: a bureau admin manages the users of their county and nobody else's, grants
only roles at or below their own, and every change lands in the audit trail without passwords."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import load_workbook

from zhaoshang.accounts import services
from zhaoshang.accounts.models import Membership, User
from zhaoshang.audit.models import Entry
from zhaoshang.conftest import PASSWORD
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Role
from zhaoshang.core.scoping import user_can

NEW_PASSWORD = "Qiao-Tou-2026-xyz"  # a password the validators accept


def listed(response) -> set[str]:
    return {obj.username for obj, _cells in response.context["rows"]}


def user_pages(user: User) -> list[tuple[str, str, dict]]:
    """Every page about one user, with the method and a plausible form."""
    membership = user.memberships.first()
    grant = {"unit": membership.unit_id, "role": Role.OPERATOR}
    password = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    return [
        ("get", reverse("accounts:user_detail", args=[user.pk]), {}),
        ("get", reverse("accounts:user_edit", args=[user.pk]), {}),
        ("post", reverse("accounts:user_edit", args=[user.pk]), {"display_name": "改名", "phone": "1"}),
        ("get", reverse("accounts:membership_add", args=[user.pk]), {}),
        ("post", reverse("accounts:membership_add", args=[user.pk]), grant),
        ("post", reverse("accounts:membership_remove", args=[user.pk, membership.pk]), {}),
        ("get", reverse("accounts:user_password", args=[user.pk]), {}),
        ("post", reverse("accounts:user_password", args=[user.pk]), password),
        ("post", reverse("accounts:user_deactivate", args=[user.pk]), {}),
        ("post", reverse("accounts:user_reactivate", args=[user.pk]), {}),
    ]


def state(*users: User) -> list[tuple]:
    """What a refused request must leave untouched."""
    rows = []
    for user in users:
        user = User.objects.get(pk=user.pk)
        memberships = sorted(user.memberships.values_list("unit_id", "role"))
        rows.append((user.display_name, user.phone, user.password, user.is_active, memberships))
    return rows


def create_form(cast, **overrides) -> dict:
    data = {
        "username": "new_op",
        "display_name": "新填报员",
        "phone": "13800000000",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        "unit": cast.town_a.pk,
        "role": Role.OPERATOR,
    }
    return {**data, **overrides}


# --- who sees whom ------------------------------------------------------------------------------


def test_the_bureau_admin_lists_only_the_users_of_their_county(client, cast):
    client.force_login(cast.admin)
    assert listed(client.get(reverse("accounts:user_list"))) == {"admin", "leader", "town_a", "town_b"}


def test_the_neighbouring_admin_lists_only_their_own_users(client, cast):
    client.force_login(cast.stranger)
    assert listed(client.get(reverse("accounts:user_list"))) == {"stranger"}


def test_the_user_export_is_scoped_and_follows_the_filters(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("accounts:user_export"), {"unit": cast.town_b.pk})
    rows = list(
        load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    )
    assert [row[0] for row in rows[1:]] == ["town_b"]
    assert "河口乡 · " in rows[1][4]


def test_unit_and_role_filters_name_one_membership_together(client, cast):
    Membership.objects.create(user=cast.operator_b, unit=cast.town_a, role=Role.LEADER)
    client.force_login(cast.admin)
    url = reverse("accounts:user_list")
    assert listed(client.get(url, {"unit": cast.town_a.pk, "role": Role.OPERATOR})) == {"town_a"}
    assert listed(client.get(url, {"unit": cast.town_a.pk})) == {"town_a", "town_b"}
    assert listed(client.get(url, {"role": Role.LEADER})) == {"leader", "town_b"}
    assert listed(client.get(url, {"q": "河口"})) == {"town_b"}


def test_a_role_held_elsewhere_is_neither_filtered_on_nor_shown(client, cast):
    Membership.objects.create(user=cast.operator_a, unit=cast.other_town, role=Role.INSPECTOR)
    client.force_login(cast.admin)
    assert listed(client.get(reverse("accounts:user_list"), {"role": Role.INSPECTOR})) == set()
    page = client.get(reverse("accounts:user_detail", args=[cast.operator_a.pk]))
    assert page.status_code == 200 and "邻县镇" not in page.content.decode()
    assert page.context["elsewhere"] == 1


def test_filtering_by_a_foreign_unit_does_not_widen_the_list(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("accounts:user_list"), {"unit": cast.other_county.pk})
    assert "stranger" not in listed(response)


def test_the_stranger_cannot_reach_any_page_of_the_countys_users(client, cast):
    client.force_login(cast.stranger)
    victims = [cast.admin, cast.leader, cast.operator_a]
    before = state(*victims)
    for victim in victims:
        for method, url, data in user_pages(victim):
            assert getattr(client, method)(url, data).status_code == 404, url
    assert state(*victims) == before


def test_a_missing_user_is_not_found(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("accounts:user_detail", args=[999999])).status_code == 404


def test_another_users_membership_cannot_be_removed_through_a_county_user(client, cast):
    client.force_login(cast.admin)
    foreign = cast.stranger.memberships.get()
    response = client.post(reverse("accounts:membership_remove", args=[cast.operator_a.pk, foreign.pk]))
    assert response.status_code == 404 and Membership.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("who", ["operator_a", "leader"])
def test_operators_and_leaders_are_refused_every_user_page(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in (reverse("accounts:user_list"), reverse("accounts:user_export")):
        assert client.get(url).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.post(reverse("accounts:user_create"), create_form(cast)).status_code == 403
    victims = [cast.operator_a, cast.operator_b]
    before = state(*victims)
    for victim in victims:
        for method, url, data in user_pages(victim):
            assert getattr(client, method)(url, data).status_code in (403, 404), url
    assert state(*victims) == before
    assert not User.objects.filter(username="new_op").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    for url in (reverse("accounts:user_list"), reverse("accounts:user_detail", args=[cast.admin.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_users_link_is_shown_to_admins_only(client, cast):
    link = reverse("accounts:user_list")
    client.force_login(cast.admin)
    assert link in client.get(reverse("core:home")).content.decode()
    client.force_login(cast.operator_a)
    assert link not in client.get(reverse("core:home")).content.decode()


# --- creating and granting ----------------------------------------------------------------------


def test_the_admin_creates_an_operator_who_logs_in_and_sees_only_their_township(client, cast):
    cast.project(cast.town_a, name="城关镇食品项目")
    cast.project(cast.town_b, name="河口乡物流项目")
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user_create"), create_form(cast))
    created = User.objects.get(username="new_op")
    assert response.status_code == 302 and response["Location"].endswith(f"/users/{created.pk}/")
    assert list(created.memberships.values_list("unit", "role")) == [(cast.town_a.pk, Role.OPERATOR)]
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "new_op", "password": NEW_PASSWORD})
    assert response.status_code == 302
    projects = client.get(reverse("projects:list"))
    assert {p.name for p, _cells in projects.context["rows"]} == {"城关镇食品项目"}


def test_a_taken_username_is_refused(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user_create"), create_form(cast, username="STRANGER"))
    assert response.status_code == 400 and "username" in response.context["form"].errors


def test_the_admin_cannot_create_a_system_admin(client, cast):
    client.force_login(cast.admin)
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert Role.SYSTEM_ADMIN not in dict(form.fields["role"].choices)
    response = client.post(reverse("accounts:user_create"), create_form(cast, role=Role.SYSTEM_ADMIN))
    assert response.status_code == 400
    with pytest.raises(OutOfScope):
        services.create_user(
            by=cast.admin, username="boss", password=NEW_PASSWORD, unit=cast.county, role=Role.SYSTEM_ADMIN
        )
    assert not User.objects.filter(username__in=["new_op", "boss"]).exists()


def test_the_admin_cannot_make_an_existing_user_a_system_admin(client, cast):
    client.force_login(cast.admin)
    before = state(cast.operator_a)
    url = reverse("accounts:membership_add", args=[cast.operator_a.pk])
    assert client.post(url, {"unit": cast.town_a.pk, "role": Role.SYSTEM_ADMIN}).status_code == 400
    with pytest.raises(OutOfScope):
        services.add_membership(cast.operator_a, by=cast.admin, unit=cast.town_a, role=Role.SYSTEM_ADMIN)
    assert state(cast.operator_a) == before


def test_the_admin_cannot_grant_a_role_in_the_neighbouring_county(client, cast):
    client.force_login(cast.admin)
    form = client.get(reverse("accounts:membership_add", args=[cast.operator_a.pk])).context["form"]
    choices = set(form.fields["unit"].queryset)
    assert cast.town_a in choices and not {cast.other_county, cast.other_town, cast.city} & choices
    before = state(cast.operator_a)
    url = reverse("accounts:membership_add", args=[cast.operator_a.pk])
    assert client.post(url, {"unit": cast.other_town.pk, "role": Role.OPERATOR}).status_code == 400
    response = client.post(reverse("accounts:user_create"), create_form(cast, unit=cast.other_town.pk))
    assert response.status_code == 400
    for call in (
        lambda: services.add_membership(
            cast.operator_a, by=cast.admin, unit=cast.other_town, role="operator"
        ),
        lambda: services.create_user(
            by=cast.admin, username="x", password=NEW_PASSWORD, unit=cast.other_town, role="operator"
        ),
    ):
        with pytest.raises(OutOfScope):
            call()
    assert state(cast.operator_a) == before and not User.objects.filter(username__in=["new_op", "x"]).exists()


def test_the_admin_grants_a_second_role_and_the_user_gains_its_scope(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts:membership_add", args=[cast.operator_a.pk])
    assert client.post(url, {"unit": cast.town_b.pk, "role": Role.LEADER}).status_code == 302
    assert cast.operator_a.memberships.filter(unit=cast.town_b, role=Role.LEADER).exists()
    assert client.post(url, {"unit": cast.town_b.pk, "role": Role.LEADER}).status_code == 400  # twice


# --- acting on users of a higher rank, and on oneself -------------------------------------------


@pytest.fixture
def boss(cast) -> User:
    """A system administrator placed at the county: visible to the county's admin, but above them."""
    user = User.objects.create_user(username="boss", password=PASSWORD)
    Membership.objects.create(user=user, unit=cast.county, role=Role.SYSTEM_ADMIN)
    return user


def test_the_admin_cannot_touch_a_user_ranked_above_them(client, cast, boss):
    client.force_login(cast.admin)
    page = client.get(reverse("accounts:user_detail", args=[boss.pk]))
    assert not page.context["can_manage"] and not page.context["can_change_roles"]
    before = state(boss)
    for method, url, data in user_pages(boss):
        if method == "post":
            client.post(url, data)
    assert state(boss) == before
    for call in (
        lambda: services.set_active(boss, by=cast.admin, active=False),
        lambda: services.set_password(boss, by=cast.admin, password=NEW_PASSWORD),
        lambda: services.remove_membership(boss.memberships.get(), by=cast.admin),
        lambda: services.add_membership(boss, by=cast.admin, unit=cast.town_a, role=Role.OPERATOR),
    ):
        with pytest.raises(OutOfScope):
            call()


def test_a_refusal_is_explained_on_the_page(client, cast, boss):
    client.force_login(cast.admin)
    response = client.post(reverse("accounts:user_deactivate", args=[boss.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] and User.objects.get(pk=boss.pk).is_active
    response = client.post(
        reverse("accounts:user_password", args=[boss.pk]),
        {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 403 and response.context["form"].non_field_errors()


def test_a_user_with_a_role_in_another_county_cannot_be_locked_out_by_one_county(client, cast):
    Membership.objects.create(user=cast.operator_a, unit=cast.other_town, role=Role.OPERATOR)
    with pytest.raises(OutOfScope):
        services.set_active(cast.operator_a, by=cast.admin, active=False)
    services.remove_membership(cast.operator_a.memberships.get(unit=cast.town_a), by=cast.admin)
    assert list(cast.operator_a.memberships.values_list("unit", flat=True)) == [cast.other_town.pk]
    client.force_login(cast.admin)
    assert client.get(reverse("accounts:user_detail", args=[cast.operator_a.pk])).status_code == 404


def test_the_admin_cannot_deactivate_themselves(client, cast):
    client.force_login(cast.admin)
    client.post(reverse("accounts:user_deactivate", args=[cast.admin.pk]))
    assert User.objects.get(pk=cast.admin.pk).is_active
    with pytest.raises(ValidationError):
        services.set_active(cast.admin, by=cast.admin, active=False)


def test_the_admin_cannot_remove_their_own_last_admin_role(client, cast):
    Membership.objects.create(user=cast.admin, unit=cast.town_a, role=Role.LEADER)
    own = cast.admin.memberships.get(role=Role.BUREAU_ADMIN)
    client.force_login(cast.admin)
    client.post(reverse("accounts:membership_remove", args=[cast.admin.pk, own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()
    with pytest.raises(ValidationError):
        services.remove_membership(own, by=cast.admin)


def test_a_users_last_membership_stays_and_deactivation_is_offered_instead(cast):
    with override("en"), pytest.raises(ValidationError, match="deactivate"):
        services.remove_membership(cast.operator_b.memberships.get(), by=cast.admin)
    assert cast.operator_b.memberships.exists()


def test_granting_or_removing_a_role_changes_the_scope_at_once(cast):
    assert not user_can(cast.operator_a, "edit", cast.town_b, on="project")
    services.add_membership(cast.operator_a, by=cast.admin, unit=cast.town_b, role=Role.OPERATOR)
    assert user_can(cast.operator_a, "edit", cast.town_b, on="project")
    services.remove_membership(cast.operator_a.memberships.get(unit=cast.town_b), by=cast.admin)
    assert not user_can(cast.operator_a, "edit", cast.town_b, on="project")


# --- passwords and logging in -------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["abc12", "password123", "town_a", "12345678901"])
def test_a_new_password_must_pass_the_validators(client, cast, weak):
    client.force_login(cast.admin)
    before = state(cast.operator_a)
    url = reverse("accounts:user_password", args=[cast.operator_a.pk])
    response = client.post(url, {"password": weak, "password_again": weak})
    assert response.status_code == 400 and response.context["form"].errors["password"]
    assert state(cast.operator_a) == before


def test_a_new_user_needs_a_valid_password_too(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("accounts:user_create"), create_form(cast, password="new_op", password_again="new_op")
    )
    assert response.status_code == 400 and "password" in response.context["form"].errors
    assert not User.objects.filter(username="new_op").exists()


def test_the_admin_sets_a_new_password_and_the_old_one_stops_working(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts:user_password", args=[cast.operator_a.pk])
    assert client.post(url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}).status_code == 302
    client.logout()
    assert not client.login(username="town_a", password=PASSWORD)
    assert client.login(username="town_a", password=NEW_PASSWORD)


def test_an_admin_resetting_their_own_password_stays_logged_in(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts:user_password", args=[cast.admin.pk])
    client.post(url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_a_deactivated_user_cannot_log_in_until_reactivated(client, cast):
    operator_client = client.__class__()
    operator_client.force_login(cast.operator_a)
    client.force_login(cast.admin)
    assert client.post(reverse("accounts:user_deactivate", args=[cast.operator_a.pk])).status_code == 302
    assert operator_client.get(reverse("projects:list")).status_code == 302  # the open session ended
    assert not operator_client.login(username="town_a", password=PASSWORD)
    response = operator_client.post(reverse("accounts:login"), {"username": "town_a", "password": PASSWORD})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    client.post(reverse("accounts:user_reactivate", args=[cast.operator_a.pk]))
    assert operator_client.login(username="town_a", password=PASSWORD)


# --- audit --------------------------------------------------------------------------------------


def test_every_user_change_is_audited_without_password_data(cast):
    by = cast.admin
    user = services.create_user(
        by=by, username="new_op", password=NEW_PASSWORD, unit=cast.town_a, role=Role.OPERATOR
    )
    services.update_user(user, by=by, display_name="新名字", phone="123")
    services.set_password(user, by=by, password=NEW_PASSWORD + "!")
    services.add_membership(user, by=by, unit=cast.town_b, role=Role.LEADER)
    services.remove_membership(user.memberships.get(unit=cast.town_b), by=by)
    services.set_active(user, by=by, active=False)
    services.set_active(user, by=by, active=True)
    entries = list(Entry.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("seq"))
    assert [e.action for e in entries] == [
        "create",
        "update",
        "update",
        "permission",
        "permission",
        "update",
        "update",
    ]
    assert all(e.user_id == by.pk for e in entries)
    hashed = User.objects.get(pk=user.pk).password
    for entry in entries:
        text = f"{entry.before} {entry.after} {entry.note}"
        assert NEW_PASSWORD not in text and hashed not in text and "md5$" not in text
        assert "password" not in (entry.before or {}) and "password" not in (entry.after or {})
    assert "990101002 河口乡: leader" in entries[3].after["memberships"]
    assert entries[1].before["display_name"] == "" and entries[1].after["display_name"] == "新名字"


def test_the_user_page_shows_memberships_last_login_and_history(client, cast):
    client.login(username="town_a", password=PASSWORD)
    services.update_user(cast.operator_a, by=cast.admin, phone="555")
    client.force_login(cast.admin)
    page = client.get(reverse("accounts:user_detail", args=[cast.operator_a.pk]))
    assert page.status_code == 200
    assert page.context["memberships"] == [(cast.operator_a.memberships.get(), False)]  # the last one
    assert page.context["target"].last_login is not None
    assert len(page.context["history"]) == 1 and 'data-testid="history"' in page.content.decode()


# --- cost ---------------------------------------------------------------------------------------


def test_the_user_list_costs_the_same_number_of_queries_for_5_or_50_users(
    client, cast, django_assert_max_num_queries
):
    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            user = User.objects.create_user(username=f"u{i}", password=PASSWORD)
            Membership.objects.create(user=user, unit=cast.town_a, role=Role.OPERATOR)
            Membership.objects.create(user=user, unit=cast.town_b, role=Role.LEADER)

    client.force_login(cast.admin)
    add(1, 0)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accounts:user_list"))
    add(45, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:user_list"))
    assert len(response.context["rows"]) == 50


def test_users_have_an_email_address_where_notifications_go(client, cast):
    """On the new-user form and the edit form, checked as an address, shown and searched."""
    client.force_login(cast.admin)
    form = {
        "username": "lisi",
        "display_name": "李四",
        "email": "not-an-address",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        "unit": cast.town_a.pk,
        "role": Role.OPERATOR,
    }
    refused = client.post(reverse("accounts:user_create"), form)
    assert refused.status_code == 400
    assert "email" in refused.context["form"].errors
    assert not User.objects.filter(username="lisi").exists()
    client.post(reverse("accounts:user_create"), {**form, "email": " lisi@example.gov.cn "})
    lisi = User.objects.get(username="lisi")
    assert lisi.email == "lisi@example.gov.cn"
    page = client.get(reverse("accounts:user_detail", args=[lisi.pk]))
    assert b"lisi@example.gov.cn" in page.content
    assert listed(client.get(reverse("accounts:user_list"), {"q": "example.gov"})) == {"lisi"}

    client.post(
        reverse("accounts:user_edit", args=[lisi.pk]),
        {"display_name": "李四", "email": "li.si@example.gov.cn"},
    )
    lisi.refresh_from_db()
    assert lisi.email == "li.si@example.gov.cn"
    entry = Entry.objects.filter(object_id=str(lisi.pk), action="update").latest("pk")
    assert entry.after["email"] == "li.si@example.gov.cn"
