"""The import pages: an upload form with the result below it, and the template download.

``ImportView`` serves both the project and the unit import; each names its importer, its template
and the action it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.spreadsheets import ImportResult, choice_labels, template_workbook
from zhaoshang.core.xlsx import xlsx_response
from zhaoshang.projects.choices import Sector, Stage
from zhaoshang.projects.importing import COLUMNS, DATE_FIELDS, DECIMAL_FIELDS, import_projects

# Room for the multipart envelope around the file itself.
_ENVELOPE_BYTES = 64 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    keep_valid = forms.BooleanField(
        label=gettext_lazy("Keep only the valid rows"),
        required=False,
        help_text=gettext_lazy(
            "Unticked, a file with any error imports nothing. Ticked, the valid rows are saved and the "
            "others are listed with their errors."
        ),
    )


class PermissionView(LoginRequiredMixin, View):
    """Anonymous users are sent to log in; users without the action see the 403 page."""

    action: ClassVar[str]
    object_type: ClassVar[str]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not scope_roots(request.user, self.action, on=self.object_type):
            return render(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class ImportView(PermissionView):
    template_name: ClassVar[str]
    importer: ClassVar[Callable[..., ImportResult]]
    form_class: ClassVar[type[ImportForm]] = ImportForm
    # The form's options passed on to the importer (and kept ticked on the result page).
    options: ClassVar[tuple[str, ...]] = ("keep_valid",)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(request, self.form_class())

    def post(self, request: HttpRequest) -> HttpResponse:
        # Refuse an oversized upload from its declared length, without opening it. (The CSRF check
        # has already parsed the body by now; the reverse proxy's body limit is the first guard.)
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.MAX_UPLOAD_BYTES + _ENVELOPE_BYTES:
            refused = ImportResult().refuse_file(
                _("The file is larger than %(size)s MB.") % {"size": _megabytes()}
            )
            return self.show(request, self.form_class(), refused, status=400)
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(request, form, status=400)
        importer = type(self).importer
        options = {name: form.cleaned_data[name] for name in self.options}
        result = importer(request.user, form.cleaned_data["file"], **options)
        return self.show(request, self.form_class(initial=options), result)

    def show(
        self, request: HttpRequest, form: ImportForm, result: ImportResult | None = None, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "result": result}
        return render(request, self.template_name, context, status=status)


class TemplateDownloadView(PermissionView):
    builder: ClassVar[Callable[[], bytes]]
    filename: ClassVar[Any]

    def get(self, request: HttpRequest) -> HttpResponse:
        builder = type(self).builder
        return xlsx_response(builder(), f"{self.filename}.xlsx")


def _megabytes() -> str:
    return f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"


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


class ProjectImportTemplateView(TemplateDownloadView):
    action = Action.IMPORT
    object_type = ObjectType.PROJECT
    builder = project_template
    filename = gettext_lazy("project-import-template")
