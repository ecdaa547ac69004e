"""The bulk write path shared by the scale generator and the bulk project import: rows of a model's
table given as tuples, written by COPY on PostgreSQL (psycopg 3 ``cursor.copy``) and by one
``executemany`` INSERT elsewhere (SQLite).

``insert_objects`` and ``insert_rows`` put Django's meaning on top: the values sent are those
``bulk_create`` would send, from model instances or from plain dicts of field values (the cheaper
form: building a model instance costs more than the rest of a row's work).
"""

from __future__ import annotations

import datetime as dt
import operator
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.db.models import DateField, DateTimeField, Field, JSONField, Model, TimeField
from django.utils import timezone

# Values COPY sends as they are: ``get_db_prep_save`` returns them unchanged, at ten times the cost.
_PLAIN = frozenset({str, int, bool, Decimal, dt.date, type(None)})


class Sink:
    """Writes rows of a model's table, given as tuples in the order of ``columns``.

    With ``background=True`` (PostgreSQL only) each ``write`` hands its rows to a writer thread and
    returns: the caller makes the next rows while the thread sends these and PostgreSQL stores them
    (the generator's Python and the server then use both cores, not one after the other). The
    thread copies on the same connection, so in the same transaction; psycopg's connection lock
    makes any query of the caller wait until a copy is done. ``close`` waits for every write and
    raises a writer's error; until it is called, rows may not be in the table yet."""

    def __init__(self, background: bool = False) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.rows: dict[str, int] = defaultdict(int)
        self.models: dict[str, type[Model]] = {}
        self._queue: queue.Queue[tuple[str, list[tuple[Any, ...]]] | None] | None = None
        self._failure: BaseException | None = None
        if background and self.postgres:
            connection.ensure_connection()
            self._queue = queue.Queue(maxsize=2)  # at most two batches wait: memory stays bounded
            self._thread = threading.Thread(
                target=self._drain, args=(connection.connection,), name="bulk-sink", daemon=True
            )
            self._thread.start()

    def write(self, model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        table = model._meta.db_table
        self.models[table] = model
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = f"COPY {table} ({cols}) FROM STDIN"
        if self._queue is not None:
            self._raise_failure()
            batch = rows if isinstance(rows, list) else list(rows)
            self._queue.put((sql, batch))
            self.rows[table] += len(batch)
            return
        count = 0
        if self.postgres:
            with connection.cursor() as cursor:  # the psycopg 3 cursor underneath Django's
                count = _copy(cursor.cursor, sql, rows)
        else:
            batch = [tuple(_sqlite(v) for v in row) for row in rows]
            count = len(batch)
            marks = ", ".join("?" for _ in columns)
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)  # noqa: S608
        self.rows[table] += count

    def close(self) -> None:
        """Wait until every row handed over is written; raise the writer's error if one failed."""
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        self._raise_failure()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise RuntimeError("a background COPY failed") from failure

    def _drain(self, raw: Any) -> None:
        assert self._queue is not None
        while (item := self._queue.get()) is not None:
            if self._failure is None:  # after a failure the rest is dropped; close() raises it
                try:
                    with raw.cursor() as cursor:
                        _copy(cursor, *item)
                except BaseException as error:  # handed to the caller by close()
                    self._failure = error


def _copy(cursor: Any, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """COPY ``rows`` through a psycopg cursor; the database's errors are raised as Django's
    (``IntegrityError`` …), as ``bulk_create`` raises them."""
    count = 0
    with connection.wrap_database_errors, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _sqlite(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _copy_rows(fields: Sequence[Field], rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """Each row's values as COPY takes them. Plain values go as they are (``get_db_prep_save``
    returns them unchanged, at ten times the cost); anything else (JSON, naive datetimes, files) is
    prepared by its field; a str in a JSONField is a JSON string, so JSON is always prepared."""
    json = [isinstance(f, JSONField) for f in fields]
    for values in rows:
        yield tuple(
            [
                v
                if not j and (type(v) in _PLAIN or (type(v) is dt.datetime and v.tzinfo is not None))
                else f.get_db_prep_save(v, connection)
                for f, j, v in zip(fields, json, values, strict=True)
            ]
        )  # a list first: a generator inside tuple() costs a third more


def tuple_getter(names: Sequence[str], get: Callable[..., Any]) -> Callable[[Any], tuple[Any, ...]]:
    """``operator.attrgetter``/``itemgetter`` of ``names`` that always returns a tuple (of one
    value too); reads every value of a row in one C call."""
    one = get(*names)
    return one if len(names) > 1 else lambda obj: (one(obj),)


def _computes(field: Field) -> bool:
    """Whether the field's ``pre_save`` computes the value (``auto_now``, files) rather than read it."""
    if isinstance(field, DateField | TimeField) and not (field.auto_now or field.auto_now_add):
        return False
    return type(field).pre_save is not Field.pre_save


def _columns(fields: Iterable[Field]) -> list[str]:
    # A concrete field always has its column; only the stubs' Field allows None.
    return [cast(str, f.column) for f in fields]


def insert_objects(model: type[Model], objects: Sequence[Model]) -> None:
    """INSERT unsaved ``objects`` of ``model``: by COPY on PostgreSQL, by ``bulk_create`` elsewhere.
    Each value is what ``bulk_create`` would send (``pre_save`` then ``get_db_prep_save``); primary
    keys left unset come from the table's sequence and are not read back."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects)
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(objects[0], f.attname) is None)
    ]
    read = tuple_getter([f.attname for f in fields], operator.attrgetter)
    computed = [(n, f) for n, f in enumerate(fields) if _computes(f)]

    def values(obj: Model) -> Sequence[Any]:
        if not computed:
            return read(obj)
        row = list(read(obj))
        for n, f in computed:
            row[n] = f.pre_save(obj, True)
        return row

    Sink().write(model, _columns(fields), _copy_rows(fields, map(values, objects)))


def insert_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` of ``model``, each a dict of field attnames (``project_id``) to values, all
    with the same keys; the other fields take their defaults, ``auto_now``/``auto_now_add`` fields
    the time of the call, and a primary key not given comes from the table's sequence. The same
    values as ``bulk_create`` of ``model(**row)``, which is the path on SQLite."""
    if not rows:
        return
    given = rows[0].keys()
    now = timezone.now()
    fields: list[Field] = []
    constant: dict[Field, Any] = {}
    for f in model._meta.concrete_fields:
        if f.attname in given:
            fields.append(f)
        elif isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add):
            constant[f] = now
        elif not f.primary_key:
            if (f.has_default() and callable(f.default)) or _computes(f):
                raise ValueError(f"insert_rows: give {model.__name__}.{f.attname}, its value is computed")
            constant[f] = f.get_default()
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows])
        return
    read = tuple_getter([f.attname for f in fields], operator.itemgetter)
    fixed = tuple(constant.values())
    Sink().write(
        model,
        _columns([*fields, *constant]),
        _copy_rows([*fields, *constant], (read(row) + fixed for row in rows)),
    )
