"""The pages: upload an old report, review what was read (text beside the items, highlighted at
their place), correct, reject or accept items, pick the unit and year, confirm."""

from __future__ import annotations

import uuid
import zipfile
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import path_q, scope_roots
from zhaoshang.core.views import ScopedMixin
from zhaoshang.ingest import services
from zhaoshang.ingest.indicators import indicator_code
from zhaoshang.ingest.models import ReportUpload
from zhaoshang.ingest.reader.decode import MAX_BYTES
from zhaoshang.ingest.reader.documents import SUFFIXES
from zhaoshang.jobs.services import enqueue
from zhaoshang.ledger.models import Indicator
from zhaoshang.projects.choices import Currency, Stage
from zhaoshang.units.models import Unit


def importable_units(user: Any) -> QuerySet[Unit]:
    """The units for which the user may read reports in (who may import their projects)."""
    roots = scope_roots(user, Action.IMPORT, on=ObjectType.PROJECT)
    if not roots:
        return Unit.objects.none()
    return Unit.objects.filter(path_q("path", roots), is_active=True).order_by("path")


class UploadView(ScopedMixin, View):
    """The list of reports read in, and the form that reads a new one."""

    model = ReportUpload
    action = Action.IMPORT

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not self.may(Action.IMPORT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def page(self, request: AuthedRequest, status: int = 200, **extra: Any) -> HttpResponse:
        context = {
            "uploads": self.get_queryset().select_related("unit")[:50],
            "units": importable_units(request.user),
            "suffixes": ", ".join(SUFFIXES),
            **extra,
        }
        return render(request, "ingest/upload.html", context, status=status)

    def get(self, request: AuthedRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: AuthedRequest) -> HttpResponse:
        if "batch" in request.FILES:
            return self.batch(request)
        upload = request.FILES.get("file")
        unit = importable_units(request.user).filter(pk=request.POST.get("unit") or 0).first()
        if upload is None or unit is None:
            return self.page(request, 400, error=_("Choose a file and the unit it reports on."))
        if upload.size is not None and upload.size > MAX_BYTES:
            return self.page(request, 400, error=_("The file is too large (more than 20 MB) to be a report."))
        try:
            record = services.read_upload(
                by=request.user, unit=unit, name=upload.name or "", data=upload.read()
            )
        except ValidationError as error:
            return self.page(request, 400, error=" ".join(error.messages))
        except OutOfScope as error:
            return self.page(request, 400, error=str(error))
        return redirect(record)

    def batch(self, request: AuthedRequest) -> HttpResponse:
        """A .zip of reports: kept in storage and read by a background job, one upload per file."""
        archive = request.FILES.get("batch")
        unit = importable_units(request.user).filter(pk=request.POST.get("unit") or 0).first()
        if archive is None or unit is None or not (archive.name or "").lower().endswith(".zip"):
            return self.page(request, 400, error=_("Choose a .zip file and the unit its reports speak of."))
        if not zipfile.is_zipfile(archive):
            return self.page(request, 400, error=_("The file is not a .zip archive."))
        archive.seek(0)
        path = default_storage.save(f"ingest/batches/{uuid.uuid4().hex}.zip", archive)
        run = enqueue("ingest.batch", unit=unit, by=request.user, params={"path": path})
        messages.success(request, _("The reports are read in the background; each appears below when read."))
        return redirect(run)


def _segments(line: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """The line cut into (text, item id) pieces: an item's piece is highlighted."""
    out: list[tuple[str, str]] = []
    pos = 0
    for start, end, item in sorted(marks):
        if start < pos:
            continue
        out.append((line[pos:start], ""))
        out.append((line[start:end], item))
        pos = end
    out.append((line[pos:], ""))
    return [piece for piece in out if piece[0]]


class ReviewView(ScopedMixin, View):
    model = ReportUpload
    action = Action.IMPORT

    def context(self, upload: ReportUpload, request: AuthedRequest, **extra: Any) -> dict[str, Any]:
        reading = upload.reading
        figures = reading.get("figures", [])
        projects = reading.get("projects", [])
        marks: dict[int, list[tuple[int, int, str]]] = {}
        for i, f in enumerate(figures):
            marks.setdefault(f["line"], []).append((f["span"][0], f["span"][1], f"f{i}"))
            f["indicator_code"] = indicator_code(
                f["indicator"], services.MEASURES.get(f["unit"], f["unit"]), f["kind"]
            )
        for i, p in enumerate(projects):
            marks.setdefault(p["line"], []).append((p["span"][0], p["span"][1], f"p{i}"))
        debris = {d["line"] for d in reading.get("debris_lines", [])}
        lines = [
            (number, _segments(text, marks.get(number, [])), number in debris)
            for number, text in enumerate(upload.text.split("\n"), start=1)
        ]
        reports = reading.get("reports", [])
        units = importable_units(request.user)
        if len(reports) > 1:
            named = sorted(units, key=lambda u: -len(u.name))
            for report in reports:
                # The part's unit, where its title names one the user may read reports in for.
                report["unit_guess"] = next((u.pk for u in named if u.name in report["title"]), None)
        return {
            "upload": upload,
            "lines": lines,
            "figures": list(enumerate(figures)),
            "projects": list(enumerate(projects)),
            "reports": reports,
            # A file of several reports (a county's with its townships', or several years): each
            # part is confirmed under its own unit and year, chosen here.
            "parts": list(enumerate(reports, start=1)) if len(reports) > 1 else [],
            "units": units,
            "indicators": Indicator.objects.for_unit(upload.unit).filter(is_active=True),
            "stages": [s for s in Stage if s != Stage.DROPPED],
            "editable": upload.status == ReportUpload.Status.READ,
            **extra,
        }

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        upload = self.get_object()
        return render(request, "ingest/review.html", self.context(upload, request))

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        upload = self.get_object()
        post = request.POST
        figures: list[services.FigureChoice] = []
        projects: list[services.ProjectChoice] = []
        errors: list[str] = []
        parts = self.parts(request, upload, errors)
        for i, f in enumerate(upload.reading.get("figures", [])):
            if post.get(f"f{i}-accept") != "on":
                continue
            value = services.decimal(post.get(f"f{i}-value", f["value"]))
            if value is None:
                errors.append(_("Line %(line)s: the value is not a number.") % {"line": f["line"]})
                continue
            code = post.get(f"f{i}-indicator") if f"f{i}-indicator" in post else None
            figures.append(
                services.FigureChoice(
                    label=post.get(f"f{i}-label", f["indicator"]).strip() or f["indicator"],
                    value=value,
                    measure=services.MEASURES.get(f["unit"], f["unit"]),
                    kind=f.get("kind", "actual"),
                    qualifier=f.get("qualifier", ""),
                    line=f["line"],
                    source=f.get("source", ""),
                    indicator=code,
                    **parts.get(f.get("report", 1), {}),
                )
            )
        for i, p in enumerate(upload.reading.get("projects", [])):
            if post.get(f"p{i}-accept") != "on":
                continue
            total = services.decimal(post.get(f"p{i}-total"))
            stage = post.get(f"p{i}-stage") or p.get("stage") or Stage.LEAD
            if stage not in Stage.values:
                stage = Stage.LEAD
            unit_word = (p.get("total_investment") or {}).get("unit", "")
            projects.append(
                services.ProjectChoice(
                    name=post.get(f"p{i}-name", p["name"]).strip() or p["name"],
                    stage=stage,
                    total_investment=total,
                    currency=Currency.USD if "美元" in unit_word else Currency.CNY,
                    land_mu=Decimal(str(p["land_mu"])) if p.get("land_mu") is not None else None,
                    source=p.get("source", ""),
                    **parts.get(p.get("report", 1), {}),
                )
            )
        unit = importable_units(request.user).filter(pk=post.get("unit") or 0).first()
        year = services.decimal(post.get("year"))
        if unit is None:
            errors.append(_("Choose the unit the report speaks of."))
        if year is None:
            errors.append(_("Give the year the report speaks of."))
        if not errors and unit is not None and year is not None:
            try:
                done = services.confirm(
                    upload, by=request.user, unit=unit, year=int(year), figures=figures, projects=projects
                )
            except ValidationError as error:
                errors.extend(error.messages)
            except OutOfScope as error:
                errors.append(str(error))
            else:
                messages.success(
                    request,
                    _("Confirmed: %(figures)s figures and %(projects)s projects recorded.")
                    % {"figures": len(done.figures), "projects": len(done.projects)},
                )
                for name, existing in done.duplicates:
                    messages.warning(
                        request,
                        _("%(name)s is already in the ledger as %(existing)s: not created again.")
                        % {"name": name, "existing": existing.name},
                    )
                return redirect(upload)
        return render(request, "ingest/review.html", self.context(upload, request, errors=errors), status=400)

    def parts(
        self, request: AuthedRequest, upload: ReportUpload, errors: list[str]
    ) -> dict[int, dict[str, Any]]:
        """The unit and year chosen for each part of a file of several reports (``r<n>-unit``,
        ``r<n>-year``; empty means the file's own)."""
        out: dict[int, dict[str, Any]] = {}
        units = importable_units(request.user)
        for number in range(1, len(upload.reading.get("reports", [])) + 1):
            choice: dict[str, Any] = {}
            if unit_id := request.POST.get(f"r{number}-unit"):
                part_unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
                if part_unit is None:
                    errors.append(
                        _("Part %(number)s: choose a unit you may read reports in for.") % {"number": number}
                    )
                choice["unit"] = part_unit
            if year_text := request.POST.get(f"r{number}-year", "").strip():
                year = services.decimal(year_text)
                if year is None or year != int(year):
                    errors.append(_("Part %(number)s: the year is not a number.") % {"number": number})
                else:
                    choice["year"] = int(year)
            out[number] = choice
        return out
