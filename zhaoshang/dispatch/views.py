"""Pages of dispatch: rounds and their overview, the reports to file, a report, the review queue,
the dispatch table (.xlsx, .docx) and the county's calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.paging import LIST_COUNT_CAP
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.core.views import CappedPaginator, ScopedMixin
from zhaoshang.dispatch import overview, services
from zhaoshang.dispatch.choices import EDITABLE, ReportStatus
from zhaoshang.dispatch.forms import CalendarForm, FileForm, FundsLineForm, PhotoForm, ReportForm, ReturnForm
from zhaoshang.dispatch.models import Entry, FundsLine, Report, ReportFile, Round
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit


def _errors(request: AuthedRequest, error: Exception) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


def _form_errors(request: AuthedRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


class RoundListView(ScopedMixin, TemplateView):
    model = Round
    template_name = "dispatch/rounds.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = self.get_queryset().select_related("county").order_by("-due_on", "county__path")
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        counties = Unit.objects.where(self.request.user, Action.CONFIGURE, on=ObjectType.DISPATCH).filter(
            kind=UnitKind.COUNTY
        )
        return super().get_context_data(page_obj=page, counties=counties, **kwargs)


class RoundDetailView(ScopedMixin, TemplateView):
    """The overview of a round per unit of the user's subtree, its projects, and the stalled ones."""

    request: AuthedRequest

    model = Round
    template_name = "dispatch/round.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        round_ = self.get_object()
        user = self.request.user
        today = timezone.localdate()
        rows = overview.tallies(user, round_, today)
        reports = Report.objects.filter(round=round_, project=OuterRef("project"))
        entries = (
            overview.entries_of(user, round_)
            .select_related("project", "unit")
            .annotate(has_report=Exists(reports))
            .order_by("unit__path", "project_id")
        )
        by_project = {r.project_id: r for r in Report.objects.visible_to(user).filter(round=round_)}
        may_report = set(
            Entry.objects.visible_to(user, Action.EDIT).filter(round=round_).values_list("pk", flat=True)
        )
        return super().get_context_data(
            round=round_,
            rows=rows,
            total=overview.total_of(rows, _("Total")),
            closed=today > round_.due_on,
            entries=[(e, by_project.get(e.project_id), e.pk in may_report) for e in entries],
            stalled=overview.stalled_projects(user, round_.county, today),
            **kwargs,
        )


class ToReportView(LoginRequiredMixin, TemplateView):
    """The reports the user files: projects listed in open or overdue rounds, not yet filed, by
    round: the rounds still open first (soonest dispatch day first), then the overdue ones, most
    recent first, folded with their counts."""

    request: AuthedRequest
    template_name = "dispatch/to_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        entries = list(
            overview.to_report(user, today)
            .select_related("round", "project", "unit")
            .order_by("round__due_on", "unit__path", "project_id")[:500]
        )
        reports = {
            (r.round_id, r.project_id): r
            for r in Report.objects.visible_to(user).filter(round__in={e.round_id for e in entries})
        }
        groups: dict[int, ToReport] = {}
        for e in entries:
            group = groups.setdefault(e.round_id, ToReport(e.round, (e.round.due_on - today).days, []))
            group.rows.append((e, reports.get((e.round_id, e.project_id))))
        current = [g for g in groups.values() if g.days_left >= 0]  # soonest dispatch day first
        overdue = sorted(
            (g for g in groups.values() if g.days_left < 0), key=lambda g: g.days_left, reverse=True
        )
        return super().get_context_data(
            current=current, overdue=overdue, total=len(entries), today=today, **kwargs
        )


@dataclass
class ToReport:
    """One round of the to-report list: its entries not yet filed, with the report started for each."""

    round: Round
    days_left: int  # negative once the dispatch day has passed
    rows: list[tuple[Entry, Report | None]]

    @property
    def days_overdue(self) -> int:
        return -self.days_left


class StartReportView(ScopedMixin, View):
    """POST: start the report of a listed project (or open the one that exists)."""

    model = Entry
    action = Action.EDIT

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        entry = self.get_object()
        existing = Report.objects.filter(round=entry.round_id, project=entry.project_id).first()
        if existing is not None:
            return redirect(existing)
        try:
            report = services.create_report(entry.round, entry.project, by=request.user)
        except (ValidationError, OutOfScope) as error:
            _errors(request, error)
            return redirect("dispatch:round", pk=entry.round_id)
        return redirect(report)


class ProjectReportView(ScopedMixin, View):
    """POST from the project page: the project's report in one round (``round``), started if need
    be; a project not listed in the round joins it (``services.start_report``)."""

    model = Project
    action = Action.EDIT

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        project = self.get_object()
        chosen = request.POST.get("round", "")
        round_ = (
            Round.objects.visible_to(request.user).filter(pk=chosen).first() if chosen.isdigit() else None
        )
        if round_ is None:
            messages.error(request, _("Choose the dispatch round to report in."))
            return redirect(project)
        try:
            report = services.start_report(round_, project, by=request.user)
        except (ValidationError, OutOfScope) as error:
            _errors(request, error)
            return redirect(project)
        return redirect(report)


def reports_context(project: Project) -> dict[str, Any]:
    """What the project page shows of its progress reports: the rounds it owes a report in or may
    join (``services.reports_owed``); the buttons are shown to those who may edit the project."""
    return {
        "reports_owed": services.reports_owed(project, timezone.localdate()),
        "today": timezone.localdate(),
    }


class ReportDetailView(ScopedMixin, TemplateView):
    model = Report
    template_name = "dispatch/report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        report = self.get_object()
        user = self.request.user
        editable = (
            report.status in EDITABLE
            and Report.objects.visible_to(user, Action.EDIT).filter(pk=report.pk).exists()
        )
        reviewable = (
            report.status == ReportStatus.SUBMITTED
            and Report.objects.visible_to(user, Action.VERIFY).filter(pk=report.pk).exists()
        )
        return super().get_context_data(
            report=report,
            lines=report.funds_lines.select_related("funds"),
            files=report.files.all(),
            requests=CoordinationRequest.objects.visible_to(user)
            .filter(source=services.problem_source(report))
            .order_by("pk"),
            editable=editable,
            may_attach=Report.objects.visible_to(user, Action.EDIT).filter(pk=report.pk).exists(),
            reviewable=reviewable,
            form=ReportForm(instance=report) if editable else None,
            line_form=FundsLineForm() if editable else None,
            file_form=FileForm(),
            photo_form=PhotoForm(auto_id="photo-%s"),
            return_form=ReturnForm(),
            **kwargs,
        )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("round", "round__county", "project", "project__unit")


class ReportActionView(ScopedMixin, View):
    """POST on one report: save, add funds, attach a file, submit, verify or return."""

    model = Report
    operation = ""
    action = Action.VIEW

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        report = self.get_object()
        if self.operation == "save" and request.GET.get("background") == "1":
            return self.save_in_background(request, report)
        try:
            self.perform(request, report)
        except (ValidationError, OutOfScope) as error:
            _errors(request, error)
        return redirect(report)

    def save_in_background(self, request: AuthedRequest, report: Report) -> HttpResponse:
        """The draft saved while the operator types or leaves the page (static/zhaoshang/report.js,
        ``?background=1``): the answer is the line the page shows beside the form, not a message for
        the next page."""
        form = ReportForm(request.POST, instance=Report.objects.get(pk=report.pk))
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            return JsonResponse({"saved": False, "message": " ".join(problems)}, status=422)
        try:
            services.update_report(report, by=request.user, data=form.cleaned_data)
        except (ValidationError, OutOfScope) as error:
            message = " ".join(getattr(error, "messages", None) or [str(error)])
            return JsonResponse({"saved": False, "message": message}, status=422)
        at = timezone.localtime().strftime("%H:%M:%S")
        return JsonResponse({"saved": True, "message": _("Draft saved at %(time)s.") % {"time": at}})

    def perform(self, request: AuthedRequest, report: Report) -> None:
        user = request.user
        form: forms.BaseForm
        if self.operation == "save":
            form = ReportForm(request.POST, instance=Report.objects.get(pk=report.pk))
            if not form.is_valid():
                return _form_errors(request, form)
            services.update_report(report, by=user, data=form.cleaned_data)
            messages.success(request, _("Report saved."))
        elif self.operation == "funds":
            form = FundsLineForm(request.POST, request.FILES)
            if not form.is_valid():
                return _form_errors(request, form)
            services.add_funds_line(report, by=user, **form.cleaned_data)
            messages.success(request, _("Funds added to the report."))
        elif self.operation == "file":
            form = FileForm(request.POST, request.FILES)
            if not form.is_valid():
                return _form_errors(request, form)
            services.add_file(report, by=user, file=form.cleaned_data["file"])
            messages.success(request, _("File attached."))
        elif self.operation == "submit":
            services.submit_report(report, by=user)
            messages.success(request, _("Report submitted."))
        elif self.operation == "verify":
            services.verify_report(report, by=user)
            messages.success(request, _("Report verified."))
        elif self.operation == "return":
            services.return_report(report, by=user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Report returned."))
        return None


class FundsLineRemoveView(ScopedMixin, View):
    model = FundsLine

    def get_queryset(self) -> QuerySet:
        return FundsLine.objects.filter(
            report__in=Report.objects.visible_to(self.request.user)
        ).select_related("report")

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        line = self.get_object()
        try:
            services.remove_funds_line(line, by=request.user)
        except (ValidationError, OutOfScope) as error:
            _errors(request, error)
        return redirect(line.report)


class DownloadView(ScopedMixin, View):
    """Evidence and photos are served only here, scoped like their report."""

    model = ReportFile
    field = "file"

    def get_queryset(self) -> QuerySet:
        return self.model.objects.filter(report__in=Report.objects.visible_to(self.request.user))

    def get(self, request: AuthedRequest, pk: int) -> HttpResponseBase:
        stored = getattr(self.get_object(), self.field)
        if not stored:
            raise Http404
        return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])


class ReviewQueueView(ScopedMixin, TemplateView):
    request: AuthedRequest

    model = Report
    action = Action.VERIFY
    template_name = "dispatch/queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not self.may(Action.VERIFY):
            raise PermissionDenied
        paginator = CappedPaginator(overview.review_queue(self.request.user), 50, LIST_COUNT_CAP)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, return_form=ReturnForm(), **kwargs)


class TableView(ReplicaReadsMixin, ScopedMixin, View):
    """The dispatch table of a round for the user's subtree, as .xlsx or .docx."""

    model = Round
    action = Action.EXPORT
    fmt = "xlsx"

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        from zhaoshang.dispatch import documents

        round_ = self.get_object()
        sheet = documents.dispatch_table(request.user, round_)
        if self.fmt == "docx":
            return documents.docx_response(sheet)
        return documents.xlsx_download(sheet)


class CalendarView(LoginRequiredMixin, TemplateView):
    """The dispatch calendar of a county, for its bureau admin."""

    template_name = "dispatch/calendar.html"

    def county(self) -> Unit:
        units = Unit.objects.where(self.request.user, Action.CONFIGURE, on=ObjectType.DISPATCH)
        if (
            not units.exists()
            and Unit.objects.where(self.request.user, Action.VIEW, on=ObjectType.DISPATCH).exists()
        ):
            raise PermissionDenied
        return get_object_or_404(units.filter(kind=UnitKind.COUNTY), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        county = self.county()
        calendar = services.calendar_for(county)
        form = kwargs.pop("form", None) or CalendarForm(
            initial={
                "days": ",".join(str(d) for d in calendar.days),
                "open_days_before": calendar.open_days_before,
                "stages": calendar.stages,
                "report_operating": calendar.report_operating,
                "stalled_after": calendar.stalled_after,
            }
        )
        return super().get_context_data(county=county, form=form, saved=calendar.pk is not None, **kwargs)

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        county = self.county()
        form = CalendarForm(request.POST)
        if form.is_valid():
            try:
                services.save_calendar(county, by=request.user, **form.cleaned_data)
            except (ValidationError, OutOfScope) as error:
                _errors(request, error)
            else:
                messages.success(request, _("Dispatch calendar saved. It applies to rounds not yet opened."))
                return redirect("dispatch:calendar", pk=county.pk)
        return self.render_to_response(self.get_context_data(form=form))
