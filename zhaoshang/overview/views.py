"""The start page: it reads across the domain apps, so it lives above them, not in core."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.ledger.completion import period_months
from zhaoshang.overview import roles
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
        user = self.request.user
        board = dashboard(user, self.request.GET, today)
        # The sections of each role the user holds (overview/roles.py), each once.
        sections = roles.sections(user)
        extra: dict[str, Any] = {"sections": sections}
        if roles.DUE in sections:
            extra["due"] = what_is_due(user, today)
        if roles.QUEUES in sections:
            extra["queues"] = roles.queues(user)
        if roles.LEADER in sections and board.get("unit") is not None:
            year, rows = board["year"], board["rows"]
            extra["ranking"] = roles.ranking(user, board["unit"], year, board["bars"], board["indicator"])
            last = period_months(board["period"], board["month"])[-1]
            extra["behind_time"] = roles.time_progress(year, last, today, rows, board["reference_progress"])
        return {**context, **board, **extra, "today": today}
