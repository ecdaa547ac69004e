"""The unread count in the navbar of every page: here, not in core's navigation, because core knows
no domain app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhaoshang.notifications.services import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
