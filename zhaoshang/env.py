"""Strict helpers that read settings from environment variables.

Every setting of the project is read here or in settings.py through these helpers, and
listed in docs/settings.md. A malformed value stops start-up with a message naming the
variable, rather than being silently replaced by a default.
"""

from __future__ import annotations

import datetime as dt
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """Return the variable as text, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return the variable as a boolean; only 1/0, true/false, yes/no, on/off are accepted."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    """Return the variable as an integer."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_times(name: str) -> dict[str, dt.time | None]:
    """A comma-separated list of ``key=HH:MM`` (or ``key=off``) as a dict of times (None: off)."""
    raw = os.environ.get(name, "")
    times: dict[str, dt.time | None] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        value = value.strip().lower()
        try:
            if not sep or not key.strip():
                raise ValueError
            times[key.strip()] = None if value == "off" else dt.time.fromisoformat(value)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of name=HH:MM or name=off; got {item.strip()!r}"
            ) from exc
    return times
