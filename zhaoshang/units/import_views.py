"""The unit import pages, built on the shared import views (core/import_views.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.import_views import ImportView, template_download
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.spreadsheets import choice_labels, template_workbook
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.importing import COLUMNS, REQUIRED_COLUMNS, import_units

HOW_TO: dict[str, Any] = {
    "name": gettext_lazy("The unit's full name."),
    "code": gettext_lazy(
        "The administrative division code, or a local code for departments and parks. A row with "
        "the code of an existing unit updates it."
    ),
    "kind": gettext_lazy("One of: %(kinds)s."),
    "parent_code": gettext_lazy(
        "The code of the unit above (required except for the top unit); it may be a unit created "
        "on an earlier row of the same file."
    ),
    "parent": gettext_lazy("The name of the unit above; only read when the parent code is empty."),
    "short_name": gettext_lazy("Optional short name."),
    "sort_order": gettext_lazy("A whole number; smaller numbers are listed first."),
    "is_active": gettext_lazy("yes or no; yes when empty."),
}


def unit_template() -> bytes:
    """The unit import template in the active language: the export's header, and instructions."""
    notes = [
        _("One unit per row on the first sheet, from the row below the header. Do not change the header."),
        _("List parents before their children."),
        _("If any row has an error nothing is imported, unless you choose to keep only the valid rows."),
    ]
    rows = [
        (
            str(c.label),
            _("yes") if c.key in REQUIRED_COLUMNS else "",
            str(HOW_TO[c.key]) % {"kinds": choice_labels(UnitKind)}
            if c.key == "kind"
            else str(HOW_TO[c.key]),
        )
        for c in COLUMNS
    ]
    return template_workbook(str(_("Units")), COLUMNS, notes, rows)


class UnitImportView(ImportView):
    action = Action.CONFIGURE
    object_type = ObjectType.UNIT
    template_name = "units/unit_import.html"
    importer = import_units


UnitImportTemplateView = template_download(
    UnitImportView, unit_template, gettext_lazy("unit-import-template")
)
