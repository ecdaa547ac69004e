"""Finding the unit a spreadsheet cell names: one rule for every import (projects, investors,
units' parents, and any later one).

A cell names a unit by its code, its name or its short name, in Simplified or Traditional script,
anywhere in the subtree the import may write to (a village under the operator's own township is
found by its name alone). When nothing matches, the message says which names would be accepted;
when the unit is one the user may see but not import into, it says so, with the reason the caller
gives. A unit the user may not see is simply unknown: the message never tells that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from zhaoshang.core.chinese import script_variants, to_simplified
from zhaoshang.core.permissions import Action
from zhaoshang.core.spreadsheets import CellError

if TYPE_CHECKING:
    from zhaoshang.units.models import Unit, UnitQuerySet

# How many acceptable names a message lists before it says how many more there are.
SUGGESTIONS = 8


class UnitFinder:
    """``finder(text)`` is the unit among ``allowed`` that ``text`` names, or raises CellError.

    ``outside(unit)`` gives the reason a unit the user may see is not accepted here (by default,
    that it is outside the units the user may import into)."""

    def __init__(
        self, user: Any, allowed: UnitQuerySet, *, outside: Callable[[Unit], str] | None = None
    ) -> None:
        from zhaoshang.units.models import Unit

        self.user = user
        self.allowed = allowed
        self.visible = Unit.objects.visible_to(user, Action.VIEW)
        self.outside = outside
        self._found: dict[str, Unit] = {}  # thousands of rows name the same few units
        self._names: list[str] | None = None

    def __call__(self, text: str) -> Unit:
        if text in self._found:
            return self._found[text]
        names = script_variants(text)
        found = (
            list(self.allowed.filter(code=text)[:1])
            or list(self.allowed.filter(name__in=names)[:5])
            or list(self.allowed.filter(short_name__in=names)[:5])
        )
        if len(found) > 1:
            codes = "、".join(f"{u.code}（{u.name}）" for u in found)
            raise CellError(
                _("Several units have this name; write the unit code instead: %(codes)s.") % {"codes": codes}
            )
        if not found:
            raise CellError(self.refusal(text, names))
        self._found[text] = found[0]
        return found[0]

    def refusal(self, text: str, names: set[str] | list[str]) -> str:
        """Why ``text`` names no acceptable unit, with the names that would be accepted."""
        seen = (
            self.visible.filter(code=text).first()
            or self.visible.filter(name__in=names).first()
            or self.visible.filter(short_name__in=names).first()
        )
        accepted = self.suggestions(text)
        if seen is not None:
            reason = (
                self.outside(seen)
                if self.outside is not None
                else _("%(unit)s is outside the units you may import into.") % {"unit": seen.name}
            )
            return f"{reason} {accepted}"
        return _("No unit you may import into has this name or code.") + f" {accepted}"

    def suggestions(self, text: str) -> str:
        """The acceptable names most like ``text`` (sharing a character with it first)."""
        if self._names is None:
            self._names = list(self.allowed.order_by("path").values_list("name", flat=True))
        if not self._names:
            return _("You may import into no unit here.")
        wanted = set(to_simplified(text))
        alike = [n for n in self._names if wanted & set(to_simplified(n))]
        ordered = list(dict.fromkeys([*alike, *self._names]))
        shown = "、".join(ordered[:SUGGESTIONS])
        more = len(ordered) - SUGGESTIONS
        if more > 0:
            return _("Accepted: %(names)s and %(count)s more (by name or code).") % {
                "names": shown,
                "count": more,
            }
        return _("Accepted: %(names)s.") % {"names": shown}
