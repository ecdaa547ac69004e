"""Every logged-in user changes their own password (the old one first, the new one through the same
validators as every password); the administrator's password passes the same rule, on the page and in
create_admin, which without a terminal says what to do instead of failing with a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.translation import gettext, override

from zhaoshang.accounts import services
from zhaoshang.accounts.models import Membership, User
from zhaoshang.audit.models import Entry
from zhaoshang.conftest import PASSWORD
from zhaoshang.core.permissions import Role

NEW_PASSWORD = "Qiao-Tou-2026-xyz"
URL = "accounts:password_change"


def change(client, old: str, new: str, again: str | None = None):
    data = {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}
    return client.post(reverse(URL), data)


@pytest.fixture
def sysadmin(cast) -> User:
    user = User.objects.create_user(username="sysadmin", password=PASSWORD)
    Membership.objects.create(user=user, unit=cast.province, role=Role.SYSTEM_ADMIN)
    return user


@pytest.mark.parametrize("who", ["admin", "leader", "operator_a", "sysadmin"])
def test_each_role_changes_its_own_password_and_stays_logged_in(client, cast, sysadmin, who):
    user = sysadmin if who == "sysadmin" else getattr(cast, who)
    client.force_login(user)
    page = client.get(reverse("core:home"))
    assert reverse(URL).encode() in page.content  # linked from the user menu
    assert client.get(reverse(URL)).status_code == 200
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200  # the session survived the change
    with override("zh-hans"):  # the note is written in the language of the request
        note = gettext("Password changed by the user")
    entry = Entry.objects.filter(object_type="accounts.user", object_id=str(user.pk), note=note).get()
    assert entry.user_id == user.pk
    assert PASSWORD not in str(entry.__dict__) and NEW_PASSWORD not in str(entry.__dict__)


def test_the_old_password_is_required(client, cast):
    client.force_login(cast.operator_a)
    response = change(client, "Wrong-old-2026", NEW_PASSWORD)
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    response = change(client, "", NEW_PASSWORD)
    assert "old_password" in response.context["form"].errors
    cast.operator_a.refresh_from_db()
    assert cast.operator_a.check_password(PASSWORD)


@pytest.mark.parametrize(
    "weak", ["short1", "onlyletterslong", "1234567890123", "town_a-2026-x", "password123"]
)
def test_the_new_password_passes_the_validators(client, cast, weak):
    client.force_login(cast.operator_a)
    response = change(client, PASSWORD, weak)
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    cast.operator_a.refresh_from_db()
    assert cast.operator_a.check_password(PASSWORD)


def test_the_two_new_passwords_must_agree(client, cast):
    client.force_login(cast.leader)
    response = change(client, PASSWORD, NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert "new_password2" in response.context["form"].errors


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_name_in_the_password_is_refused_for_everyone(cast):
    with pytest.raises(services.ValidationError):
        services.set_password(cast.operator_a, by=cast.admin, password="xTOWN_A2026yz")
    with pytest.raises(services.ValidationError):
        services.create_user(
            by=cast.admin,
            username="wang",
            display_name="王小明",
            password="王小明-pass-2026",
            unit=cast.town_a,
            role="operator",
        )


def test_create_admin_refuses_admin12345(db, monkeypatch):
    monkeypatch.setenv("ZHAOSHANG_ADMIN_PASSWORD", "admin12345")
    with override("en"), pytest.raises(CommandError, match="must not contain your user name"):
        call_command("create_admin", username="admin", unit_code="330326", unit_name="平阳县")
    assert not User.objects.exists()


def test_create_admin_takes_an_email_address_and_checks_it(db, monkeypatch):
    monkeypatch.setenv("ZHAOSHANG_ADMIN_PASSWORD", "Pingyang-county-2026")
    with pytest.raises(CommandError):
        call_command(
            "create_admin", username="root", unit_code="330326", unit_name="平阳县", email="not an address"
        )
    call_command(
        "create_admin", username="root", unit_code="330326", unit_name="平阳县", email="root@example.gov.cn"
    )
    assert User.objects.get(username="root").email == "root@example.gov.cn"


def test_create_admin_without_a_terminal_explains_itself():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "manage.py", "create_admin", "--username", "root", "--unit-code", "1"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ZHAOSHANG_ADMIN_PASSWORD" in result.stderr
