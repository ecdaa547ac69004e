"""The import pages every app builds its spreadsheet import from: an upload form with the result
below it, and the template download.

An app's ``ImportView`` names its importer, its template and the action it needs; its
``TemplateDownloadView`` names the builder of its template workbook (projects, units, investors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.spreadsheets import ImportResult
from zhaoshang.core.xlsx import xlsx_response

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

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not scope_roots(request.user, self.action, on=self.object_type):
            return render(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class ImportView(PermissionView):
    template_name: ClassVar[str]
    importer: ClassVar[Callable[..., ImportResult]]
    form_class: ClassVar[type[ImportForm]] = ImportForm
    # The form's options passed on to the importer (and kept ticked on the result page).
    # (The name hides View.options, the OPTIONS handler: see docs/decisions.md, type checking.)
    options: ClassVar[tuple[str, ...]] = ("keep_valid",)  # type: ignore[assignment]

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
