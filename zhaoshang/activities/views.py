"""Pages of promotion activities: thin views over the filter set, the table and the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.activities import services
from zhaoshang.activities.choices import ActivityKind, Step
from zhaoshang.activities.forms import ActivityForm, StepForm
from zhaoshang.activities.models import Activity
from zhaoshang.activities.tables import ACTIVITY_LIST
from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.paging import LIST_COUNT_CAP
from zhaoshang.core.permissions import Action
from zhaoshang.core.views import (
    FormActionView,
    ObjectListView,
    ScopedMixin,
    apply_errors,
    export_page,
    refuse,
)


class ActivityListView(ObjectListView):
    source = ACTIVITY_LIST
    template_name = "activities/activity_list.html"
    count_cap = LIST_COUNT_CAP

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(kinds=ActivityKind.choices, **kwargs)


ActivityExportView = export_page(ACTIVITY_LIST, gettext_lazy("Promotion activities"))


class ActivityDetailView(ScopedMixin, TemplateView):
    model = Activity
    template_name = "activities/activity_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        activity = self.get_object()
        user = self.request.user
        editable = Activity.objects.visible_to(user, Action.EDIT).filter(pk=activity.pk).exists()
        deletable = Activity.objects.visible_to(user, Action.DELETE).filter(pk=activity.pk).exists()
        inquiry = activity.kind == ActivityKind.INQUIRY
        return super().get_context_data(
            activity=activity,
            investors=activity.investors.visible_to(user),
            projects=activity.projects.visible_to(user),
            office_activities=activity.office_activities.visible_to(user),
            clock=services.clock(activity) if inquiry else None,
            step_form=StepForm(initial={"done_on": timezone.localdate()}) if inquiry and editable else None,
            history=audit.history(activity),
            can_edit=editable,
            can_delete=deletable,
            **kwargs,
        )


class ActivityFormView(ScopedMixin, View):
    """Create (no pk; ?kind=trip|visit|inquiry|fair|office) or edit (pk) an activity."""

    model = Activity
    action = Action.EDIT
    template_name = "activities/activity_form.html"

    def _kind(self, request: AuthedRequest, activity: Activity | None) -> str:
        if activity is not None:
            return activity.kind
        kind = request.POST.get("kind") or request.GET.get("kind") or ActivityKind.TRIP
        return kind if kind in ActivityKind.values else ActivityKind.TRIP

    def _form(self, request: AuthedRequest, activity: Activity | None) -> ActivityForm:
        data = request.POST if request.method == "POST" else None
        initial = {} if activity else {"starts_on": timezone.localdate()}
        return ActivityForm(
            data, instance=activity, user=request.user, kind=self._kind(request, activity), initial=initial
        )

    def get(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        activity = self.get_object() if pk else None
        if pk is None and not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        return self._render(request, activity, self._form(request, activity))

    def post(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        activity = self.get_object() if pk else None
        if pk is None and not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        form = self._form(request, activity)
        if form.is_valid():
            data = form.activity_data()
            data["kind"] = self._kind(request, activity)
            links = {"investors": form.cleaned_data["investors"], "projects": form.cleaned_data["projects"]}
            try:
                if activity is None:
                    activity = services.create_activity(by=request.user, data=data, **links)
                else:
                    activity = services.update_activity(activity, by=request.user, data=data, **links)
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error("unit", str(error))
            else:
                messages.success(request, _("Activity %(title)s saved.") % {"title": activity.title})
                return redirect(activity)
        return self._render(request, activity, form, status=400)

    def _render(self, request: AuthedRequest, activity: Any, form: Any, status: int = 200) -> HttpResponse:
        kind = self._kind(request, activity)
        context = {"activity": activity, "form": form, "kind_label": ActivityKind(kind).label}
        return render(request, self.template_name, context, status=status)


class ActivityDeleteView(ScopedMixin, View):
    model = Activity
    action = Action.DELETE

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        activity = self.get_object()
        try:
            services.delete_activity(activity, by=request.user)
        except OutOfScope as error:
            refuse(request, error)
            return redirect(activity)
        messages.success(request, _("Activity deleted."))
        return redirect(reverse("activities:list"))


class InquiryStepView(FormActionView):
    """Record a step of an inquiry's response clock (a POST from the detail page)."""

    model = Activity
    action = Action.EDIT
    form_class = StepForm
    done = gettext_lazy("Step recorded.")

    def perform(self, obj: Activity, by: Any, data: dict[str, Any]) -> Any:
        return services.record_step(obj, data["step"], by=by, on=data["done_on"], note=data["note"])


class OverdueInquiriesView(ScopedMixin, TemplateView):
    """超时咨询: inquiries of the user's subtree with a step past its deadline."""

    model = Activity
    template_name = "activities/overdue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        open_inquiries = (
            self.get_queryset()
            .filter(kind=ActivityKind.INQUIRY)
            .annotate(done=Count("steps"))
            .filter(done__lt=len(Step.values))  # an inquiry with every step done is never red
            .select_related("unit")
            .prefetch_related("steps")
            .order_by("starts_on", "received_at")
        )
        rows = []
        for activity in open_inquiries.iterator(500):
            steps = services.clock(activity, today)
            if any(s["light"] == "red" for s in steps):
                rows.append((activity, steps))
        return super().get_context_data(rows=rows, today=today, steps=Step.choices, **kwargs)
