"""The public site's page cache: every public page is kept under a key that names the catalogue's
generation, and every change of what the site shows (publish, withdraw, a published offer edited or
taken, the county profile) moves the generation on, so the next visitor gets a fresh page.

Browsers and a reverse proxy may keep a page but must ask again before using it (``Cache-Control:
public, no-cache``); the page's ETag names the generation, so the answer to that question is a short
304 until something changes, and a withdrawn offer is gone from the next view everywhere."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

GENERATION_KEY = "catalogue:generation"
PAGE_SECONDS = 3600


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (an empty cache): the first one is new anyway
        cache.set(GENERATION_KEY, generation() + 1, None)


def changed() -> None:
    """What the public site shows has changed: once the transaction commits, every cached page is
    stale (before, a visitor could cache the old page again under the new generation)."""
    transaction.on_commit(_bump)


def cached_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve a public page from the cache (keyed by generation and full path, language included in
    the path); cache a fresh 200 response. ``?nocache=1`` bypasses it (the benchmark's comparison)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "GET" or request.GET.get("nocache"):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        current = generation()
        etag = f'"{current}-{path[:16]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response: HttpResponseBase = HttpResponse(status=304)
        else:
            key = f"catalogue:page:{current}:{path}"
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not getattr(response, "streaming", False):
                    if hasattr(response, "render"):
                        response.render()
                    cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)  # type: ignore[attr-defined]  # a plain HttpResponse
                response["X-Page-Cache"] = "miss"
        if response.status_code in (200, 304):
            response["ETag"] = etag
            patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapper
