"""Form widgets shared by the apps' forms and filter sets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, with the value written as YYYY-MM-DD (the only format the
    ``type="date"`` input reads, whatever the interface language)."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AmountInput(forms.NumberInput):
    """A number input that shows a stored amount as people write it: 350, not 350.0000 (amounts
    are kept with four places). The widget of every form DecimalField (``core.apps``)."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal) and value.is_finite():
            value = format(value.normalize(), "f")
        return super().format_value(value)


# A select of more options than this, given a ``url``, renders only its chosen options and asks the
# url for the others as the user types: a county's investors may be thousands.
REMOTE_AT = 300


class _Searchable:
    """A select that static/zhaoshang/selects.js makes searchable (Tom Select): ``data-search``;
    with ``url`` (a URL name of a ``core.views.OptionsView``) and more than ``REMOTE_AT`` options,
    only the chosen options are in the page and the rest come from the url."""

    choices: Any

    def __init__(self, attrs: dict[str, Any] | None = None, url: str = "", query: str = "") -> None:
        super().__init__({**(attrs or {}), "data-search": ""})  # type: ignore[call-arg]
        self.url, self.query = url, query

    def remote(self) -> bool:
        queryset = getattr(self.choices, "queryset", None)
        return bool(self.url) and queryset is not None and queryset.count() > REMOTE_AT

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if not self.remote():
            return super().get_context(name, value, attrs)  # type: ignore[misc]
        from django.urls import reverse

        everything = self.choices
        chosen = [v for v in self.format_value(value) if v]  # type: ignore[attr-defined]
        field = everything.field
        empty = [("", field.empty_label)] if getattr(field, "empty_label", None) is not None else []
        rows = everything.queryset.filter(pk__in=chosen)
        self.choices = [*empty, *((row.pk, field.label_from_instance(row)) for row in rows)]
        try:
            url = reverse(self.url) + (f"?{self.query}" if self.query else "")
            attrs = {**(attrs or {}), "data-search-url": url}
            return super().get_context(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = everything


class SearchSelect(_Searchable, forms.Select):
    pass


class SearchSelectMultiple(_Searchable, forms.SelectMultiple):
    """Chosen by clicking (no Ctrl-click), each choice removable by its ×."""
