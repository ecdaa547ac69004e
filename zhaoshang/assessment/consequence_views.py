"""The pages of what a published ranking leads to: the 通報批評 and 通報表揚 notices, the
rectification items raised from a criticism, the 問責 list and the red and black lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
from zhaoshang.assessment import consequences, services
from zhaoshang.assessment.choices import Subjects
from zhaoshang.assessment.models import Ranking, Scheme
from zhaoshang.assessment.views import int_param
from zhaoshang.core.documents.response import docx_response


def _ranking(user: Any, pk: int) -> Ranking:
    """A ranking of units (the notices and the rectification name units; a ranking of persons has
    none of them: it feeds the year-end bonus, decided outside the system)."""
    return get_object_or_404(
        Ranking.objects.visible_to(user)
        .filter(group__subjects=Subjects.UNITS)
        .select_related("group", "scheme__county"),
        pk=pk,
    )


def _deadline(value: str | None, today: Any) -> Any:
    try:
        return dt.date.fromisoformat(value) if value else today + dt.timedelta(days=15)
    except ValueError:
        return today + dt.timedelta(days=15)


class NoticeView(LoginRequiredMixin, View):
    """A notice of a published ranking as .docx: ``build`` writes it as of today, the file is named
    after the ranking and ``title``."""

    request: AuthedRequest
    title = ""
    build: Callable[..., bytes]

    def content(self, ranking: Ranking, today: dt.date) -> bytes:
        return self.build(ranking, on=today)

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        ranking = _ranking(request.user, pk)
        content = self.content(ranking, timezone.localdate())
        return docx_response(content, consequences.file_name(ranking, self.title))


class CriticismView(NoticeView):
    """通報批評 of a published ranking (?deadline= the day to rectify by, 15 days on)."""

    title = "通报批评"

    def content(self, ranking: Ranking, today: dt.date) -> bytes:
        deadline = _deadline(self.request.GET.get("deadline"), today)
        return consequences.criticism_docx(ranking, deadline=deadline, on=today)


class CommendationView(NoticeView):
    """通報表揚 of a published ranking."""

    title = "通报表扬"
    build = staticmethod(consequences.commendation_docx)


class RedBlackNoticeView(NoticeView):
    """红黑榜通報 of a published ranking: its red and black lists as frozen on publishing."""

    title = "红黑榜"
    build = staticmethod(consequences.red_black_docx)


class RectifyView(LoginRequiredMixin, View):
    """Raise a rectification item for each criticised unit of a published ranking (the bureau)."""

    request: AuthedRequest

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        ranking = _ranking(request.user, pk)
        if not services.may_configure(request.user, ranking.scheme.county):
            raise PermissionDenied
        today = timezone.localdate()
        raised = consequences.raise_rectifications(
            ranking, by=request.user, deadline=_deadline(request.POST.get("deadline"), today), on=today
        )
        messages.success(request, _("Rectification items raised: %(n)s.") % {"n": raised})
        return redirect(f"{reverse('assessment:ranking')}?ranking={ranking.pk}")


class AccountabilityView(LoginRequiredMixin, View):
    """問責: the units criticised in two consecutive periods, with their history, for the leaders."""

    request: AuthedRequest

    def get(self, request: AuthedRequest) -> HttpResponse:
        found = consequences.accountability(
            Ranking.objects.visible_to(request.user).filter(group__subjects=Subjects.UNITS)
        )
        return render(request, "assessment/accountability.html", {"found": found})


class RedBlackView(LoginRequiredMixin, View):
    """红黑榜: for each group of this year's schemes the user may see, the units at or ahead of
    progress against time on the group's main indicator (red) and those behind (black), ?month=."""

    request: AuthedRequest

    def get(self, request: AuthedRequest) -> HttpResponse:
        today = timezone.localdate()
        month = int_param(request.GET.get("month")) or max(today.month - 1, 1)
        if not 1 <= month <= 12:
            raise Http404
        schemes = newest_schemes(Scheme.objects.visible_to(request.user).filter(year=today.year))
        lists = [
            (group, *consequences.red_black(group, month, today))
            for scheme in schemes
            for group in scheme.groups.filter(subjects=Subjects.UNITS)
        ]
        return render(
            request, "assessment/red_black.html", {"lists": lists, "month": month, "months": range(1, 13)}
        )


def newest_schemes(schemes: Any) -> list[Scheme]:
    """The newest version of each county's scheme."""
    out: dict[int, Scheme] = {}
    for s in schemes.select_related("county").order_by("version"):
        out[s.county_id] = s
    return list(out.values())
