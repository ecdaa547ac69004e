"""The investor import pages, built on the shared import views (core/import_views.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.import_views import ImportForm, ImportView, template_download
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.spreadsheets import choice_labels, template_workbook
from zhaoshang.investors.choices import InvestorKind, InvestorSize
from zhaoshang.investors.importing import COLUMNS, REQUIRED_COLUMNS, import_investors

HOW_TO: dict[str, Any] = {
    "name": gettext_lazy("The investor's full name."),
    "credit_code": gettext_lazy(
        "统一社会信用代码, 18 characters, where the investor has one. A row with the code of an investor "
        "on file updates it."
    ),
    "kind": gettext_lazy("One of: %(choices)s; enterprise when empty."),
    "size": gettext_lazy("One of: %(choices)s."),
    "origin": gettext_lazy("A province and city (浙江温州) or a country or region (香港, 匈牙利)."),
    "registered_capital": gettext_lazy("In 万元, at most 4 decimals."),
    "next_follow_up_on": gettext_lazy("YYYY-MM-DD."),
    "unit": gettext_lazy("The owning unit: name or code."),
    "contacts": gettext_lazy(
        "Contacts separated by 、, each as “name position phone e-mail” separated by spaces."
    ),
    "tags": gettext_lazy("Separated by 、."),
}


def investor_template() -> bytes:
    notes = [
        _("One investor per row on the first sheet, below the header. Do not change the header."),
        _("An exported investor list can be edited and imported back: rows update their investors."),
        _("If any row has an error nothing is imported, unless you choose to keep only the valid rows."),
        _("A new investor like one on file is refused, unless you tick “Record likely duplicates”."),
    ]
    choices = {"kind": choice_labels(InvestorKind), "size": choice_labels(InvestorSize)}
    rows = [
        (
            str(c.label),
            _("yes") if c.key in REQUIRED_COLUMNS else "",
            str(HOW_TO.get(c.key, _("Free text."))) % {"choices": choices.get(c.key, "")},
        )
        for c in COLUMNS
    ]
    return template_workbook(str(_("Investors")), COLUMNS, notes, rows)


class InvestorImportForm(ImportForm):
    allow_duplicates = forms.BooleanField(
        label=gettext_lazy("Record likely duplicates"),
        required=False,
        help_text=gettext_lazy("Ticked, new investors that look like one on file are recorded all the same."),
    )


class InvestorImportView(ImportView):
    action = Action.IMPORT
    object_type = ObjectType.INVESTOR
    template_name = "investors/investor_import.html"
    importer = import_investors
    form_class = InvestorImportForm
    import_options = ("keep_valid", "allow_duplicates")


InvestorImportTemplateView = template_download(
    InvestorImportView, investor_template, gettext_lazy("investor-import-template")
)
