"""How the history tab shows a snapshot value to a person: words, not codes.

Snapshots keep what the database keeps (choice codes, foreign keys as ids, decimals with four
places, related rows as lists) so that the hash chain is exact. A person reads choices by their
label, amounts grouped and without trailing zeros, linked records by name, lists joined, yes or no.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from zhaoshang.core.templatetags.zs import cellvalue

EMPTY = "—"
JOIN = "、"


def audit_label(model: type[models.Model] | models.Model) -> str:
    """The object type an audit entry gives a record of ``model``: its label ("projects.project"),
    or, for a model renamed after its trail began, the label it had then (its ``audit_label``).
    Entries are hash-chained and never rewritten, so a rename must not change what new entries
    say, or a record's history would split between two names."""
    return getattr(model, "audit_label", None) or model._meta.label_lower


@functools.cache
def model_of(object_type: str) -> type[models.Model] | None:
    """The model an entry's object type names (``audit_label``)."""
    for model in apps.get_models():
        if audit_label(model) == object_type:
            return model
    return None


def field_of(model: type[models.Model] | None, key: str) -> Any:
    """The field or relation a snapshot key names (its name or attname), or None."""
    if model is None:
        return None
    for field in model._meta.get_fields():
        if key in (field.name, getattr(field, "attname", None)):
            return field
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _names(model: Any, ids: list[Any]) -> dict[str, str]:
    """The names of the records with these ids, by id as text (a deleted one keeps its number)."""
    found = {str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
    return {str(pk): found.get(str(pk), f"#{pk}") for pk in ids}


def _amount(value: Any) -> str:
    try:
        return cellvalue(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        if any(isinstance(v, list | tuple) for v in value):  # rows, e.g. stewards: one per person
            return JOIN.join(p for p in (_plain(v) for v in value) if p)
        return " ".join(str(v) for v in value if v not in (None, ""))  # one row's parts
    return str(value)


def display(object_type: str, key: str, value: Any) -> str:
    """``value`` of the snapshot key ``key`` of a record of ``object_type``, as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    field = field_of(model_of(object_type), key)
    related = getattr(field, "related_model", None)
    if field is not None and getattr(field, "choices", None):
        labels = {str(code): str(label) for code, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(field, models.BooleanField):
        return _plain(bool(value))
    if isinstance(field, models.DecimalField):
        return _amount(value)
    if related is not None and field.many_to_many and isinstance(value, list):
        return JOIN.join(_names(related, value).values())
    if related is not None and field.many_to_one and not isinstance(value, list | dict):
        return _names(related, [value])[str(value)]
    if isinstance(value, dict):
        # Shares by unit (a project's credits): {unit id: percent}.
        owner = field_of(related, "unit") if related is not None else None
        names = _names(owner.related_model, list(value)) if owner is not None else {k: k for k in value}
        return JOIN.join(f"{names[str(k)]} {_amount(v)}%" for k, v in value.items())
    return _plain(value)
