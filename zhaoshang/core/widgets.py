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
