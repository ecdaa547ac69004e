"""The JSON API (django-ninja): one NinjaAPI with a router per domain app.

Every operation requires a logged-in session (or a session cookie from the pages) and goes
through the same scoping function and services as the pages. Shared pieces live in core/api.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from zhaoshang.activities.api import router as activities_router
from zhaoshang.assessment.api import router as assessment_router
from zhaoshang.coordination.api import router as requests_router
from zhaoshang.core.api import RENDERER, FormLikeParser, check_body, service_errors
from zhaoshang.core.errors import StaleWrite
from zhaoshang.dispatch.api import router as dispatch_router
from zhaoshang.enterprises.api import router as enterprises_router
from zhaoshang.inspections.api import router as inspections_router
from zhaoshang.investors.api import router as investors_router
from zhaoshang.ledger.api import router as ledger_router
from zhaoshang.parks.api import router as parks_router
from zhaoshang.projects.api import router as projects_router
from zhaoshang.summaries.api import router as summaries_router
from zhaoshang.targets.api import router as targets_router
from zhaoshang.units.api import router as units_router

DESCRIPTION = """
Investment promotion ledger: units and projects, scoped to the caller's unit subtree.

**Authentication.** The session of the web pages (log in at `/accounts/login/`). Unsafe methods
(POST, PATCH) need the CSRF token too, as the `X-CSRFToken` header.

**Values.** Amounts are in 萬 (10,000) of the project's currency and travel as decimal *strings*,
both ways: responses always carry four decimals (`"12345.6789"`); requests accept a string with
at most four decimals, or an integer, and refuse floating-point numbers. Dates are `YYYY-MM-DD`.

**Errors.** Messages follow the `Accept-Language` header (Simplified Chinese by default, `en`).

* 401 `{"detail": message}`: not logged in.
* 403 `{"detail": message}`: you may see the record but not do this (or not here).
* 404 `{"detail": message}`: no such record *in your scope*; records of other units answer
  exactly like missing ones.
* 422 `{"detail": [{"loc": [...], "msg": message, "type": code}]}`: every problem with the
  input, from the schema or from the ledger's rules. `loc` is `["body", field, ...]` for the
  request body and `["query", parameter]` for filters; `["body"]` alone for a problem of the whole
  request. Unknown or invisible ids (unit, investor) are reported here, never as 404.
"""

api = NinjaAPI(
    title="Zhaoshang API",
    version="1",
    description=DESCRIPTION,
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
    parser=FormLikeParser(),
    renderer=RENDERER,
)
api.add_decorator(
    check_body(lambda request, detail: api.create_response(request, {"detail": detail}, status=422)),
    mode="view",
)
# Each domain's router, under its name, which is also its tag in the schema (in this order).
ROUTERS = {
    "units": units_router,
    "projects": projects_router,
    "requests": requests_router,
    "inspections": inspections_router,
    "dispatch": dispatch_router,
    "investors": investors_router,
    "activities": activities_router,
    "enterprises": enterprises_router,
    "summaries": summaries_router,
    "ledger": ledger_router,
    "targets": targets_router,
    "assessment": assessment_router,
    "parks": parks_router,
}
for name, router in ROUTERS.items():
    api.add_router(f"/{name}", router, tags=[name])


# Pydantic writes its messages in English only; the usual ones are said again in the words of
# Django's own catalog, which is translated already.
def _translated(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    if kind == "string_too_long":
        return _("Ensure this value has at most %(max)d characters.") % {"max": ctx.get("max_length", 0)}
    if kind == "string_too_short":
        return _("This field cannot be blank.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    return str(error.get("msg", ""))


def _location(loc: Any) -> list[Any]:
    # Body schemas are all named "payload": drop the name, so body errors read ["body", field].
    parts = list(loc)
    if len(parts) > 1 and parts[0] == "body" and parts[1] == "payload":
        del parts[1]
    return parts


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {"loc": _location(e.get("loc", ())), "msg": _translated(e), "type": e.get("type", "invalid")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(DjangoValidationError)
def invalid_by_rule(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service's ValidationError that an operation did not convert itself."""
    return invalid_input(request, service_errors(exc))


@api.exception_handler(StaleWrite)
def stale(request: HttpRequest, exc: StaleWrite) -> HttpResponse:
    """409: the project changed since the version the caller sent; nothing was written."""
    body = {"detail": exc.message, "current_version": exc.current_version}
    return api.create_response(request, body, status=409)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """Also OutOfScope from a service: its message says what may not be done where."""
    return api.create_response(request, {"detail": str(exc) or _("You may not do that.")}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # One body for "missing" and "outside your scope": the difference must not leak.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Log in to use the API.")}, status=401)
