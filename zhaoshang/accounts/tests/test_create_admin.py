"""manage.py create_admin bootstraps a deployment: the root unit and its first administrator."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhaoshang.accounts.models import User
from zhaoshang.core.scoping import scope_roots
from zhaoshang.units.models import Unit

STRONG = "Pingyang-admin-2026"


def test_it_creates_the_root_unit_and_an_admin_who_sees_it(db, monkeypatch, capsys):
    monkeypatch.setenv("ZHAOSHANG_ADMIN_PASSWORD", STRONG)
    call_command("create_admin", username="root", unit_code="330326", unit_name="平阳县", unit_kind="county")
    user = User.objects.get(username="root")
    unit = Unit.objects.get(code="330326")
    assert unit.parent is None and user.check_password(STRONG)
    assert scope_roots(user, "configure", on="unit") == [unit.path]
    assert "平阳县" in capsys.readouterr().out


def test_it_refuses_a_weak_password_and_writes_nothing(db, monkeypatch):
    monkeypatch.setenv("ZHAOSHANG_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_admin", username="root", unit_code="330326", unit_name="平阳县")
    assert not User.objects.exists() and not Unit.objects.exists()


def test_it_needs_a_name_for_a_unit_that_does_not_exist(db, monkeypatch):
    monkeypatch.setenv("ZHAOSHANG_ADMIN_PASSWORD", STRONG)
    with pytest.raises(CommandError):
        call_command("create_admin", username="root", unit_code="330326")
    assert not User.objects.exists()


def test_it_attaches_a_bureau_admin_to_an_existing_unit(cast, monkeypatch):
    monkeypatch.setenv("ZHAOSHANG_ADMIN_PASSWORD", STRONG)
    call_command("create_admin", username="bureau2", unit_code=cast.county.code, role="bureau_admin")
    assert scope_roots(User.objects.get(username="bureau2"), "view", on="project") == [cast.county.path]
