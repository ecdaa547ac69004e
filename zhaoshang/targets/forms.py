"""Forms of the target pages: the decomposition grid, one unit's targets with notes, the copy action."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.ledger.models import Indicator
from zhaoshang.targets.grid import Grid
from zhaoshang.targets.models import DECIMAL_PLACES, MAX_DIGITS
from zhaoshang.targets.services import NOTE_LENGTH
from zhaoshang.units.models import Unit


def cell_name(unit: Unit, indicator: Indicator) -> str:
    """The name of one grid input: t-<unit id>-<indicator code>."""
    return f"t-{unit.pk}-{indicator.code}"


def plain(value: Decimal | None) -> str:
    """A value as an input shows it: exact, without grouping or trailing zeros."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


class TargetValueField(forms.DecimalField):
    """A target typed as people type it: 12,345.6 or full-width digits are read as 12345.6."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm num"}),
        )
        super().__init__(min_value=Decimal(0), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)

    # django-stubs types DecimalField.to_python the same way, ignoring the same IntegerField override.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "").strip()
        return super().to_python(value)


class GridForm(forms.Form):
    """One input per editable cell of the grid, and the stamp of the values the page showed."""

    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, grid: Grid, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                cell_name(row.unit, ind): plain(row.value(ind))
                for row in grid.rows
                if row.editable
                for ind in grid.indicators
            }
            | {"stamp": grid.stamp()},
        )
        super().__init__(*args, **kwargs)
        self.grid = grid
        for row in grid.rows:
            if not row.editable:
                continue
            for indicator in grid.indicators:
                field = TargetValueField(label=f"{row.unit} · {indicator}")
                field.widget.attrs["aria-label"] = str(field.label)
                self.fields[cell_name(row.unit, indicator)] = field

    def values(self) -> dict[Unit, dict[Indicator, Decimal | None]]:
        """The posted values of each editable row; an empty cell removes the target."""
        return {
            row.unit: {ind: self.cleaned_data.get(cell_name(row.unit, ind)) for ind in self.grid.indicators}
            for row in self.grid.rows
            if row.editable
        }


class UnitTargetsForm(forms.Form):
    """One unit's targets with their notes (the notes appear in the agreement's 备注 column)."""

    def __init__(self, *args: Any, grid: Grid, **kwargs: Any) -> None:
        own = grid.own
        initial = {}
        for ind in grid.indicators:
            target = own.targets.get(ind.pk)
            initial[f"v-{ind.code}"] = plain(target.value if target else None)
            initial[f"n-{ind.code}"] = target.note if target else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.indicators = grid.indicators
        for ind in grid.indicators:
            value = TargetValueField(label=str(ind))
            value.widget.attrs["aria-label"] = f"{ind} · {_('target')}"
            note = forms.CharField(label=_("note"), max_length=NOTE_LENGTH, required=False)
            note.widget.attrs.update(
                {"class": "form-control form-control-sm", "aria-label": f"{ind} · {_('note')}"}
            )
            self.fields[f"v-{ind.code}"] = value
            self.fields[f"n-{ind.code}"] = note

    def rows(self) -> list[tuple[Indicator, Any, Any]]:
        return [(ind, self[f"v-{ind.code}"], self[f"n-{ind.code}"]) for ind in self.indicators]

    def values(self) -> tuple[dict[Indicator, Decimal | None], dict[Indicator, str]]:
        values = {ind: self.cleaned_data.get(f"v-{ind.code}") for ind in self.indicators}
        notes = {ind: self.cleaned_data.get(f"n-{ind.code}", "") for ind in self.indicators}
        return values, notes


class CopyForm(forms.Form):
    overwrite = forms.BooleanField(
        label=_("Overwrite targets already set this year"),
        required=False,
    )
