"""Importing quarterly returns from .xlsx: the return export's own columns, read back.

A row names its enterprise by credit code (the natural key) among those the user may edit, and its
quarter by year and quarter; it is written through ``services.record_return``, so an import checks
exactly what the page checks. All rows or none, unless the upload says to keep the valid ones; the
row errors are the services' messages, in the interface language (Chinese)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.spreadsheets import (
    ImportResult,
    RecordSheet,
    RowProblem,
    parse_decimal,
    parse_int,
    parse_text,
    run_rows,
    template_workbook,
)
from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tables import RETURN_TABLE
from zhaoshang.investors.creditcode import normalise

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

COLUMNS = RETURN_TABLE.export_columns()
LABELS = {c.key: str(c.label) for c in COLUMNS}
REQUIRED_COLUMNS = ("credit_code", "year", "quarter", "output", "sales", "tax", "jobs")
# Zero is a figure (no tax paid this quarter), so these cells are checked for being empty, not false.
FIGURES = ("output", "sales", "tax", "jobs")

PARSERS = {
    "credit_code": lambda v: normalise(parse_text(v)),
    "year": lambda v: parse_int(v, 4),
    "quarter": lambda v: parse_int(v, 1),
    "output": lambda v: parse_decimal(v, 4, 15),
    "sales": lambda v: parse_decimal(v, 4, 15),
    "tax": lambda v: parse_decimal(v, 4, 15),
    "jobs": lambda v: parse_int(v, 9),
    "energy": lambda v: parse_decimal(v, 2, 14),
}


def parse_cell(key: str, value: Any) -> Any:
    return PARSERS.get(key, parse_text)(value)


SHEET = RecordSheet(
    COLUMNS, ("credit_code", "year", "quarter"), parse_cell, field_columns={"enterprise": "credit_code"}
)


class ReturnImporter:
    def __init__(self, user: User, positions: dict[str, int]) -> None:
        self.user = user
        self.positions = positions
        self.enterprises = Enterprise.objects.visible_to(user, Action.EDIT)
        self.seen: dict[tuple[str, int, int], int] = {}

    def __call__(self, number: int, cells: list[Any]) -> str:
        values = SHEET.parse_row(self.positions, cells)
        empty = [(LABELS[k], _("This cell is required.")) for k in FIGURES if values.get(k) is None]
        if empty:
            raise RowProblem(empty)
        code = values["credit_code"]
        enterprise = self.enterprises.filter(credit_code=code).first()
        if enterprise is None:
            raise RowProblem(
                [
                    (
                        LABELS["credit_code"],
                        _("No enterprise of yours has the credit code “%(code)s”.") % {"code": code},
                        code,
                    )
                ]
            )
        key = (code, values["year"], values["quarter"])
        if key in self.seen:
            raise RowProblem(
                [
                    (
                        "",
                        _("This quarter of this enterprise is already on row %(row)s.")
                        % {"row": self.seen[key]},
                    )
                ]
            )
        try:
            _record, outcome = services.record_return(
                enterprise,
                by=self.user,
                year=values["year"],
                quarter=values["quarter"],
                output=values["output"],
                sales=values["sales"],
                tax=values["tax"],
                jobs=values["jobs"],
                energy=values.get("energy"),
            )
        except ValidationError as error:
            raise RowProblem(SHEET.service_errors(error)) from error
        except OutOfScope as error:
            raise RowProblem([(LABELS["credit_code"], str(error))]) from error
        self.seen[key] = number
        return outcome


def import_returns(user: User, upload: Any, keep_valid: bool = False) -> ImportResult:
    """Import a sheet of quarterly returns as ``user``: all rows or none, unless ``keep_valid``."""
    if not scope_roots(user, Action.IMPORT, on=ObjectType.PROJECT):
        return ImportResult().refuse_file(_("You may not import quarterly returns."))
    opened = SHEET.open(upload)
    if isinstance(opened, ImportResult):
        return opened
    sheet, positions = opened
    missing = [LABELS[k] for k in REQUIRED_COLUMNS if k not in positions]
    if missing:
        result = ImportResult()
        for label in missing:
            result.refuse_file(_("The column “%(column)s” is missing.") % {"column": label})
        return result
    return run_rows(sheet.rows, ReturnImporter(user, positions), keep_valid=keep_valid)


def return_template() -> bytes:
    notes = [
        _("One quarterly return per row on the first sheet, below the header. Do not change the header."),
        _("A row names its enterprise by its unified social credit code."),
        _(
            "A return not yet verified is replaced by the row for the same quarter; "
            "a verified one cannot be changed."
        ),
        _("If any row has an error nothing is imported, unless you choose to keep only the valid rows."),
    ]
    how = {
        "credit_code": _("18 characters, as registered."),
        "year": _("The year, e.g. 2025."),
        "quarter": _("1, 2, 3 or 4."),
        "output": _("In 万元, at most 4 decimals."),
        "sales": _("In 万元, at most 4 decimals."),
        "tax": _("In 万元, at most 4 decimals; 0 when no tax was paid."),
        "jobs": _("People employed at the end of the quarter."),
        "energy": _("Tonnes of standard coal equivalent; may be left empty."),
    }
    rows = [
        (LABELS[c.key], _("yes") if c.key in REQUIRED_COLUMNS else "", str(how.get(c.key, _("Not read."))))
        for c in COLUMNS
    ]
    return template_workbook(str(_("Quarterly returns")), COLUMNS, notes, rows)
