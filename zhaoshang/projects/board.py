"""The kanban board (看板) of projects by stage (issue 18): a column per stage with the most recently
moved projects of the user's subtree and the count of all; dragging a card to another column moves
the project through the same stage service as the project page's form (``services.change_stage``:
any later stage in one step, the stages between recorded on the same day, never through dropped).

The drop posts to ``projects:move`` (htmx, from static/zhaoshang/board.js); the answer is the card as
it now is, and the script puts it in the column of its stage: the new one, or back where it came
from with the reason the move was refused written on the card."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import OutOfScope, StaleWrite, ValidationError
from zhaoshang.core.permissions import Action
from zhaoshang.core.views import ScopedMixin
from zhaoshang.projects import services
from zhaoshang.projects.choices import STAGE_LABELS, STAGE_ORDER, Stage
from zhaoshang.projects.filters import ProjectFilterSet
from zhaoshang.projects.models import Project

CARDS_PER_STAGE = 30  # a county may hold thousands of projects: the rest through the list
# The filters of the project list the board offers (the columns are the stages): the same filter set,
# so a board filtered by a township and a word shows the projects the list shows for them.
BOARD_FILTERS = ("q", "unit", "industry_section", "key")


class BoardView(ScopedMixin, TemplateView):
    """The board: per stage, the ``CARDS_PER_STAGE`` projects moved most recently and the count of
    all, with a link to the project list filtered by that stage. Cards the user may move are
    draggable."""

    request: AuthedRequest

    model = Project
    template_name = "projects/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = self.request.GET.copy()
        data.pop("stage", None)  # the columns are the stages
        filterset = ProjectFilterSet(data or None, queryset=self.get_queryset(), request=self.request)
        projects = filterset.qs if filterset.is_bound else filterset.queryset
        fields = [filterset.form[name] for name in BOARD_FILTERS]
        counts = dict(
            projects.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
        )
        columns = []
        for stage in STAGE_ORDER:
            cards = list(
                projects.filter(stage=stage)
                .select_related("unit")
                .order_by("-stage_changed_on", "-pk")[:CARDS_PER_STAGE]
            )
            columns.append(
                {"stage": stage, "label": STAGE_LABELS[stage], "cards": cards, "count": counts.get(stage, 0)}
            )
        shown = [card.pk for column in columns for card in column["cards"]]
        movable = set(
            Project.objects.visible_to(self.request.user, Action.CHANGE_STAGE)
            .filter(pk__in=shown)
            .values_list("pk", flat=True)
        )
        return super().get_context_data(
            columns=columns,
            movable=movable,
            per_stage=CARDS_PER_STAGE,
            list_url=reverse("projects:list"),
            filter_fields=fields,
            filter_query=data.urlencode(),
            **kwargs,
        )


class MoveView(ScopedMixin, View):
    """POST ``to_stage``: move the project there today through the stage service. Answers the card
    (htmx) or, without script, goes back to the board with a message. A project outside the user's
    subtree is not found (404), as any other page of it."""

    model = Project
    action = Action.CHANGE_STAGE

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        project = self.get_object()
        to_stage = request.POST.get("to_stage", "")
        error = ""
        try:
            project = services.change_stage(project, to_stage, by=request.user, on=timezone.localdate())
        except (ValidationError, StaleWrite) as refusal:
            error = " ".join(getattr(refusal, "messages", [str(refusal)]))
        except OutOfScope as refusal:
            error = str(refusal) or _("You may not do that.")
        if error:
            error = _("Not moved to %(stage)s: %(reason)s") % {
                "stage": STAGE_LABELS.get(to_stage, to_stage),
                "reason": error,
            }
        if not request.headers.get("HX-Request"):
            if error:
                messages.error(request, error)
            else:
                messages.success(request, _("Stage changed to %(stage)s.") % {"stage": Stage(to_stage).label})
            return redirect("projects:board")
        project.refresh_from_db()
        return render(
            request, "projects/board_card.html", {"project": project, "movable": {project.pk}, "error": error}
        )
