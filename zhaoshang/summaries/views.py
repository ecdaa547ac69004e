"""Pages of the work summaries and bulletins: one unit (found among those the user may see, 404
otherwise) and one period; writing a section needs the right to file the unit's reports (403)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.documents import PDF_TYPE, ConversionError, docx_response, download_response, to_pdf
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.permissions import Action
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.core.xlsx import xlsx_response
from zhaoshang.jobs.services import enqueue
from zhaoshang.summaries import bulletin_files, document, generate, sentences, services
from zhaoshang.summaries.bulletin import Bulletin, bulletin_of
from zhaoshang.summaries.choices import Script, Section
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.forms import BatchForm, PeriodForm, ScriptForm, SectionForm
from zhaoshang.summaries.models import SectionText
from zhaoshang.summaries.periods import Period, period_from
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

log = logging.getLogger(__name__)


def visible_units(request: AuthedRequest, action: str = Action.VIEW) -> Any:
    return Unit.objects.visible_to(request.user, action).filter(is_active=True)


class SummaryIndexView(LoginRequiredMixin, View):
    """Choose a unit and a period; the summary page of that choice follows."""

    request: AuthedRequest

    def get(self, request: AuthedRequest) -> HttpResponse:
        units = visible_units(request).order_by("depth", "path")
        today = timezone.localdate()
        if "unit" in request.GET:
            form = PeriodForm(request.GET, units=units)
            if form.is_valid():
                data = form.cleaned_data
                return redirect(
                    "summaries:summary", data["unit"].pk, data["year"], data["first"], data["last"]
                )
        else:
            first = units.first()
            form = PeriodForm(
                initial={"unit": first, "year": today.year, "first": 1, "last": 12}, units=units
            )
        return render(request, "summaries/index.html", {"form": form, "year": today.year})


class UnitPeriodView(LoginRequiredMixin, View):
    """A page about one unit and one period, at /summaries/<unit>/<year>/<first>-<last>/…"""

    request: AuthedRequest
    action = Action.VIEW

    def unit_and_period(self) -> tuple[Unit, Period]:
        period = period_from(self.kwargs["year"], self.kwargs.get("first", 1), self.kwargs.get("last", 12))
        unit = get_object_or_404(visible_units(self.request, self.action), pk=self.kwargs["pk"])
        return unit, period

    def saved(self, unit: Unit, period: Period) -> dict[str, SectionText]:
        rows = SectionText.objects.visible_to(self.request.user)
        return services.current_texts(unit, period, rows)


class SummaryView(ReplicaReadsMixin, UnitPeriodView):
    """The summary of a unit and period: 一、工作成效 as the system writes it, and the three sections
    the unit writes, each prefilled with the facts it starts from; saving keeps a new version."""

    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        unit, period = self.unit_and_period()
        return self.show(unit, period)

    def post(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        unit, period = self.unit_and_period()
        if not services.may_write(request.user, unit):
            raise PermissionDenied
        form = SectionForm(request.POST)
        if not form.is_valid():
            return self.show(unit, period, form, status=400)
        try:
            row = services.save_section(
                unit, period, form.cleaned_data["section"], form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.show(unit, period, form, status=400)
        messages.success(
            request,
            _("%(section)s saved as version %(version)s.")
            % {"section": Section(row.section).label, "version": row.version},
        )
        return redirect(request.path)

    def show(
        self, unit: Unit, period: Period, failed: SectionForm | None = None, status: int = 200
    ) -> HttpResponse:
        facts = summary_facts(self.request.user, unit, period, timezone.localdate())
        saved = self.saved(unit, period)
        start = document.prompts(facts)
        history = SectionText.objects.visible_to(self.request.user).filter(
            unit=unit, year=period.year, first_month=period.first, last_month=period.last
        )
        sections = []
        for value, label in Section.choices:
            current = saved.get(value)
            if failed is not None and failed.data.get("section") == value:
                form = failed
            else:
                form = SectionForm(
                    initial={"section": value, "text": current.text if current else start[value]}
                )
            versions = [r for r in history.order_by("-version") if r.section == value][:5]
            sections.append(
                {"value": value, "label": label, "form": form, "current": current, "versions": versions}
            )
        context = {
            "unit": unit,
            "period": period,
            "facts": facts,
            "results": sentences.results(facts),
            "stage_paragraphs": sentences.stage_paragraphs(facts.stage_lists),
            "sections": sections,
            "can_write": services.may_write(self.request.user, unit),
            "children": visible_units(self.request).filter(parent=unit).exists(),
            # above a county the batch may also take every county below (a province's, the nation's)
            "above_county": [UnitKind.NATION, UnitKind.PROVINCE, UnitKind.CITY],
        }
        return render(self.request, "summaries/summary.html", context, status=status)


class SummaryDocxView(ReplicaReadsMixin, UnitPeriodView):
    """The summary as a Word document (?script=traditional for Traditional script)."""

    action = Action.EXPORT

    def docx(self) -> tuple[bytes, str]:
        unit, period = self.unit_and_period()
        script = ScriptForm(self.request.GET).chosen()
        return generate.summary_file(self.request.user, unit, period, timezone.localdate(), script)

    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        content, stem = self.docx()
        return docx_response(content, f"{stem}.docx")


class SummaryPdfView(SummaryDocxView):
    """The summary as PDF, made from the .docx by LibreOffice on the server."""

    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        content, stem = self.docx()
        return pdf_or_back(request, content, stem, reverse("summaries:summary", kwargs=kwargs))


def pdf_or_back(request: AuthedRequest, docx: bytes, stem: str, back: str) -> HttpResponse:
    """The PDF of ``docx``; without LibreOffice (or when it fails), back to the page with a message."""
    try:
        pdf = to_pdf(docx)
    except ConversionError:
        log.exception("PDF conversion failed")
        messages.error(
            request, _("The PDF could not be made on the server; download the Word document instead.")
        )
        return redirect(back)
    return download_response(pdf, f"{stem}.pdf", PDF_TYPE)


def summary_url(unit: Unit, period: Period) -> str:
    return reverse("summaries:summary", args=[unit.pk, period.year, period.first, period.last])


class BulletinView(ReplicaReadsMixin, UnitPeriodView):
    """The monthly bulletin of a unit (招商引资工作情况通报), with its downloads."""

    template_name = "summaries/bulletin.html"

    def unit_and_month(self) -> tuple[Unit, int, int]:
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise Http404
        unit = get_object_or_404(visible_units(self.request, self.action), pk=self.kwargs["pk"])
        return unit, year, month

    def bulletin(self) -> Bulletin:
        unit, year, month = self.unit_and_month()
        return bulletin_of(self.request.user, unit, year, month, timezone.localdate())

    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        bulletin = self.bulletin()
        rows = [(r, bulletin_files.indicator_sentence(bulletin, r)) for r in bulletin.rows]
        return render(
            request, self.template_name, {"bulletin": bulletin, "unit": bulletin.unit, "rows": rows}
        )


class BulletinDocxView(BulletinView):
    action = Action.EXPORT

    def docx(self) -> tuple[bytes, str]:
        unit, year, month = self.unit_and_month()
        script = ScriptForm(self.request.GET).chosen()
        return generate.bulletin_file(self.request.user, unit, year, month, timezone.localdate(), script)

    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        content, stem = self.docx()
        return docx_response(content, f"{stem}.docx")


class BulletinPdfView(BulletinDocxView):
    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        content, stem = self.docx()
        return pdf_or_back(request, content, stem, reverse("summaries:bulletin", kwargs=kwargs))


class BulletinXlsxView(BulletinView):
    action = Action.EXPORT

    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        bulletin = self.bulletin()
        return xlsx_response(
            bulletin_files.bulletin_workbook(bulletin), f"{bulletin_files.file_stem(bulletin)}.xlsx"
        )


class BatchView(UnitPeriodView):
    """Queue the .zip of every subordinate unit's summary (or bulletin) of the period; the job's page
    shows its progress and offers the file."""

    action = Action.EXPORT

    def post(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        unit, period = self.unit_and_period()
        form = BatchForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose summaries or bulletins."))
            return redirect(reverse("summaries:summary", kwargs=kwargs))
        params = {
            "unit": unit.pk,
            "what": form.cleaned_data["what"],
            "year": period.year,
            "first": period.first,
            "last": period.last,
            "script": form.cleaned_data.get("script") or Script.SIMPLIFIED,
            "reach": form.cleaned_data.get("reach") or "children",
        }
        queued = enqueue("summaries.batch", unit=unit, by=request.user, params=params)
        return redirect("jobs:detail", queued.pk)
