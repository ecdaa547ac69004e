"""One's own notifications, and marking them read. Only the recipient ever sees a notification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.permissions import Action
from zhaoshang.core.views import apply_errors
from zhaoshang.notifications import services
from zhaoshang.notifications.forms import RobotForm
from zhaoshang.notifications.models import Notification, UnitRobot
from zhaoshang.units.models import Unit


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/list.html"
    request: AuthedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = Notification.objects.filter(recipient=self.request.user)
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, **kwargs)


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one notification read (then follow its link), or all of them (no pk)."""

    def post(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        if pk is None:
            services.mark_read(request.user)
            return redirect("notifications:list")
        note = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.mark_read(request.user, [note.pk])
        if request.POST.get("follow") and url_has_allowed_host_and_scheme(note.link, allowed_hosts=None):
            return redirect(note.link)
        return redirect("notifications:list")


class RobotListView(LoginRequiredMixin, TemplateView):
    """The WeCom group robots of the units the user configures."""

    template_name = "notifications/robots.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        units = Unit.objects.visible_to(self.request.user, Action.CONFIGURE)
        robots = UnitRobot.objects.filter(unit__in=units).select_related("unit").order_by("unit__path")
        page = Paginator(robots, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, **kwargs)


class RobotEditView(LoginRequiredMixin, View):
    """Set a unit's WeCom group robot (reached from the unit's page)."""

    def unit(self, request: AuthedRequest, pk: int) -> Unit:
        return get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)

    def page(self, request: AuthedRequest, unit: Unit, form: RobotForm, status: int = 200) -> HttpResponse:
        return render(request, "notifications/robot_form.html", {"unit": unit, "form": form}, status=status)

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        unit = self.unit(request, pk)
        if not services.may_configure_robot(request.user, unit):
            return render(request, "403.html", status=403)
        robot = UnitRobot.objects.filter(unit=unit).first()
        initial = {"webhook_url": robot.webhook_url, "is_active": robot.is_active} if robot else {}
        return self.page(request, unit, RobotForm(initial=initial))

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        unit = self.unit(request, pk)
        if not services.may_configure_robot(request.user, unit):
            return render(request, "403.html", status=403)
        form = RobotForm(request.POST)
        if not form.is_valid():
            return self.page(request, unit, form, status=400)
        data = form.cleaned_data
        try:
            robot = services.set_robot(
                unit, by=request.user, webhook_url=data["webhook_url"], is_active=data["is_active"]
            )
        except ValidationError as error:
            apply_errors(form, error)
            return self.page(request, unit, form, status=400)
        if robot is not None and data["send_test"]:
            services.send_test_message(unit, by=request.user)
            messages.success(request, _("Saved. The test message is on its way (see the jobs page)."))
        else:
            messages.success(request, _("Saved."))
        return redirect("notifications:robots")
