"""What the site says when the machine itself fails a request: a full disk.

An upload or export that meets a full disk (ENOSPC) raised an OSError and answered a bare 500. The
services write inside transactions, so nothing half-written stays; what was missing is a message a
person can act on. Pages get a page, the API its JSON error body; both with 507 (Insufficient
Storage) and the same words.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def disk_full_message() -> str:
    return _("The server's disk is full: nothing was saved. Please tell your system administrator.")


class DiskFullMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not (isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT)):
            return None
        logger.error("disk full while answering %s %s", request.method, request.path, exc_info=exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": disk_full_message()}, status=507)
        return render(request, "disk_full.html", {"message": disk_full_message()}, status=507)
