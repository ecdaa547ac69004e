"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_configure": bool(scope_roots(user, Action.CONFIGURE, on=ObjectType.USER)),
        "can_verify": bool(scope_roots(user, Action.VERIFY, on=ObjectType.PROJECT)),
        "can_dispatch": bool(scope_roots(user, Action.VIEW, on=ObjectType.DISPATCH)),
        "can_review_reports": bool(scope_roots(user, Action.VERIFY, on=ObjectType.DISPATCH)),
        "can_import": bool(scope_roots(user, Action.IMPORT, on=ObjectType.PROJECT)),
    }
