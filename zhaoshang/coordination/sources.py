"""Where a request was raised from, in words and as a link.

A request keeps its origin as ``<kind>:<id>`` (``CoordinationRequest.source``, e.g.
``dispatch-report:52``): coordination does not import the apps that raise requests. Each of them
tells it, at start-up, how to name and link its records (dispatch in its ``apps.ready``); a page
shows ``describe(source)``, never the stored code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Source:
    label: str
    url: str = ""


# kind → (record id → its label and URL, or None when the record is gone)
Describer = Callable[[int], Source | None]
_describers: dict[str, tuple[Promise | str, Describer]] = {}


def describe_with(kind: str, name: Promise | str, describer: Describer) -> None:
    """Tell coordination how to name the records of ``kind`` that raise requests: ``name`` is the
    kind in words (for lists and exports, without a query per row), ``describer`` one record."""
    _describers[kind] = (name, describer)


def short(source: str) -> str:
    """A stored source in words without reading its record: "progress report #52"."""
    if not source:
        return ""
    kind, _sep, ident = source.partition(":")
    if kind in _describers and ident.isdigit():
        return _("%(kind)s #%(id)s") % {"kind": _describers[kind][0], "id": ident}
    found = describe(source)
    return found.label if found is not None else ""


def describe(source: str) -> Source | None:
    """The words and link for a stored source; None for a request raised by hand."""
    if not source:
        return None
    if source == "demo":
        return Source(_("demo data"))
    kind, _sep, ident = source.partition(":")
    if kind in _describers and ident.isdigit():
        found = _describers[kind][1](int(ident))
        return found if found is not None else Source(_("a record since deleted"))
    return Source(_("another record (%(source)s)") % {"source": source})
