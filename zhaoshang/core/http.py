"""Facts about the HTTP request that several modules need, decided in one place."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address, for the log-in lockout and the audit trail.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, REMOTE_ADDR is the nearest proxy's, so every
    user would share one address; the client is then the Nth entry from the right of
    X-Forwarded-For (entries further left were written by the client and cannot be trusted).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
