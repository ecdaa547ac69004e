"""The bulk write path shared by the scale generator and the bulk project import: rows of a model's
table given as tuples, written by COPY on PostgreSQL (psycopg 3 ``cursor.copy``) and by one
``executemany`` INSERT elsewhere (SQLite)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model


class Sink:
    """Writes rows of a model's table, given as tuples in the order of ``columns``."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows: dict[str, int] = defaultdict(int)
        self.models: dict[str, type[Model]] = {}

    def write(self, model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        table = model._meta.db_table
        self.models[table] = model
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        if self.postgres:
            with connection.cursor() as cursor:  # the psycopg 3 cursor underneath Django's
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
        else:
            batch = [tuple(_sqlite(v) for v in row) for row in rows]
            count = len(batch)
            marks = ", ".join("?" for _ in columns)
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)  # noqa: S608
        self.rows[table] += count


def _sqlite(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
