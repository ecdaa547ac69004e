"""Importing the unit tree from .xlsx: the unit export's own columns, read back row by row.

A row names its unit by unit code and its parent by parent code. Rows are processed in file order,
so a parent may be a unit created higher up in the same file (the export lists parents first).
Writes go through the unit services; by default the import is all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.spreadsheets import (
    CellError,
    ImportResult,
    RecordSheet,
    RowProblem,
    normalize_label,
    parse_choice,
    parse_decimal,
    parse_text,
)
from zhaoshang.units import services
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.lookup import UnitFinder
from zhaoshang.units.models import Unit
from zhaoshang.units.tables import UNIT_TABLE

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

COLUMNS = UNIT_TABLE.export_columns()
REQUIRED_COLUMNS = ("code", "name", "kind")
# Yes and no as the export writes them (in any language), and as people type them.
_YES = {"yes", "是", "y", "true", "1", "✓"}
_NO = {"no", "否", "n", "false", "0", "✗"}


def parse_flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = normalize_label(parse_text(value))
    yes, no = set(_YES), set(_NO)
    for language, _name in settings.LANGUAGES:
        with override(language):
            yes.add(normalize_label(_("yes")))
            no.add(normalize_label(_("no")))
    if text in yes:
        return True
    if text in no:
        return False
    raise CellError(_("Write yes or no."))


def parse_sort_order(value: Any) -> int:
    """A whole number, which may be negative (to put a unit first)."""
    text = parse_text(value)
    negative = text.startswith("-")
    number = parse_decimal(text.removeprefix("-"), 0, 9)
    if number is None:
        return 0
    return -int(number) if negative else int(number)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "kind": lambda v: parse_choice(v, UnitKind),
    "sort_order": parse_sort_order,
    "is_active": parse_flag,
}


def parse_cell(key: str, value: Any) -> Any:
    return PARSERS.get(key, parse_text)(value)


# A service speaks of the parent; the sheet names it by the parent code.
SHEET = RecordSheet(COLUMNS, REQUIRED_COLUMNS, parse_cell, field_columns={"parent": "parent_code"})


class UnitImporter:
    """Resolves parents within what the user may configure, then writes through the services."""

    def __init__(self, user: User, positions: dict[str, int]) -> None:
        self.user = user
        self.positions = positions
        self.seen: dict[str, int] = {}

    def __call__(self, number: int, cells: list[Any]) -> str:
        values = SHEET.parse_row(self.positions, cells)
        code = values["code"]
        if code in self.seen:
            raise RowProblem(
                [
                    (
                        str(SHEET.labels["code"]),
                        _("This unit is already on row %(row)s.") % {"row": self.seen[code]},
                    )
                ]
            )
        configurable = Unit.objects.visible_to(self.user, Action.CONFIGURE)
        unit = configurable.filter(code=code).first()
        parent = self.parent(values, unit, configurable)
        fields: dict[str, Any] = {
            k: values[k] for k in ("kind", "name", "short_name", "sort_order") if k in values
        }
        if values.get("is_active") is not None:
            fields["is_active"] = values["is_active"]
        try:
            outcome = self.write(unit, parent, code, fields)
        except ValidationError as error:
            raise RowProblem(SHEET.service_errors(error)) from error
        except OutOfScope as error:
            raise RowProblem([(str(SHEET.labels["parent_code"]), str(error))]) from error
        self.seen[code] = number
        return outcome

    def parent(self, values: dict[str, Any], unit: Unit | None, configurable: Any) -> Unit | None:
        """The parent by code (or, without one, by name) among units the user may configure. The
        unit's own current parent counts too, so that an unchanged top unit imports unchanged."""
        code, name = values.get("parent_code", ""), values.get("parent", "")
        if not code and not name:
            return None
        current = unit.parent if unit is not None and unit.parent_id else None
        if current is not None and (code == current.code or (not code and name == current.name)):
            return current
        key = "parent_code" if code else "parent"
        try:
            return UnitFinder(self.user, configurable)(code or name)
        except CellError as error:
            raise RowProblem([(str(SHEET.labels[key]), str(error), code or name)]) from error

    def write(self, unit: Unit | None, parent: Unit | None, code: str, fields: dict[str, Any]) -> str:
        if unit is None:
            services.create_unit(by=self.user, parent=parent, code=code, **fields)
            return "created"
        same_parent = (parent.pk if parent else None) == unit.parent_id
        if same_parent and all(getattr(unit, k) == v for k, v in fields.items()):
            return "unchanged"
        services.update_unit(unit, by=self.user, parent=parent, **fields)
        return "updated"


def import_units(user: Any, upload: Any, keep_valid: bool = False) -> ImportResult:
    """Import a unit sheet as ``user``: all rows or none, unless ``keep_valid``."""
    if not scope_roots(user, Action.CONFIGURE, on=ObjectType.UNIT):
        return ImportResult().refuse_file(_("You may not import units."))
    return SHEET.run(upload, lambda positions: UnitImporter(user, positions), keep_valid=keep_valid)
