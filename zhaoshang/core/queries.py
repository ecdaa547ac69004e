"""Small query helpers shared by the bulk paths (exports, imports, loaders) and the scoping."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connections
from django.db.models import F, Field, Lookup, Manager, Model, Q, QuerySet, Subquery, Value

M = TypeVar("M", bound=Model)


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the values as one array parameter (PostgreSQL only)."""

    lookup_name = "any_of"

    # The params are a list (one of them an array), where django-stubs expects a tuple of scalars.
    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs.value)]

    def get_prep_lookup(self) -> Any:
        return self.rhs  # a Value holding the list; process_rhs would adapt it as one scalar


class InArray(Lookup):
    """``column = ANY(ARRAY(subquery))`` on PostgreSQL, ``column IN (subquery)`` elsewhere.

    PostgreSQL runs the subquery once (an InitPlan) and looks the array up in the column's index,
    so two of these joined by OR become one BitmapOr of two index scans; ``IN (subquery)`` under an
    OR can only be tested row by row (a hashed SubPlan over a scan of the whole table)."""

    lookup_name = "in_array"
    prepare_rhs = False

    def _sides(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # "(SELECT ...)"
        return lhs, rhs, [*lhs_params, *rhs_params]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


def in_subquery(field: str, values: QuerySet) -> Q:
    """Rows whose ``field`` is among the one column ``values`` selects (``InArray``)."""
    return Q(InArray(F(field), Subquery(values)))


def in_values(field: str, values: Iterable[Any], using: str = "default") -> Q:
    """Rows whose ``field`` is one of ``values``, for a query on the database ``using``.

    On PostgreSQL the values travel as one array (``= ANY(%s)``): a chunk of 2,000 ids is one
    parameter, the statement text stays the same for every chunk, and Django compiles no 2,000
    placeholders. Elsewhere (SQLite) it is the usual ``IN (...)``."""
    values = list(values)
    if connections[using].vendor != "postgresql":
        return Q(**{f"{field}__in": values})
    return Q(AnyOf(F(field), Value(values, output_field=Field())))


def filter_in(queryset: QuerySet | Manager, field: str, values: Iterable[Any]) -> QuerySet:
    """``queryset`` restricted to rows whose ``field`` is one of ``values`` (``in_values``)."""
    return queryset.filter(in_values(field, values, queryset.db))


def for_update(queryset: QuerySet[M] | Manager[M]) -> QuerySet[M]:
    """The rows a write is about to change, locked until its transaction ends: every write takes its
    row locks through here (decision 39).

    ``FOR NO KEY UPDATE OF`` the queried table only: the rows of a ``select_related`` join stay
    unlocked, and the lock leaves other transactions' foreign-key checks (``FOR KEY SHARE``, taken at
    commit) free. Writes of one county all take the county's audit chain head; a write that held a
    plain ``FOR UPDATE`` on a unit or project row while waiting for the chain head deadlocked with a
    write that held the chain head while its new rows' keys waited for that row. Two writes of the
    same row still wait for each other. SQLite locks the whole database and ignores both clauses.
    """
    return queryset.select_for_update(of=("self",), no_key=True)
