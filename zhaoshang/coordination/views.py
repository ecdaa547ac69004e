"""Pages of requests for coordination: thin views over the filter set, the table and the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.coordination import services
from zhaoshang.coordination.choices import RequestStatus
from zhaoshang.coordination.forms import (
    AcceptForm,
    CloseForm,
    CommentForm,
    ReasonForm,
    ReplyForm,
    RequestForm,
)
from zhaoshang.coordination.models import Activity, CoordinationRequest
from zhaoshang.coordination.tables import REQUEST_LIST, SELECT
from zhaoshang.core.deadlines import Light
from zhaoshang.core.permissions import Action
from zhaoshang.core.views import CreateFormView, FormActionView, ScopedMixin, export_page, list_page

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


RequestListView = list_page(REQUEST_LIST, "coordination/request_list.html")
RequestExportView = export_page(REQUEST_LIST, gettext_lazy("Requests for coordination"))


class OverdueView(ScopedMixin, TemplateView):
    """For the bureau: red requests, oldest deadline first, and the lights per owner unit."""

    model = CoordinationRequest
    template_name = "coordination/overdue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        visible = self.get_queryset()
        return super().get_context_data(
            overdue=services.overdue(visible, today).select_related(*SELECT)[:500],
            counts=[
                (unit, [row[light] for light in Light]) for unit, row in services.light_counts(visible, today)
            ],
            lights=list(Light),
            today=today,
            **kwargs,
        )


class RequestCreateView(CreateFormView):
    model = CoordinationRequest
    template_name = "coordination/request_form.html"
    form_class = RequestForm
    done = gettext_lazy("Request raised; the bureau will accept and assign it.")

    def initial(self, request: HttpRequest) -> dict[str, Any] | None:
        return {"project": request.GET.get("project")} if request.GET.get("project") else None

    def create(self, by: Any, data: dict[str, Any]) -> CoordinationRequest:
        return services.raise_request(by=by, **data)


class RequestDetailView(ScopedMixin, TemplateView):
    model = CoordinationRequest
    request: AuthedRequest
    template_name = "coordination/request_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related(*SELECT)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        obj = self.get_object()
        user = self.request.user
        # The bureau decides on a submitted request; the owner unit answers an accepted one; the
        # requesting side evaluates an answered one (the services check the same again).
        deciding = services.is_bureau_for(user, obj) and obj.status == RequestStatus.SUBMITTED
        replying = services.may_reply(user, obj) and obj.status in (
            RequestStatus.ACCEPTED,
            RequestStatus.ANSWERED,
        )
        evaluating = services.may_evaluate(user, obj) and obj.status == RequestStatus.ANSWERED
        return super().get_context_data(
            req=obj,
            light=obj.light(),
            timeline=obj.activities.all(),
            accept_form=AcceptForm(county=services.county_of(obj.unit)) if deciding else None,
            reject_form=ReasonForm(prefix="reject") if deciding else None,
            reply_form=ReplyForm() if replying else None,
            close_form=CloseForm() if evaluating else None,
            reopen_form=ReasonForm(prefix="reopen") if evaluating else None,
            comment_form=CommentForm() if services.may_comment(user, obj) else None,
            **kwargs,
        )


class RequestActionView(FormActionView):
    model = CoordinationRequest


class AcceptView(RequestActionView):
    done = gettext_lazy("Request accepted and assigned.")
    needs = Action.VERIFY

    def form(self, request: HttpRequest, obj: CoordinationRequest) -> Any:
        return AcceptForm(request.POST, county=services.county_of(obj.unit))

    def perform(self, obj: CoordinationRequest, by: User, data: dict[str, Any]) -> Any:
        return services.accept_request(obj, by=by, **data)


class RejectView(RequestActionView):
    form_class = ReasonForm
    prefix = "reject"
    done = gettext_lazy("Request rejected.")
    needs = Action.VERIFY

    def perform(self, obj: CoordinationRequest, by: User, data: dict[str, Any]) -> Any:
        return services.reject_request(obj, by=by, reason=data["reason"])


class ReplyView(RequestActionView):
    form_class = ReplyForm
    done = gettext_lazy("Reply saved.")

    def perform(self, obj: CoordinationRequest, by: User, data: dict[str, Any]) -> Any:
        return services.reply(obj, by=by, **data)


class CloseView(RequestActionView):
    form_class = CloseForm
    done = gettext_lazy("Request closed. Thank you for the evaluation.")

    def perform(self, obj: CoordinationRequest, by: User, data: dict[str, Any]) -> Any:
        return services.close_request(obj, by=by, **data)


class ReopenView(RequestActionView):
    form_class = ReasonForm
    prefix = "reopen"
    done = gettext_lazy("Request reopened and sent back to the owner unit.")

    def perform(self, obj: CoordinationRequest, by: User, data: dict[str, Any]) -> Any:
        return services.reopen_request(obj, by=by, reason=data["reason"])


class CommentView(RequestActionView):
    form_class = CommentForm
    done = gettext_lazy("Comment added.")

    def perform(self, obj: CoordinationRequest, by: User, data: dict[str, Any]) -> Any:
        return services.add_comment(obj, by=by, **data)


class ActivityFileView(ScopedMixin, View):
    """A file of a request's timeline, served only to those who may see the request."""

    model = CoordinationRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponseBase:
        activity = get_object_or_404(
            Activity.objects.filter(request__in=self.get_queryset()).exclude(file=""), pk=pk
        )
        if not activity.file:
            raise Http404
        return FileResponse(activity.file.open("rb"), as_attachment=True, filename=activity.file_name)
