"""Errors raised by services. Pages, the API and imports turn them into messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["OutOfScope", "PermissionDenied", "ValidationError"]


class OutOfScope(PermissionDenied):
    """The user may not act on this unit's records (or may not know they exist)."""
