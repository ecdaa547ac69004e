"""The import pages every app builds its spreadsheet import from: an upload form with the result
below it, and the template download.

The uploaded file is kept on the server (``KeptUpload``: per user and page, removed after an import
that saved everything, or after ``IMPORT_KEEP_SECONDS``), so that after an error the user can change
the options and import again without choosing the file again; a newly chosen file replaces it.

An app's ``ImportView`` names its importer, its template and the action it needs; its
``template_download`` names the builder of its template workbook and takes that same permission
(projects, units, investors, quarterly returns).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.spreadsheets import ImportResult, SpreadsheetError, read_upload
from zhaoshang.core.xlsx import xlsx_response

# Room for the multipart envelope around the file itself.
_ENVELOPE_BYTES = 64 * 1024


class KeptUpload:
    """The last file a user uploaded on one import page, kept for a retry. Files live under
    ``IMPORT_KEEP_DIR/<user id>/`` named by a digest of the page's path; each request sweeps
    away every kept file older than ``IMPORT_KEEP_SECONDS``."""

    def __init__(self, user: Any, page: str) -> None:
        digest = hashlib.sha256(page.encode()).hexdigest()[:32]
        self.folder = Path(settings.IMPORT_KEEP_DIR) / str(int(user.pk))
        self.data_path = self.folder / f"{digest}.xlsx"
        self.name_path = self.folder / f"{digest}.name"

    @staticmethod
    def sweep() -> None:
        root = Path(settings.IMPORT_KEEP_DIR)
        if not root.is_dir():
            return
        oldest = time.time() - settings.IMPORT_KEEP_SECONDS
        for path in root.glob("*/*"):
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
            except FileNotFoundError:
                pass  # swept by a concurrent request

    def name(self) -> str | None:
        """The kept file's name, or None when no file is kept."""
        try:
            return self.name_path.read_text(encoding="utf-8") if self.data_path.is_file() else None
        except FileNotFoundError:
            return None

    def data(self) -> bytes | None:
        try:
            return self.data_path.read_bytes()
        except FileNotFoundError:
            return None

    def keep(self, name: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.data_path.write_bytes(data)
        self.name_path.write_text(name, encoding="utf-8")

    def discard(self) -> None:
        for path in (self.data_path, self.name_path):
            path.unlink(missing_ok=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,  # a kept file may be imported again (KeptUpload); the view checks
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
    import_options: ClassVar[tuple[str, ...]] = ("keep_valid",)

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
        upload = form.is_valid() and uploaded_file(request, form)
        if not upload:
            return self.show(request, form, status=400)
        importer = type(self).importer
        options = {name: form.cleaned_data[name] for name in self.import_options}
        result = run_kept(request, upload, lambda data: importer(request.user, data, **options))
        return self.show(request, self.form_class(initial=options), result)

    def show(
        self, request: HttpRequest, form: ImportForm, result: ImportResult | None = None, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "result": result, "kept_file": kept_file(request)}
        return render(request, self.template_name, context, status=status)


def uploaded_file(request: HttpRequest, form: ImportForm) -> bytes | ImportResult | None:
    """The bytes to import: the file just chosen (kept, replacing the one kept before), else the
    file kept from this user's last upload on this page. None, with the form's error, when there
    is neither; an ImportResult refusing a file too large to keep."""
    keeper = KeptUpload(request.user, request.path)
    KeptUpload.sweep()
    chosen = form.cleaned_data.get("file")
    if chosen:
        try:
            data = read_upload(chosen)
        except SpreadsheetError as error:
            return ImportResult().refuse_file(str(error))
        keeper.keep(str(getattr(chosen, "name", "")) or "upload.xlsx", data)
        return data
    kept = keeper.data()
    if kept is None:
        form.add_error("file", _("Choose the file to import."))
        return None
    return kept


def run_kept(
    request: HttpRequest, upload: bytes | ImportResult, run: Callable[[bytes], ImportResult]
) -> ImportResult:
    """Run the import on ``upload``; an import without errors needs its file no more."""
    if isinstance(upload, ImportResult):
        return upload
    result = run(upload)
    if not result.errors:
        KeptUpload(request.user, request.path).discard()
    return result


def kept_file(request: HttpRequest) -> str | None:
    """The name of the file kept for this page, for the form to offer it again."""
    if not request.user.is_authenticated:
        return None
    return KeptUpload(request.user, request.path).name()


class TemplateDownloadView(PermissionView):
    builder: ClassVar[Callable[[], bytes]]
    filename: ClassVar[Any]

    def get(self, request: HttpRequest) -> HttpResponse:
        builder = type(self).builder
        return xlsx_response(builder(), f"{self.filename}.xlsx")


def template_download(
    of: type[ImportView], builder: Callable[[], bytes], filename: str | Promise
) -> type[TemplateDownloadView]:
    """The download of an import's blank workbook (``builder``), named ``filename``.xlsx, under the
    import page's own permission."""
    attrs = {"action": of.action, "object_type": of.object_type, "builder": builder, "filename": filename}
    return type(of.__name__.replace("ImportView", "ImportTemplateView"), (TemplateDownloadView,), attrs)


def _megabytes() -> str:
    return f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"
