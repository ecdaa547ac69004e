"""Roles and what each may do: the one place where the permission matrix lives.

A user holds roles through memberships (user, unit, role). A role granted at a unit applies to
that unit's whole subtree and to nothing outside it. docs/permissions.md carries ``matrix_markdown()``
(a test keeps the two equal).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class ObjectType(models.TextChoices):
    """The kinds of record the matrix speaks of; each scoped model names its own."""

    UNIT = "unit", _("units")
    PROJECT = "project", _("projects")
    INVESTOR = "investor", _("investors")
    USER = "user", _("users")
    TARGET = "target", _("targets")
    INDICATOR = "indicator", _("indicators")
    REQUEST = "request", _("requests for coordination")
    INSPECTION = "inspection", _("inspections")
    DISPATCH = "dispatch", _("dispatch and progress reports")
    ACTIVITY = "activity", _("promotion activities")
    JOB = "job", pgettext_lazy("background work", "jobs")
    OFFER = "offer", _("packaged projects on offer")


_READ = frozenset({Action.VIEW, Action.EXPORT})
_NONE: frozenset[str] = frozenset()

# The actions that mean something for each object type.
APPLICABLE: dict[str, frozenset[str]] = {
    ObjectType.UNIT: _READ | {Action.CONFIGURE, Action.IMPORT},
    ObjectType.PROJECT: _READ
    | {Action.CREATE, Action.EDIT, Action.DELETE, Action.CHANGE_STAGE, Action.VERIFY, Action.IMPORT},
    ObjectType.INVESTOR: _READ | {Action.CREATE, Action.EDIT, Action.DELETE, Action.IMPORT},
    ObjectType.USER: _READ | {Action.CONFIGURE},
    ObjectType.TARGET: _READ | {Action.CONFIGURE, Action.IMPORT},
    ObjectType.INDICATOR: frozenset({Action.VIEW, Action.CONFIGURE}),
    # Requests: "create" raises one, "edit" replies, comments and evaluates (each only from its own
    # side, see coordination/services.py), "verify" accepts, assigns or rejects (the bureau).
    ObjectType.REQUEST: _READ | {Action.CREATE, Action.EDIT, Action.VERIFY},
    # Inspections: "create" records an inspection and its rectification items, "edit" reports a
    # rectification (owner unit), "verify" verifies or returns it (inspector, bureau).
    ObjectType.INSPECTION: _READ | {Action.CREATE, Action.EDIT, Action.VERIFY},
    # create/edit: file progress reports; verify: review them; configure: the county's calendar.
    ObjectType.DISPATCH: _READ | {Action.CREATE, Action.EDIT, Action.VERIFY, Action.CONFIGURE},
    ObjectType.ACTIVITY: _READ | {Action.CREATE, Action.EDIT, Action.DELETE},
    # Jobs: "view" reads a job's progress and downloads what it made, "edit" retries a failed one.
    ObjectType.JOB: frozenset({Action.VIEW, Action.EDIT}),
    # Offers (招商项目, catalogue app): "create"/"edit" draft and submit a unit's offers, "verify"
    # reviews, records departments' opinions, publishes and withdraws them (the bureau).
    ObjectType.OFFER: _READ | {Action.CREATE, Action.EDIT, Action.DELETE, Action.VERIFY},
}
_SEE_JOBS = frozenset({Action.VIEW})
_REPORT = _READ | {Action.CREATE, Action.EDIT}
_SEE_INDICATORS = frozenset({Action.VIEW})
# Reading without changing (a leader's rights): everything but users, and a job's progress.
_READ_ONLY: dict[str, frozenset[str]] = {
    ObjectType.UNIT: _READ,
    ObjectType.PROJECT: _READ,
    ObjectType.INVESTOR: _READ,
    ObjectType.USER: _NONE,
    ObjectType.TARGET: _READ,
    ObjectType.INDICATOR: _SEE_INDICATORS,
    ObjectType.REQUEST: _READ,
    ObjectType.INSPECTION: _READ,
    ObjectType.DISPATCH: _READ,
    ObjectType.ACTIVITY: _READ,
    ObjectType.JOB: _SEE_JOBS,
    ObjectType.OFFER: _READ,
}

# The permission matrix: role × object type × actions. "configure" on units means creating,
# changing, moving and importing units; on users, managing users and granting roles; on targets,
# setting, copying and importing the yearly targets (decomposition to subordinate units).
MATRIX: dict[str, dict[str, frozenset[str]]] = {
    Role.SYSTEM_ADMIN: dict(APPLICABLE),
    # Indicators are shared by the whole deployment: only a system administrator changes them.
    Role.BUREAU_ADMIN: {**APPLICABLE, ObjectType.INDICATOR: _SEE_INDICATORS},
    Role.OPERATOR: {
        ObjectType.UNIT: _READ,
        ObjectType.PROJECT: _READ | {Action.CREATE, Action.EDIT, Action.CHANGE_STAGE, Action.IMPORT},
        ObjectType.INVESTOR: _READ | {Action.CREATE, Action.EDIT, Action.IMPORT},
        ObjectType.USER: _NONE,
        ObjectType.TARGET: _READ,
        ObjectType.INDICATOR: _SEE_INDICATORS,
        ObjectType.REQUEST: _READ | {Action.CREATE, Action.EDIT},
        ObjectType.INSPECTION: _READ | {Action.EDIT},
        ObjectType.DISPATCH: _REPORT,
        ObjectType.ACTIVITY: _READ | {Action.CREATE, Action.EDIT, Action.DELETE},
        ObjectType.JOB: frozenset({Action.VIEW, Action.EDIT}),
        ObjectType.OFFER: _READ | {Action.CREATE, Action.EDIT},
    },
    Role.STEWARD: {
        ObjectType.UNIT: frozenset({Action.VIEW}),
        ObjectType.PROJECT: _READ | {Action.EDIT, Action.CHANGE_STAGE},
        ObjectType.INVESTOR: _READ,
        ObjectType.USER: _NONE,
        ObjectType.TARGET: _READ,
        ObjectType.INDICATOR: _SEE_INDICATORS,
        ObjectType.REQUEST: _READ | {Action.CREATE, Action.EDIT},
        ObjectType.INSPECTION: _READ,
        ObjectType.DISPATCH: _REPORT,
        ObjectType.ACTIVITY: _READ,
        ObjectType.JOB: _SEE_JOBS,
        ObjectType.OFFER: _READ,
    },
    Role.LEADER: _READ_ONLY,
    # An inspector reads what a leader reads, and records and verifies inspections.
    Role.INSPECTOR: {**_READ_ONLY, ObjectType.INSPECTION: _READ | {Action.CREATE, Action.VERIFY}},
}


def role_allows(role: str, action: str, on: str) -> bool:
    """True when ``role`` grants ``action`` on records of object type ``on``."""
    return action in MATRIX.get(role, {}).get(on, _NONE)


def matrix_markdown() -> str:
    """The matrix as a Markdown table per object type (docs/permissions.md carries this text)."""
    roles = list(Role)
    lines: list[str] = []
    for object_type in ObjectType:
        lines += [
            f"### {object_type.value}",
            "",
            "| action | " + " | ".join(f"`{r.value}`" for r in roles) + " |",
            "|---|" + "---|" * len(roles),
        ]
        for action in (a for a in Action if a in APPLICABLE[object_type]):
            marks = ["✓" if role_allows(r, action, object_type) else "" for r in roles]
            lines.append(f"| `{action.value}` | " + " | ".join(marks) + " |")
        lines.append("")
    return "\n".join(lines)


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
