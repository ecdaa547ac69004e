"""Table definitions: one per object, deciding both the HTML list columns and the export columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise


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
