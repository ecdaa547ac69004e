"""Shared pieces of the JSON API: value types, errors, scoping, filtering, the generic list and read
operations (``list_operation``, ``read_operation``; paging and counting are in core/paging.py) and
``service_call``, the block the operations call services in.

The routers of the domain apps (units/api.py, projects/api.py) build every operation from these,
so that all of them answer the same way:

* amounts are decimal strings both ways, dates are ``YYYY-MM-DD``;
* a record outside the caller's scope is indistinguishable from a missing one (404);
* a caller who may see a record but not do what was asked gets 403;
* invalid input, from the schema or from a service, gives 422 ``{"detail": [{loc, msg, type}]}``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import json
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Annotated, Any, TypeAlias, TypeVar, cast

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    StringConstraints,
    TypeAdapter,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from zhaoshang.core.dates import date_problem
from zhaoshang.core.errors import StaleWrite
from zhaoshang.core.paging import Page, PageParams, page_of
from zhaoshang.core.scoping import Person, scope_roots
from zhaoshang.core.tables import ListSource
from zhaoshang.core.text import strings_in, stripped, text_problem

# --- value types ----------------------------------------------------------------------------


def _decimal_parser(max_digits: int, places: int) -> Any:
    # ASCII digits only: \d would also take full-width and other scripts' digits.
    pattern = re.compile(rf"[0-9]{{1,{max_digits - places}}}(\.[0-9]{{1,{places}}})?")

    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            # A binary float may already have lost the exact amount the user typed.
            raise PydanticCustomError(
                "decimal_string",
                _('Send amounts as strings such as "12345.6789", not as floating-point numbers.'),
            )
        text = str(value)
        if text.startswith("-"):
            raise PydanticCustomError(
                "decimal_negative",
                _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": 0},
            )
        if not pattern.fullmatch(text):
            raise PydanticCustomError(
                "decimal_format",
                _("Enter a number with at most %(digits)d integer digits and %(places)d decimals.")
                % {"digits": max_digits - places, "places": places},
            )
        return Decimal(text)

    return parse


def decimal_input(max_digits: int, places: int, example: str) -> tuple[BeforeValidator, WithJsonSchema]:
    """An exact non-negative decimal sent as a string (or an integer); floats are refused. The metadata
    of the type ``Annotated[Decimal, *decimal_input(...)]`` (a type alias mypy can read)."""
    pattern = rf"^[0-9]{{1,{max_digits - places}}}(\.[0-9]{{1,{places}}})?$"
    return (
        BeforeValidator(_decimal_parser(max_digits, places)),
        WithJsonSchema(
            {
                "anyOf": [{"type": "string", "pattern": pattern}, {"type": "integer", "minimum": 0}],
                "examples": [example],
                "description": f"Decimal string, at most {places} decimals; integers are accepted, "
                "floating-point numbers are refused.",
            }
        ),
    )


def decimal_output(places: int, example: str) -> tuple[PlainSerializer, WithJsonSchema]:
    """A decimal written as a string with exactly ``places`` decimals, never as a JSON number: the
    metadata of the type ``Annotated[Decimal, *decimal_output(...)]``."""
    quantum = Decimal(1).scaleb(-places)
    return (
        PlainSerializer(lambda value: format(value.quantize(quantum), "f"), return_type=str),
        WithJsonSchema(
            {"type": "string", "pattern": rf"^\d+\.\d{{{places}}}$", "examples": [example]},
        ),
    )


def text_input(max_length: int, min_length: int = 0) -> StringConstraints:
    """The constraints of a string sent in a body, used as ``Annotated[str, text_input(...)]``: stripped
    (as a form field strips it) before its length is checked."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


# Amounts: 萬 of the project's currency, 15 significant digits, 4 decimals (exact to one yuan).
Money: TypeAlias = Annotated[Decimal, *decimal_output(4, "12345.6789")]
MoneyIn: TypeAlias = Annotated[Decimal, *decimal_input(15, 4, "12345.6789")]
Share: TypeAlias = Annotated[Decimal, *decimal_output(2, "60.00")]
ShareIn: TypeAlias = Annotated[Decimal, *decimal_input(5, 2, "60")]


def _parse_date(value: Any) -> dt.date:
    day: dt.date | None = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is None:
        raise PydanticCustomError("date_format", _("Enter a valid date.") + " (YYYY-MM-DD)")
    problem = date_problem(day)
    if problem:
        raise PydanticCustomError("implausible_date", problem)
    return day


class ReasonIn(Schema):
    """Why a record is sent back or refused: the body of every return and reject operation."""

    reason: str = Field(..., min_length=1, max_length=500)


# A record id sent in a list (investor_ids, project_ids): within the database's 64-bit ids, so an id
# of 10**25 is a 422 rather than an OverflowError when the list is bound to the query.
RecordId: TypeAlias = Annotated[int, Field(ge=1, le=2**63 - 1)]

IsoDate: TypeAlias = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-03-12"]}),
]


# --- error bodies ---------------------------------------------------------------------------


class ErrorOut(Schema):
    """401, 403 and 404: one message in the caller's language."""

    detail: str


class FieldError(Schema):
    loc: list[str | int] = Field(..., description='Where: ["body", field, ...] or ["query", parameter].')
    msg: str = Field(..., description="The message, in the caller's language.")
    type: str


class StaleOut(Schema):
    """409: the record changed since the version sent; nothing was written."""

    detail: str
    current_version: int


class ValidationErrorOut(Schema):
    """422: every problem found, each with its location."""

    detail: list[FieldError]


ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: StaleOut}
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
CREATE_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}


def field_errors(errors: Mapping[Any, Iterable[str]], source: str = "body") -> NinjaValidationError:
    """A 422 error from messages keyed by field, by a path such as ("credits", 0, "unit_id"), or by
    NON_FIELD_ERRORS for the input as a whole."""
    detail: list[dict[str, Any]] = []
    for field, messages in errors.items():
        path = list(field) if isinstance(field, tuple) else [field]
        loc = [source] if field == NON_FIELD_ERRORS else [source, *path]
        detail.extend({"loc": loc, "msg": str(m), "type": "invalid"} for m in messages)
    return NinjaValidationError(detail)


# --- text in request bodies ------------------------------------------------------------------


class FormLikeParser(Parser):
    """Request bodies read as JSON with every string stripped, as Django's form fields strip."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], stripped(json.loads(request.body)))


def check_body(
    respond: Callable[[HttpRequest, list[dict[str, Any]]], HttpResponse],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An API-wide view decorator: a JSON body that is not JSON, or that holds a string the database
    cannot or should not hold (``core.text``), is answered by ``respond(request, detail)`` (the
    API's 422), naming each such field, before any operation runs. It runs outside the operations'
    exception handling, so it answers rather than raises."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.body and request.content_type == "application/json":
                try:
                    data = json.loads(request.body)
                except ValueError:  # UnicodeDecodeError included
                    message = _("The request body is not valid JSON.")
                    return respond(request, [{"loc": ["body"], "msg": message, "type": "json_invalid"}])
                detail = [
                    {"loc": ["body", *path], "msg": problem, "type": "text_characters"}
                    for path, text in strings_in(data)
                    if (problem := text_problem(text))
                ]
                if detail:
                    return respond(request, detail)
            return view(request, *args, **kwargs)

        return checked

    return decorator


def service_errors(
    error: DjangoValidationError, rename: Mapping[str, str] | None = None
) -> NinjaValidationError:
    """A service's ValidationError as a 422, its model field names renamed to the API's."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        return field_errors({rename.get(f, f): m for f, m in error.message_dict.items()})
    return field_errors({NON_FIELD_ERRORS: error.messages})


@contextlib.contextmanager
def service_call(rename: Mapping[str, str] | None = None) -> Iterator[None]:
    """Runs the services called in its block the API's way: a ValidationError as a 422
    (``service_errors``, with ``rename``), a StaleWrite left to the API's 409 handler."""
    try:
        yield
    except StaleWrite:
        raise
    except DjangoValidationError as error:
        raise service_errors(error, rename) from error


# --- scoping --------------------------------------------------------------------------------


def require(user: Person, action: str, on: str) -> None:
    """403 unless the user may perform ``action`` somewhere at all."""
    if not scope_roots(user, action, on=on):
        raise PermissionDenied(_("You may not do that."))


def scoped_object(model: type[Model], user: Person, pk: int, action: str | None = None) -> Any:
    """The record if the user may see it (404 otherwise, exactly as for a missing id); with
    ``action``, 403 when the user may see it but not perform the action."""
    manager: Any = model._default_manager
    obj = get_object_or_404(manager.visible_to(user), pk=pk)
    if action is not None and not manager.visible_to(user, action).filter(pk=pk).exists():
        raise PermissionDenied(_("You may not do that."))
    return obj


M = TypeVar("M", bound=Model)


def known_unit(units: QuerySet[M], pk: int, field: str) -> M:
    """The unit ``pk`` among ``units`` (those the caller may name here), or 422 "Unknown unit." at
    ``field``: a unit outside them is as unknown as a missing one."""
    unit = units.filter(pk=pk).first()
    if unit is None:
        raise field_errors({field: [_("Unknown unit.")]})
    return unit


# --- filtering and pagination ---------------------------------------------------------------


def filtered(filterset_class: type, request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """The queryset through the same filter set as the list page; bad filters give 422."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if not filterset.is_bound:
        return filterset.queryset
    # A yes/no select reads any other word as "no filter"; the API documents a boolean, so a value
    # that is neither is refused rather than silently ignored.
    not_boolean = {
        name: [_("Enter true or false.")]
        for name, f in filterset.filters.items()
        if isinstance(f, django_filters.BooleanFilter)
        and request.GET.get(name, "") not in ("", *BOOLEAN_WORDS)
    }
    if not_boolean:
        raise field_errors(not_boolean, source="query")
    if not filterset.is_valid():
        raise field_errors(filterset.errors, source="query")
    return filterset.qs


BOOLEAN_WORDS = ("true", "false", "True", "False", "1", "0")


def source_queryset(source: ListSource, request: HttpRequest, sort: str = "") -> QuerySet:
    """The rows of ``source`` for the request's user, filtered by its query string (bad filters
    give 422), sorted by ``sort`` and decorated."""
    queryset = source.visible(request.user)
    if source.filterset_class is not None:
        queryset = filtered(source.filterset_class, request, queryset)
    queryset, _sort = source.order(queryset, sort)
    return source.decorate(queryset, request.user)


def list_operation(
    router: Router,
    path: str,
    schema: Any,
    source: ListSource,
    *,
    name: str,
    summary: str,
    description: str = "",
    count_cap: int | None = None,
) -> Callable[..., dict[str, Any]]:
    """Register on ``router`` the list operation ``GET path``: one page (``PageParams``) of
    ``source``'s rows as ``Page[schema]``, filtered and sorted like the list page; bad filters and
    page parameters give 422. ``name`` is the operation's function name, hence its URL name and
    (with the calling module) its OpenAPI operationId, as a hand-written ``def name`` would have."""

    def operation(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
        return page_of(source_queryset(source, request, params.sort), params, count_cap)

    router.get(
        path,
        response={200: Page[schema], **READ_ERRORS},
        openapi_extra=source_parameters(source),
        summary=summary,
        description=source_description(source, description),
    )(_named(operation, name))
    return operation


def read_operation(
    router: Router,
    path: str,
    schema: Any,
    queryset: Callable[[Any], QuerySet],
    *,
    name: str,
    summary: str,
) -> Callable[..., Any]:
    """Register on ``router`` the read operation ``GET path``: the record whose id is the path's one
    parameter (``/{unit_id}``), among ``queryset(user)``, as ``schema``; a record the user may not
    see is a 404 like a missing one. ``name`` as for ``list_operation``."""
    (parameter,) = re.findall(r"{(\w+)}", path)

    def operation(request: HttpRequest, **ids: int) -> Any:
        return get_object_or_404(queryset(request.user), pk=ids[parameter])

    # The signature django-ninja reads: the path parameter under its own name, as a hand-written
    # ``def name(request, unit_id: int)`` would have it.
    operation.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
            inspect.Parameter(parameter, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int),
        ]
    )
    router.get(path, response={200: schema, **READ_ERRORS}, summary=summary)(_named(operation, name))
    return operation


def _named(operation: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``operation`` named ``name`` in the module that called the ``..._operation`` function."""
    operation.__name__ = operation.__qualname__ = name
    # The calling module, as collections.namedtuple finds it: the operationId is module + name.
    operation.__module__ = sys._getframe(2).f_globals.get("__name__", __name__)
    return operation


def source_parameters(source: ListSource) -> dict[str, Any] | None:
    """The OpenAPI query parameters of a list operation over ``source``: its filters."""
    return None if source.filterset_class is None else filter_parameters(source.filterset_class)


def source_description(source: ListSource, description: str) -> str:
    """A list operation's description, with the sort keys it accepts."""
    if source.table is None:
        return description
    keys = "Sort keys: " + ", ".join(sorted(source.table.orderings()))
    return f"{description} {keys}" if description else keys


# --- responses read from plain values -------------------------------------------------------


def _plain_type(annotation: Any) -> Any:
    """``annotation`` with every schema in it replaced by its plain twin (``_plain_model``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _plain_model(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return Annotated[(_plain_type(args[0]), *annotation.__metadata__)]
    if origin is list:
        return list[_plain_type(args[0])]  # type: ignore[misc]  # a type built at run time
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_plain_type(a) for a in args)]  # noqa: UP007
    if args:
        raise TypeError(f"no plain twin for {annotation!r}")
    return annotation


@functools.cache
def _plain_model(schema: type[BaseModel]) -> type[BaseModel]:
    """A plain pydantic model with the fields of ``schema``: the same types, validators and
    serializers (so the same JSON), read from attributes, without django-ninja's ``DjangoGetter``.
    That runs a Python call per field of every row (resolvers, managers, querysets, callables and
    files are looked for): 8 ms for 50 rows of ProjectSummary, against under 1 ms here. The
    schema's ``resolve_`` methods are not called: the rows must carry those fields themselves."""
    fields: dict[str, Any] = {
        name: (_plain_type(field.annotation), field) for name, field in schema.model_fields.items()
    }
    config = ConfigDict(from_attributes=True)
    return create_model(f"Plain{schema.__name__}", __config__=config, **fields)


@functools.cache
def _plain_adapter(schema: Any) -> TypeAdapter:
    return TypeAdapter(_plain_type(schema))


# The renderer of the one NinjaAPI: zhaoshang/api.py builds the API with it, so a plain response is
# written exactly as django-ninja writes the others without core importing the API object above it.
RENDERER = JSONRenderer()


def plain_response(request: HttpRequest, schema: Any, data: Any) -> HttpResponse:
    """``data`` as the operation's declared 200 response ``schema``, validated and written by its
    plain twin and rendered by the API's renderer: the same JSON as returning ``data`` to
    django-ninja, for rows that carry every field of the schema as a plain attribute (value
    records, not model instances with related managers)."""
    adapter = _plain_adapter(schema)
    content = adapter.dump_python(adapter.validate_python(data))
    return HttpResponse(
        RENDERER.render(request, content, response_status=200),
        status=200,
        content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}",
    )


def _filter_schema(f: django_filters.Filter) -> dict[str, Any]:
    # Model choice filters are choice filters too: test them first.
    if isinstance(f, django_filters.ModelMultipleChoiceFilter):
        return {"type": "array", "items": {"type": "integer"}, "description": "ids"}
    if isinstance(f, django_filters.ModelChoiceFilter):
        return {"type": "integer", "description": "id"}
    if isinstance(f, django_filters.MultipleChoiceFilter):
        return {"type": "array", "items": {"type": "string", "enum": [c for c, _l in f.extra["choices"]]}}
    if isinstance(f, django_filters.ChoiceFilter):
        return {"type": "string", "enum": [c for c, _l in f.extra["choices"]]}
    if isinstance(f, django_filters.BooleanFilter):
        return {"type": "boolean"}
    if isinstance(f, django_filters.NumberFilter):
        # Django's DecimalField is an IntegerField too: a whole-number filter is one that is not.
        if not issubclass(f.field_class, forms.DecimalField):
            return {"type": "integer"}
        return {"type": "string", "format": "decimal"}
    return {"type": "string"}


def filter_parameters(filterset_class: type[django_filters.FilterSet]) -> dict[str, Any]:
    """OpenAPI query parameters describing a filter set, for an operation's ``openapi_extra``;
    the labels stay lazy so the schema speaks the caller's language."""
    return {
        "parameters": [
            {
                "in": "query",
                "name": name,
                "required": False,
                "description": f.label,
                "schema": _filter_schema(f),
            }
            for name, f in filterset_class.base_filters.items()
        ]
    }
