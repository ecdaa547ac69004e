"""The JSON API (django-ninja): one NinjaAPI with a router per domain app.

Every operation requires a logged-in session (or a session cookie from the pages) and goes
through the same scoping function and services as the pages.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Zhaoshang API",
    version="1",
    description="Investment promotion ledger: units and projects, scoped to the caller's unit subtree.",
    auth=django_auth,
    urls_namespace="api",
)
