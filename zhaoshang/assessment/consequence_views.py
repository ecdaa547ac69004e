"""The pages of what a published ranking leads to: the 通報批評 and 通報表揚 notices, the
rectification items raised from a criticism, the 問責 list and the red and black lists."""

from __future__ import annotations

import datetime as dt
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
from zhaoshang.assessment.models import Ranking, Scheme
from zhaoshang.assessment.views import int_param
from zhaoshang.core.documents.response import docx_response


def _ranking(user: Any, pk: int) -> Ranking:
    return get_object_or_404(
        Ranking.objects.visible_to(user).select_related("group", "scheme__county"), pk=pk
    )


def _deadline(value: str | None, today: Any) -> Any:
    try:
        return dt.date.fromisoformat(value) if value else today + dt.timedelta(days=15)
    except ValueError:
        return today + dt.timedelta(days=15)


class CriticismView(LoginRequiredMixin, View):
    """通報批評 of a published ranking as .docx (?deadline= the day to rectify by, 15 days on)."""

    request: AuthedRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        ranking = _ranking(request.user, pk)
        today = timezone.localdate()
        content = consequences.criticism_docx(
            ranking, deadline=_deadline(request.GET.get("deadline"), today), on=today
        )
        return docx_response(content, consequences.file_name(ranking, "通报批评"))


class CommendationView(LoginRequiredMixin, View):
    """通報表揚 of a published ranking as .docx."""

    request: AuthedRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        ranking = _ranking(request.user, pk)
        content = consequences.commendation_docx(ranking, on=timezone.localdate())
        return docx_response(content, consequences.file_name(ranking, "通报表扬"))


class RedBlackNoticeView(LoginRequiredMixin, View):
    """红黑榜通報 of a published ranking as .docx: its red and black lists as frozen on publishing."""

    request: AuthedRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        ranking = _ranking(request.user, pk)
        content = consequences.red_black_docx(ranking, on=timezone.localdate())
        return docx_response(content, consequences.file_name(ranking, "红黑榜"))


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
        found = consequences.accountability(Ranking.objects.visible_to(request.user))
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
            for group in scheme.groups.all()
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
