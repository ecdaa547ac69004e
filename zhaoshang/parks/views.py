"""Pages of parks: the list of parks, a park's page (its profile, infrastructure, factories, idle
assets and its enterprises' figures), and the idle assets on offer. A park page is keyed by the park's
unit; whoever may see the unit sees the page, and the services decide who may change it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core import geo
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import user_can
from zhaoshang.core.views import (
    CreateFormView,
    FormActionView,
    ObjectListView,
    ScopedMixin,
    apply_errors,
    export_page,
    report_outcome,
)
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.parks import map as map_points
from zhaoshang.parks import matching, services
from zhaoshang.parks.forms import (
    FactoryForm,
    IdleAssetEditForm,
    IdleAssetForm,
    InfrastructureForm,
    ProfileForm,
)
from zhaoshang.parks.models import IdleAsset, InfrastructureItem, StandardFactory
from zhaoshang.parks.tables import IDLE_LIST
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit


def visible_parks(user: Any) -> Any:
    return Unit.objects.visible_to(user).filter(kind=UnitKind.PARK)


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year - 1


class ParkListView(LoginRequiredMixin, View):
    def get(self, request: AuthedRequest) -> HttpResponse:
        year = _year(request)
        shown = list(visible_parks(request.user).order_by("path")[:200])
        lines = services.rows(shown, year)
        parks = [(park, lines[park.pk]) for park in shown]
        return render(request, "parks/park_list.html", {"parks": parks, "year": year})


class ParkDetailView(LoginRequiredMixin, View):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        park = get_object_or_404(visible_parks(request.user), pk=pk)
        year = _year(request)
        edits = user_can(request.user, Action.EDIT, park, on=ObjectType.PROJECT)
        context = {
            "park": park,
            "year": year,
            "summary": services.summary(park, year),
            "items": InfrastructureItem.objects.filter(unit=park).order_by("-built_on", "-pk"),
            "factories": StandardFactory.objects.filter(unit=park)
            .select_related("tenant", "project__enterprise")
            .order_by("name"),
            "enterprises": Enterprise.objects.visible_to(request.user).filter(park=park).order_by("name"),
            "idle": IdleAsset.objects.filter(unit=park).order_by("-created_at"),
            "edits": edits,
            "infrastructure_form": InfrastructureForm() if edits else None,
            "factory_form": FactoryForm(park=park) if edits else None,
        }
        return render(request, "parks/park_detail.html", context)


class _ParkWrite(LoginRequiredMixin, View):
    """A POST of a park page's form into one service: 404 for a park the user cannot see, 403 for
    one they may not change; the form's errors come back as messages on the park page."""

    done: Any

    def form(self, request: HttpRequest, park: Unit) -> Any:
        raise NotImplementedError

    def perform(self, park: Unit, by: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        park = get_object_or_404(visible_parks(request.user), pk=pk)
        if not user_can(request.user, Action.EDIT, park, on=ObjectType.PROJECT):
            return render(request, "403.html", status=403)
        form = self.form(request, park)
        try:
            report_outcome(request, form, lambda data: self.perform(park, request.user, data), self.done)
        except PermissionDenied:
            return render(request, "403.html", status=403)
        return redirect("parks:detail", pk=park.pk)


class ProfileEditView(_ParkWrite):
    done = gettext_lazy("Park profile saved.")

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        park = get_object_or_404(visible_parks(request.user), pk=pk)
        if not user_can(request.user, Action.EDIT, park, on=ObjectType.PROJECT):
            return render(request, "403.html", status=403)
        profile = services.summary(park, _year(request)).profile
        initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS} if profile else None
        return render(
            request, "parks/profile_form.html", {"park": park, "form": ProfileForm(initial=initial)}
        )

    def form(self, request: HttpRequest, park: Unit) -> Any:
        return ProfileForm(request.POST)

    def perform(self, park: Unit, by: Any, data: dict[str, Any]) -> Any:
        return services.save_profile(park, by=by, data=data)


class InfrastructureAddView(_ParkWrite):
    done = gettext_lazy("Infrastructure recorded.")

    def form(self, request: HttpRequest, park: Unit) -> Any:
        return InfrastructureForm(request.POST)

    def perform(self, park: Unit, by: Any, data: dict[str, Any]) -> Any:
        return services.add_infrastructure(park, by=by, **data)


class FactoryAddView(_ParkWrite):
    done = gettext_lazy("Standard factory recorded.")

    def form(self, request: HttpRequest, park: Unit) -> Any:
        return FactoryForm(request.POST, park=park)

    def perform(self, park: Unit, by: Any, data: dict[str, Any]) -> Any:
        return services.add_factory(park, by=by, **data)


class IdleListView(ObjectListView):
    """Idle assets on offer, and the projects in talks that may be matched with them."""

    source = IDLE_LIST
    template_name = "parks/idle_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        projects = Project.objects.visible_to(self.request.user).filter(stage__in=matching.IN_TALKS)
        context["in_talks"] = list(projects.order_by("-pk").only("pk", "name")[:20])
        return context


IdleExportView = export_page(IDLE_LIST, gettext_lazy("Idle assets"))


class IdleCreateView(CreateFormView):
    model = IdleAsset
    template_name = "parks/idle_form.html"
    form_class = IdleAssetForm
    done = gettext_lazy("Idle asset recorded.")

    def create(self, by: Any, data: dict[str, Any]) -> Any:
        return services.record_idle_asset(by=by, data=data)


class IdleEditView(ScopedMixin, View):
    """An idle asset's page: its fields in a form for whoever may change its unit's records, read
    only for the others (the leader); another unit's asset is not found."""

    model = IdleAsset
    template_name = "parks/idle_form.html"

    def _render(self, request: AuthedRequest, asset: IdleAsset, form: Any, status: int = 200) -> HttpResponse:
        context = {"asset": asset, "form": form}
        return render(request, self.template_name, context, status=status)

    def _edits(self, request: AuthedRequest, asset: IdleAsset) -> bool:
        return user_can(request.user, Action.EDIT, asset.unit, on=ObjectType.PROJECT)

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        asset = self.get_object()
        initial = {name: getattr(asset, name) for name in services.IDLE_FIELDS}
        form = IdleAssetEditForm(user=request.user, initial=initial) if self._edits(request, asset) else None
        return self._render(request, asset, form)

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        asset = self.get_object()
        if not self._edits(request, asset):
            return render(request, "403.html", status=403)
        form = IdleAssetEditForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.update_idle_asset(asset, by=request.user, data=form.cleaned_data)
            except PermissionDenied:
                return render(request, "403.html", status=403)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, str(_("Idle asset saved.")))
                return redirect("parks:idle_list")
        return self._render(request, asset, form, status=400)


class MatchView(ScopedMixin, View):
    """The idle assets and vacant factories that fit a project in talks, with a button to take one
    for those who may change the project."""

    model = Project

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        project = self.get_object()
        context = {
            "project": project,
            "in_talks": project.stage in matching.IN_TALKS,
            "assets": matching.fitting_assets(project)[:50],
            "factories": matching.fitting_factories(project)[:50],
            "taken": IdleAsset.objects.filter(project=project).select_related("unit"),
            "reserved": StandardFactory.objects.filter(project=project).select_related("unit"),
            "takes": user_can(request.user, Action.EDIT, project.unit, on=ObjectType.PROJECT),
        }
        return render(request, "parks/matches.html", context)


class TakeForm(forms.Form):
    asset = forms.IntegerField(required=False)
    factory = forms.IntegerField(required=False)


class TakeView(FormActionView):
    model = Project
    form_class = TakeForm
    done = gettext_lazy("The site is linked to the project.")

    def perform(self, obj: Any, by: Any, data: dict[str, Any]) -> Any:
        if data.get("asset"):
            asset = get_object_or_404(IdleAsset.objects.all(), pk=data["asset"])
            return matching.take_asset(obj, asset, by=by)
        if data.get("factory"):
            factory = get_object_or_404(StandardFactory.objects.all(), pk=data["factory"])
            return matching.take_factory(obj, factory, by=by)
        raise ValidationError(_("Choose an idle asset or a factory."))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = super().post(request, pk)
        if response.status_code != 302:
            return response  # refused
        return redirect("parks:matches", pk=pk)


class MapView(LoginRequiredMixin, View):
    """The map of the county: its outline and neighbours from a GeoJSON file of our own static files
    (no tile server), the user's projects, enterprises and parks as points, and the schematic
    township layer (MapPointsView; a click on a township shows only its points)."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        centre = geo.centre(request.GET)  # a detail page's "show on the map" (``?lon=&lat=``)
        context = {
            "boundary_url": map_points.boundary_url(),
            "centre": f"{centre[0]},{centre[1]}" if centre else "",
            "labels": {
                "projects": _("Projects"),
                "enterprises": _("Landed enterprises"),
                "parks": _("Industrial parks"),
                "count": _("Points on the map:"),
                "here": _("The point shown"),
                "townships": _("Townships (schematic)"),
                "township_shown": _("Only the points of"),
                "records": _("placed at the mean of its records' points"),
                "ring": _("no record with coordinates: placed on a ring inside the county"),
            },
        }
        return render(request, "parks/map.html", context)


class MapPointsView(LoginRequiredMixin, View):
    """The points of the map as JSON, only those the user may see."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        return JsonResponse(map_points.points(request.user))
