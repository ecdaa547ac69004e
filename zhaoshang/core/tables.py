"""Table definitions: one per object, deciding both the HTML list columns and the export columns."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils.functional import Promise

from zhaoshang.core.permissions import Action


@dataclass(frozen=True)
class Column:
    """One column of a list: its label, how to read the value, and the allowed sort field.

    ``cell(obj, value)``, when given, is the list page's HTML of the cell (safe, built with
    ``format_html``) for a column that shows more than its value, a badge for instance; a ``link``
    column links the value to the object's page; other cells show the value (``zs.cellvalue``)."""

    key: str
    label: str | Promise
    value: Callable[[Any], Any]
    order_by: str | None = None
    link: bool = False
    export: bool = True
    html: bool = True
    number_format: str | None = None
    cell: Callable[[Any, Any], str] | None = None
    # Labels the column had before (e.g. before its unit was added): imports still read them, so
    # a file exported earlier imports back (core/spreadsheets.py label_index).
    former_labels: tuple[str | Promise, ...] = ()


# An amount in 10,000 of the record's currency (万元 or 万美元), shown with 2 to 4 decimals.
AMOUNT_FORMAT = "#,##0.00##"


def amount_column(
    key: str, label: str | Promise, *, sortable: bool = True, former_labels: tuple[str | Promise, ...] = ()
) -> Column:
    """The column of the amount attribute ``key`` (``AMOUNT_FORMAT``), sorted by it if ``sortable``."""
    return Column(
        key,
        label,
        operator.attrgetter(key),
        order_by=key if sortable else None,
        number_format=AMOUNT_FORMAT,
        former_labels=former_labels,
    )


def light_cell(obj: Any, value: Any) -> str:
    """The cell of a deadline light column: the row's light (``obj.light()``) as its badge."""
    return render_to_string("includes/light.html", {"light": obj.light()})


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    default_order: str = "-id"
    extra_orderings: dict[str, str] = field(default_factory=dict)

    def html_columns(self) -> list[Column]:
        return [c for c in self.columns if c.html]

    def export_columns(self) -> list[Column]:
        return [c for c in self.columns if c.export]

    def orderings(self) -> dict[str, str]:
        """The allow-list of sort keys accepted from the query string, mapped to ORM fields."""
        allowed = {c.key: c.order_by for c in self.columns if c.order_by}
        allowed.update(self.extra_orderings)
        return allowed

    def order(self, queryset: Any, requested: str | None) -> tuple[Any, str]:
        """Order by an allowed key ("key" or "-key"); anything else falls back to the default."""
        allowed = self.orderings()
        key = (requested or "").strip()
        bare = key.removeprefix("-")
        if bare not in allowed:
            return queryset.order_by(self.default_order, "-pk"), ""
        prefix = "-" if key.startswith("-") else ""
        return queryset.order_by(f"{prefix}{allowed[bare]}", "-pk"), key

    def row(self, obj: Any) -> list[tuple[Column, Any]]:
        """The HTML cells of one object, each with its column."""
        return [(c, c.value(obj)) for c in self.html_columns()]


def _as_is(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset


@dataclass(frozen=True)
class ListSource:
    """One list of records, read the same way by its page (core/views.ObjectListView), its
    export (ObjectExportView) and its API operation (core/api.list_operation): the model's rows
    the user may see (``visible_to(user, action)``), the filter set, the table (its sort keys;
    ``ordering`` for a list without one), and ``decorate`` (``select_related``/``prefetch_related``
    for what the rows show, so that a page costs a fixed number of queries; it is given the user,
    for prefetches that are scoped themselves)."""

    model: type[Model]
    filterset_class: type | None = None
    table: Table | None = None
    ordering: tuple[str, ...] = ()
    decorate: Callable[[QuerySet, Any], QuerySet] = _as_is
    action: str = Action.VIEW

    def visible(self, user: Any, action: str | None = None) -> QuerySet:
        manager: Any = self.model._default_manager
        return manager.visible_to(user, action or self.action)

    def order(self, queryset: QuerySet, sort: str | None) -> tuple[QuerySet, str]:
        """Sorted by ``sort`` (a sort key of the table, "-" first for descending), with the sort
        key applied."""
        if self.table is not None:
            return self.table.order(queryset, sort)
        return (queryset.order_by(*self.ordering) if self.ordering else queryset), ""
