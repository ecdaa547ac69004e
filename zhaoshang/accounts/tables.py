"""The user table: columns of the user list and of its export."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table


def _memberships(user: Any) -> str:
    """The memberships the manager sees (prefetched by the views as ``scoped_memberships``)."""
    return "; ".join(f"{m.unit.name} · {m.get_role_display()}" for m in user.scoped_memberships)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


USER_TABLE = Table(
    columns=[
        Column("username", _("Username"), lambda u: u.username, order_by="username", link=True),
        Column("display_name", _("Name"), lambda u: u.display_name, order_by="display_name"),
        Column("phone", _("Phone"), lambda u: u.phone),
        Column("email", _("E-mail"), lambda u: u.email),
        Column("memberships", _("Units and roles"), _memberships),
        Column(
            "is_active", _("Active"), lambda u: _("yes") if u.is_active else _("no"), order_by="is_active"
        ),
        Column("last_login", _("Last login"), lambda u: _when(u.last_login), order_by="last_login"),
        Column("date_joined", _("Created"), lambda u: _when(u.date_joined), order_by="date_joined"),
    ],
    default_order="username",
)
