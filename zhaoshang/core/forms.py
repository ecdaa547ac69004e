"""Helpers for the forms of the domain apps."""

from __future__ import annotations

from typing import TypeVar

from django import forms

F = TypeVar("F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field ``name``, known to be a ``kind`` (a ModelChoiceField whose queryset a form
    narrows to the user's reach, a ChoiceField whose choices it sets): ``form.fields`` is typed as
    holding plain Fields, so this is how the type checker learns what the class declared."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
