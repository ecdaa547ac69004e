"""Who is acting, from where, in which request: set by the middleware, read by the audit writer.

Commands and jobs run without a request; their entries carry the acting user passed to the
service (or "system") and no address.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from zhaoshang.core.http import client_address


@dataclass(frozen=True)
class RequestInfo:
    client_ip: str | None
    request_id: str


_current: ContextVar[RequestInfo | None] = ContextVar("zhaoshang_request", default=None)


def current_request() -> RequestInfo | None:
    return _current.get()


class RequestContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and remembers its client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        info = RequestInfo(client_ip=client_address(request), request_id=str(uuid.uuid4()))
        token = _current.set(info)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = info.request_id
        return response
