"""Strict helpers that read settings from environment variables.

Every setting of the project is read here or in settings.py through these helpers, and
listed in docs/settings.md. A malformed value stops start-up with a message naming the
variable, rather than being silently replaced by a default.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

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


def env_choice(name: str, default: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return the variable when it is one of ``choices`` (compared without regard to case)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    by_folded = {choice.lower(): choice for choice in choices}
    value = by_folded.get(raw.strip().lower())
    if value is None:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {raw!r}")
    return value


def env_time_zone(name: str, default: str) -> str:
    """Return the variable when it names a time zone of the IANA database, e.g. Asia/Shanghai."""
    import zoneinfo

    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"{name} must name a time zone of the IANA database, e.g. Asia/Shanghai; got {raw!r}"
        ) from exc
    return value


def env_url(name: str, default: str) -> str:
    """Return the variable when it is an absolute http or https address, e.g. https://example.gov.cn."""
    from urllib.parse import urlsplit

    value = os.environ.get(name, default).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"{name} must be an http:// or https:// address; got {value!r}")
    return value


def env_database(name: str, default: str, conn_max_age: int) -> dict[str, Any]:
    """Return Django's database settings for the URL in the variable (dj-database-url form), naming
    the variable when the URL is not understood. The password never appears in the message."""
    import dj_database_url

    raw = os.environ.get(name, default)
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    try:
        config = dict(dj_database_url.parse(raw, conn_max_age=conn_max_age))
    except Exception as exc:  # dj-database-url raises ValueError, KeyError or its own errors
        raise ImproperlyConfigured(
            f"{name} must be a database URL such as postgres://user:password@host:5432/name or "
            f"sqlite:////path/to/file.sqlite3; the scheme {scheme!r} or the rest of it is not understood"
        ) from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database (e.g. postgres://user@host:5432/name)")
    return config


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
