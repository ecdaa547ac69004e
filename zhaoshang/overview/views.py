"""The start page: it reads across the domain apps, so it lives above them, not in core."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.overview.dashboard import dashboard


class HomeView(ReplicaReadsMixin, LoginRequiredMixin, TemplateView):
    """The dashboard: key indicators, children's completion, monthly funds, the stage funnel and the
    stalled projects of one unit's subtree (?unit=, ?year=, ?indicator=), built by
    overview/dashboard.py. It only reads: from the read replica when one serves (core/replica.py)."""

    request: AuthedRequest

    template_name = "overview/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**context, **dashboard(self.request.user, self.request.GET, timezone.localdate())}
