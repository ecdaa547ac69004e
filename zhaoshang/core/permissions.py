"""Roles and what each may do: the one place where the permission matrix lives.

A user holds roles through memberships (user, unit, role). A role granted at a unit applies to
that unit's whole subtree and to nothing outside it. docs/permissions.md renders this table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    OPERATOR = "operator", _("Unit operator")
    STEWARD = "steward", _("Project steward")
    LEADER = "leader", _("Leader")
    INSPECTOR = "inspector", _("Inspector")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    CREATE = "create", _("create")
    EDIT = "edit", _("edit")
    DELETE = "delete", _("delete")
    CHANGE_STAGE = "change_stage", _("change stage")
    VERIFY = "verify", _("verify")
    CONFIGURE = "configure", _("configure")
    EXPORT = "export", _("export")
    IMPORT = "import", _("import")


_READ = {Action.VIEW, Action.EXPORT}
_ENTER = _READ | {Action.CREATE, Action.EDIT, Action.CHANGE_STAGE, Action.IMPORT}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(Action.values),
    Role.BUREAU_ADMIN: frozenset(Action.values),
    Role.OPERATOR: frozenset(_ENTER),
    Role.STEWARD: frozenset(_READ | {Action.EDIT, Action.CHANGE_STAGE}),
    Role.LEADER: frozenset(_READ),
    Role.INSPECTOR: frozenset(_READ),
}


def role_allows(role: str, action: str) -> bool:
    """True when ``role`` grants ``action``."""
    return action in ROLE_ACTIONS.get(role, frozenset())


# Who may grant which role: a user may grant, within the subtree where they hold a role that may
# configure users, only roles ranked at or below their own highest role there.
ROLE_RANK: dict[str, int] = {
    Role.SYSTEM_ADMIN: 100,
    Role.BUREAU_ADMIN: 80,
    Role.INSPECTOR: 40,
    Role.LEADER: 40,
    Role.OPERATOR: 30,
    Role.STEWARD: 20,
}
