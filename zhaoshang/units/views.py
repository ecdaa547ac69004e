"""Pages of the unit tree."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.audit import services as audit
from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.views import ObjectListView, OptionsView, ScopedMixin, apply_errors, export_page
from zhaoshang.projects.models import Project
from zhaoshang.units import services
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.forms import UnitForm
from zhaoshang.units.models import Unit
from zhaoshang.units.tables import UNIT_LIST


class UnitListView(ObjectListView):
    source = UNIT_LIST
    template_name = "units/unit_list.html"
    paginate_by = 200

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.may(Action.CONFIGURE)
        context["can_import"] = self.may(Action.CONFIGURE)
        return context


UnitExportView = export_page(UNIT_LIST, gettext_lazy("Units"))


class UnitDetailView(ScopedMixin, TemplateView):
    model = Unit
    template_name = "units/unit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        unit = self.get_object()
        visible = Unit.objects.visible_to(self.request.user)
        projects = Project.objects.visible_to(self.request.user)
        return super().get_context_data(
            unit=unit,
            ancestors=visible.ancestors_of(unit).exclude(pk=unit.pk),
            children=visible.filter(parent=unit).order_by("sort_order", "path"),
            history=audit.history(unit),
            project_count=projects.filter(tree.subtree_q(unit.path)).count(),
            can_edit=Unit.objects.visible_to(self.request.user, Action.CONFIGURE)
            .filter(pk=unit.pk, parent__isnull=False)
            .exists(),
            can_add=Unit.objects.visible_to(self.request.user, Action.CONFIGURE).filter(pk=unit.pk).exists(),
            **kwargs,
        )


class UnitFormView(ScopedMixin, View):
    """Create a unit (optionally under ?parent=) or edit one (pk)."""

    model = Unit
    action = Action.CONFIGURE
    template_name = "units/unit_form.html"

    def get(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        unit = self.get_object() if pk else None
        if unit is None and not self.may(Action.CONFIGURE):
            return render(request, "403.html", status=403)
        initial = {"parent": request.GET.get("parent")} if unit is None else {}
        return self._render(request, unit, UnitForm(instance=unit, initial=initial, user=request.user))

    def post(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        unit = self.get_object() if pk else None
        if unit is None and not self.may(Action.CONFIGURE):
            return render(request, "403.html", status=403)
        form = UnitForm(request.POST, instance=unit, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "parent"}
            try:
                if unit is None:
                    unit = services.create_unit(by=request.user, parent=form.cleaned_data["parent"], **data)
                else:
                    unit = services.update_unit(
                        unit, by=request.user, parent=form.cleaned_data["parent"], **data
                    )
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error("parent", str(error))
            else:
                messages.success(request, _("Unit %(name)s saved.") % {"name": unit.name})
                return redirect(unit)
        return self._render(request, unit, form, status=400)

    def _render(
        self, request: AuthedRequest, unit: Unit | None, form: UnitForm, status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, {"unit": unit, "form": form}, status=status)


class UnitOptionsView(OptionsView):
    """The units the user may see, for a searchable unit select of a large county."""

    model = Unit
    search_fields = ("name", "short_name", "code")
    ordering = ("path",)

    def get_queryset(self) -> Any:
        units = super().get_queryset()
        if self.request.GET.get("for") == "project":  # the location units of the project form
            user = self.request.user
            where = Unit.objects.where(user, Action.CREATE, on=ObjectType.PROJECT)
            units = units.filter(pk__in=where.exclude(kind=UnitKind.VILLAGE).values("pk"))
        return units
