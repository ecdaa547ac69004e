"""Form widgets shared by the apps' forms and filter sets."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, with the value written as YYYY-MM-DD (the only format the
    ``type="date"`` input reads, whatever the interface language)."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)
