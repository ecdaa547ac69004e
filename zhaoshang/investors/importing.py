"""Importing investors with their contacts from .xlsx: the investor export's own columns, read back.

A row names its investor by credit code (the natural key) where it has one, otherwise by owning unit
and name. Writes go through the investor services. A new investor that looks like one already on
file (investors/duplicates.py) is refused with the likely duplicates named, unless the upload says
to record such rows anyway. By default the import is all or nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.spreadsheets import (
    CellError,
    ImportResult,
    RecordSheet,
    RowProblem,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_text,
)
from zhaoshang.investors import services
from zhaoshang.investors.choices import InvestorKind, InvestorSize
from zhaoshang.investors.creditcode import normalise
from zhaoshang.investors.duplicates import likely_duplicates
from zhaoshang.investors.forms import editable_units
from zhaoshang.investors.models import Investor
from zhaoshang.investors.tables import INVESTOR_TABLE
from zhaoshang.projects.importing import split_origin
from zhaoshang.units.lookup import UnitFinder

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

COLUMNS = INVESTOR_TABLE.export_columns()
REQUIRED_COLUMNS = ("name", "unit")
_PHONE = re.compile(r"^\+?[\d\-()（）\s]{7,}$")
_SEPARATORS = re.compile(r"[、;；\n]")


def parse_contacts(value: Any) -> list[services.ContactData]:
    """Contacts as the export writes them: "name position phone e-mail", separated by 、. Within one,
    a word with @ is the e-mail, a run of digits the phone, the first word the name, the rest the
    position."""
    contacts = []
    for part in _SEPARATORS.split(parse_text(value)):
        words = part.split()
        if not words:
            continue
        email = next((w for w in words[1:] if "@" in w), "")
        phone = next((w for w in words[1:] if _PHONE.match(w)), "")
        position = " ".join(w for w in words[1:] if w not in (email, phone))
        contacts.append(services.ContactData(name=words[0], position=position, phone=phone, email=email))
    return contacts


PARSERS = {
    "kind": lambda v: parse_choice(v, InvestorKind) or InvestorKind.ENTERPRISE,
    "size": lambda v: parse_choice(v, InvestorSize),
    "registered_capital": lambda v: parse_decimal(v, 4, 15),
    "next_follow_up_on": parse_date,
    "contacts": parse_contacts,
    "credit_code": lambda v: normalise(parse_text(v)),
}


def parse_cell(key: str, value: Any) -> Any:
    return PARSERS.get(key, parse_text)(value)


SHEET = RecordSheet(COLUMNS, REQUIRED_COLUMNS, parse_cell)


class InvestorImporter:
    def __init__(self, user: User, positions: dict[str, int], allow_duplicates: bool) -> None:
        self.user = user
        self.positions = positions
        self.allow_duplicates = allow_duplicates
        self.units = UnitFinder(user, editable_units(user, Action.IMPORT))
        self.seen: dict[str, int] = {}

    def __call__(self, number: int, cells: list[Any]) -> str:
        values = SHEET.parse_row(self.positions, cells)
        try:
            unit = self.units(values["unit"])
        except CellError as error:
            raise RowProblem([(str(SHEET.labels["unit"]), str(error), values["unit"])]) from error
        key = values.get("credit_code") or f"{unit.pk}:{values['name']}"
        if key in self.seen:
            raise RowProblem([("", _("This investor is already on row %(row)s.") % {"row": self.seen[key]})])
        data = self.fields(values, unit)
        # An empty contacts cell says nothing about the contacts: they stay as they are (None).
        contacts = values.get("contacts") or None
        investor = self.existing(values, unit)
        try:
            if investor is None:
                self.refuse_duplicates(data, contacts or [])
                services.create_investor(by=self.user, data=data, contacts=contacts or [])
                outcome = "created"
            else:
                before = services.investor_snapshot(investor)
                investor = services.update_investor(investor, by=self.user, data=data, contacts=contacts)
                outcome = "unchanged" if services.investor_snapshot(investor) == before else "updated"
        except ValidationError as error:
            raise RowProblem(SHEET.service_errors(error)) from error
        except OutOfScope as error:
            raise RowProblem([(str(SHEET.labels["unit"]), str(error))]) from error
        self.seen[key] = number
        return outcome

    def fields(self, values: dict[str, Any], unit: Any) -> dict[str, Any]:
        data = {k: values[k] for k in services.INVESTOR_FIELDS if k in values and k != "unit"}
        data["unit"] = unit
        if "origin" in values:
            data["origin_country"], data["origin_province"], data["origin_city"] = split_origin(
                values["origin"]
            )
        return data

    def existing(self, values: dict[str, Any], unit: Any) -> Investor | None:
        """By credit code among the investors the user may edit; else by unit and name."""
        editable = Investor.objects.visible_to(self.user, Action.EDIT)
        if values.get("credit_code"):
            same = editable.filter(credit_code=values["credit_code"])
            found = same.filter(unit=unit).first() or same.order_by("pk").first()
            if found is not None:
                return found
        return editable.filter(unit=unit, name=values["name"]).first()

    def refuse_duplicates(self, data: dict[str, Any], contacts: list[services.ContactData]) -> None:
        if self.allow_duplicates:
            return
        matches = likely_duplicates(
            Investor.objects.visible_to(self.user),
            name=data["name"],
            credit_code=data.get("credit_code", ""),
            phones=[c.phone for c in contacts],
            emails=[c.email for c in contacts],
        )
        if matches:
            names = "、".join(f"{m.investor.name}（{m.reason}）" for m in matches[:5])
            raise RowProblem(
                [(str(SHEET.labels["name"]), _("Likely a duplicate of: %(names)s.") % {"names": names})]
            )


def import_investors(
    user: User, upload: Any, keep_valid: bool = False, allow_duplicates: bool = False
) -> ImportResult:
    """Import an investor sheet as ``user``: all rows or none, unless ``keep_valid``."""
    if not scope_roots(user, Action.IMPORT, on=ObjectType.INVESTOR):
        return ImportResult().refuse_file(_("You may not import investors."))
    return SHEET.run(
        upload, lambda positions: InvestorImporter(user, positions, allow_duplicates), keep_valid=keep_valid
    )
