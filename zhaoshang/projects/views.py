"""Pages of the project ledger: thin views over the filter set, the table and the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.audit import services as audit
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.errors import OutOfScope, StaleWrite, ValidationError
from zhaoshang.core.paging import LIST_COUNT_CAP
from zhaoshang.core.permissions import Action
from zhaoshang.core.views import (
    FormActionView,
    ObjectExportView,
    ObjectListView,
    ScopedMixin,
    apply_errors,
    refuse,
)
from zhaoshang.dispatch.views import reports_context
from zhaoshang.investors.models import Investor
from zhaoshang.investors.services import create_investor
from zhaoshang.ledger.views import funds_context
from zhaoshang.projects import services
from zhaoshang.projects.choices import ApprovalKind, Stage
from zhaoshang.projects.forms import (
    ApprovalForm,
    AttachmentForm,
    CreditFormSet,
    ProjectForm,
    StageChangeForm,
    StewardFormSet,
    credit_units,
    credits_from,
    stewards_from,
)
from zhaoshang.projects.models import Project
from zhaoshang.projects.tables import PREFETCH, PROJECT_LIST, SELECT, export_rows, project_records


class ProjectListView(ObjectListView):
    source = PROJECT_LIST
    template_name = "projects/project_list.html"
    count_cap = LIST_COUNT_CAP

    def page_rows(self, object_list: QuerySet) -> list[Any]:
        # Value records, as the API and the export read them (decisions.md section 24).
        return project_records(object_list)


class ProjectExportView(ObjectExportView):
    source = PROJECT_LIST
    export_title = gettext_lazy("Project ledger")

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related(*SELECT).prefetch_related(*PREFETCH)

    def rows(self, queryset: QuerySet) -> Any:
        return export_rows(queryset)


class ProjectDetailView(ScopedMixin, TemplateView):
    request: AuthedRequest

    model = Project
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        project = self.get_object()
        approvals = {a.kind: a for a in project.approvals.all()}
        editable = Project.objects.visible_to(self.request.user, Action.EDIT).filter(pk=project.pk).exists()
        movable = (
            editable
            and Project.objects.visible_to(self.request.user, Action.CHANGE_STAGE)
            .filter(pk=project.pk)
            .exists()
        )
        allowed = services.allowed_transitions(project)
        return super().get_context_data(
            project=project,
            investors=project.investors.all(),
            credits=project.credits.select_related("unit"),
            stewards=project.stewards.all(),
            timeline=project.stage_changes.all(),
            approvals=[(kind, label, approvals.get(kind)) for kind, label in ApprovalKind.choices],
            approval_forms=[
                (label, ApprovalForm(prefix=kind, initial=_approval_initial(approvals.get(kind))))
                for kind, label in ApprovalKind.choices
            ]
            if editable
            else [],
            attachment_form=AttachmentForm() if editable else None,
            history=audit.history(project),
            # Only the requests the user may see: a unit credited with a share sees the project, not
            # necessarily what the location township raised about it.
            requests=CoordinationRequest.objects.visible_to(self.request.user)
            .filter(project=project)
            .select_related("owner_unit")
            .order_by("-pk")[:20],
            **funds_context(self.request.user, project),
            **reports_context(project),
            attachments=project.attachments.all(),
            can_edit=editable,
            stage_form=StageChangeForm(allowed=allowed) if movable and allowed else None,
            **kwargs,
        )


def _approval_initial(approval: Any) -> dict[str, Any]:
    if approval is None:
        return {}
    return {"done": approval.done, "done_on": approval.done_on, "reference": approval.reference}


def _investor_initial(request: AuthedRequest, project: Project | None) -> dict[str, Any]:
    """A new project opened from an investor's page (?investor=) starts with that investor chosen,
    if the user may see it (another unit's investor is ignored, as the list would not offer it)."""
    pk = request.GET.get("investor", "")
    if project is not None or not pk.isdigit():
        return {}
    if not Investor.objects.visible_to(request.user).filter(pk=int(pk)).exists():
        return {}
    return {"investors": [int(pk)]}


class ProjectFormView(ScopedMixin, View):
    """Create (no pk) or edit (pk) a project, with its investors, credit shares and stewards."""

    model = Project
    action = Action.EDIT
    template_name = "projects/project_form.html"

    def _forms(self, request: AuthedRequest, project: Project | None) -> tuple[Any, Any, Any]:
        data = request.POST if request.method == "POST" else None
        form = ProjectForm(
            data, instance=project, user=request.user, initial=_investor_initial(request, project)
        )
        units = credit_units(request.user, project.unit if project else None)
        credit_initial = (
            [{"unit": c.unit, "share": c.share} for c in project.credits.all()] if project else []
        )
        steward_initial = (
            [{"name": s.name, "position": s.position, "phone": s.phone} for s in project.stewards.all()]
            if project
            else []
        )
        credits = CreditFormSet(data, prefix="credits", initial=credit_initial, form_kwargs={"units": units})
        stewards = StewardFormSet(data, prefix="stewards", initial=steward_initial)
        return form, credits, stewards

    def get(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        project = self.get_object() if pk else None
        if pk is None and not self.may(Action.CREATE):
            return self._forbidden(request)
        return self._render(request, project, *self._forms(request, project))

    def post(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        project = self.get_object() if pk else None
        if pk is None and not self.may(Action.CREATE):
            return self._forbidden(request)
        form, credits, stewards = self._forms(request, project)
        if form.is_valid() and credits.is_valid() and stewards.is_valid():
            try:
                project = self._save(request, project, form, credits, stewards)
            except StaleWrite as error:
                form.add_error(None, error.message)
                return self._render(request, project, form, credits, stewards, status=409)
            except ValidationError as error:
                apply_errors(form, error)
                if "credits" in getattr(error, "error_dict", {}):
                    for message in error.message_dict["credits"]:
                        credits._non_form_errors = credits.error_class([message])
            except OutOfScope as error:
                form.add_error("unit", str(error))
            else:
                messages.success(request, _("Project %(name)s saved.") % {"name": project.name})
                return redirect(project)
        return self._render(request, project, form, credits, stewards, status=400)

    @transaction.atomic
    def _save(
        self, request: AuthedRequest, project: Project | None, form: Any, credits: Any, stewards: Any
    ) -> Project:
        investors = list(form.cleaned_data["investors"])
        new = form.new_investor()
        if new is not None:
            try:
                investors.append(create_investor(by=request.user, data=new))
            except ValidationError as error:
                raise ValidationError({"new_investor_name": error.messages}) from error
        credit_list = credits_from(credits) or None
        if project is None:
            return services.create_project(
                by=request.user,
                data=form.project_data(),
                investors=investors,
                credits=credit_list,
                stewards=stewards_from(stewards),
            )
        return services.update_project(
            project,
            by=request.user,
            data=form.project_data(),
            investors=investors,
            credits=credit_list,
            stewards=stewards_from(stewards),
            expected_version=form.cleaned_data.get("version"),
        )

    def _render(
        self,
        request: AuthedRequest,
        project: Project | None,
        form: Any,
        credits: Any,
        stewards: Any,
        status: int = 200,
    ) -> HttpResponse:
        context = {"project": project, "form": form, "credit_formset": credits, "steward_formset": stewards}
        return render(request, self.template_name, context, status=status)

    def _forbidden(self, request: AuthedRequest) -> HttpResponse:
        return render(request, "403.html", status=403)


class ProjectStageView(ScopedMixin, View):
    """The stage change action: a POST from the detail page's form."""

    model = Project
    action = Action.CHANGE_STAGE

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        project = self.get_object()
        form = StageChangeForm(request.POST, allowed=services.allowed_transitions(project))
        if not form.is_valid():
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, str(text))
            return redirect(project)
        data = form.cleaned_data
        try:
            services.change_stage(
                project,
                data["to_stage"],
                by=request.user,
                on=data["on"],
                note=data["note"],
                drop_reason=data["drop_reason"],
                contracted_amount=data["contracted_amount"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except OutOfScope as error:
            refuse(request, error)
        else:
            messages.success(
                request, _("Stage changed to %(stage)s.") % {"stage": Stage(data["to_stage"]).label}
            )
        return redirect(project)


class ProjectApprovalsView(ScopedMixin, View):
    """Save the approvals checklist: one prefixed ApprovalForm per approval kind."""

    model = Project
    action = Action.EDIT

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        project = self.get_object()
        forms_by_kind = {kind: ApprovalForm(request.POST, prefix=kind) for kind in ApprovalKind.values}
        if not all(f.is_valid() for f in forms_by_kind.values()):
            for kind, form in forms_by_kind.items():
                for errors in form.errors.values():
                    messages.error(request, f"{ApprovalKind(kind).label}: {' '.join(str(e) for e in errors)}")
            return redirect(project)
        with transaction.atomic():
            for kind, form in forms_by_kind.items():
                services.set_approval(project, kind, by=request.user, **form.cleaned_data)
        messages.success(request, _("Approvals saved."))
        return redirect(project)


class AttachmentUploadView(FormActionView):
    model = Project
    action = Action.EDIT
    form_class = AttachmentForm
    done = gettext_lazy("File attached.")

    def perform(self, obj: Project, by: Any, data: dict[str, Any]) -> Any:
        return services.add_attachment(obj, by=by, **data)


class AttachmentDownloadView(ScopedMixin, View):
    """Files are served only through this view, so they are scoped like their project."""

    model = Project

    def get(self, request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        project = self.get_object()
        attachment = get_object_or_404(project.attachments, pk=attachment_pk)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1]
        )
