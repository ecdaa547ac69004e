"""One's own notifications, and marking them read. Only the recipient ever sees a notification."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.notifications import services
from zhaoshang.notifications.models import Notification


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
