"""Errors raised by services. Pages, the API and imports turn them into messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["OutOfScope", "PermissionDenied", "StaleWrite", "ValidationError"]


class OutOfScope(PermissionDenied):
    """The user may not act on this unit's records (or may not know they exist)."""


class StaleWrite(ValidationError):
    """The record changed since the user loaded it; saving would overwrite someone else's change."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message, code="stale")
        self.current_version = current_version
