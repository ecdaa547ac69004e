"""Small query helpers shared by the bulk paths (exports, imports, loaders)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import F, Field, Lookup, QuerySet, Value


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the values as one array parameter (PostgreSQL only)."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs.value)]

    def get_prep_lookup(self) -> Any:
        return self.rhs  # a Value holding the list; process_rhs would adapt it as one scalar


def filter_in(queryset: QuerySet, field: str, values: Iterable[Any]) -> QuerySet:
    """``queryset`` restricted to rows whose ``field`` is one of ``values``.

    On PostgreSQL the values travel as one array (``= ANY(%s)``): a chunk of 2,000 ids is one
    parameter, the statement text stays the same for every chunk, and Django compiles no 2,000
    placeholders. Elsewhere (SQLite) it is the usual ``IN (...)``."""
    values = list(values)
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": values})
    return queryset.filter(AnyOf(F(field), Value(values, output_field=Field())))
