"""Who did something, as the records keep it and as a person reads it.

A record written by a job, a command or the scheduler has no user: it keeps the marker ``SYSTEM``
in its "by" name column (never a word of one language, so every reader sees it in their own), and
pages show it through ``actor_display`` (the ``actor`` template filter).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext

SYSTEM = "system"


def actor_name(by: Any) -> str:
    """The name a record keeps for ``by``: the user's name, or the system's marker."""
    return str(by) if by is not None and getattr(by, "is_authenticated", False) else SYSTEM


def actor_display(name: str) -> str:
    """A kept name as it is read: the system's marker in the reader's language."""
    return pgettext("audit actor", "system") if name == SYSTEM else name
