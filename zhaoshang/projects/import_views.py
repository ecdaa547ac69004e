"""The project import pages, built on the shared import views (core/import_views.py): the
project template and its column instructions.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.import_views import ImportView, template_download
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.spreadsheets import choice_labels, template_workbook
from zhaoshang.projects.choices import Sector, Stage
from zhaoshang.projects.importing import COLUMNS, DATE_FIELDS, DECIMAL_FIELDS, import_projects

# --- the project template ---------------------------------------------------------------

_AMOUNT_HOW = gettext_lazy(
    "A number in 10,000 of the project's currency (万元 for CNY, 万美元 for USD), at most 4 decimals."
)
_DATE_HOW = gettext_lazy("A date, written as YYYY-MM-DD.")
HOW_TO: dict[str, Any] = {
    "code": gettext_lazy(
        "Leave empty for a new project (a code is given on import). With a code, the row updates "
        "that project; without one, it updates the project of the same location unit and name."
    ),
    "name": gettext_lazy("The project name."),
    "investors": gettext_lazy(
        "Investor names separated by 、. A name not yet known is recorded as a new investor."
    ),
    "origin": gettext_lazy(
        "Where new investors come from: a province and city (浙江温州) or a country or region "
        "(香港, 匈牙利); one for all new investors, or one per investor separated by 、."
    ),
    "unit": gettext_lazy("The township, department or park where the project is recorded: name or code."),
    "park": gettext_lazy("The park committee (name or code), if the project is in a park."),
    "stage": gettext_lazy(
        "A new project is recorded at this stage (Lead when empty); an existing project's stage "
        "changes only with the stage action. The label in any language, or the code: %(stages)s."
    ),
    "sector": gettext_lazy("Optional; derived from the industry when empty. One of: %(sectors)s."),
    "industry_section": gettext_lazy("The section letter of GB/T 4754, A to T (C for manufacturing)."),
    "currency": gettext_lazy("CNY (amounts in 万元) or USD (amounts in 万美元); CNY when empty."),
    "land_mu": gettext_lazy("A number of mu, at most 2 decimals."),
    "construction_area": gettext_lazy("A number of square metres, at most 2 decimals."),
    "jobs": gettext_lazy("A whole number."),
    "drop_reason": gettext_lazy("Required for a dropped project."),
    "credits": gettext_lazy(
        "Units credited with the project and their shares, summing to 100: “单位名称:60%%、单位名称:40%%”. "
        "Empty: the location unit gets 100%% (a new project) or the shares stay as they are."
    ),
    "stewards": gettext_lazy("Steward names separated by 、."),
}
REQUIRED_CELLS = ("name", "unit", "total_investment")


def column_help(key: str) -> str:
    if key in DECIMAL_FIELDS and key not in HOW_TO:
        return str(_AMOUNT_HOW)
    if key in DATE_FIELDS:
        return str(_DATE_HOW)
    text = str(HOW_TO.get(key, _("Free text.")))
    if key in ("stage", "sector", "credits"):
        text = text % {"stages": choice_labels(Stage), "sectors": choice_labels(Sector)}
    return text


def project_template() -> bytes:
    """The import template in the active language: the export's header, and instructions."""
    notes = [
        _("One project per row on the first sheet, from the row below the header. Do not change the header."),
        _("An exported project list can be edited and imported back: rows update their projects."),
        _("If any row has an error nothing is imported, unless you choose to keep only the valid rows."),
    ]
    rows = [(str(c.label), _("yes") if c.key in REQUIRED_CELLS else "", column_help(c.key)) for c in COLUMNS]
    return template_workbook(str(_("Projects")), COLUMNS, notes, rows)


class ProjectImportView(ImportView):
    action = Action.IMPORT
    object_type = ObjectType.PROJECT
    template_name = "projects/project_import.html"
    importer = import_projects


ProjectImportTemplateView = template_download(
    ProjectImportView, project_template, gettext_lazy("project-import-template")
)
