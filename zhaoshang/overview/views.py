"""The start page: it reads across the domain apps, so it lives above them, not in core."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.overview.dashboard import dashboard
from zhaoshang.overview.due import what_is_due


class HomeView(ReplicaReadsMixin, LoginRequiredMixin, TemplateView):
    """The start page: first what is due for the user (overview/due.py: reports by round with the
    days left, returned reports, requests and rectification items of the user's unit), then the
    dashboard: key indicators, children's completion, monthly funds, the stage funnel and the
    stalled projects of one unit's subtree (?unit=, ?year=, ?indicator=), built by
    overview/dashboard.py. It only reads: from the read replica when one serves (core/replica.py)."""

    request: AuthedRequest

    template_name = "overview/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        return {
            **context,
            **dashboard(self.request.user, self.request.GET, today),
            "due": what_is_due(self.request.user, today),
            "today": today,
        }
